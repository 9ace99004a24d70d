"""Tests of the chart aggregates: bucket(), timeChart(), sankey() and worldMap().

Every query runs on the reference engine and on DuckDB. ``run_in_order``
also checks that both engines give the rows in the same order and the same
warnings. The documented examples come from LogScale's function reference
(functions-bucket, functions-timechart, functions-sankey, functions-worldmap),
its example pages and its Time Chart widget and time syntax pages.
"""

from __future__ import annotations

import itertools
from datetime import UTC, datetime

import pytest

from cqlkit.engines.reference.aggregates_geohash import encode_geohash
from cqlkit.plan.chart_units import parse_unit
from cqlkit.plan.time_buckets import auto_span, parse_timezone
from helpers import diagnostic_codes, make_events, run, run_in_order

HOUR = 3_600_000
DAY = 24 * HOUR


def epoch_ms(text: str) -> int:
    """Return the epoch milliseconds of an ISO 8601 UTC time."""
    moment = datetime.fromisoformat(text).replace(tzinfo=UTC)
    return int(moment.timestamp() * 1000)


def at(*times: int, **fields: str) -> list[dict[str, str]]:
    """Return one event per time, each with ``fields``."""
    return make_events(*({"@timestamp": str(time), **fields} for time in times))


# --- bucket() -----------------------------------------------------------------------


def test_bucket_documented_24_buckets_give_25():
    # examples-buckets-range: bucket(buckets=24, function=sum("count")) over one day
    # that does not start on the hour gives 25 hourly buckets, the first at
    # 1681290000000 (2023-04-12T09:00:00Z).
    start = epoch_ms("2023-04-12T09:30:00")
    times = [start + k * 30 * 60_000 for k in range(48)] + [start + DAY - 1]
    events = make_events(*({"@timestamp": str(t), "count": "2"} for t in times))
    rows, _, _ = run_in_order('bucket(buckets=24, function=sum("count"))', events)
    buckets = [int(row["_bucket"]) for row in rows]
    assert len(rows) == 25
    assert buckets[0] == 1681290000000
    assert all(b2 - b1 == HOUR for b1, b2 in itertools.pairwise(buckets))
    assert rows[0] == {"_bucket": "1681290000000", "_sum": "2"}
    assert rows[1] == {"_bucket": "1681293600000", "_sum": "4"}


def test_bucket_span_groups_by_field():
    events = at(1000, 1500, 2500, 3100, host="h1") + at(1200, 3900, host="h2")
    rows, _, _ = run_in_order("bucket(span=2s, field=host)", events)
    assert rows == [
        {"_bucket": "0", "host": "h1", "_count": "2"},
        {"_bucket": "0", "host": "h2", "_count": "1"},
        {"_bucket": "2000", "host": "h1", "_count": "2"},
        {"_bucket": "2000", "host": "h2", "_count": "1"},
    ]


def test_bucket_unnamed_argument_is_span():
    events = at(0, 59_999, 60_000)
    rows, _, _ = run_in_order("bucket(1min)", events)
    assert rows == [{"_bucket": "0", "_count": "2"}, {"_bucket": "60000", "_count": "1"}]


def test_bucket_several_fields_skip_events_lacking_one():
    events = make_events({"a": "1", "b": "x"}, {"a": "1"}, {"a": "1", "b": "x"})
    rows, _, _ = run_in_order("bucket(span=1h, field=[a, b])", events)
    assert rows == [{"_bucket": "0", "a": "1", "b": "x", "_count": "2"}]


def test_bucket_function_list_and_empty_function():
    events = at(100, 200, 300, bytes="10")
    rows, _, _ = run_in_order("bucket(span=1s, function=[count(), sum(bytes), avg(bytes)])", events)
    assert rows == [{"_bucket": "0", "_count": "3", "_sum": "30", "_avg": "10"}]
    rows, _, _ = run_in_order("bucket(span=1s, function=[])", events)
    assert rows == [{"_bucket": "0"}]


def test_bucket_with_select_last_function():
    events = at(100, 900, 1500, user="u") + at(500, user="late")
    rows, _, _ = run_in_order("bucket(span=1s, function=selectLast(user))", events)
    assert rows == [{"_bucket": "0", "user": "u"}, {"_bucket": "1000", "user": "u"}]


