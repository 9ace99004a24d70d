"""Tests for the reference engine's aggregates, ordering functions and default limits."""

from __future__ import annotations

import pytest

from cqlkit.engines.reference.context import RunContext
from cqlkit.engines.reference.interpreter import run_plan
from cqlkit.plan.planner import plan_query
from helpers import column, make_events, run

# Hosts and byte counts; event 3 has a count that is not a number, event 4 none,
# and event 5 no host.
TRAFFIC = make_events(
    {"host": "a", "bytes": "1"},  # 1
    {"host": "a", "bytes": "10"},  # 2
    {"host": "b", "bytes": "x"},  # 3
    {"host": "b"},  # 4
    {"bytes": "5"},  # 5
)


def unordered(rows: list[dict[str, str]]) -> list[dict[str, str]]:
    """Sort rows by their items, for aggregates whose row order LogScale leaves open."""
    return sorted(rows, key=lambda row: sorted(row.items()))


def numbered(count: int) -> list[dict[str, str]]:
    """Return ``count`` events whose field ``n`` equals their @id, oldest first."""
    return make_events(*({"n": str(index)} for index in range(1, count + 1)))


# --- count, sum, avg, min, max --------------------------------------------------------

SIMPLE_AGGREGATE_CASES = [
    pytest.param("count()", [{"_count": "5"}], id="count"),
    pytest.param("count(bytes)", [{"_count": "4"}], id="count-field"),
    pytest.param("count(host, distinct=true)", [{"_count": "2"}], id="count-distinct"),
    pytest.param("count(as=events)", [{"events": "5"}], id="count-as"),
    pytest.param("sum(bytes)", [{"_sum": "16"}], id="sum"),
    pytest.param("avg(bytes)", [{"_avg": str(16 / 3)}], id="avg"),
    pytest.param("min(bytes)", [{"_min": "1"}], id="min"),
    pytest.param("max(bytes)", [{"_max": "10"}], id="max"),
    pytest.param("total := sum(bytes)", [{"total": "16"}], id="assigned-as"),
    pytest.param("min(@timestamp)", [{"_min": "1000"}], id="min-timestamp"),
    pytest.param("max(@timestamp)", [{"_max": "5000"}], id="max-timestamp"),
    pytest.param("sum(missing)", [], id="no-numbers-no-row"),
    pytest.param("avg(host)", [], id="only-text-no-row"),
]


@pytest.mark.parametrize(("query", "expected"), SIMPLE_AGGREGATE_CASES)
def test_simple_aggregate(query: str, expected: list[dict[str, str]]) -> None:
    assert run(query, TRAFFIC) == expected


NUMBER_FORMAT_CASES = [
    pytest.param("avg(n)", ["5", "6"], "_avg", "5.5", id="avg-decimal"),
    pytest.param("sum(n)", ["400000000", "24000000"], "_sum", "424000000", id="large-sum-integral"),
    pytest.param("sum(n)", ["1.5", "1.5"], "_sum", "3", id="integral-sum-of-decimals"),
    pytest.param("min(n)", ["1.50", "2"], "_min", "1.5", id="decimal-trailing-zero"),
    pytest.param("max(n)", ["-3", "-1"], "_max", "-1", id="negative"),
    pytest.param("count()", ["a", "b", "c"], "_count", "3", id="count"),
]


@pytest.mark.parametrize(("query", "values", "name", "expected"), NUMBER_FORMAT_CASES)
def test_number_formatting(query: str, values: list[str], name: str, expected: str) -> None:
    rows = run(query, make_events(*({"n": value} for value in values)))
    assert column(rows, name) == [expected]


def test_count_after_filter() -> None:
    assert run("host=a | count()", TRAFFIC) == [{"_count": "2"}]


# --- groupBy --------------------------------------------------------------------------

