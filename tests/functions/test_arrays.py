"""Array functions: splitString(), split(), concatArray() and array:*.

Every query runs on both engines (tests.helpers.run). ``sql_only=True`` marks the
forms that DuckDB compiles to SQL without a reference-engine stage.
"""

from __future__ import annotations

import pytest
from tests.helpers import diagnostic_codes, make_events, run, without_metadata

from cqlkit.engines.reference.context import RunContext
from cqlkit.engines.reference.interpreter import run_plan
from cqlkit.plan.planner import plan_query


def _by_id(rows: list[dict[str, str]]) -> list[dict[str, str]]:
    return sorted(rows, key=lambda row: row["@id"])


# --- array:contains() ------------------------------------------------------------


def test_contains_documented_group_by_host() -> None:
    # functions-array-contains: "Aggregate Array Content"
    events = make_events(
        {"host": "v1", "incidents[0]": "Evil Bear", "incidents[1]": "Cozy Bear"},
        {
            "host": "v15",
            "incidents[0]": "Fancy Fly",
            "incidents[1]": "Tiny Cat",
            "incidents[2]": "Cozy Bears",
        },
    )
    rows = run(
        'array:contains("incidents[]", value="Cozy Bear") | groupBy(host)', events, sql_only=True
    )
    assert rows == [{"host": "v1", "_count": "1"}]


@pytest.mark.parametrize(
    ("query", "kept"),
    [
        pytest.param('array:contains("a[]", value="x")', ["1"], id="match"),
        pytest.param('!array:contains("a[]", value="x")', ["2", "3", "4", "5"], id="negated"),
        pytest.param('array:contains("a[]", value="X")', [], id="case-sensitive"),
        pytest.param('array:contains("a[]", value="")', ["4"], id="empty-element"),
    ],
)
def test_contains_cases(query: str, kept: list[str]) -> None:
    events = make_events(
        {"a[0]": "w", "a[1]": "x"},
        {"a[0]": "w", "a[2]": "x"},  # x lies after a gap, so it is not an element
        {"b": "x"},
        {"a[0]": ""},
        {"a": "x"},
    )
    rows = run(query + " | select([@id])", events, sql_only=True)
    assert sorted(row["@id"] for row in rows) == kept


def test_contains_without_value_is_an_error() -> None:
    assert "missing-argument" in diagnostic_codes('array:contains("a[]")')


def test_contains_without_brackets_warns() -> None:
    assert diagnostic_codes('array:contains("a", value="x")') == ["array-name-without-brackets"]
    rows = run('array:contains("a", value="x")', make_events({"a[0]": "x"}), sql_only=True)
    assert len(rows) == 1


# --- array:length() --------------------------------------------------------------


@pytest.mark.parametrize(
    ("fields", "length"),
    [
        # functions-array-length: three animals, then a gap after two
        pytest.param({"animals[0]": "horse", "animals[1]": "duck", "animals[2]": "bunny"}, "3"),
        pytest.param({"animals[0]": "horse", "animals[1]": "duck", "animals[3]": "bunny"}, "2"),
        pytest.param({"animals": "horse"}, "0", id="not-an-array"),
    ],
)
def test_length_documented(fields: dict[str, str], length: str) -> None:
    rows = run('array:length("animals[]")', make_events(fields), sql_only=True)
    assert rows[0]["_length"] == length


def test_length_of_field_without_array_is_zero() -> None:
    # functions-array-length: array:length("#kind") on an event with #kind=logs
    rows = run('array:length("#kind")', make_events({"#kind": "logs"}), sql_only=True)
    assert rows[0]["_length"] == "0"


def test_length_documented_as() -> None:
    # examples-array-length-1
    event = {
        "queryParserMetrics.function[0]": "head",
        "queryParserMetrics.function[1]": "bucket",
        "queryParserMetrics.function[2]": "groupBy",
    }
    query = 'array:length("queryParserMetrics.function[]", as="_numberOfFunctions")'
    rows = run(query, make_events(event), sql_only=True)
    assert rows[0]["_numberOfFunctions"] == "3"