def test_bucket_buckets_divides_event_range():
    events = at(0, 2500, 9999)
    rows, _, _ = run_in_order("bucket(buckets=5)", events)
    # The range is 10000 ms, so each of the 5 buckets is 2000 ms long.
    assert [row["_bucket"] for row in rows] == ["0", "2000", "8000"]


def test_bucket_empty_input_gives_no_rows():
    assert run_in_order("x = nothing | bucket(span=1h)", at(1, 2))[0] == []


def test_bucket_rows_without_time_are_skipped():
    # Rows that groupBy() made have no event time.
    events = at(1, 2, k="a")
    assert run_in_order("groupBy(k) | bucket(span=1h)", events)[0] == []


def test_bucket_then_filter_on_count():
    events = at(10, 20, 30, 5000)
    rows, _, _ = run_in_order("bucket(span=1s) | _count > 1", events)
    assert rows == [{"_bucket": "0", "_count": "3"}]


# --- timeChart() --------------------------------------------------------------------

TOP_N_EVENTS = at(1000, 2000, 3000)
for _event, (_key, _value) in zip(
    TOP_N_EVENTS, [("a", "42"), ("b", "41"), ("c", "40")], strict=True
):
    _event.update(key=_key, value=_value)


def test_timechart_documented_top_n_single_function():
    # examples-timechart-topnvalue-single-function: limit=2 keeps the series
    # with the highest max(value): a (42) and b (41).
    query = "timeChart(series=key, function=max(value), limit=2, span=1h)"
    rows, warnings, _ = run_in_order(query, TOP_N_EVENTS)
    assert rows == [
        {"_bucket": "0", "key": "a", "_max": "42"},
        {"_bucket": "0", "key": "b", "_max": "41"},
    ]
    assert warnings == []


def test_timechart_documented_top_n_several_functions():
    # examples-timechart-topnvalue-multi-functions: the documented rows keep a
    # (42 + 1) and c (40 + 40) and drop b (41 + 0), so a series ranks by the
    # total of its output numbers.
    query = (
        "timeChart(series=key, function=[max(value), {foo := value % 41 | selectLast(foo)}],"
        " limit=2, span=1h)"
    )
    rows, _, notices = run_in_order(query, TOP_N_EVENTS, sql_only=False)
    assert rows == [
        {"_bucket": "0", "key": "a", "_max": "42", "foo": "1"},
        {"_bucket": "0", "key": "c", "_max": "40", "foo": "40"},
    ]
    assert notices  # a sub-query in function= runs on the reference engine


def test_timechart_documented_count_per_minute():
    # functions-timechart: timechart(span=1min, series=method, function=count())
    events = at(0, 30_000, 61_000, method="GET") + at(59_000, method="POST")
    query = "timechart(span=1min, series=method, function=count())"
    rows, _, _ = run_in_order(query, events)
    assert rows == [
        {"_bucket": "0", "method": "GET", "_count": "2"},
        {"_bucket": "0", "method": "POST", "_count": "1"},
        {"_bucket": "60000", "method": "GET", "_count": "1"},
    ]


def test_timechart_documented_widget_metrics():
    # Time Chart widget page: max() of three disks. Events 3 and 4 are 1 ms
    # apart, so they share a bucket, where Disk 0 takes the larger value 10.57.
    samples = [
        ("2018-11-01T00:10:11.001", "11.21", "21.14", "12.01"),
        ("2018-11-01T00:10:13.106", "11.21", "21.14", "12.01"),
        ("2018-11-01T00:10:18.771", "10.57", "20.41", "11.91"),
        ("2018-11-01T00:10:18.772", "9.15", "19.12", "10.07"),
    ]
    events = make_events(
        *(
            {
                "type": "metrics",
                "@timestamp": str(epoch_ms(time)),
                "disk0": d0,
                "disk1": d1,
                "disk2": d2,
            }
            for time, d0, d1, d2 in samples
        )
    )
    query = (
        'type = metrics | timechart(span=1s, function=[max(disk0, as="Disk 0"),'
        ' max(disk1, as="Disk 1"), max(disk2, as="Disk 2")])'
    )
    rows, _, _ = run_in_order(query, events)
    assert len(rows) == 3
    assert rows[2] == {
        "_bucket": str(epoch_ms("2018-11-01T00:10:18")),
        "Disk 0": "10.57",
        "Disk 1": "20.41",
        "Disk 2": "11.91",
    }


