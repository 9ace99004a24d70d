"""Tests of selectLast(), selectFromMax(), selectFromMin(), range() and neighbor().

Every query runs on the reference engine and on DuckDB (``helpers.run``);
``sql_only=True`` also fails when DuckDB sent a stage to the reference engine.
The documented examples come from LogScale's function reference pages
(functions-selectlast, functions-selectfrommax, functions-selectfrommin,
functions-range, functions-neighbor and the neighbor() example pages).
"""

from __future__ import annotations

import pytest

from helpers import diagnostic_codes, make_events, run, run_in_order

# --- selectLast() -------------------------------------------------------------------


def test_select_last_documented_group_by():
    # functions-selectlast: events {id:a, from:x}, {id:a, to:x} give one {id, from, to} row.
    events = make_events({"id": "a", "from": "x"}, {"id": "a", "to": "x"})
    rows = run("groupBy(id, function=selectLast([from, to]))", events, sql_only=True)
    assert rows == [{"id": "a", "from": "x", "to": "x"}]


def test_select_last_timestamp_equals_max():
    # functions-selectlast: selectLast([@timestamp]) is equivalent to max(@timestamp).
    events = make_events({"@timestamp": "3000"}, {"@timestamp": "9000"}, {"@timestamp": "5000"})
    last = run("selectLast([@timestamp])", events, sql_only=True)
    maximum = run("max(@timestamp)", events, sql_only=True)
    assert last == [{"@timestamp": "9000"}]
    assert maximum == [{"_max": "9000"}]


def test_select_last_takes_most_recent_not_last_read():
    events = make_events(
        {"user": "old", "@timestamp": "1000"},
        {"user": "newest", "@timestamp": "9000"},
        {"user": "middle", "@timestamp": "5000"},
    )
    assert run("selectLast(user)", events, sql_only=True) == [{"user": "newest"}]


def test_select_last_each_field_from_its_own_event():
    events = make_events(
        {"host": "h1", "user": "alice"},
        {"host": "h2"},
        {"other": "x"},
    )
    rows = run("selectLast([host, user])", events, sql_only=True)
    assert rows == [{"host": "h2", "user": "alice"}]


def test_select_last_equal_times_later_event_wins():
    events = make_events(
        {"user": "first", "@timestamp": "1000"},
        {"user": "second", "@timestamp": "1000"},
    )
    assert run("selectLast(user)", events, sql_only=True) == [{"user": "second"}]


def test_select_last_keeps_empty_value():
    events = make_events({"user": "alice"}, {"user": ""})
    assert run("selectLast(user)", events, sql_only=True) == [{"user": ""}]


def test_select_last_no_value_gives_no_row():
    events = make_events({"a": "1"}, {"a": "2"})
    assert run("selectLast(missing)", events, sql_only=True) == []


def test_select_last_group_without_value():
    events = make_events({"aid": "1", "ComputerName": "pc1"}, {"aid": "2"})
    rows = run("groupBy(aid, function=selectLast([ComputerName, UserName]))", events, sql_only=True)
    assert sorted(rows, key=lambda row: row["aid"]) == [
        {"aid": "1", "ComputerName": "pc1"},
        {"aid": "2"},
    ]


def test_select_last_hunting_query_form():
    events = make_events(
        {"aid": "A", "ComputerName": "pc-old", "UserName": "u1", "@timestamp": "1000"},
        {"aid": "B", "ComputerName": "srv", "@timestamp": "1500"},
        {"aid": "A", "ComputerName": "pc-new", "@timestamp": "2000"},
        {"aid": "A", "UserName": "u2", "@timestamp": "1800"},
    )
    rows, _, _ = run_in_order("groupBy(aid, function=selectLast([ComputerName, UserName]))", events)
    assert rows == [
        {"aid": "A", "ComputerName": "pc-new", "UserName": "u2"},
        {"aid": "B", "ComputerName": "srv"},
    ]


def test_select_last_after_aggregate_uses_input_order():
    # Rows made by groupBy() have no event time, so the last row read wins.
    events = make_events({"k": "b"}, {"k": "a"}, {"k": "c"})
    assert run("groupBy(k) | selectLast(k)", events, sql_only=True) == [{"k": "c"}]


def test_select_last_in_stats_with_count():
    events = make_events({"x": "1"}, {"x": "2"}, {"y": "3"})
    rows = run("stats([count(), selectLast(x)])", events, sql_only=True)
    assert rows == [{"_count": "3", "x": "2"}]


# --- selectFromMax() and selectFromMin() -----------------------------------------------


def test_select_from_max_documented_latest_value():
    # functions-selectfrommax: selectFromMax(@timestamp, include=[x, @timestamp])
    # gives the latest value of x and when it was seen.
    events = make_events(
        {"x": "first", "@timestamp": "1000"},
        {"x": "latest", "@timestamp": "7000"},
        {"x": "middle", "@timestamp": "4000"},
    )
    rows = run("selectFromMax(@timestamp, include=[x, @timestamp])", events, sql_only=True)
    assert rows == [{"x": "latest", "@timestamp": "7000"}]