def test_length_in_expression() -> None:
    rows = run("n := array:length(a) * 2", make_events({"a[0]": "x", "a[1]": "y"}), sql_only=True)
    assert rows[0]["n"] == "4"


# --- array:regex() ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "kept"),
    [
        pytest.param('array:regex("a[]", regex="^Cozy")', ["1"], id="anchored"),
        pytest.param('array:regex("a[]", regex="^cozy")', [], id="case-sensitive"),
        pytest.param('array:regex("a[]", regex="^cozy", flags="i")', ["1"], id="ignore-case"),
        pytest.param('!array:regex("a[]", regex="Bear")', ["2", "3"], id="negated"),
    ],
)
def test_regex_cases(query: str, kept: list[str]) -> None:
    events = make_events(
        {"a[0]": "Evil Bear", "a[1]": "Cozy Bear"},
        {"a[0]": "Fancy Fly", "a[2]": "Cozy Bear"},
        {"b": "Cozy Bear"},
    )
    rows = run(query + " | select([@id])", events, sql_only=True)
    assert sorted(row["@id"] for row in rows) == kept


def test_regex_that_re2_cannot_run_falls_back() -> None:
    events = make_events({"a[0]": "ab"}, {"a[0]": "ac"})
    rows = run('array:regex("a[]", regex="a(?=b)") | select([@id])', events)
    assert rows == [{"@id": "1"}]


def test_regex_invalid_pattern_is_an_error() -> None:
    assert "invalid-regex" in diagnostic_codes('array:regex("a[]", regex="(")')


# --- array:exists() --------------------------------------------------------------

_EXISTS_FIELDS = [
    {"a[0]": "1", "a[1]": "2", "b": "4"},
    {"a[0]": "1", "a[1]": "3", "b": "4"},
    {"a[0]": "1", "a[1]": "4", "b": "3"},
]
_EXISTS_EVENTS = make_events(*_EXISTS_FIELDS)


def test_exists_documented_larger_than() -> None:
    # examples-arrayexists-condition-1: the variable defaults to the array's name
    rows = run('array:exists(array="a[]", condition={a>2})', _EXISTS_EVENTS, sql_only=True)
    assert sorted(row["@id"] for row in rows) == ["2", "3"]


def test_exists_documented_filtering_pipeline() -> None:
    # examples-arrayexists-filtering-pipeline
    query = 'array:exists(array="a[]", var=x, condition={ x=3 OR x=4 | test(x>=b) })'
    rows = run(query, _EXISTS_EVENTS, sql_only=True)
    assert [row["@id"] for row in rows] == ["3"]


def test_exists_negated_and_missing_array() -> None:
    events = make_events(*_EXISTS_FIELDS, {"b": "1"})
    rows = run('!array:exists("a[]", condition={a>2}) | select([@id])', events, sql_only=True)
    assert sorted(row["@id"] for row in rows) == ["1", "4"]
    rows = run('array:exists("a[]", condition={a>2}) | select([@id])', make_events({"b": "1"}))
    assert rows == []


def test_exists_condition_without_braces() -> None:
    rows = run('array:exists("a[]", condition=test(a > 3))', _EXISTS_EVENTS, sql_only=True)
    assert [row["@id"] for row in rows] == ["3"]


def test_exists_condition_does_not_change_the_event() -> None:
    query = 'array:exists("a[]", condition={c := "set" | a=2})'
    rows = run(query, _EXISTS_EVENTS, sql_only=True)
    assert [row["@id"] for row in rows] == ["1"]
    assert "c" not in rows[0]


def test_exists_with_case_falls_back() -> None:
    query = 'array:exists("a[]", condition={case { a=4; a=3 }}) | select([@id])'
    rows = run(query, _EXISTS_EVENTS)
    assert sorted(row["@id"] for row in rows) == ["2", "3"]


def test_exists_aggregate_in_condition_is_an_error() -> None:
    assert "aggregate-in-pipeline" in diagnostic_codes('array:exists("a[]", condition={count()})')


# --- array:filter() --------------------------------------------------------------