def test_timechart_without_series_counts_per_bucket():
    rows, _, _ = run_in_order("timeChart(span=1s)", at(0, 10, 1000, 5000))
    assert rows == [
        {"_bucket": "0", "_count": "2"},
        {"_bucket": "1000", "_count": "1"},
        {"_bucket": "5000", "_count": "1"},
    ]


def test_timechart_default_limit_warns_and_keeps_ten():
    events = make_events(*({"k": f"s{n:02}", "v": str(n)} for n in range(12)))
    rows, warnings, _ = run_in_order("timeChart(k, function=max(v), span=1h)", events)
    assert sorted(row["k"] for row in rows) == [f"s{n:02}" for n in range(2, 12)]
    assert warnings == [
        "timeChart() found 12 series, more than its limit of 10; it kept the 10 with the"
        " highest values. Set limit= (at most 500) to choose how many"
    ]


def test_timechart_explicit_limit_does_not_warn():
    events = make_events(*({"k": f"s{n}"} for n in range(12)))
    rows, warnings, _ = run_in_order("timeChart(k, span=1h, limit=3)", events)
    assert [row["k"] for row in rows] == ["s0", "s1", "s2"]
    assert warnings == []


def test_timechart_limit_max_is_500():
    events = make_events(*({"k": f"s{n}"} for n in range(12)))
    rows, warnings, _ = run_in_order("timeChart(k, span=1h, limit=max)", events)
    assert len(rows) == 12
    assert warnings == []


def test_timechart_limit_ranks_by_total_over_buckets():
    # b has the largest single value, a the largest total over its buckets.
    events = at(0, 1000, 2000, k="a", v="4") + at(0, k="b", v="9") + at(0, k="c", v="1")
    rows, _, _ = run_in_order("timeChart(k, function=sum(v), span=1s, limit=2)", events)
    assert [(row["_bucket"], row["k"]) for row in rows] == [
        ("0", "a"),
        ("0", "b"),
        ("1000", "a"),
        ("2000", "a"),
    ]


def test_timechart_limit_ranks_series_without_numbers_last():
    events = make_events({"k": "text", "v": "x"}, {"k": "low", "v": "1"}, {"k": "high", "v": "5"})
    query = "timeChart(k, function=selectLast(v), span=1h, limit=2)"
    rows, _, _ = run_in_order(query, events)
    assert [row["k"] for row in rows] == ["low", "high"]


def test_timechart_series_missing_field_skipped():
    events = make_events({"k": "a"}, {"other": "1"}, {"k": ""})
    rows, _, _ = run_in_order("timeChart(k, span=1h)", events)
    assert rows == [
        {"_bucket": "0", "k": "a", "_count": "1"},
        {"_bucket": "0", "k": "", "_count": "1"},
    ]


def test_timechart_auto_span_from_event_range():
    # Events over one hour: span=auto picks 1 minute (at most 100 buckets).
    assert auto_span(HOUR + 1) == 60_000
    events = at(0, 61_000, HOUR)
    rows, _, _ = run_in_order("timeChart()", events)
    assert [row["_bucket"] for row in rows] == ["0", "60000", str(HOUR)]


@pytest.mark.parametrize(
    ("interval", "span"),
    [(1, 1000), (100_000, 1000), (100_001, 5000), (DAY, 15 * 60_000), (1000 * DAY, 14 * DAY)],
)
def test_auto_span_ladder(interval: int, span: int):
    assert auto_span(interval) == span