GROUP_BY_CASES = [
    pytest.param(
        "groupBy(host)",
        [{"host": "a", "_count": "2"}, {"host": "b", "_count": "2"}],
        id="default-count",
    ),
    pytest.param(
        "groupBy([host, bytes])",
        [
            {"host": "a", "bytes": "1", "_count": "1"},
            {"host": "a", "bytes": "10", "_count": "1"},
            {"host": "b", "bytes": "x", "_count": "1"},
        ],
        id="two-fields-skip-missing",
    ),
    pytest.param(
        "groupBy(host, function=[count(), sum(bytes)])",
        [{"host": "a", "_count": "2", "_sum": "11"}, {"host": "b", "_count": "2"}],
        id="function-list",
    ),
    pytest.param(
        "groupBy(host, function=sum(bytes))",
        [{"host": "a", "_sum": "11"}, {"host": "b"}],
        id="empty-aggregate-keeps-key",
    ),
    pytest.param("groupBy(host, function=[])", [{"host": "a"}, {"host": "b"}], id="keys-only"),
    pytest.param(
        "groupBy(host, function=[top := max(bytes), n := count()])",
        [{"host": "a", "top": "10", "n": "2"}, {"host": "b", "n": "2"}],
        id="named-items",
    ),
    pytest.param(
        "groupBy(host, function={count() | twice := _count * 2})",
        [{"host": "a", "_count": "2", "twice": "4"}, {"host": "b", "_count": "2", "twice": "4"}],
        id="sub-pipeline",
    ),
    pytest.param(
        "groupBy(host, function=[{count() | twice := _count * 2}])",
        [{"host": "a", "_count": "2", "twice": "4"}, {"host": "b", "_count": "2", "twice": "4"}],
        id="sub-pipeline-in-list",
    ),
    pytest.param(
        "groupBy(host, function=[max(bytes), {count() | twice := _count * 2}])",
        [
            {"host": "a", "_max": "10", "_count": "2", "twice": "4"},
            {"host": "b", "_count": "2", "twice": "4"},
        ],
        id="sub-pipeline-with-aggregate",
    ),
    pytest.param(
        "groupBy(host, function=groupBy(bytes))",
        [
            {"host": "a", "bytes": "1", "_count": "1"},
            {"host": "a", "bytes": "10", "_count": "1"},
            {"host": "b", "bytes": "x", "_count": "1"},
        ],
        id="nested-group-by",
    ),
    pytest.param(
        "groupBy(host) | _count > 1 | host=a", [{"host": "a", "_count": "2"}], id="filter-after"
    ),
    pytest.param("GroupBy(Host)", [], id="field-names-case-sensitive"),
]


@pytest.mark.parametrize(("query", "expected"), GROUP_BY_CASES)
def test_group_by(query: str, expected: list[dict[str, str]]) -> None:
    assert unordered(run(query, TRAFFIC)) == unordered(expected)


def test_group_by_tail_keeps_newest_event() -> None:
    rows = run("groupBy(host, function=tail(1))", TRAFFIC)
    assert unordered(rows) == [
        {"host": "a", "@id": "2", "@timestamp": "2000", "bytes": "10"},
        {"host": "b", "@id": "4", "@timestamp": "4000"},
    ]


def test_group_by_limit_warns() -> None:
    context = RunContext()
    rows = run_plan(plan_query("groupBy(host, limit=1)"), TRAFFIC, context)
    assert [dict(row) for row in rows] == [{"host": "a", "_count": "2"}]
    assert context.warnings == [
        "groupBy() reached its limit of 1 groups; later groups were dropped"
    ]


# --- collect --------------------------------------------------------------------------

COLLECT_CASES = [
    pytest.param("collect(host)", "host", "\n", ["a", "b"], id="distinct-joined"),
    pytest.param("collect([host, bytes])", "bytes", "\n", ["1", "10", "5", "x"], id="second-field"),
    pytest.param('collect(host, separator=",")', "host", ",", ["a", "b"], id="separator"),
]


@pytest.mark.parametrize(("query", "name", "separator", "expected"), COLLECT_CASES)
def test_collect_joins_values(query: str, name: str, separator: str, expected: list[str]) -> None:
    (row,) = run(query, TRAFFIC)
    assert sorted(row[name].split(separator)) == expected


