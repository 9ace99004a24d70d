"""Tests of session(), series(), accumulate(), slidingWindow() and partition().

Every query runs on the reference engine and on DuckDB (``helpers.run`` or
:func:`run_in_order`); ``sql_only=True`` also fails when DuckDB sent a stage
to the reference engine. The documented examples come from LogScale's
function reference pages (functions-session, functions-series,
functions-accumulate, functions-slidingwindow, functions-partition) and the
example pages they link to.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import pytest

from cqlkit.engines.duckdb.engine import DuckDBEngine
from cqlkit.engines.reference.context import RunContext
from cqlkit.engines.reference.interpreter import run_plan
from cqlkit.plan.planner import check_query, plan_query
from helpers import diagnostic_codes, make_events, run


def run_in_order(
    query: str, events: Sequence[Mapping[str, str]], *, sql_only: bool = True
) -> tuple[list[dict[str, str]], list[str]]:
    """Run ``query`` on both engines, check that they give the same rows in the
    same order and the same warnings, and return the reference rows and warnings."""
    plan = plan_query(query)
    context = RunContext()
    reference = [dict(row) for row in run_plan(plan, [dict(e) for e in events], context)]
    (outcome,) = DuckDBEngine(batch_size=3).run([plan], [dict(e) for e in events])
    if sql_only:
        assert outcome.notices == []
    assert [dict(row) for row in outcome.rows] == reference
    assert outcome.warnings == context.warnings
    return reference, context.warnings


def duckdb_notices(query: str, events: Sequence[Mapping[str, str]]) -> list[str]:
    """Return the notices of the stages that DuckDB ran on the reference engine."""
    (outcome,) = DuckDBEngine(batch_size=3).run([plan_query(query)], [dict(e) for e in events])
    return outcome.notices


def field(rows: Sequence[Mapping[str, str]], name: str) -> list[str | None]:
    return [row.get(name) for row in rows]


def timed(*pairs: tuple[int, Mapping[str, str]]) -> list[dict[str, str]]:
    """Return events with the given @timestamp in seconds and fields."""
    return make_events(
        *({"@timestamp": str(seconds * 1000), **fields} for seconds, fields in pairs)
    )


# --- session() ----------------------------------------------------------------------


def test_session_documented_visitor_count():
    # functions-count (count() of sessions per client address): 192.168.1.100 pauses
    # 930 s before its last visit, more than 15 minutes, so it has two sessions.
    events = make_events(
        {"@timestamp": "1747287000000", "client_ip": "192.168.1.100"},
        {"@timestamp": "1747287075000", "client_ip": "192.168.1.100"},
        {"@timestamp": "1747287150000", "client_ip": "192.168.1.100"},
        {"@timestamp": "1747288080000", "client_ip": "192.168.1.100"},
        {"@timestamp": "1747287005000", "client_ip": "192.168.1.101"},
        {"@timestamp": "1747287310000", "client_ip": "192.168.1.101"},
        {"@timestamp": "1747287600000", "client_ip": "192.168.1.102"},
        {"@timestamp": "1747287690000", "client_ip": "192.168.1.102"},
        {"@timestamp": "1747287765000", "client_ip": "192.168.1.102"},
    )
    query = "groupBy(client_ip, function=session(maxpause=15m)) | count()"
    assert run(query, events, sql_only=True) == [{"_count": "4"}]
    sessions, _ = run_in_order("groupBy(client_ip, function=session(maxpause=15m))", events)
    assert sessions == [
        {"client_ip": "192.168.1.100", "_count": "3"},
        {"client_ip": "192.168.1.100", "_count": "1"},
        {"client_ip": "192.168.1.101", "_count": "2"},
        {"client_ip": "192.168.1.102", "_count": "3"},
    ]


def test_session_documented_clicks_sorted():
    # examples-session-visitors-sort: clicks per visit, most first.
    events = make_events(
        *({"@timestamp": str(1747287000000 + 15000 * i), "cookie_id": "user123"} for i in range(3)),
        {"@timestamp": "1747287060000", "cookie_id": "user123"},
        {"@timestamp": "1747287090000", "cookie_id": "user123"},
        {"@timestamp": "1747287300000", "cookie_id": "user456"},
        {"@timestamp": "1747287330000", "cookie_id": "user456"},
        {"@timestamp": "1747287360000", "cookie_id": "user456"},
        {"@timestamp": "1747287480000", "cookie_id": "user789"},
        {"@timestamp": "1747287510000", "cookie_id": "user789"},
    )
    query = "groupBy(cookie_id, function=session(maxpause=15m, count(as=clicks))) | sort(clicks)"
    rows, _ = run_in_order(query, events)
    assert rows == [
        {"cookie_id": "user123", "clicks": "5"},
        {"cookie_id": "user456", "clicks": "3"},
        {"cookie_id": "user789", "clicks": "2"},
    ]


def test_session_documented_min_and_max_bet():
    # functions-session: the largest and smallest bet of each session, default maxpause 15m.
    events = timed(
        (0, {"cookie_id": "c1", "bet": "5"}),
        (60, {"cookie_id": "c1", "bet": "20"}),
        (2000, {"cookie_id": "c1", "bet": "7"}),
        (30, {"cookie_id": "c2", "bet": "1"}),
    )
    rows, _ = run_in_order("groupBy(cookie_id, function=session([max(bet), min(bet)]))", events)
    assert rows == [
        {"cookie_id": "c1", "_max": "20", "_min": "5"},
        {"cookie_id": "c1", "_max": "7", "_min": "7"},
        {"cookie_id": "c2", "_max": "1", "_min": "1"},
    ]


def test_session_documented_collect_visitors():
    # functions-collect: the URLs of each visit, a visit ending after one idle minute.
    events = timed(
        (0, {"client_ip": "a", "url": "/login"}),
        (30, {"client_ip": "a", "url": "/home"}),
        (30, {"client_ip": "a", "url": "/login"}),
        (200, {"client_ip": "a", "url": "/logout"}),
    )
    query = "groupBy(client_ip, function=session(maxpause=1m, collect([url])))"
    rows, _ = run_in_order(query, events)
    assert rows == [
        {"client_ip": "a", "url": "/login\n/home"},
        {"client_ip": "a", "url": "/logout"},
    ]


def test_session_pause_equal_to_maxpause_continues():
    events = timed((0, {}), (60, {}), (121, {}))
    rows, _ = run_in_order("session(maxpause=60s)", events)
    assert rows == [{"_count": "2"}, {"_count": "1"}]


def test_session_orders_rows_by_time_not_input():
    events = timed((300, {"n": "3"}), (0, {"n": "1"}), (10, {"n": "2"}), (1300, {"n": "4"}))
    query = "session(maxpause=10m, function=[count(), collect(n)])"
    rows, _ = run_in_order(query, events)
    assert rows == [{"_count": "3", "n": "1\n2\n3"}, {"_count": "1", "n": "4"}]


def test_session_default_function_and_pause():
    events = timed((0, {}), (899, {}), (1800, {}))
    rows, _ = run_in_order("session()", events)
    assert rows == [{"_count": "2"}, {"_count": "1"}]


def test_session_without_numbers_still_gives_row():
    events = timed((0, {"k": "a", "x": "no"}), (1, {"k": "a"}))
    rows, _ = run_in_order("groupBy(k, function=session(sum(x)))", events)
    assert rows == [{"k": "a"}]


def test_session_skips_rows_without_time():
    # Rows that groupBy() made have no event time, so no session contains them.
    events = timed((0, {"k": "a"}), (1, {"k": "b"}))
    assert run("groupBy(k) | session()", events, sql_only=True) == []


def test_session_group_limit_warns():
    events = timed((0, {"k": "a"}), (1, {"k": "b"}), (2, {"k": "c"}), (3, {"k": "a"}))
    rows, warnings = run_in_order("groupBy(k, function=session(), limit=2)", events)
    assert rows == [{"k": "a", "_count": "2"}, {"k": "b", "_count": "1"}]
    assert warnings == ["groupBy() reached its limit of 2 groups; later groups were dropped"]


def test_session_among_functions_falls_back():
    events = timed((0, {"k": "a"}), (1, {"k": "a"}))
    rows = run("groupBy(k, function=[session(), count(as=total)])", events)
    assert rows == [{"k": "a", "_count": "2", "total": "2"}]
    notices = duckdb_notices("groupBy(k, function=[session(), count(as=total)])", events)
    assert any("session()" in notice for notice in notices)


@pytest.mark.parametrize(
    ("query", "code"),
    [
        ("session(maxpause=soon)", "invalid-argument"),
        ("session(maxpause=15)", "invalid-argument"),
        ("session(function=lower(x))", "not-an-aggregate"),
        ("session(wait=1m)", "unknown-parameter"),
    ],
    ids=["pause-word", "pause-without-unit", "transform", "unknown-parameter"],
)
def test_session_check_errors(query, code):
    assert code in diagnostic_codes(query)


# --- series() -----------------------------------------------------------------------


def access_log() -> list[dict[str, str]]:
    """Return requests of one URL: three within a minute, then two after a pause."""
    return timed(
        (0, {"url": "/a", "method": "GET"}),
        (20, {"url": "/a", "method": "POST"}),
        (50, {"url": "/a", "method": "GET"}),
        (900, {"url": "/a", "method": "GET"}),
        (1100, {"url": "/a", "method": "DELETE"}),
        (30, {"url": "/b", "method": "PUT"}),
    )


def test_series_documented_methods():
    # functions-series: the methods of one URL, in time order, as one row.
    rows, _ = run_in_order('url="/a" | series([method], separator=";")', access_log())
    assert rows == [
        {"@timestamp": "0", "_duration": "1100000", "method": "GET;POST;GET;GET;DELETE"}
    ]


def test_series_documented_maxpause_visits():
    # functions-series: with maxpause=5min the same requests make two series.
    query = 'url="/a" | series([method], separator=";", maxpause=5min)'
    rows, _ = run_in_order(query, access_log())
    assert rows == [
        {"@timestamp": "0", "_duration": "50000", "method": "GET;POST;GET"},
        {"@timestamp": "900000", "_duration": "200000", "method": "GET;DELETE"},
    ]


def test_series_in_group_by():
    query = 'groupBy(url, function=series(method, separator=" > ", maxpause=5m))'
    rows, _ = run_in_order(query, access_log())
    assert rows == [
        {"url": "/a", "@timestamp": "0", "_duration": "50000", "method": "GET > POST > GET"},
        {"url": "/a", "@timestamp": "900000", "_duration": "200000", "method": "GET > DELETE"},
        {"url": "/b", "@timestamp": "30000", "_duration": "0", "method": "PUT"},
    ]


def test_series_default_separator_and_missing_values():
    events = timed((0, {"a": "1"}), (1, {"b": "x"}), (2, {"a": "2"}))
    rows, _ = run_in_order("series([a, b, c])", events)
    assert rows == [{"@timestamp": "0", "_duration": "2000", "a": "1\n2", "b": "x"}]


def test_series_keeps_repeated_and_empty_values():
    events = timed((0, {"a": "x"}), (1, {"a": ""}), (2, {"a": "x"}))
    rows, _ = run_in_order('series(a, separator=",")', events)
    assert field(rows, "a") == ["x,,x"]


def test_series_startmatch_ignores_rows_before_a_start():
    events = timed(
        (0, {"msg": "noise"}),
        (1, {"msg": "session start: 1"}),
        (2, {"msg": "work"}),
        (3, {"msg": "session end: 1"}),
        (4, {"msg": "stray"}),
        (5, {"msg": "session start: 2"}),
        (6, {"msg": "work"}),
    )
    query = 'series(msg, separator="|", startmatch={msg=/session start:/}, endmatch={msg=/end:/})'
    rows = run(query, events)
    assert rows == [
        {"@timestamp": "1000", "_duration": "2000", "msg": "session start: 1|work|session end: 1"},
        {"@timestamp": "5000", "_duration": "1000", "msg": "session start: 2|work"},
    ]
    notices = duckdb_notices(query, events)
    assert any("series(startmatch=...)" in notice for notice in notices)


def test_series_endmatch_alone_keeps_partial_series():
    events = timed((0, {"m": "a"}), (1, {"m": "end"}), (2, {"m": "b"}))
    rows = run('series(m, separator=",", endmatch={m=end})', events)
    assert field(rows, "m") == ["a,end", "b"]


def test_series_maxduration_splits_long_series():
    events = timed((0, {"m": "a"}), (30, {"m": "b"}), (61, {"m": "c"}), (70, {"m": "d"}))
    rows = run('series(m, separator=",", maxduration=1m)', events)
    assert field(rows, "m") == ["a,b", "c,d"]
    assert field(rows, "@timestamp") == ["0", "61000"]


def test_series_warns_that_memlimit_is_not_enforced():
    _, diagnostics = check_query("series(m, memlimit=2KiB)")
    assert [(d.severity, d.code) for d in diagnostics] == [("warning", "unenforced-limit")]
    assert "memlimit=2KiB" in diagnostics[0].message


@pytest.mark.parametrize(
    ("query", "code"),
    [
        ("series()", "missing-argument"),
        ("series(m, memlimit=lots)", "invalid-argument"),
        ("series(m, memlimit=0B)", "invalid-argument"),
        ("series(m, maxpause=5)", "invalid-argument"),
        ("series(m, maxduration=forever)", "invalid-argument"),
        ("series(m, startmatch=start)", "invalid-argument"),
        ("series(m, endmatch={count()})", "aggregate-in-pipeline"),
    ],
    ids=[
        "no-collect",
        "memlimit-word",
        "memlimit-zero",
        "maxpause-without-unit",
        "maxduration-word",
        "startmatch-not-query",
        "endmatch-aggregate",
    ],
)
def test_series_check_errors(query, code):
    assert code in diagnostic_codes(query)


# --- accumulate() -------------------------------------------------------------------


def values(*numbers: str, key: str = "") -> list[dict[str, str]]:
    """Return events with ``value`` set to each number, and ``key`` cycling a, b, c."""
    keys = key or "abcdefghij"
    return make_events(
        *({"key": keys[index % len(keys)], "value": number} for index, number in enumerate(numbers))
    )


def test_accumulate_documented_running_average():
    # examples-accumulate-basic
    rows, _ = run_in_order("head() | accumulate(avg(value))", values("5", "6", "1", "2"))
    assert field(rows, "_avg") == ["5", "5.5", "4", "3.5"]


def test_accumulate_documented_in_group_by():
    # examples-accumulate-groupby-example: running sums per key.
    events = make_events(
        {"key": "a", "value": "5"},
        {"key": "b", "value": "6"},
        {"key": "a", "value": "1"},
        {"key": "c", "value": "2"},
        {"key": "b", "value": "6"},
    )
    rows, _ = run_in_order("head() | groupBy(key, function = accumulate(sum(value)))", events)
    assert [(row["key"], row["_sum"], row["value"]) for row in rows] == [
        ("a", "5", "5"),
        ("a", "6", "1"),
        ("b", "6", "6"),
        ("b", "12", "6"),
        ("c", "2", "2"),
    ]


def test_accumulate_documented_after_neighbor():
    # examples-neighbor-changes-example-2: the first event has no duration, and its
    # accumulated_duration is 0.
    events = make_events({"start": "1100"}, {"start": "1233"}, {"start": "3002"}, {"start": "4324"})
    query = (
        "head() | neighbor(start, prefix=prev) | duration := start - prev.start"
        " | accumulate(sum(duration, as=accumulated_duration))"
    )
    rows, _ = run_in_order(query, events)
    assert field(rows, "accumulated_duration") == ["0", "133", "1902", "3224"]


def test_accumulate_documented_after_time_chart():
    # examples-accumulate-bucket-example: running total of one-second bucket sums.
    events = make_events(
        {"@timestamp": "1451606301001", "key": "a", "value": "5"},
        {"@timestamp": "1451606301500", "key": "b", "value": "6"},
        {"@timestamp": "1451606301701", "key": "a", "value": "1"},
        {"@timestamp": "1451606302001", "key": "c", "value": "2"},
        {"@timestamp": "1451606302201", "key": "b", "value": "6"},
    )
    query = (
        "timeChart(span=1000ms, function=sum(value)) | accumulate(sum(_sum, as=_accumulated_sum))"
    )
    rows, _ = run_in_order(query, events)
    assert [(row["_bucket"], row["_sum"], row["_accumulated_sum"]) for row in rows] == [
        ("1451606301000", "12", "12"),
        ("1451606302000", "8", "20"),
    ]


def test_accumulate_exclude_current():
    rows, _ = run_in_order(
        "head() | accumulate([sum(value), count()], current=exclude)", values("5", "6", "1")
    )
    assert field(rows, "_sum") == ["0", "5", "11"]
    assert field(rows, "_count") == ["0", "1", "2"]


def test_accumulate_running_min_max_and_distinct_count():
    query = "head() | accumulate([min(value), max(value), count(key, distinct=true)])"
    rows, _ = run_in_order(query, values("5", "9", "1", "7", key="aab"))
    assert field(rows, "_min") == ["5", "5", "1", "1"]
    assert field(rows, "_max") == ["5", "9", "9", "9"]
    assert field(rows, "_count") == ["1", "1", "2", "2"]


def test_accumulate_adds_decimals_in_row_order():
    # The running sum adds one number at a time, so the rounding follows row order.
    numbers = ("0.1", "0.2", "0.3", "1e16", "-1e16", "0.7")
    rows, _ = run_in_order("head() | accumulate(sum(value))", values(*numbers))
    assert field(rows, "_sum") == [
        "0.1",
        "0.30000000000000004",
        "0.6000000000000001",
        "1e+16",
        "0",
        "0.7",
    ]


def test_accumulate_skips_values_that_are_not_numbers():
    rows, _ = run_in_order(
        "head() | accumulate([avg(value), sum(value)])", values("x", "4", "", "2")
    )
    assert field(rows, "_avg") == [None, "4", "4", "3"]
    assert field(rows, "_sum") == ["0", "4", "4", "6"]


def test_accumulate_output_replaces_field():
    rows, _ = run_in_order("head() | accumulate(sum(value, as=value))", values("1", "2", "3"))
    assert field(rows, "value") == ["1", "3", "6"]


def test_accumulate_select_last_and_range():
    events = make_events({"user": "u1", "n": "4"}, {"n": "10"}, {"user": "u2", "n": "1"})
    rows, _ = run_in_order("head() | accumulate([selectLast(user), range(n)])", events)
    assert field(rows, "user") == ["u1", "u1", "u2"]
    assert field(rows, "_range") == ["0", "6", "9"]


def test_accumulate_follows_sort_order():
    rows, _ = run_in_order("sort(value, order=asc) | accumulate(sum(value))", values("3", "1", "2"))
    assert field(rows, "value") == ["1", "2", "3"]
    assert field(rows, "_sum") == ["1", "3", "6"]


def test_accumulate_of_collect_runs_on_reference_engine():
    query = "head() | accumulate(collect(key))"
    rows = run(query, values("1", "2", "3", key="aba"))
    assert field(rows, "key") == ["a", "a\nb", "a\nb"]
    assert any("accumulate()" in notice for notice in duckdb_notices(query, values("1")))


def test_accumulate_sub_query_takes_first_row_and_warns():
    query = "head() | accumulate({groupBy(key)})"
    plan = plan_query(query)
    context = RunContext()
    rows = [dict(row) for row in run_plan(plan, values("1", "2", key="ab"), context)]
    assert field(rows, "_count") == ["1", "1"]
    assert context.warnings == [
        "accumulate() added the first of several output rows of its function"
    ]


@pytest.mark.parametrize(
    ("query", "code"),
    [
        ("head() | accumulate()", "missing-argument"),
        ("head() | accumulate(sum(x), current=maybe)", "invalid-argument"),
        ("head() | accumulate(groupBy(x))", "invalid-argument"),
        ("head() | accumulate(collect(x, multival=false))", "invalid-argument"),
        ("head() | accumulate(head(limit=5))", "invalid-argument"),
        ("head() | accumulate(stats([count(), top(x)]))", "invalid-argument"),
        ("accumulate(sum(x))", "sequence-without-order"),
    ],
    ids=[
        "no-function",
        "bad-current",
        "group-by",
        "collect-rows",
        "head-several",
        "top-in-stats",
        "no-order",
    ],
)
def test_accumulate_check_errors(query, code):
    assert code in diagnostic_codes(query)


def test_accumulate_accepts_one_row_functions():
    assert diagnostic_codes("head() | accumulate([count(), head(limit=1), stats(sum(x))])") == []
    assert diagnostic_codes("groupBy(k, function=accumulate(sum(x)))") == []


# --- slidingWindow() ----------------------------------------------------------------


def test_sliding_window_documented_sum_of_three():
    # examples-slidingwindow: the sum over the three most recent events.
    rows, _ = run_in_order(
        "head() | slidingWindow(sum(value), events=3)", values("1", "4", "11", "2", "5", "1")
    )
    assert field(rows, "_sum") == ["1", "5", "16", "17", "18", "8"]


def test_sliding_window_exclude_current():
    query = "head() | slidingWindow([sum(value), count()], events=2, current=exclude)"
    rows, _ = run_in_order(query, values("1", "4", "11", "2"))
    assert field(rows, "_sum") == ["0", "1", "5", "15"]
    assert field(rows, "_count") == ["0", "1", "2", "2"]


def test_sliding_window_of_one_event():
    rows, _ = run_in_order("head() | slidingWindow(avg(value), events=1)", values("3", "x", "5"))
    assert field(rows, "_avg") == ["3", None, "5"]


def test_sliding_window_moving_average_decimals():
    rows, _ = run_in_order(
        "head() | slidingWindow(avg(value), events=3)", values("0.1", "0.2", "0.3", "0.4")
    )
    assert field(rows, "_avg") == ["0.1", "0.15000000000000002", "0.20000000000000004", "0.3"]


def test_sliding_window_in_group_by():
    query = "head() | groupBy(key, function=slidingWindow(max(value), events=2))"
    rows, _ = run_in_order(query, values("1", "5", "3", "2", "4", key="ab"))
    assert [(row["key"], row["value"], row["_max"]) for row in rows] == [
        ("a", "1", "1"),
        ("a", "3", "3"),
        ("a", "4", "4"),
        ("b", "5", "5"),
        ("b", "2", "5"),
    ]


@pytest.mark.parametrize(
    ("query", "code"),
    [
        ("head() | slidingWindow(sum(x))", "missing-argument"),
        ("head() | slidingWindow(sum(x), events=0)", "argument-out-of-range"),
        ("head() | slidingWindow(sum(x), events=1001)", "argument-out-of-range"),
        ("head() | slidingWindow(sum(x), events=2.5)", "invalid-argument"),
        ("head() | slidingWindow(top(x), events=2)", "invalid-argument"),
        ("slidingWindow(sum(x), events=2)", "sequence-without-order"),
    ],
    ids=["no-events", "zero", "above-maximum", "fraction", "top", "no-order"],
)
def test_sliding_window_check_errors(query, code):
    assert code in diagnostic_codes(query)


# --- partition() --------------------------------------------------------------------


def test_partition_documented_split_here():
    # examples-partition-count: a new partition starts at the event whose splitHere is true.
    events = make_events(
        *({"splitHere": flag} for flag in ("false", "false", "false", "true", "false"))
    )
    rows, _ = run_in_order("head() | partition(count(), condition=test(splitHere))", events)
    assert rows == [{"_count": "3"}, {"_count": "2"}]


def test_partition_documented_split_after():
    events = make_events(
        *({"splitHere": flag} for flag in ("false", "false", "false", "true", "false"))
    )
    query = "head() | partition(count(), condition=test(splitHere), split=after)"
    rows, _ = run_in_order(query, events)
    assert rows == [{"_count": "4"}, {"_count": "1"}]


def test_partition_documented_runs_of_keys():
    # examples-partition-neighbor-accumulation-example: running counts within runs of one key.
    events = make_events(*({"key": key} for key in "aaababb"))
    query = (
        "head() | neighbor(key, prefix=prev)"
        " | partition(accumulate(count()), condition=test(key != prev.key))"
    )
    rows = run(query, events)
    assert [(row["key"], row["_count"]) for row in rows] == [
        ("a", "1"),
        ("a", "2"),
        ("a", "3"),
        ("b", "1"),
        ("a", "1"),
        ("b", "1"),
        ("b", "2"),
    ]


def test_partition_first_row_passing_makes_no_empty_partition():
    events = make_events({"x": "1"}, {"x": "0"}, {"x": "1"})
    rows, _ = run_in_order("head() | partition(count(), condition=test(x == 1))", events)
    assert rows == [{"_count": "2"}, {"_count": "1"}]


def test_partition_with_transform_in_condition():
    query = "head() | partition(sum(value), condition={double := value * 2 | double > 10})"
    rows, _ = run_in_order(query, values("1", "6", "2", "9", "3"))
    assert rows == [{"_sum": "1"}, {"_sum": "8"}, {"_sum": "12"}]


def test_partition_in_group_by():
    query = "head() | groupBy(key, function=partition(count(), condition=test(value > 4)))"
    rows, _ = run_in_order(query, values("1", "5", "7", "2", "3", "9", key="ab"))
    assert rows == [
        {"key": "a", "_count": "1"},
        {"key": "a", "_count": "2"},
        {"key": "b", "_count": "2"},
        {"key": "b", "_count": "1"},
    ]


def test_partition_without_rows_outputs_nothing():
    rows, _ = run_in_order("head() | partition(count(), condition=test(x == 1))", [])
    assert rows == []


def test_partition_of_accumulate_runs_on_reference_engine():
    query = "head() | partition(accumulate(count()), condition=test(key == b))"
    notices = duckdb_notices(query, make_events({"key": "a"}))
    assert any("partition()" in notice for notice in notices)


@pytest.mark.parametrize(
    ("query", "code"),
    [
        ("head() | partition(count())", "missing-argument"),
        ("head() | partition(condition=test(x == 1))", "missing-argument"),
        ("head() | partition(count(), condition=test(x == 1), split=middle)", "invalid-argument"),
        ("head() | partition(count(), condition={count()})", "aggregate-in-pipeline"),
        ("partition(count(), condition=test(x == 1))", "sequence-without-order"),
    ],
    ids=["no-condition", "no-function", "bad-split", "aggregate-condition", "no-order"],
)
def test_partition_check_errors(query, code):
    assert code in diagnostic_codes(query)


def test_aggregate_condition_message_names_events():
    _, diagnostics = check_query("head() | partition(count(), condition={count()})")
    (error,) = [d for d in diagnostics if d.code == "aggregate-in-pipeline"]
    assert "one event or array element at a time" in error.message


def test_accumulate_in_group_by_sorted_ties():
    # sort() breaks ties by the order groupBy() gave its rows: groups by first
    # appearance, then rows in input order.
    events = values("1", "2", "3", "4", "5", key="abba")
    query = "head() | groupBy(key, function=accumulate(count())) | sort(_count)"
    rows, _ = run_in_order(query, events)
    assert [(row["key"], row["value"], row["_count"]) for row in rows] == [
        ("a", "5", "3"),
        ("a", "4", "2"),
        ("b", "3", "2"),
        ("a", "1", "1"),
        ("b", "2", "1"),
    ]
