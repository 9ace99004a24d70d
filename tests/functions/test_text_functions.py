"""Tests of text:contains(), getField() and setField() on both engines.

``run`` fails when the reference engine and DuckDB disagree, and
``sql_only=True`` when DuckDB sent a stage back to the reference engine.
Documented examples name their LogScale page.
"""

from __future__ import annotations

from collections import Counter

import pytest

from cqlkit.engines.duckdb.engine import DuckDBEngine
from cqlkit.plan.fields import field_use
from cqlkit.plan.planner import plan_query
from helpers import column, diagnostic_codes, kept_ids, make_events, run

# --- text:contains() ------------------------------------------------------------------


def test_contains_doc_literals() -> None:
    # functions-text-contains.html: "oba" is in "foobar", "abo" is not.
    events = make_events({})
    assert len(run('text:contains("foobar", substring="oba")', events, sql_only=True)) == 1
    assert run('text:contains("foobar", substring="abo")', events, sql_only=True) == []


THREADS = [
    ("bucket-clean-obsoletes-s3", "c.h.b.BucketStorageCleaningJob"),
    ("bucket-entity-config", "c.h.b.BucketStorageEntityConfigLogger"),
    ("bucket-storage-download", "c.h.b.BucketStorageDownloadJobImpl"),
    ("bucket-storage-upload", "c.h.b.BucketStorageUploadJob"),
    ("delete-bucket-segments", "c.h.b.BucketStorageDeleteObsoleteSegmentsJob"),
    ("query-worker", "c.h.q.QueryRunner"),
    ("bucket-sync", "c.h.b.Replicator"),
]


def _thread_groups(query: str) -> set[str]:
    events = make_events(*({"thread": thread, "class": name} for thread, name in THREADS))
    return set(column(run(query, events, sql_only=True), "thread"))  # type: ignore[arg-type]


def test_contains_doc_two_fields() -> None:
    # functions-text-contains.html: both substrings must occur.
    query = (
        'text:contains(thread, substring="bucket") | text:contains(class,substring="Storage")'
        " | groupBy([thread,class])"
    )
    assert _thread_groups(query) == {
        "bucket-clean-obsoletes-s3",
        "bucket-entity-config",
        "bucket-storage-download",
        "bucket-storage-upload",
        "delete-bucket-segments",
    }


def test_contains_doc_negated() -> None:
    # functions-text-contains.html: !text:contains() drops the download thread.
    query = (
        'text:contains(thread, substring="bucket") | text:contains(class,substring="Storage")'
        ' | !text:contains(thread, substring="download") | groupBy([thread,class])'
    )
    assert "bucket-storage-download" not in _thread_groups(query)
    assert len(_thread_groups(query)) == 4


CONTAINS_EVENTS = make_events(
    {"s": "Invoke-Mimikatz", "p": "Mimi"},  # 1
    {"s": "invoke-mimikatz", "p": "Mimi"},  # 2: case differs
    {"p": "Mimi"},  # 3: no string
    {"s": "abc"},  # 4: no substring
    {"s": "abc", "p": ""},  # 5: empty substring
    {"s": "12.5", "p": "2.5"},  # 6
)

CONTAINS_CASES = [
    pytest.param("text:contains(s, substring=p)", ["1", "5", "6"], id="fields"),
    pytest.param("!text:contains(s, substring=p)", ["2", "3", "4"], id="negated"),
    pytest.param("not text:contains(s, substring=p)", ["2", "3", "4"], id="not"),
    pytest.param('text:contains(string=s, substring="mimi")', ["2"], id="case-sensitive"),
    pytest.param(
        'text:contains(s, substring="abc") or text:contains(s, substring="Mimi")',
        ["1", "4", "5"],
        id="in-or",
    ),
    pytest.param('text:contains(lower(s), substring="mimi")', ["1", "2"], id="expression-string"),
    pytest.param("text:contains(s, substring=10 + 2)", ["6"], id="number-substring"),
    pytest.param(
        'test(if(text:contains(s, substring="b"), then=1, else=0) == 1)', ["4", "5"], id="in-if"
    ),
]


@pytest.mark.parametrize(("query", "expected"), CONTAINS_CASES)
def test_contains(query: str, expected: list[str]) -> None:
    assert kept_ids(query, CONTAINS_EVENTS, sql_only=True) == expected


def test_contains_as_value() -> None:
    rows = run('found := text:contains(s, substring="Mimi")', CONTAINS_EVENTS, sql_only=True)
    assert Counter(column(rows, "found")) == {"true": 1, "false": 5}


def test_contains_needs_substring() -> None:
    assert diagnostic_codes("text:contains(s)") == ["missing-argument"]


# --- getField() -------------------------------------------------------------------------


def test_get_field_doc_direct_and_indirect() -> None:
    # functions-getfield.html, "Get the Value of a Field Stored in Another Field".
    events = make_events({"foo": "bar", "bar": "123"}, {"foo": "quux"})
    quoted = run('result := getField("foo")', events, sql_only=True)
    assert sorted(column(quoted, "result")) == ["bar", "quux"]
    unquoted = run("result := getField(foo)", events, sql_only=True)
    assert sorted(column(unquoted, "result"), key=str) == ["123", None]


