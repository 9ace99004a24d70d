"""Case and match statements compiled to SQL, checked against the reference engine."""

from __future__ import annotations

from pathlib import Path

import pytest
from tests.engines.test_reference_semantics import (
    CASE_CASES,
    CASE_EVENTS,
    MATCH_CASES,
    MATCH_EVENTS,
)
from tests.helpers import make_events, run, run_in_order

from cqlkit.engines.duckdb.engine import DuckDBEngine
from cqlkit.plan.planner import plan_query

HUNTING = Path(__file__).resolve().parents[1] / "corpus" / "hunting"


def _pairs(rows: list[dict[str, str]]) -> list[tuple[str, str | None]]:
    return sorted((row["@id"], row.get("t")) for row in rows)


def _notices(query: str, events: list[dict[str, str]]) -> list[str]:
    (outcome,) = DuckDBEngine(batch_size=4).run([plan_query(query)], events)
    return list(outcome.notices)


@pytest.mark.parametrize(("query", "expected"), CASE_CASES)
def test_case_forms_as_sql(query: str, expected: list[tuple[str, str | None]]) -> None:
    assert _pairs(run(query, CASE_EVENTS, sql_only=True)) == expected


def test_case_without_match_drops_as_sql() -> None:
    rows = run('case { a=1 | t := "one" }', CASE_EVENTS, sql_only=True)
    assert _pairs(rows) == [("1", "one")]


@pytest.mark.parametrize(("query", "expected"), MATCH_CASES)
def test_match_forms_as_sql(query: str, expected: list[tuple[str, str | None]]) -> None:
    assert _pairs(run(query, MATCH_EVENTS, sql_only=True)) == expected


PROCESS_EVENTS = make_events(
    {"#event_simpleName": "ProcessRollup2", "FileName": "a.exe", "CommandLine": "x -NoP"},
    {"#event_simpleName": "ProcessRollup2", "FileName": "b.exe", "CommandLine": "-ep Bypass"},
    {"#event_simpleName": "ProcessRollup2", "FileName": "c.exe", "CommandLine": "plain"},
    {"#event_simpleName": "ProcessRollup2", "FileName": "d.exe"},
    {"#event_simpleName": "DnsRequest", "FileName": "e.exe", "CommandLine": "-nop"},
    {"#event_simpleName": "ProcessRollup2", "FileName": "a.exe", "CommandLine": "-nop bypass"},
)

PLATFORM_EVENTS = make_events(
    {"#event_simpleName": "ProcessRollup2", "event_platform": "Win"},
    {"#event_simpleName": "ProcessRollup2", "event_platform": "Mac"},
    {"#event_simpleName": "ProcessRollup2", "event_platform": "Lin"},
    {"#event_simpleName": "ProcessRollup2"},
    {"#event_simpleName": "ProcessRollup2", "event_platform": "Win"},
    {"#event_simpleName": "DnsRequest", "event_platform": "Mac"},
)


def test_corpus_case_risk_as_sql() -> None:
    query = (HUNTING / "15-case-risk.cql").read_text()
    rows = run(query, PROCESS_EVENTS, sql_only=True)
    counts = sorted((row["FileName"], row["risk"], row["_count"]) for row in rows)
    assert counts == [("a.exe", "2", "2"), ("b.exe", "1", "1")]


def test_corpus_match_platform_as_sql() -> None:
    query = (HUNTING / "16-match-statement-platform.cql").read_text()
    rows = run(query, PLATFORM_EVENTS, sql_only=True)
    counts = sorted((row["Platform"], row["_count"]) for row in rows)
    assert counts == [("Other", "2"), ("Windows", "2"), ("macOS", "1")]


BRANCH_EVENTS = make_events(
    {"a": "1", "b": "x"},
    {"a": "2", "b": "y"},
    {"a": "3"},
    {"b": "z"},
    {"a": "10", "b": "x", "c": "keep"},
)

SQL_FORMS = [
    pytest.param('case { t := a | t = 1 | u := "one" ; t := "other" }', id="filter-reads-assigned"),
    pytest.param("case { a := b | a = x ; a := 9 }", id="overwrite-input-field"),
    pytest.param(
        'case { b = /(?<letter>[xy])/ | t := letter ; * | t := "none" }', id="regex-extraction"
    ),
    pytest.param("case { a=1 | lower(b, as=t) ; upper(b, as=t) }", id="value-transforms"),
    pytest.param("case { a > 1 | drop(b) ; * }", id="drop-in-branch"),
    pytest.param("case { b=x | select([a]) ; * }", id="select-in-branch"),
    pytest.param(
        'case { a=* | case { b=x | t := "ax" ; * | t := "a" } ; t := "none" }', id="nested-case"
    ),
    pytest.param(
        'case { a=* | b match { x => t := "x" ; * => t := "other" } ; * }', id="match-in-case"
    ),
    pytest.param(
        'a match { 1 => case { b=x | t := "1x" ; b=y } ; "1*" => t := "ten" }',
        id="case-in-match",
    ),
    pytest.param(
        'a match { /^[12]$/ => t := "low" | u := t ; * => t := "high" }', id="regex-guard"
    ),
    pytest.param('case { a=1 | t := "one" } | case { b=* | u := b ; * }', id="two-statements"),
    pytest.param('case { a=1 ; * | t := "x" } | t := "set"', id="stage-after-case"),
]


@pytest.mark.parametrize("query", SQL_FORMS)
def test_branch_forms_as_sql(query: str) -> None:
    run(query, BRANCH_EVENTS, sql_only=True)


def test_filter_reads_assigned_rows() -> None:
    rows = run('case { t := a | t = 1 | u := "one" ; t := "other" }', BRANCH_EVENTS, sql_only=True)
    assert sorted((row["@id"], row["t"], row.get("u")) for row in rows) == [
        ("1", "1", "one"),
        ("2", "other", None),
        ("3", "other", None),
        ("4", "other", None),
        ("5", "other", None),
    ]


def test_case_keeps_input_order() -> None:
    events = make_events(*({"a": str(i % 3)} for i in range(20)))
    rows, _, notices = run_in_order('case { a=0 | t := "z" ; a=1 ; * | t := "o" }', events)
    assert notices == []
    # The implicit tail(200) returns the newest events first.
    assert [row["@id"] for row in rows] == [str(i) for i in range(20, 0, -1)]


def test_case_before_aggregate_as_sql() -> None:
    rows = run('case { a=1 | t := "one" ; * | t := "other" } | groupBy(t)', BRANCH_EVENTS)
    assert sorted((row["t"], row["_count"]) for row in rows) == [("one", "1"), ("other", "4")]


FALLBACK_FORMS = [
    pytest.param(
        'case { a=1 | regex("(?<d>\\\\d)", field=a, repeat=true) ; * }', id="regex-repeat"
    ),
    pytest.param("case { b=* | split(b) ; * }", id="split-expands"),
    pytest.param("case { a=1 | count() ; * }", id="aggregate-in-branch"),
    pytest.param("case { a=* | head(1) ; * }", id="head-in-branch"),
    pytest.param("case { a=1 | parseJson(b) ; * }", id="dynamic-outputs"),
    pytest.param('a match { 1 => split(b) ; * => t := "x" }', id="match-arm-expands"),
]


@pytest.mark.parametrize("query", FALLBACK_FORMS)
def test_fallback_forms_give_notice(query: str) -> None:
    run(query, BRANCH_EVENTS)
    notices = _notices(query, BRANCH_EVENTS)
    assert len(notices) == 1
    statement = "match" if " match " in query else "case"
    assert notices[0].startswith(f"{statement} (line 1, column 1) runs on the reference engine")
