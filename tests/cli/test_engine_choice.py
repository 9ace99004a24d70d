"""``--engine``: the reference engine and DuckDB give the same rows, and the defaults."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from cli_helpers import DATA, EVTX_SAMPLES, invoke, invoke_cached, multiset, ndjson_rows, summary

WINPWNAGE = EVTX_SAMPLES / "sysmon_1_13_11_cmstp_ini_uacbypass.evtx"

# DuckDB matches column names case-insensitively, so two event fields whose names differ
# only in case, such as ProcessId and ProcessID in every OTRF recording, share one column.

# Each case is a command line without --engine and --format, and whether the query
# defines the row order.
BUNDLED_DATA_RUNS = [
    pytest.param(("hunt", str(DATA)), True, id="cmstp-detection"),
    pytest.param(("run", "groupBy(#event_simpleName)", str(DATA)), False, id="groupby-tag"),
    pytest.param(
        ("run", "ParentBaseFileName=cmd.exe | tail(5)", str(DATA)),
        True,
        id="filter-tail",
    ),
    pytest.param(("run", "count()", str(DATA)), True, id="count"),
]


def run_engine(args: tuple[str, ...], engine: str) -> tuple[list[dict[str, str]], str]:
    # Files run on DuckDB by default, so the DuckDB run leaves out --engine and shares its
    # cached result with the store tests.
    options = (
        ("--format", "ndjson") if engine == "duckdb" else ("--format", "ndjson", "--engine", engine)
    )
    status, out, err = invoke_cached(*args, *options)
    assert status == 0, err
    return ndjson_rows(out), err


@pytest.mark.parametrize(("args", "ordered"), BUNDLED_DATA_RUNS)
def test_engines_agree_on_bundled_data(args: tuple[str, ...], ordered: bool) -> None:
    duckdb_rows, duckdb_err = run_engine(args, "duckdb")
    reference_rows, reference_err = run_engine(args, "reference")

    assert duckdb_rows, "the query should return rows"
    if ordered:
        assert duckdb_rows == reference_rows
    else:
        assert multiset(duckdb_rows) == multiset(reference_rows)
    duckdb_counts, duckdb_engine = summary(duckdb_err)
    reference_counts, reference_engine = summary(reference_err)
    assert (duckdb_engine, reference_engine) == ("duckdb", "reference")
    assert duckdb_counts == reference_counts
    assert duckdb_counts.startswith("109920 events read, 0 rejected, ")


def test_count_bundled_data() -> None:
    rows, _ = run_engine(("run", "count()", str(DATA)), "reference")

    assert rows == [{"_count": "109920"}]


def test_fields_differing_in_case(tmp_path: Path) -> None:
    path = tmp_path / "events.ndjson"
    events = [
        {"@timestamp": "1000", "ProcessID": "1", "host": "a"},
        {"@timestamp": "2000", "ProcessId": "2", "host": "a"},
    ]
    path.write_text("".join(json.dumps(event) + "\n" for event in events), encoding="utf-8")
    common = ("run", "ProcessId=2", str(path), "--input-format", "logscale", "--format", "ndjson")

    _, reference_out, _ = invoke(*common, "--engine", "reference")
    _, duckdb_out, _ = invoke(*common, "--engine", "duckdb")

    reference_rows = ndjson_rows(reference_out)
    assert [(row["ProcessId"], row.get("ProcessID")) for row in reference_rows] == [("2", None)]
    assert ndjson_rows(duckdb_out) == reference_rows


# --- stages that DuckDB cannot run -------------------------------------------------------

FALLBACK_QUERIES = [
    pytest.param(
        r'case { ParentBaseFileName = /(?i)^cmd(?!\.com)/ | Parent := "cmd";'
        ' * | Parent := "other" }'
        " | groupBy(Parent)",
        "case (line 1, column 1)",
        [{"Parent": "cmd", "_count": "1"}, {"Parent": "other", "_count": "4"}],
        id="case",
    ),
    pytest.param(
        r"#event_simpleName=ProcessRollup2 | ImageFileName = /(?i)\\(?!cmd)[a-z]+\.exe$/"
        " | groupBy(ParentBaseFileName)",
        "(?! (line 1, column 36)",
        [
            {"ParentBaseFileName": "cmd.exe", "_count": "1"},
            {"ParentBaseFileName": "python.exe", "_count": "1"},
        ],
        id="negative-lookahead",
    ),
]

NOTICE = re.compile(r"^notice: query: (?P<stage>.+) runs on the reference engine: .+$", re.M)


@pytest.mark.parametrize(("query", "stage", "expected"), FALLBACK_QUERIES)
def test_fallback_stage_notice(query: str, stage: str, expected: list[dict[str, str]]) -> None:
    common = ("run", query, str(WINPWNAGE), "--format", "ndjson")

    duckdb_status, duckdb_out, duckdb_err = invoke(*common)
    reference_status, reference_out, reference_err = invoke(*common, "--engine", "reference")

    assert (duckdb_status, reference_status) == (0, 0)
    assert [match["stage"] for match in NOTICE.finditer(duckdb_err)] == [stage]
    assert NOTICE.search(reference_err) is None
    assert multiset(ndjson_rows(duckdb_out)) == multiset(expected)
    assert multiset(ndjson_rows(reference_out)) == multiset(expected)
    assert summary(duckdb_err)[1] == "duckdb"


def test_compiled_query_has_no_notice() -> None:
    status, _, err = invoke("run", "groupBy(ParentBaseFileName)", str(WINPWNAGE))

    assert status == 0
    assert "notice:" not in err


# --- default engine ----------------------------------------------------------------------

STDIN_EVENTS = "".join(
    json.dumps({"@timestamp": str(1000 * number), "user": user}) + "\n"
    for number, user in enumerate(["a", "b", "a"], start=1)
)
STDIN_QUERY = "groupBy(user) | sort(user, order=asc)"
STDIN_ROWS = [{"user": "a", "_count": "2"}, {"user": "b", "_count": "1"}]


@pytest.mark.parametrize(
    ("paths", "engine", "expected_engine"),
    [
        pytest.param((), (), "reference", id="no-path"),
        pytest.param(("-",), (), "reference", id="dash"),
        pytest.param((), ("--engine", "duckdb"), "duckdb", id="duckdb-chosen"),
    ],
)
def test_stdin_engine(
    paths: tuple[str, ...], engine: tuple[str, ...], expected_engine: str
) -> None:
    status, out, err = invoke(
        "run",
        STDIN_QUERY,
        *paths,
        *engine,
        "--input-format",
        "logscale",
        "--format",
        "ndjson",
        stdin=STDIN_EVENTS,
    )

    assert status == 0, err
    assert ndjson_rows(out) == STDIN_ROWS
    assert summary(err) == ("3 events read, 0 rejected, 2 rows", expected_engine)


def test_files_default_to_duckdb() -> None:
    status, _, err = invoke("run", "count()", str(WINPWNAGE))

    assert status == 0, err
    assert summary(err) == ("5 events read, 0 rejected, 1 row", "duckdb")