def test_collect_rows_without_multival() -> None:
    rows = run("collect(host, multival=false)", TRAFFIC)
    assert unordered(rows) == [{"host": "a"}, {"host": "b"}]


def test_collect_without_values() -> None:
    assert run("collect(missing)", TRAFFIC) == []


def test_collect_limit() -> None:
    context = RunContext()
    rows = run_plan(plan_query("collect(host, limit=1)"), TRAFFIC, context)
    assert [dict(row) for row in rows] == [{"host": "a"}]
    assert context.warnings == ["collect() kept the first 1 distinct values of host"]


# --- top ------------------------------------------------------------------------------

TOP_EVENTS = make_events(
    {"user": "ann", "cost": "5"},
    {"user": "bob", "cost": "1"},
    {"user": "ann", "cost": "2"},
    {"user": "cid", "cost": "9"},
    {"user": "ann"},
    {"cost": "100"},
)

TOP_CASES = [
    pytest.param(
        "top(user)",
        [
            {"user": "ann", "_count": "3"},
            {"user": "bob", "_count": "1"},
            {"user": "cid", "_count": "1"},
        ],
        id="count-descending",
    ),
    pytest.param("top(user, limit=1)", [{"user": "ann", "_count": "3"}], id="limit"),
    pytest.param(
        "top(user, limit=1, rest=others)",
        [{"user": "ann", "_count": "3"}, {"user": "others", "_count": "2"}],
        id="rest",
    ),
    pytest.param(
        "top(user, sum=cost)",
        [{"user": "cid", "_sum": "9"}, {"user": "ann", "_sum": "7"}, {"user": "bob", "_sum": "1"}],
        id="sum",
    ),
    pytest.param(
        "top(user, max=cost, limit=2)",
        [{"user": "cid", "_max": "9"}, {"user": "ann", "_max": "5"}],
        id="max",
    ),
    pytest.param(
        "top(user, percent=true, limit=1)",
        [{"user": "ann", "_count": "3", "percent": "60"}],
        id="percent",
    ),
    pytest.param("top(user, as=n, limit=1)", [{"user": "ann", "n": "3"}], id="as"),
    pytest.param(
        "top([user, cost], limit=1)",
        [{"user": "ann", "cost": "2", "_count": "1"}],
        id="two-fields-skip-missing",
    ),
]


@pytest.mark.parametrize(("query", "expected"), TOP_CASES)
def test_top(query: str, expected: list[dict[str, str]]) -> None:
    assert run(query, TOP_EVENTS) == expected


def test_top_default_limit_is_ten() -> None:
    events = make_events(*({"user": f"u{index:02d}"} for index in range(15)))
    assert len(run("top(user)", events)) == 10


# --- stats ----------------------------------------------------------------------------

STATS_CASES = [
    pytest.param(
        "stats([count(), sum(bytes)])", [{"_count": "5", "_sum": "16"}], id="one-row-merge"
    ),
    pytest.param("[count(), sum(bytes)]", [{"_count": "5", "_sum": "16"}], id="list-shorthand"),
    pytest.param(
        "[lo := min(bytes), hi := max(bytes)]", [{"lo": "1", "hi": "10"}], id="named-items"
    ),
    pytest.param("stats()", [{"_count": "5"}], id="default-count"),
    pytest.param("stats([sum(missing), count()])", [{"_count": "5"}], id="empty-part-is-empty-row"),
    pytest.param(
        "stats([count(), collect(host, multival=false)])",
        [{"_count": "5", "host": "a"}, {"_count": "5", "host": "b"}],
        id="product-with-rows",
    ),
    pytest.param(
        "stats([collect(host, multival=false), collect(bytes, multival=false)]) | bytes=1*",
        [
            {"host": "a", "bytes": "1"},
            {"host": "a", "bytes": "10"},
            {"host": "b", "bytes": "1"},
            {"host": "b", "bytes": "10"},
        ],
        id="product-of-two",
    ),
    pytest.param("stats([sum(missing), avg(missing)])", [{}], id="all-parts-empty"),
]