def test_filter_documented_mailto() -> None:
    # functions-array-filter: addresses that start with ba
    event = {
        "mailto[0]": "foo@example.com",
        "mailto[1]": "bar@example.com",
        "mailto[2]": "baz@example.com",
    }
    query = (
        'array:filter(array="mailto[]", var="addr", function={addr=ba*@example.com},'
        ' asArray="out[]")'
    )
    (row,) = run(query, make_events(event), sql_only=True)
    assert row["out[0]"] == "bar@example.com"
    assert row["out[1]"] == "baz@example.com"
    assert "out[2]" not in row
    assert row["mailto[0]"] == "foo@example.com"


def test_filter_in_place_removes_dropped_elements() -> None:
    events = make_events({"a[0]": "1", "a[1]": "5", "a[2]": "2", "a[4]": "9"}, {"b": "x"})
    rows = _by_id(run('array:filter("a[]", function={test(a < 3)})', events, sql_only=True))
    assert without_metadata(rows) == [{"a[0]": "1", "a[1]": "2", "a[4]": "9"}, {"b": "x"}]


def test_filter_sub_query_sees_other_fields() -> None:
    events = make_events({"a[0]": "1", "a[1]": "5", "limit": "3"})
    query = 'array:filter("a[]", var=x, function={test(x > limit)}, asArray="big[]")'
    (row,) = run(query, events, sql_only=True)
    assert row["big[0]"] == "5"
    assert "big[1]" not in row


def test_filter_with_unsupported_step_falls_back() -> None:
    events = make_events({"a[0]": "1", "a[1]": "5"})
    query = 'array:filter("a[]", function={case { a=5; a=7 }}) | c := 1'
    (row,) = run(query, events)
    assert without_metadata([row]) == [{"a[0]": "5", "c": "1"}]


# --- array:eval() ----------------------------------------------------------------


@pytest.mark.parametrize(
    "query",
    [
        # examples-array-evaluate-argument and examples-array-eval
        'array:eval("values[]", asArray="squared[]", var="x", function={squared := x*x})',
        'array:eval("values[]", asArray="squared[]", var=element,'
        " function={squared :=element*element})",
    ],
)
def test_eval_documented_squares(query: str) -> None:
    events = make_events({"values[0]": "2", "values[1]": "3", "values[2]": "4"})
    (row,) = run(query, events, sql_only=True)
    assert [row["squared[0]"], row["squared[1]"], row["squared[2]"]] == ["4", "9", "16"]
    assert row["values[0]"] == "2"


def test_eval_compacts_elements_without_value() -> None:
    events = make_events({"v[0]": "2", "v[1]": "x", "v[2]": "4", "out[5]": "old"})
    query = 'array:eval("v[]", asArray="out[]", var=n, function={out := n * 10})'
    (row,) = run(query, events, sql_only=True)
    assert [row.get(f"out[{i}]") for i in range(3)] == ["20", "40", None]
    assert row["out[5]"] == "old"


def test_eval_overwrites_input_by_default() -> None:
    events = make_events({"v[0]": "a", "v[1]": "B"})
    (row,) = run('array:eval("v[]", function={v := lower(v)})', events, sql_only=True)
    assert [row["v[0]"], row["v[1]"]] == ["a", "b"]


def test_eval_output_starts_unset() -> None:
    # A stale field named like the output does not leak into the array.
    events = make_events({"v[0]": "2", "v[1]": "3", "out": "stale"})
    query = 'array:eval("v[]", asArray="out[]", function={test(v > 2) | out := v})'
    (row,) = run(query, events, sql_only=True)
    assert row["out[0]"] == "3"
    assert "out[1]" not in row
    assert row["out"] == "stale"


# --- array:dedup() ---------------------------------------------------------------


def test_dedup_documented_animals() -> None:
    # functions-array-dedup: horse, fish, horse, cow, cow
    event = {f"a[{i}]": value for i, value in enumerate(["horse", "fish", "horse", "cow", "cow"])}
    (row,) = run('array:dedup("a[]")', make_events(event), sql_only=True)
    assert without_metadata([row]) == [{"a[0]": "horse", "a[1]": "fish", "a[2]": "cow"}]