def test_select_from_min_documented_earliest_value():
    # functions-selectfrommin: the same query with the smallest @timestamp.
    events = make_events(
        {"x": "middle", "@timestamp": "4000"},
        {"x": "earliest", "@timestamp": "500"},
        {"x": "latest", "@timestamp": "7000"},
    )
    rows = run("selectFromMin(@timestamp, include=[x, @timestamp])", events, sql_only=True)
    assert rows == [{"x": "earliest", "@timestamp": "500"}]


def test_select_from_max_compares_numbers_not_text():
    events = make_events({"n": "9", "id": "nine"}, {"n": "10", "id": "ten"})
    assert run("selectFromMax(n, include=id)", events, sql_only=True) == [{"id": "ten"}]
    assert run("selectFromMin(n, include=id)", events, sql_only=True) == [{"id": "nine"}]


def test_select_from_max_skips_non_numbers():
    events = make_events({"n": "big", "id": "text"}, {"n": "2", "id": "two"}, {"id": "none"})
    assert run("selectFromMax(n, include=[id])", events, sql_only=True) == [{"id": "two"}]


def test_select_from_max_tie_takes_first_event():
    events = make_events({"n": "5", "id": "first"}, {"n": "5.0", "id": "second"})
    assert run("selectFromMax(n, include=[id])", events, sql_only=True) == [{"id": "first"}]
    assert run("selectFromMin(n, include=[id])", events, sql_only=True) == [{"id": "first"}]


def test_select_from_max_omits_fields_the_event_lacks():
    events = make_events({"n": "1", "a": "x", "b": "y"}, {"n": "2", "a": "z"})
    assert run("selectFromMax(n, include=[a, b])", events, sql_only=True) == [{"a": "z"}]


def test_select_from_max_without_numbers_gives_no_row():
    events = make_events({"n": "x"}, {"m": "1"})
    assert run("selectFromMax(n, include=[m])", events, sql_only=True) == []


def test_select_from_max_negative_and_decimal_numbers():
    events = make_events({"n": "-1.5", "id": "a"}, {"n": "-0.5", "id": "b"}, {"n": "-3", "id": "c"})
    assert run("selectFromMax(n, include=id)", events, sql_only=True) == [{"id": "b"}]
    assert run("selectFromMin(n, include=id)", events, sql_only=True) == [{"id": "c"}]


def test_select_from_max_with_count_in_group_by():
    events = make_events(
        {"x": "g1", "a": "old", "b": "1"},
        {"x": "g2", "a": "only"},
        {"x": "g1", "a": "new", "b": "2"},
    )
    query = "groupBy(x, function=[count(), selectFromMax(field=@timestamp, include=[a, b])])"
    rows, _, _ = run_in_order(query, events)
    assert rows == [
        {"x": "g1", "_count": "2", "a": "new", "b": "2"},
        {"x": "g2", "_count": "1", "a": "only"},
    ]


def test_select_from_min_and_max_together_in_stats():
    events = make_events({"n": "3", "id": "c"}, {"n": "1", "id": "a"}, {"n": "2", "id": "b"})
    query = "stats([selectFromMin(n, include=[id]), count()])"
    assert run(query, events, sql_only=True) == [{"id": "a", "_count": "3"}]


def test_select_from_max_group_without_number_keeps_key():
    events = make_events({"k": "1", "n": "4", "id": "a"}, {"k": "2", "n": "x", "id": "b"})
    rows = run("groupBy(k, function=selectFromMax(n, include=[id]))", events, sql_only=True)
    assert sorted(rows, key=lambda row: row["k"]) == [{"k": "1", "id": "a"}, {"k": "2"}]


# --- range() ------------------------------------------------------------------------


def test_range_documented_response_times():
    # functions-range: range(responsetime) over eight API response times.
    times = ["0.125", "2.543", "0.891", "1.234", "3.456", "0.567", "1.789", "0.234"]
    events = make_events(*({"responsetime": time} for time in times))
    assert run("range(responsetime)", events, sql_only=True) == [{"_range": "3.331"}]


def test_range_ignores_non_numbers_and_names_output():
    events = make_events({"n": "-4"}, {"n": "x"}, {"n": "6"}, {})
    assert run("range(n, as=spread)", events, sql_only=True) == [{"spread": "10"}]


def test_range_single_number_is_zero():
    assert run("range(n)", make_events({"n": "7"}), sql_only=True) == [{"_range": "0"}]


def test_range_without_numbers_gives_no_row():
    assert run("range(n)", make_events({"n": "x"}), sql_only=True) == []


def test_range_in_group_by_with_count():
    events = make_events({"k": "a", "n": "1"}, {"k": "b"}, {"k": "a", "n": "5"})
    rows, _, _ = run_in_order("groupBy(k, function=[range(n), count()])", events)
    assert rows == [{"k": "a", "_range": "4", "_count": "2"}, {"k": "b", "_count": "1"}]


# --- neighbor() -----------------------------------------------------------------------