@pytest.mark.parametrize(("query", "expected"), STATS_CASES)
def test_stats(query: str, expected: list[dict[str, str]]) -> None:
    assert unordered(run(query, TRAFFIC)) == unordered(expected)


# --- sort -----------------------------------------------------------------------------

SORT_EVENTS = make_events(
    {"n": "2"},  # 1
    {"n": "10"},  # 2
    {"n": "x"},  # 3
    {"m": "1"},  # 4: no field n
    {"n": "-1"},  # 5
    {"n": "abc"},  # 6
)

SORT_CASES = [
    pytest.param("sort(n)", ["10", "2", "-1"], id="default-descending-numbers"),
    pytest.param(
        "sort(n, order=asc)", ["-1", "2", "10", "abc", "x", None], id="ascending-non-numbers-after"
    ),
    pytest.param("sort(n, order=ascending)", ["-1", "2", "10", "abc", "x", None], id="order-alias"),
    pytest.param(
        "sort(n, type=string, order=asc)",
        ["-1", "10", "2", "abc", "x", None],
        id="string-ascending",
    ),
    pytest.param(
        "sort(n, type=string)", ["x", "abc", "2", "10", "-1", None], id="string-descending"
    ),
    pytest.param("sort(n, limit=2)", ["10", "2"], id="limit"),
    pytest.param("sort(n, reverse=true)", ["-1", "2", "10", "abc", "x", None], id="reverse"),
]


@pytest.mark.parametrize(("query", "expected"), SORT_CASES)
def test_sort_order(query: str, expected: list[str | None]) -> None:
    values = column(run(query, SORT_EVENTS), "n")
    assert values[: len(expected)] == expected


def test_sort_missing_last_descending() -> None:
    assert column(run("sort(n)", SORT_EVENTS), "n")[-1] is None


def test_sort_hex() -> None:
    events = make_events({"n": "0x10"}, {"n": "ff"}, {"n": "9"}, {"n": "0XA"})
    assert column(run("sort(n, type=hex, order=asc)", events), "n") == ["9", "0XA", "0x10", "ff"]


def test_sort_two_fields() -> None:
    events = make_events({"a": "1", "b": "1"}, {"a": "1", "b": "2"}, {"a": "0", "b": "0"})
    rows = run("sort([a, b], order=[asc, desc])", events)
    assert column(rows, "@id") == ["3", "2", "1"]


def test_sort_without_field_uses_count() -> None:
    events = make_events({"h": "a"}, {"h": "b"}, {"h": "b"}, {"h": "c"}, {"h": "c"}, {"h": "c"})
    assert column(run("groupBy(h) | sort()", events), "h") == ["c", "b", "a"]


def test_sort_is_stable() -> None:
    events = make_events({"n": "1"}, {"n": "1"}, {"n": "1"})
    assert column(run("sort(n)", events), "@id") == ["1", "2", "3"]


SORT_LIMIT_CASES = [
    pytest.param("sort(n)", False, 200, id="default-200"),
    pytest.param("sort(n)", True, 250, id="default-lifted"),
    pytest.param("sort(n, limit=210)", True, 210, id="explicit-kept-when-lifted"),
    pytest.param("sort(n, limit=max)", False, 250, id="limit-max"),
    pytest.param("table([n])", False, 200, id="table-default-200"),
    pytest.param("table([n])", True, 250, id="table-default-lifted"),
    pytest.param("head()", False, 200, id="head-default-200"),
    pytest.param("tail()", True, 250, id="tail-default-lifted"),
    pytest.param("head(5)", True, 5, id="head-explicit"),
]


@pytest.mark.parametrize(("query", "lift", "expected"), SORT_LIMIT_CASES)
def test_default_row_limit(query: str, lift: bool, expected: int) -> None:
    assert len(run(query, numbered(250), lift_default_limits=lift)) == expected