def test_dedup_to_other_array() -> None:
    event = {"e[0]": "john", "e[1]": "admin", "e[2]": "jane", "e[3]": "admin"}
    (row,) = run('array:dedup("e[]", asArray="u[]")', make_events(event), sql_only=True)
    assert [row.get(f"u[{i}]") for i in range(4)] == ["john", "admin", "jane", None]
    assert row["e[3]"] == "admin"


# --- array:append() and array:drop() --------------------------------------------


def test_append_documented_gap() -> None:
    # functions-array-append: new values start at the first missing index
    events = make_events({"array[0]": "foo", "array[1]": "bar", "array[3]": "baz"})
    (row,) = run('array:append("array[]", values=["x", "y", "z"])', events, sql_only=True)
    assert [row[f"array[{i}]"] for i in range(5)] == ["foo", "bar", "x", "y", "z"]


def test_append_skips_null_and_creates_array() -> None:
    events = make_events({"n": "2"})
    query = 'array:append("a[]", values=[n * 3, missing, "q"])'
    (row,) = run(query, events, sql_only=True)
    assert without_metadata([row]) == [{"n": "2", "a[0]": "6", "a[1]": "q"}]


def test_rename_documented_mail() -> None:
    # examples-array-rename-fields
    events = make_events({"mail[0]": "user0@example.com", "mail[1]": "user1@example.com"})
    (row,) = run('array:rename(array="mail[]", asArray="user.email[]")', events, sql_only=True)
    assert without_metadata([row]) == [
        {"user.email[0]": "user0@example.com", "user.email[1]": "user1@example.com"}
    ]


def test_rename_keeps_fields_after_gap() -> None:
    events = make_events({"a[0]": "x", "a[2]": "z"}, {"b": "1"})
    rows = _by_id(run('array:rename("a[]", asArray="c[]")', events, sql_only=True))
    assert without_metadata(rows) == [{"a[2]": "z", "c[0]": "x"}, {"b": "1"}]


def test_drop_removes_elements_only() -> None:
    events = make_events({"a[0]": "x", "a[1]": "y", "a[3]": "z", "a": "kept"})
    (row,) = run('array:drop("a[]")', events, sql_only=True)
    assert without_metadata([row]) == [{"a[3]": "z", "a": "kept"}]


# --- splitString() ---------------------------------------------------------------


def test_split_string_documented_space() -> None:
    # functions-splitstring: part := splitString(field=@rawstring, by=" ")
    events = make_events({"@rawstring": "2007-01-01 test bar"})
    (row,) = run('part := splitString(field=@rawstring, by=" ")', events)
    assert [row["part[0]"], row["part[1]"], row["part[2]"]] == ["2007-01-01", "test", "bar"]
    assert "part[3]" not in row


def test_split_string_documented_index() -> None:
    events = make_events({"@rawstring": "2007-01-01 test bar"})
    (row,) = run('date := splitString(field=@rawstring, by=" ", index=0)', events, sql_only=True)
    assert row["date"] == "2007-01-01"


def test_split_string_documented_character_class() -> None:
    # The documented result has three parts: the empty part before "<" is dropped.
    events = make_events({"@rawstring": "<2007-01-01>test;bar"})
    (row,) = run('part := splitString(field=@rawstring, by="[<>;]")', events)
    assert [row["part[0]"], row["part[1]"], row["part[2]"]] == ["2007-01-01", "test", "bar"]
    assert "part[3]" not in row


@pytest.mark.parametrize(
    ("index", "expected"),
    [
        pytest.param("0", ["a", None, "only", None, None], id="first"),
        pytest.param("1", ["", None, None, None, None], id="empty-middle"),
        pytest.param("2", ["b", None, None, None, None], id="after-empty"),
        pytest.param("-1", ["b", None, "only", None, None], id="last"),
        pytest.param("-3", ["a", None, None, None, None], id="negative"),
        pytest.param("9", [None, None, None, None, None], id="out-of-range"),
    ],
)
def test_split_string_index_cases(index: str, expected: list[str | None]) -> None:
    events = make_events({"s": ",a,,b,,"}, {"s": ",,,"}, {"s": "only"}, {"s": ""}, {"t": "x"})
    rows = run(f'p := splitString(s, by=",", index={index})', events, sql_only=True)
    assert [row.get("p") for row in _by_id(rows)] == expected