def test_timechart_fixed_offset_time_zone():
    # span=1d in +02:00 starts buckets at local midnight, 22:00 UTC the day before.
    events = at(epoch_ms("2024-01-01T23:30:00"), epoch_ms("2024-01-01T21:30:00"))
    rows, _, _ = run_in_order('timeChart(span=1d, timezone="+02:00")', events)
    assert rows == [
        {"_bucket": str(epoch_ms("2023-12-31T22:00:00")), "_count": "1"},
        {"_bucket": str(epoch_ms("2024-01-01T22:00:00")), "_count": "1"},
    ]


def test_timechart_named_time_zone_follows_daylight_saving():
    # Copenhagen moves to +02:00 on 2024-03-31; that day starts at 23:00 UTC
    # the day before (still +01:00), the next day at 22:00 UTC.
    events = at(epoch_ms("2024-03-31T12:00:00"), epoch_ms("2024-04-01T12:00:00"))
    query = 'timeChart(span=1d, timezone="Europe/Copenhagen")'
    rows, _, notices = run_in_order(query, events, sql_only=False)
    assert [row["_bucket"] for row in rows] == [
        str(epoch_ms("2024-03-30T23:00:00")),
        str(epoch_ms("2024-03-31T22:00:00")),
    ]
    assert len(notices) == 1
    assert "timezone=Europe/Copenhagen" in notices[0]


def test_timechart_min_span_longer_than_range_warns():
    events = at(0, 1000, 2000)
    rows, warnings, _ = run_in_order("timeChart(minSpan=1h)", events, sql_only=False)
    # The range, 2001 ms, becomes the minimum span, so every event falls in one bucket.
    assert rows == [{"_bucket": "0", "_count": "3"}]
    assert warnings == [
        "timeChart() minSpan is longer than the time range of the events;"
        " the range is used as the minimum span"
    ]


def test_timechart_min_span_raises_small_span():
    events = at(0, 1000, 2000, 9000)
    rows, warnings, _ = run_in_order("timeChart(buckets=100, minSpan=5s)", events, sql_only=False)
    assert [row["_bucket"] for row in rows] == ["0", "5000"]
    assert warnings == []


def test_timechart_unit_documented_rate_per_day():
    # syntax-time: unit="bytes/span to Mi bytes/day" with span=1h multiplies by 24.
    events = at(0, 1000, bytes="524288")
    query = 'timeChart(function=sum(bytes), span=1h, unit="bytes/span to Mi bytes/day")'
    rows, _, _ = run_in_order(query, events)
    assert rows == [{"_bucket": "0", "_sum": "24"}]


def test_timechart_unit_same_span_no_time_conversion():
    events = at(0, bytes="2048")
    query = 'timeChart(function=sum(bytes), span=1d, unit="bytes/span to Kibytes/day")'
    assert run_in_order(query, events)[0] == [{"_bucket": "0", "_sum": "2"}]


def test_timechart_unit_source_already_rate():
    # syntax-time: "bytes/sec to Mibytes/day" converts a rate.
    events = at(0, rate="1048576")
    query = 'timeChart(function=max(rate), span=1h, unit="bytes/sec to Mibytes/day")'
    assert run_in_order(query, events)[0] == [{"_bucket": "0", "_max": "86400"}]


def test_timechart_one_unit_per_function():
    events = at(0, 500, bytes="1000")
    query = (
        "timeChart(function=[sum(bytes), count()], span=1s,"
        ' unit=["bytes/span to kbytes/sec", "events to events"])'
    )
    assert run_in_order(query, events)[0] == [{"_bucket": "0", "_sum": "2", "_count": "2"}]


def test_timechart_unit_with_auto_span():
    events = at(0, 59_000, HOUR, n="60")
    query = 'timeChart(function=sum(n), unit="events/bucket to events/hour")'
    rows, _, _ = run_in_order(query, events)
    # span=auto picks 1 minute, so a sum per minute times 60 is a rate per hour.
    assert rows == [{"_bucket": "0", "_sum": "7200"}, {"_bucket": str(HOUR), "_sum": "3600"}]


def test_parse_unit_prefixes():
    assert parse_unit("bytes to Kbytes").ratio == 1 / 1000
    assert parse_unit("Mibytes to bytes").ratio == 1024**2
    assert parse_unit("Events/span to Events/day").ratio == 1
    assert parse_unit("bytes/span to Kbytes/day").source_per_ms is None


