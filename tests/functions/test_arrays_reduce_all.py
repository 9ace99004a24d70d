"""array:reduceAll(): one aggregate over the elements of every event's array."""

from __future__ import annotations

from tests.helpers import diagnostic_codes, make_events, run

from cqlkit.engines.duckdb.engine import DuckDBEngine
from cqlkit.plan.planner import plan_query

_ROWS = [
    {"a[0]": "1", "a[1]": "4", "a[2]": "2"},
    {"a[0]": "3", "a[1]": "5", "a[2]": "2"},
    {"a[0]": "5", "a[1]": "2", "a[2]": "3"},
]


def test_reduce_all_documented_avg() -> None:
    # functions-array-reduceall: the average of all nine elements is 3.
    rows = run('array:reduceAll("a[]", function=avg(x), var=x)', make_events(*_ROWS), sql_only=True)
    assert rows == [{"_avg": "3"}]


def test_reduce_all_documented_max() -> None:
    # examples-array-reduceall-1: array:reduceAll("values[]", var=x, function=max(x)).
    events = make_events({"values[0]": "12", "values[1]": "3"}, {"values[0]": "40"})
    rows = run('array:reduceAll("values[]", var=x, function=max(x))', events, sql_only=True)
    assert rows == [{"_max": "40"}]


def test_reduce_all_function_list() -> None:
    query = 'array:reduceAll(array="a[]", var=x, function=[avg(x), max(x), count(), sum(x)])'
    rows = run(query, make_events(*_ROWS), sql_only=True)
    assert rows == [{"_avg": "3", "_max": "5", "_count": "9", "_sum": "27"}]


def test_reduce_all_named_outputs() -> None:
    query = 'array:reduceAll("a[]", var=x, function=[min(x, as=low), max(x, as=high)])'
    rows = run(query, make_events(*_ROWS), sql_only=True)
    assert rows == [{"low": "1", "high": "5"}]


def test_reduce_all_uneven_and_missing_arrays() -> None:
    events = make_events(
        {"a[0]": "1", "a[1]": "4"},
        {"b[0]": "100"},
        {"a[0]": "3", "a[2]": "50"},
        {"a[0]": "", "a[1]": "7"},
    )
    query = 'array:reduceAll("a[]", var=x, function=[count(), sum(x)])'
    rows = run(query, events, sql_only=True)
    # a[2] after the gap at a[1] is no element; the empty element counts but adds nothing.
    assert rows == [{"_count": "5", "_sum": "15"}]


def test_reduce_all_var_replaces_field() -> None:
    events = make_events({"x": "1000", "a[0]": "1", "a[1]": "2"}, {"x": "500"})
    rows = run('array:reduceAll("a[]", var=x, function=sum(x))', events, sql_only=True)
    assert rows == [{"_sum": "3"}]


def test_reduce_all_non_numbers() -> None:
    events = make_events({"a[0]": "x", "a[1]": "2.5"}, {"a[0]": "y"})
    rows = run('array:reduceAll("a[]", var=x, function=[avg(x), count()])', events, sql_only=True)
    assert rows == [{"_avg": "2.5", "_count": "3"}]


def test_reduce_all_no_elements() -> None:
    events = make_events({"b[0]": "1"})
    assert run('array:reduceAll("a[]", var=x, function=count())', events, sql_only=True) == [
        {"_count": "0"}
    ]
    # As inside stats(), sum() of no numbers gives one row without fields.
    assert run('array:reduceAll("a[]", var=x, function=sum(x))', events, sql_only=True) == [{}]


def test_reduce_all_floating_point_order() -> None:
    events = make_events({"a[0]": "0.1", "a[1]": "0.2"}, {"a[0]": "0.3", "a[1]": "1e16"})
    # run() fails when the engines differ, so this checks that SQL adds the elements
    # in the same order as the reference engine.
    rows = run('array:reduceAll("a[]", var=x, function=sum(x))', events, sql_only=True)
    assert len(rows) == 1


def test_reduce_all_sub_query_falls_back() -> None:
    query = 'array:reduceAll("a[]", var=x, function={x > 2 | count()})'
    assert run(query, make_events(*_ROWS)) == [{"_count": "5"}]
    (result,) = DuckDBEngine().run([plan_query(query)], make_events(*_ROWS))
    assert [dict(row) for row in result.rows] == [{"_count": "5"}]
    assert result.notices
    assert result.notices[0].startswith("array:reduceAll()")


def test_reduce_all_collect_falls_back() -> None:
    query = 'array:reduceAll("a[]", var=x, function=collect(x))'
    rows = run(query, make_events(*_ROWS))
    assert rows == [{"x": "1\n4\n2\n3\n5"}]


def test_reduce_all_then_pipeline() -> None:
    query = 'array:reduceAll("a[]", var=x, function=max(x)) | double := _max * 2'
    assert run(query, make_events(*_ROWS), sql_only=True) == [{"_max": "5", "double": "10"}]


def test_reduce_all_needs_var() -> None:
    assert "missing-argument" in diagnostic_codes('array:reduceAll("a[]", function=avg(x))')


def test_reduce_all_needs_function() -> None:
    assert "missing-argument" in diagnostic_codes('array:reduceAll("a[]", var=x)')


def test_reduce_all_unknown_function() -> None:
    codes = diagnostic_codes('array:reduceAll("a[]", var=x, function=nosuch(x))')
    assert "unknown-function" in codes