def test_split_string_default_output_and_overwrite() -> None:
    events = make_events({"@rawstring": "a b", "_splitstring[2]": "old"})
    (row,) = run('splitString(by=" ")', events)
    assert [row["_splitstring[0]"], row["_splitstring[1]"]] == ["a", "b"]
    assert row["_splitstring[2]"] == "old"


def test_split_string_without_index_runs_rest_on_reference() -> None:
    events = make_events({"s": "a|b"})
    (row,) = run('splitString(s, by="\\\\|", as=p) | array:length("p[]")', events)
    assert row["_length"] == "2"


def test_split_string_missing_by_is_an_error() -> None:
    assert "missing-argument" in diagnostic_codes("splitString(field=x)")


# --- split() ---------------------------------------------------------------------


def test_split_documented_id_and_index() -> None:
    # functions-split: @id=1 and a=[1,2,3] give three events
    events = [{"@id": "1", "@timestamp": "1000", "a[0]": "1", "a[1]": "2", "a[2]": "3"}]
    rows = run("split(a)", events, sql_only=True)
    assert _by_id(rows) == [
        {"@id": "1__0", "@timestamp": "1000", "_index": "0", "a": "1"},
        {"@id": "1__1", "@timestamp": "1000", "_index": "1", "a": "2"},
        {"@id": "1__2", "@timestamp": "1000", "_index": "2", "a": "3"},
    ]


def test_split_objects_and_strip() -> None:
    events = make_events(
        {"c[0].author": "ann", "c[0].id": "7", "c[1].author": "bob", "kind": "push"},
        {"kind": "other"},
    )
    rows = run("split(c) | select([_index, c.author, c.id, kind])", events, sql_only=True)
    assert rows == [
        {"kind": "other"},
        {"_index": "1", "c.author": "bob", "kind": "push"},
        {"_index": "0", "c.author": "ann", "c.id": "7", "kind": "push"},
    ]
    rows = run("split(c, strip=true) | select([_index, author, id])", events, sql_only=True)
    assert rows == [
        {},
        {"_index": "1", "author": "bob"},
        {"_index": "0", "author": "ann", "id": "7"},
    ]


def test_split_keeps_element_order_through_tail() -> None:
    events = make_events({"a[0]": "x", "a[1]": "y"}, {"a[0]": "z"})
    rows = run("split(a) | select([a, _index])", events, sql_only=True)
    assert rows == [{"a": "z", "_index": "0"}, {"a": "y", "_index": "1"}, {"a": "x", "_index": "0"}]


def test_split_then_count_by_element() -> None:
    events = make_events({"t[0]": "x", "t[1]": "y"}, {"t[0]": "y"})
    rows = run("split(t) | groupBy(t)", events, sql_only=True)
    assert sorted((row["t"], row["_count"]) for row in rows) == [("x", "1"), ("y", "2")]


def test_split_gap_and_default_field() -> None:
    events = make_events({"_events[0].x": "1", "_events[2].x": "3"})
    rows = run("split()", events, sql_only=True)
    assert without_metadata(rows) == [{"_events.x": "1", "_events[2].x": "3", "_index": "0"}]


# --- concatArray() ---------------------------------------------------------------

_SERVERS = {
    f"server[{i}]": name for i, name in enumerate(["dopey", "sleepy", "doc", "happy", "sneezy"])
}


def test_concat_array_documented() -> None:
    # examples-concatarray-1 and examples-concatarray-prefix-suffix
    (row,) = run("concatArray(server)", make_events(_SERVERS), sql_only=True)
    assert row["_concatArray"] == "dopeysleepydochappysneezy"
    query = 'concatArray(server, prefix="[", separator=",", suffix="]")'
    (row,) = run(query, make_events(_SERVERS), sql_only=True)
    assert row["_concatArray"] == "[dopey,sleepy,doc,happy,sneezy]"