@pytest.mark.parametrize("text", ["+02:00", "-0530", "UTC", "Z", "Europe/Paris"])
def test_parse_timezone_accepts(text: str):
    parse_timezone(text)


def test_timechart_in_group_by_runs_on_reference_engine():
    events = at(0, 1500, 1600, k="a") + at(100, k="b")
    rows, _, notices = run_in_order(
        "groupBy(k, function=timeChart(span=1s))", events, sql_only=False
    )
    assert rows == [
        {"k": "a", "_bucket": "0", "_count": "1"},
        {"k": "a", "_bucket": "1000", "_count": "2"},
        {"k": "b", "_bucket": "0", "_count": "1"},
    ]
    assert notices


# --- sankey() -----------------------------------------------------------------------


def test_sankey_documented_weight_sum():
    # examples-sankey-weight: sankey(source="src", target="dst", weight=(sum(cnt))).
    # NOTE: cqlkit's parser rejects the parentheses around sum(cnt), so the
    # query here leaves them out.
    data = [
        ("12", "apples", "john"),
        ("1", "bananas", "john"),
        ("1", "apples", "joe"),
        ("1", "apples", "sarah"),
        ("1", "apples", "sarah"),
        ("1", "apples", "sarah"),
    ]
    events = make_events(*({"cnt": c, "dst": d, "src": s} for c, d, s in data))
    rows, _, _ = run_in_order('sankey(source="src", target="dst", weight=sum(cnt))', events)
    assert rows == [
        {"source": "john", "target": "apples", "weight": "12"},
        {"source": "john", "target": "bananas", "weight": "1"},
        {"source": "joe", "target": "apples", "weight": "1"},
        {"source": "sarah", "target": "apples", "weight": "3"},
    ]


def test_sankey_documented_default_weight_counts():
    # functions-sankey: sankey(source=method, target=url) on an access log.
    events = make_events(
        {"method": "GET", "url": "/a"},
        {"method": "GET", "url": "/a"},
        {"method": "POST", "url": "/a"},
        {"method": "GET"},
    )
    rows, _, _ = run_in_order("sankey(source=method, target=url)", events)
    assert rows == [
        {"source": "GET", "target": "/a", "weight": "2"},
        {"source": "POST", "target": "/a", "weight": "1"},
    ]


def test_sankey_weight_without_numbers_is_absent():
    events = make_events({"s": "a", "t": "b", "n": "x"})
    rows, _, _ = run_in_order("sankey(source=s, target=t, weight=sum(n))", events)
    assert rows == [{"source": "a", "target": "b"}]


def test_sankey_weight_without_as_runs_on_reference_engine():
    events = make_events({"s": "a", "t": "b", "n": "4"}, {"s": "a", "t": "b", "n": "7"})
    rows, _, notices = run_in_order(
        "sankey(source=s, target=t, weight=selectLast(n))", events, sql_only=False
    )
    assert rows == [{"source": "a", "target": "b", "weight": "7"}]
    assert notices


# --- worldMap() ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("latitude", "longitude", "precision", "geohash"),
    [
        (57.64911, 10.40744, 11, "u4pruydqqvj"),
        (42.6, -5.6, 5, "ezs42"),
        (-90.0, -180.0, 4, "0000"),
        (90.0, 180.0, 4, "zzzz"),
    ],
)
def test_geohash_known_values(latitude: float, longitude: float, precision: int, geohash: str):
    assert encode_geohash(latitude, longitude, precision) == geohash


def test_world_map_documented_coordinates():
    # functions-worldmap: worldMap(lat=location.latitude, lon=location.longitude)
    events = make_events(
        {"location.latitude": "57.64911", "location.longitude": "10.40744"},
        {"location.latitude": "57.6492", "location.longitude": "10.4075"},
        {"location.latitude": "42.6", "location.longitude": "-5.6"},
    )
    rows, _, _ = run_in_order("worldMap(lat=location.latitude, lon=location.longitude)", events)
    assert rows == [{"_geohash": "u4pr", "_count": "2"}, {"_geohash": "ezs4", "_count": "1"}]


