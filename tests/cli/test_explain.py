"""Golden files of ``cqlkit explain``: the logical plan and the DuckDB SQL of a few queries.

Each case's expected output is in ``tests/golden/explain/<case>.txt``. After a change to
the planner or the SQL compiler that alters the output on purpose, regenerate the files
and review their diff before committing:

    CQLKIT_UPDATE_GOLDEN=1 .venv/bin/pytest tests/cli/test_explain.py
"""

from __future__ import annotations

import difflib
import json
import os
import subprocess
import sys

import pytest
from cli_helpers import CMSTP_QUERY, ROOT, invoke

GOLDEN = ROOT / "tests" / "golden" / "explain"
UPDATE_GOLDEN = os.environ.get("CQLKIT_UPDATE_GOLDEN") == "1"

CASES = {
    "cmstp-detection": str(CMSTP_QUERY),
    "groupby-sort": (
        "#event_simpleName=ProcessRollup2 | groupBy(ParentBaseFileName) | sort(limit=5)"
    ),
    "free-text": '"sekurlsa::logonpasswords"',
    # RE2, which DuckDB uses, has no lookahead, so this filter runs on the reference engine.
    "fallback-negative-lookahead": (
        r"ImageFileName = /(?i)\\cmstp(?!\.exe$)/ | groupBy(ComputerName)"
    ),
    # A case branch with a regex lookahead, which RE2 cannot run, sends the whole
    # case statement to the reference engine.
    "fallback-case": (
        r'case { ParentBaseFileName = /(?i)^cmd(?!\.com)/ | Parent := "cmd";'
        ' * | Parent := "other" }'
        " | groupBy(Parent)"
    ),
}


def explain(query: str) -> str:
    status, out, err = invoke("explain", query)
    assert status == 0, err
    return out


def assert_matches_golden(name: str, actual: str) -> None:
    """Compare ``actual`` with the golden file ``name``, showing a unified diff when they
    differ. With CQLKIT_UPDATE_GOLDEN=1, write ``actual`` to the file instead."""
    path = GOLDEN / f"{name}.txt"
    if UPDATE_GOLDEN:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(actual, encoding="utf-8")
        return
    assert path.is_file(), f"{path} is missing; create it with CQLKIT_UPDATE_GOLDEN=1"
    expected = path.read_text(encoding="utf-8")
    if actual != expected:
        diff = difflib.unified_diff(
            expected.splitlines(keepends=True),
            actual.splitlines(keepends=True),
            fromfile=str(path.relative_to(ROOT)),
            tofile="cqlkit explain",
        )
        pytest.fail(
            "".join(diff) + "\nRegenerate with CQLKIT_UPDATE_GOLDEN=1 if the change is intended",
            pytrace=False,
        )


@pytest.mark.parametrize("name", CASES)
def test_explain_golden(name: str) -> None:
    assert_matches_golden(name, explain(CASES[name]))


@pytest.mark.parametrize("name", CASES)
def test_explain_repeatable(name: str) -> None:
    assert explain(CASES[name]) == explain(CASES[name])


# A script that runs every case through the CLI in a fresh interpreter and prints the
# outputs as JSON.
_EXPLAIN_ALL = """
import json, sys
from click.testing import CliRunner
from cqlkit.cli.main import cli
outputs = {}
for name, query in json.loads(sys.argv[1]).items():
    result = CliRunner().invoke(cli, ["explain", query])
    assert result.exit_code == 0, result.output
    outputs[name] = result.stdout
print(json.dumps(outputs))
"""


def test_explain_independent_of_hash_seed() -> None:
    """Set and dict order must not leak into the output, so two interpreters with
    different string hash seeds print the same text."""
    outputs = []
    for seed in ("1", "2"):
        completed = subprocess.run(
            [sys.executable, "-c", _EXPLAIN_ALL, json.dumps(CASES)],
            capture_output=True,
            text=True,
            check=True,
            env={**os.environ, "PYTHONHASHSEED": seed},
            cwd=ROOT,
        )
        outputs.append(json.loads(completed.stdout))

    assert outputs[0] == outputs[1]
    assert outputs[0] == {name: explain(query) for name, query in CASES.items()}


def test_fallback_cases_name_the_reference_engine() -> None:
    lookahead = explain(CASES["fallback-negative-lookahead"])
    case_statement = explain(CASES["fallback-case"])

    assert "segment 0: 1 stage on the reference engine" in lookahead
    assert "has no RE2 translation" in lookahead
    assert "a case branch uses (?!" in case_statement
    assert "on the reference engine" not in explain(CASES["groupby-sort"])
