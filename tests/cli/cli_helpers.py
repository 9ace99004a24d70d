"""Helpers shared by the CLI tests: in-process runs of ``cqlkit`` and readers of its output."""

from __future__ import annotations

import functools
import re
from pathlib import Path

import orjson
from click.testing import CliRunner

from cqlkit.cli.main import cli

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "data"
EVTX_SAMPLES = DATA / "sbousseaden_EVTX-ATTACK-SAMPLES"
CMSTP_DETECTION = ROOT / "src" / "cqlkit" / "detections" / "catalog" / "T1218.003-cmstp"
CMSTP_QUERY = CMSTP_DETECTION / "query.cql"

# The summary line that ends standard error, such as
# "109920 events read, 0 rejected, 4 rows, 3.01 s (duckdb)".
_SUMMARY = re.compile(r"^(?P<counts>.*), (?P<seconds>[0-9.]+) s \((?P<engine>[a-z]+)\)$")


def invoke(*args: str, stdin: str | None = None) -> tuple[int, str, str]:
    """Run ``cqlkit ARGS`` in-process and return the exit status, stdout and stderr."""
    result = CliRunner().invoke(cli, list(args), input=stdin)
    return result.exit_code, result.stdout, result.stderr


@functools.cache
def invoke_cached(*args: str) -> tuple[int, str, str]:
    """Run ``cqlkit ARGS`` once per test session, for slow runs over the bundled data."""
    return invoke(*args)


def ndjson_rows(out: str) -> list[dict[str, str]]:
    """Parse the rows that ``--format ndjson`` wrote, in order."""
    return [orjson.loads(line) for line in out.splitlines()]


def summary(err: str) -> tuple[str, str]:
    """Return the counts and the engine name of the summary line at the end of ``err``.

    The counts leave out the run time, which changes from run to run.
    """
    last_line = err.rstrip("\n").rsplit("\n", 1)[-1]
    match = _SUMMARY.match(last_line)
    assert match is not None, f"no summary line at the end of standard error:\n{err}"
    return match["counts"], match["engine"]


def multiset(rows: list[dict[str, str]]) -> list[list[tuple[str, str]]]:
    """Return ``rows`` in a canonical order, for queries whose row order is not defined."""
    return sorted(sorted(row.items()) for row in rows)