def test_world_map_documented_magnitude():
    # functions-worldmap: the average latency as the magnitude of each point.
    events = make_events(
        {"lat": "57.64911", "lon": "10.40744", "latency": "10"},
        {"lat": "57.6492", "lon": "10.4075", "latency": "20"},
    )
    query = "worldMap(lat=lat, lon=lon, magnitude=avg(latency), precision=12)"
    rows, _, _ = run_in_order(query, events)
    assert rows == [
        {"_geohash": encode_geohash(57.64911, 10.40744, 12), "_avg": "10"},
        {"_geohash": encode_geohash(57.6492, 10.4075, 12), "_avg": "20"},
    ]


def test_world_map_skips_invalid_coordinates():
    events = make_events(
        {"lat": "91", "lon": "0"},
        {"lat": "0", "lon": "-181"},
        {"lat": "north", "lon": "0"},
        {"lon": "0"},
        {"lat": "0", "lon": "0"},
    )
    rows, _, _ = run_in_order("worldMap(lat=lat, lon=lon, precision=1)", events)
    assert rows == [{"_geohash": "s", "_count": "1"}]


# --- check-time errors --------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "code"),
    [
        ("timeChart(span=1h, buckets=10)", "invalid-argument"),
        ("timeChart(span=often)", "invalid-argument"),
        ("timeChart(span=1d@d)", "invalid-argument"),
        ("timeChart(span=0s)", "invalid-argument"),
        ("bucket(minSpan=soon)", "invalid-argument"),
        ('timeChart(timezone="Mars/Olympus")', "invalid-argument"),
        ('timeChart(timezone="+25:00")', "invalid-argument"),
        ('timeChart(unit="bytes")', "invalid-argument"),
        ('timeChart(unit="bytes to seconds")', "invalid-argument"),
        ('timeChart(unit="bytes/span to Kbytes")', "invalid-argument"),
        ('timeChart(unit="bytes/fortnight to bytes/day")', "invalid-argument"),
        ('timeChart(function=count(), unit=["a to a", "b to b"])', "invalid-argument"),
        ("timeChart(limit=501)", "argument-out-of-range"),
        ("timeChart(limit=0)", "argument-out-of-range"),
        ("bucket(buckets=1501)", "argument-out-of-range"),
        ("bucket(buckets=0)", "argument-out-of-range"),
        ("bucket(buckets=2.5)", "invalid-argument"),
        ("bucket(function=nosuch())", "unknown-function"),
        ("sankey(source=a)", "missing-argument"),
        ("sankey(target=a)", "missing-argument"),
        ("sankey(source=a, target=b, weight=[count(), sum(x)])", "invalid-argument"),
        ("sankey(source=a, target=b, weight={count()})", "invalid-argument"),
        ("worldMap()", "missing-argument"),
        ("worldMap(lat=a)", "missing-argument"),
        ("worldMap(ip=myIpField)", "missing-resource"),
        ("worldMap(ip=myIpField, magnitude=avg(latency))", "missing-resource"),
        ("worldMap(lat=a, lon=b, precision=13)", "argument-out-of-range"),
        ("worldMap(lat=a, lon=b, precision=0)", "argument-out-of-range"),
    ],
)
def test_check_errors(query: str, code: str):
    assert code in diagnostic_codes(query)


@pytest.mark.parametrize(
    "query",
    [
        "timeChart()",
        "timeChart(method, span=15min, limit=max)",
        "bucket(buckets=24, field=[a, b], function=[count(), max(x)])",
        'timeChart(unit="bytes/span to Mi bytes/day", timezone=UTC)',
        "sankey(source=a, target=b, weight=max(x))",
        "worldMap(lat=a, lon=b, magnitude=sum(x))",
    ],
)
def test_valid_calls_have_no_diagnostics(query: str):
    assert diagnostic_codes(query) == []


def test_run_helper_agrees_on_charts():
    events = at(0, 1000, 2000, k="a") + at(500, k="b")
    assert run("timeChart(k, span=1s)", events, sql_only=True)
    assert run("bucket(span=1s, field=k)", events, sql_only=True)