@pytest.mark.parametrize(
    ("arguments", "expected"),
    [
        pytest.param('from=1, to=2, separator="-"', "sleepy-doc", id="range"),
        pytest.param("from=3", "happysneezy", id="from"),
        pytest.param("from=9", None, id="from-missing"),
        pytest.param("to=0", "dopey", id="to-first"),
    ],
)
def test_concat_array_range(arguments: str, expected: str | None) -> None:
    (row,) = run(f"concatArray(server, {arguments})", make_events(_SERVERS), sql_only=True)
    assert row.get("_concatArray") == expected


def test_concat_array_stops_at_gap() -> None:
    events = make_events({"s[0]": "a", "s[1]": "b", "s[3]": "d"}, {"t": "x"})
    rows = _by_id(run('x := concatArray(s, separator=",")', events, sql_only=True))
    assert [row.get("x") for row in rows] == ["a,b", None]


def test_concat_array_to_below_from_is_an_error() -> None:
    assert "argument-out-of-range" in diagnostic_codes("concatArray(s, from=3, to=1)")


# --- array:union() and array:intersection() --------------------------------------


def test_union_documented_mailto() -> None:
    # examples-array-union-newarray: the documented output is in text order
    events = make_events(
        {"mailto[0]": "foo@example.com", "mailto[1]": "bar@example.com"},
        {"mailto[0]": "bar@example.com"},
    )
    rows = run("array:union(mailto, as=unique_mails)", events)
    assert rows == [{"unique_mails[0]": "bar@example.com", "unique_mails[1]": "foo@example.com"}]


def test_union_and_intersection_by_group() -> None:
    events = make_events(
        {"h": "a", "x[0]": "1", "x[1]": "2"},
        {"h": "a", "x[0]": "2", "x[1]": "3"},
        {"h": "b", "x[0]": "9"},
    )
    rows = run("groupBy(h, function=[array:union(x), array:intersection(x)])", events)
    assert sorted(rows, key=lambda row: row["h"]) == [
        {"h": "a", "_union[0]": "1", "_union[1]": "2", "_union[2]": "3", "_intersection[0]": "2"},
        {"h": "b", "_union[0]": "9", "_intersection[0]": "9"},
    ]


def test_intersection_documented_keeps_first_order() -> None:
    # examples-array-intersection: foo, bar, bar gives foo, bar
    event = {"mailto[0]": "foo@example.com", "mailto[1]": "bar@example.com"}
    events = make_events({**event, "mailto[2]": "bar@example.com"})
    rows = run('array:intersection("mailto[]", as=unique_mails)', events)
    assert rows == [{"unique_mails[0]": "foo@example.com", "unique_mails[1]": "bar@example.com"}]


def test_intersection_with_event_without_array_is_empty() -> None:
    events = make_events({"x[0]": "1"}, {"y": "2"})
    assert run("array:intersection(x)", events) == [{}]


# --- plumbing ---------------------------------------------------------------------


def test_array_fields_are_read_when_output_is_narrowed() -> None:
    events = make_events({"a[0]": "x", "host": "h1"}, {"a[0]": "y", "host": "h2"})
    rows = run('array:contains("a[]", value="y") | table([host])', events, sql_only=True)
    assert rows == [{"host": "h2"}]


def test_filter_function_in_expression() -> None:
    events = make_events({"a[0]": "x"}, {"a[0]": "y"})
    query = 'hit := if(array:contains("a[]", value="x"), then="yes", else="no")'
    rows = _by_id(run(query, events, sql_only=True))
    assert [row["hit"] for row in rows] == ["yes", "no"]