NEIGHBOR_EVENTS = make_events({"key": "a"}, {"key": "a"}, {"key": "b"}, {"key": "c"})


def _column(rows: list[dict[str, str]], field: str) -> list[str | None]:
    return [row.get(field) for row in rows]


def test_neighbor_documented_preceding():
    # examples-neighbor-preceeding: head() | neighbor(key, prefix=prev)
    rows, _, _ = run_in_order("head() | neighbor(key, prefix=prev)", NEIGHBOR_EVENTS)
    assert _column(rows, "key") == ["a", "a", "b", "c"]
    assert _column(rows, "prev.key") == [None, "a", "a", "b"]


def test_neighbor_documented_succeeding():
    # examples-neighbor-succeeding: the next event's key, none for the last event.
    query = "head() | neighbor(key, prefix=succ, direction=succeeding)"
    rows, _, _ = run_in_order(query, NEIGHBOR_EVENTS)
    assert _column(rows, "succ.key") == ["a", "b", "c", None]


def test_neighbor_documented_distance_two():
    # examples-neighbor-furtheraway: the event two places before.
    rows, _, _ = run_in_order("head() | neighbor(key, prefix=prev, distance=2)", NEIGHBOR_EVENTS)
    assert _column(rows, "prev.key") == [None, None, "a", "a"]


def test_neighbor_default_prefix_and_fields_kept():
    rows, _, _ = run_in_order("head() | neighbor([key, @id])", NEIGHBOR_EVENTS)
    assert rows[1] == {
        "@id": "2",
        "@timestamp": "2000",
        "key": "a",
        "_neighbor.key": "a",
        "_neighbor.@id": "1",
    }


def test_neighbor_follows_sort_order():
    events = make_events({"n": "3"}, {"n": "1"}, {"n": "2"})
    rows, _, _ = run_in_order("sort(n, order=asc) | neighbor(n, prefix=prev)", events)
    assert _column(rows, "n") == ["1", "2", "3"]
    assert _column(rows, "prev.n") == [None, "1", "2"]


def test_neighbor_missing_field_leaves_output_absent():
    events = make_events({"key": "a"}, {"other": "x"}, {"key": "c"})
    rows, _, _ = run_in_order("head() | neighbor(key, prefix=p)", events)
    assert _column(rows, "p.key") == [None, "a", None]


def test_neighbor_after_group_by_and_difference():
    # Detect changes between consecutive rows, as the neighbor() examples do.
    events = make_events({"start": "10"}, {"start": "25"}, {"start": "45"})
    query = "head() | neighbor(start, prefix=prev) | duration := start - prev.start"
    rows, _, _ = run_in_order(query, events)
    assert _column(rows, "duration") == [None, "15", "20"]


def test_neighbor_distance_beyond_rows():
    rows, _, _ = run_in_order("head() | neighbor(key, distance=10)", NEIGHBOR_EVENTS)
    assert all("_neighbor.key" not in row for row in rows)


# --- check-time errors --------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "code"),
    [
        ("neighbor(key)", "sequence-without-order"),
        ("key = a | neighbor(key)", "sequence-without-order"),
        ("head() | neighbor(key, direction=sideways)", "invalid-argument"),
        ("head() | neighbor(key, distance=0)", "argument-out-of-range"),
        ("head() | neighbor(key, distance=10001)", "argument-out-of-range"),
        ("head() | neighbor(key, distance=1.5)", "invalid-argument"),
        ("head() | neighbor(prefix=p)", "missing-argument"),
        ("selectLast()", "missing-argument"),
        ("selectFromMax(n)", "missing-argument"),
        ("selectFromMin(include=[a])", "missing-argument"),
        ("selectLast(fields=[a], limit=3)", "unknown-parameter"),
        ("range()", "missing-argument"),
    ],
)
def test_check_errors(query: str, code: str):
    assert code in diagnostic_codes(query)


def test_neighbor_accepted_after_any_aggregate():
    assert diagnostic_codes("groupBy(k) | neighbor(k)") == []
    assert diagnostic_codes("groupBy(k, function={head() | neighbor(k)})") == []
    assert diagnostic_codes("groupBy(k, function=neighbor(k))") == []
    assert diagnostic_codes("timeChart(function=neighbor(k))") == []


def test_neighbor_documented_in_group_by():
    # examples-neighbor-session-overlap-within: neighbor() as the function of
    # groupBy() sees each group's events in order.
    events = make_events(
        {"user.id": "u1", "start": "10"},
        {"user.id": "u2", "start": "11"},
        {"user.id": "u1", "start": "15"},
        {"user.id": "u1", "start": "45"},
    )
    query = "groupBy(user.id, function=neighbor(include=[start], prefix=previous))"
    rows, _, _ = run_in_order(query, events, sql_only=False)
    assert [(row["user.id"], row["start"], row.get("previous.start")) for row in rows] == [
        ("u1", "10", None),
        ("u1", "15", "10"),
        ("u1", "45", "15"),
        ("u2", "11", None),
    ]