def test_sort_limit_warns() -> None:
    context = RunContext()
    run_plan(plan_query("sort(n, limit=2)"), numbered(3), context)
    assert context.warnings == ["sort() returned 2 of 3 rows; raise its limit= to see more"]


# --- table ----------------------------------------------------------------------------

TABLE_EVENTS = make_events(
    {"n": "5", "a": "x", "b": "y", "@timestamp": "3000"},
    {"n": "10", "@timestamp": "1000"},
    {"n": "3", "@timestamp": "2000"},
)

TABLE_CASES = [
    pytest.param(
        "table([n, a])",
        [{"n": "5", "a": "x"}, {"n": "3"}, {"n": "10"}],
        id="newest-first-listed-fields",
    ),
    pytest.param(
        "table([a, n])", [{"a": "x", "n": "5"}, {"n": "3"}, {"n": "10"}], id="field-order"
    ),
    pytest.param(
        "table(n, sortby=n, order=asc)", [{"n": "3"}, {"n": "5"}, {"n": "10"}], id="sort-by-field"
    ),
    pytest.param(
        "table(n, sortby=n, type=string)",
        [{"n": "5"}, {"n": "3"}, {"n": "10"}],
        id="sort-as-string",
    ),
    pytest.param("table([n], limit=1)", [{"n": "5"}], id="limit"),
]


@pytest.mark.parametrize(("query", "expected"), TABLE_CASES)
def test_table(query: str, expected: list[dict[str, str]]) -> None:
    rows = run(query, TABLE_EVENTS)
    assert [list(row.items()) for row in rows] == [list(row.items()) for row in expected]


# --- head, tail and the implicit tail(200) --------------------------------------------

SHUFFLED = [
    {"@timestamp": "5000", "n": "5"},
    {"@timestamp": "1000", "n": "1"},
    {"@timestamp": "3000", "n": "3"},
    {"@timestamp": "2000", "n": "2"},
]

ORDER_CASES = [
    pytest.param("head(3)", ["1", "2", "3"], id="head-oldest-first"),
    pytest.param("tail(2)", ["5", "3"], id="tail-newest-first"),
    pytest.param("n=*", ["5", "3", "2", "1"], id="implicit-tail-newest-first"),
    pytest.param("select([n]) | head(1)", ["1"], id="head-after-select"),
    pytest.param("head(0)", [], id="head-zero"),
]


@pytest.mark.parametrize(("query", "expected"), ORDER_CASES)
def test_time_order(query: str, expected: list[str]) -> None:
    assert column(run(query, SHUFFLED), "n") == expected


def test_head_keeps_whole_events() -> None:
    assert run("head(1)", SHUFFLED) == [{"@timestamp": "1000", "n": "1"}]


def test_tail_without_timestamp_uses_ingest_time() -> None:
    events = [{"@ingesttimestamp": "2", "n": "b"}, {"@ingesttimestamp": "1", "n": "a"}]
    assert column(run("tail(1)", events), "n") == ["b"]


def test_implicit_tail_keeps_200_newest() -> None:
    values = column(run("n=*", numbered(250)), "n")
    assert len(values) == 200
    assert values[0] == "250"
    assert values[-1] == "51"


def test_implicit_tail_lifted() -> None:
    assert len(run("n=*", numbered(250), lift_default_limits=True)) == 250


def test_implicit_tail_after_select() -> None:
    rows = run("select([n])", numbered(250))
    assert len(rows) == 200
    assert rows[0] == {"n": "250"}


def test_implicit_tail_warns() -> None:
    context = RunContext()
    run_plan(plan_query("n=*"), numbered(201), context)
    assert context.warnings == ["tail() returned the newest 200 of 201 events"]


def test_aggregate_sees_all_events() -> None:
    assert run("count()", numbered(250)) == [{"_count": "250"}]


def test_aggregate_rows_have_no_timestamp() -> None:
    (row,) = run("count()", numbered(3))
    assert "@timestamp" not in row