def test_reference_engine_alone() -> None:
    plan = plan_query('array:exists("a[]", condition={a=2}) | array:length("a[]")')
    events = make_events({"a[0]": "1", "a[1]": "2"}, {"a[0]": "3"})
    rows = run_plan(plan, events, RunContext())
    assert without_metadata([dict(row) for row in rows]) == [
        {"a[0]": "1", "a[1]": "2", "_length": "2"}
    ]


# --- array:sort() ----------------------------------------------------------------

_SORT_EVENT = {"a[0]": "b", "a[1]": "A", "a[2]": "10", "a[3]": "9", "a[4]": "a"}


@pytest.mark.parametrize(
    ("arguments", "expected"),
    [
        pytest.param("", ["10", "9", "A", "a", "b"], id="text-ignores-case"),
        pytest.param("order=desc", ["b", "a", "A", "9", "10"], id="text-descending"),
        pytest.param("type=number", ["9", "10", "A", "a", "b"], id="numbers-first"),
        pytest.param(
            "type=number, order=descending", ["10", "9", "b", "a", "A"], id="numbers-descending"
        ),
    ],
)
def test_sort_orders(arguments: str, expected: list[str]) -> None:
    query = f'array:sort("a[]"{", " if arguments else ""}{arguments})'
    (row,) = run(query, make_events(_SORT_EVENT), sql_only=True)
    assert [row[f"a[{i}]"] for i in range(5)] == expected


def test_sort_to_longer_array_keeps_rest() -> None:
    # functions-array-sort: the output array is not terminated
    events = make_events({"a[0]": "y", "a[1]": "x", "o[0]": "1", "o[1]": "2", "o[2]": "3"})
    (row,) = run('array:sort("a[]", asArray="o[]")', events, sql_only=True)
    assert [row["o[0]"], row["o[1]"], row["o[2]"]] == ["x", "y", "3"]


def test_sort_invalid_type_is_an_error() -> None:
    assert "invalid-argument" in diagnostic_codes('array:sort("a[]", type=hex)')


# --- array:reduceRow() and array:reduceColumn() ----------------------------------

_AGES = [
    {"ages[0]": "16", "ages[1]": "32", "ages[2]": "64"},
    {"ages[0]": "15", "ages[1]": "30", "ages[2]": "45"},
]


def test_reduce_row_documented_avg() -> None:
    # functions-avg: array:reduceRow("ages[]", var=x, function=avg(x)); the docs round
    rows = _by_id(run('array:reduceRow("ages[]", var=x, function=avg(x))', make_events(*_AGES)))
    assert float(rows[0]["_avg"]) == pytest.approx(37.333, abs=1e-3)
    assert rows[1]["_avg"] == "30"


def test_reduce_row_as_and_sub_query() -> None:
    rows = _by_id(
        run('m := array:reduceRow("ages[]", var=x, function=max(x))', make_events(*_AGES))
    )
    assert [row["m"] for row in rows] == ["64", "45"]
    query = 'array:reduceRow("ages[]", var=x, function={x > 20 | count()})'
    rows = _by_id(run(query, make_events(*_AGES)))
    assert [row["_count"] for row in rows] == ["2", "2"]


def test_reduce_column_documented_max() -> None:
    # examples-array-reducecolumn-2; the docs show _reduceColumn[] although the query
    # assigns to maxTimes, which := makes the output array
    events = make_events(
        {"times[0]": "1", "times[1]": "2", "times[2]": "3"},
        {"times[0]": "5", "times[1]": "1", "times[2]": "0"},
    )
    query = "maxTimes := array:reduceColumn(times, var=x, function={time := max(x)})"
    assert run(query, events) == [{"maxTimes[0]": "5", "maxTimes[1]": "2", "maxTimes[2]": "3"}]


def test_reduce_column_uneven_arrays() -> None:
    events = make_events({"a[0]": "1", "a[1]": "4"}, {"a[0]": "3"})
    rows = run('array:reduceColumn("a[]", var=x, function=sum(x))', events)
    assert rows == [{"_reduceColumn[0]": "4", "_reduceColumn[1]": "4"}]


def test_reduce_row_needs_var() -> None:
    assert "missing-argument" in diagnostic_codes('array:reduceRow("a[]", function=avg(x))')