def test_get_field_doc_array_element() -> None:
    # functions-getfield.html, "Get the Last Element of an Array", with the
    # index written out where the docs take it from array:length().
    fields = {"foo[0]": "a", "foo[1]": "b", "foo[2]": "c", "foo[3]": "d"}
    query = (
        'index := 3 | fieldName := format("foo[%s]", field=[index]) | result := getField(fieldName)'
    )
    (row,) = run(query, make_events(fields), sql_only=True)
    assert row["fieldName"] == "foo[3]"
    assert row["result"] == "d"


def test_get_field_doc_parameters() -> None:
    # functions-getfield.html, "Take Field Names as Parameters".
    events = make_events({"hello": "world"}, {"hello": "there"})
    rows = run(
        "test(getField(?foo)==?bar)",
        events,
        parameters={"foo": "hello", "bar": "world"},
        sql_only=True,
    )
    assert column(rows, "hello") == ["world"]


def test_get_field_doc_names_with_dashes() -> None:
    # functions-getfield.html and functions-coalesce.html: names with - or a space.
    query = 'host := coalesce([getField("host-name"), getField("server name"), "example.com"])'
    events = make_events({"server name": "web01"}, {"host-name": "dc01"}, {})
    rows = run(query, events, sql_only=True)
    assert sorted(column(rows, "host")) == ["dc01", "example.com", "web01"]
    (row,) = run('delta := 1000 - getField("time-in-ms")', make_events({"time-in-ms": "250"}))
    assert row["delta"] == "750"


def test_get_field_default_output_and_null_name() -> None:
    events = make_events({"name": "a", "a": "1"}, {"a": "1"})
    rows = run("getField(name)", events, sql_only=True)
    assert sorted(column(rows, "_getField"), key=str) == ["1", None]


def test_get_field_reads_every_field() -> None:
    use = field_use(plan_query("result := getField(name) | table([result])"))
    assert use.needs_all


# --- setField() -------------------------------------------------------------------------


def test_set_field_doc_multiple_fields() -> None:
    # functions-setfield.html, "Set Values for Multiple Fields".
    query = (
        'item := 4 | bar := "baz" | setField(target=bar, value=item + 10)'
        ' | setField(target="foo", value=item + 20)'
        ' | setField(target="baaz", value=if(item == 4, then="OK", else="not OK"))'
    )
    (row,) = run(query, make_events({}))
    assert {name: row[name] for name in ("baaz", "bar", "baz", "foo", "item")} == {
        "baaz": "OK",
        "bar": "baz",
        "baz": "14",
        "foo": "24",
        "item": "4",
    }


def test_set_field_doc_single_field() -> None:
    # functions-setfield.html, "Set the Value of a Field".
    (row,) = run(
        'item := 4 | setField(target="foo", value=item + 10)', make_events({}), sql_only=True
    )
    assert (row["foo"], row["item"]) == ("14", "4")


def test_set_field_null_sets_nothing() -> None:
    events = make_events({"t": "x", "x": "old"}, {"x": "old"})
    rows = run("setField(target=t, value=missing)", events)
    assert column(rows, "x") == ["old", "old"]
    rows = run("setField(target=t, value=1) | table([x])", events)
    assert sorted(column(rows, "x")) == ["1", "old"]


def test_set_field_computed_target_fallback() -> None:
    query = 'setField(target=name, value="v") | groupBy([a])'
    events = make_events({"name": "a"}, {"name": "b"}, {"name": "a"})
    rows = run(query, events)
    assert sorted(column(rows, "a"), key=str) == ["v"]
    (result,) = DuckDBEngine().run([plan_query(query)], events)
    assert any(notice.startswith("setField()") for notice in result.notices)


def test_set_field_needs_both_arguments() -> None:
    assert diagnostic_codes('setField(target="x")') == ["missing-argument"]


# --- lower() and upper() with locale= ---------------------------------------------------


CASE_CASES = [
    pytest.param('lower(v, locale="tr")', "TITLE \u0130", "t\u0131tle i", id="turkish-lower"),
    pytest.param('upper(v, locale="tr_TR")', "title \u0131", "T\u0130TLE I", id="turkish-upper"),
    pytest.param('lower(v, locale="az")', "I", "\u0131", id="azerbaijani-lower"),
    pytest.param('lower(v, locale="tr")', "I\u0307", "i", id="turkish-combining-dot"),
]


@pytest.mark.parametrize(("query", "value", "expected"), CASE_CASES)
def test_case_mapping_turkic_locale(query: str, value: str, expected: str) -> None:
    (row,) = run(query, make_events({"v": value}))
    name = "_lower" if query.startswith("lower") else "_upper"
    assert row[name] == expected


def test_turkic_locale_fallback() -> None:
    query = 'lower(v, locale="tr")'
    (result,) = DuckDBEngine().run([plan_query(query)], make_events({"v": "I"}))
    assert any(notice.startswith("lower(locale=tr)") for notice in result.notices)


@pytest.mark.parametrize(
    "query",
    [
        pytest.param('lower(v, locale="en_US")', id="lower-english"),
        pytest.param('upper(v, locale="de")', id="upper-german"),
        pytest.param("x := upper(v)", id="no-locale"),
    ],
)
def test_other_locales_run_as_sql(query: str) -> None:
    rows = run(query, make_events({"v": "Title i"}), sql_only=True)
    assert any(value in ("title i", "TITLE I") for value in rows[0].values())
