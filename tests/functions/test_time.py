"""Tests of formatTime(), parseTimestamp() and now() on both engines."""

from __future__ import annotations

import pytest

from cqlkit.errors import SemanticError
from cqlkit.plan.planner import plan_query
from cqlkit.plan.resources import Resources
from helpers import column, diagnostic_codes, make_events, run

NOW = Resources(now_ms=1_700_000_000_000)
# 2025-08-27T08:51:51.312Z, the instant of the formatTime() reference page.
AUGUST = "1756284711312"


def _format(format_text: str, value: str = AUGUST, **options: str) -> str | None:
    extra = "".join(f", {name}={value!r}" for name, value in options.items()).replace("'", '"')
    rows = run(
        f't := formatTime("{format_text}", field=v{extra}) | select([t])',
        make_events({"v": value}),
        sql_only="timezone" not in options or "%Z" not in format_text,
    )
    return rows[0].get("t")


# --- formatTime() ------------------------------------------------------------------


def test_format_time_documented_example() -> None:
    # functions-formattime: %Y/%m/%d %H:%M:%S of 2025-08-27T08:51:51.312Z.
    assert _format("%Y/%m/%d %H:%M:%S") == "2025/08/27 08:51:51"


@pytest.mark.parametrize(
    ("specifier", "expected"),
    [
        ("%H", "08"),
        ("%I", "08"),
        ("%k", "8"),
        ("%l", "8"),
        ("%M", "51"),
        ("%S", "51"),
        ("%L", "312"),
        ("%N", "312000000"),
        ("%p", "am"),
        ("%z", "+0000"),
        ("%Z", "UTC"),
        ("%s", "1756284711"),
        ("%Q", "1756284711312"),
        ("%B", "August"),
        ("%b", "Aug"),
        ("%h", "Aug"),
        ("%A", "Wednesday"),
        ("%a", "Wed"),
        ("%C", "20"),
        ("%Y", "2025"),
        ("%y", "25"),
        ("%j", "239"),
        ("%m", "08"),
        ("%d", "27"),
        ("%e", "27"),
        ("%R", "08:51"),
        ("%T", "08:51:51"),
        ("%r", "08:51:51 AM"),
        ("%D", "08/27/25"),
        ("%F", "2025-08-27"),
        ("%c", "Wed Aug 27 08:51:51 UTC 2025"),
        ("100%% at %H", "100% at 08"),
    ],
)
def test_format_time_specifiers(specifier: str, expected: str) -> None:
    assert _format(specifier) == expected


def test_format_time_unpadded_fields() -> None:
    # 2024-03-05T04:07:09.005Z: a one-digit day, hour and month.
    value = "1709611629005"
    assert _format("%e|%k|%l|%I|%d|%L|%p", value) == "5|4|4|04|05|005|am"


def test_format_time_afternoon_marker() -> None:
    # 2023-11-14T22:13:20Z
    assert _format("%p %r %l", "1700000000000") == "pm 10:13:20 PM 10"


def test_format_time_unit_auto_reads_seconds() -> None:
    assert _format("%F %T", "1700000000") == "2023-11-14 22:13:20"
    assert _format("%F %T", "100000000000") == "5138-11-16 09:46:40"
    assert _format("%F %T", "100000000001") == "1973-03-03 09:46:40"


def test_format_time_explicit_units() -> None:
    assert _format("%Q", "1700000000", unit="milliseconds") == "1700000000"
    assert _format("%Q", "1700000000000", unit="seconds") is None
    assert _format("%Q", "1700000000.5", unit="seconds") == "1700000000500"


def test_format_time_fixed_offset_zone() -> None:
    assert _format("%H:%M %z %Z", timezone="+05:30") == "14:21 +0530 +05:30"
    assert _format("%H %Z", timezone="Z") == "08 Z"


def test_format_time_region_zone() -> None:
    assert _format("%F %T %z", timezone="Europe/Paris") == "2025-08-27 10:51:51 +0200"
    # Winter time: 2023-11-14T22:13:20Z is 17:13 in New York (EST, -05:00).
    assert _format("%H:%M %z", "1700000000000", timezone="America/New_York") == "17:13 -0500"
    assert _format("%Z", timezone="Europe/Paris") == "CEST"


def test_format_time_region_zone_name_falls_back() -> None:
    rows = run(
        't := formatTime("%Z", field=v, timezone="America/New_York")',
        make_events({"v": "1700000000000"}),
    )
    assert column(rows, "t") == ["EST"]


def test_format_time_missing_and_non_number() -> None:
    rows = run(
        't := formatTime("%Y", field=v) | select([@id, t])',
        make_events({"v": "abc"}, {}, {"v": ""}, {"v": "-86400000"}),
        sql_only=True,
    )
    assert {row["@id"]: row.get("t") for row in rows} == {
        "1": None,
        "2": None,
        "3": None,
        "4": "1967",
    }


def test_format_time_out_of_range_is_null() -> None:
    assert _format("%Y", "1e300", unit="milliseconds") is None
    assert _format("%Y", "253402300800000") is None


def test_format_time_defaults_to_timestamp() -> None:
    rows = run('t := formatTime("%Y")', make_events({"@timestamp": AUGUST}), sql_only=True)
    assert column(rows, "t") == ["2025"]


def test_format_time_as_parameter() -> None:
    rows = run('formatTime("%H", as=hour)', make_events({"@timestamp": AUGUST}), sql_only=True)
    assert column(rows, "hour") == ["08"]


@pytest.mark.parametrize(
    "query",
    [
        't := formatTime("%Q %q")',
        't := formatTime("%Y %")',
        't := formatTime("%Y", timezone="Mars/Olympus")',
        't := formatTime("%Y", timezone="../etc/passwd")',
        't := formatTime("%Y", unit=minutes)',
    ],
)
def test_format_time_rejects_bad_arguments(query: str) -> None:
    assert "invalid-argument" in diagnostic_codes(query)


def test_format_time_needs_output_field() -> None:
    assert "missing-argument" in diagnostic_codes('formatTime("%Y")')


def test_format_time_warns_on_foreign_locale() -> None:
    assert "unsupported-locale" in diagnostic_codes('t := formatTime("%B", locale=de_DE)')
    assert "unsupported-locale" not in diagnostic_codes('t := formatTime("%B", locale=en_GB)')
    assert "unsupported-locale" not in diagnostic_codes('t := formatTime("%Y", locale=de_DE)')


# --- parseTimestamp() ---------------------------------------------------------------


def _parse(query: str, *values: str, sql_only: bool = True) -> list[dict[str, str]]:
    events = make_events(*({"ts": value} for value in values))
    rows = run(query + " | sort(@id, order=asc)", events, resources=NOW, sql_only=sql_only)
    return rows


def test_parse_timestamp_default_iso() -> None:
    # functions-parsetimestamp: the default format reads ISO 8601.
    rows = _parse(
        "parseTimestamp(field=ts)",
        "2017-12-18T20:39:35Z",
        "2017-12-18T20:39:35.123+02:00",
        "2017-12-18T20:39:35.123456789-05:30",
    )
    assert column(rows, "@timestamp") == ["1513629575000", "1513622375123", "1513649375123"]
    assert column(rows, "@timezone") == ["Z", "+02:00", "-05:30"]


def test_parse_timestamp_access_log_example() -> None:
    # functions-parsetimestamp: an access log timestamp with a numeric offset.
    rows = _parse(
        'parseTimestamp("dd/MMM/yyyy:HH:mm:ss Z", field=ts)', "02/Apr/2014:16:29:32 +0200"
    )
    assert column(rows, "@timestamp") == ["1396448972000"]
    assert column(rows, "@timezone") == ["+02:00"]


def test_parse_timestamp_with_timezone_parameter() -> None:
    # functions-parsetimestamp: a timestamp without a zone, read in New York time.
    rows = _parse(
        'parseTimestamp("yyyy-MM-dd\'T\'HH:mm:ss", field=ts, timezone="America/New_York")',
        "2015-12-18T20:39:35",
        sql_only=False,
    )
    assert column(rows, "@timestamp") == ["1450489175000"]
    assert column(rows, "@timezone") == ["America/New_York"]


def test_parse_timestamp_fixed_timezone_parameter_in_sql() -> None:
    rows = _parse(
        'parseTimestamp("yyyy-MM-dd HH:mm:ss", field=ts, timezone=UTC)', "2015-12-18 20:39:35"
    )
    assert column(rows, "@timestamp") == ["1450471175000"]
    assert column(rows, "@timezone") == ["UTC"]


def test_parse_timestamp_text_zone_wins_over_parameter() -> None:
    rows = _parse(
        'parseTimestamp("yyyy-MM-dd HH:mm[ XXX]", field=ts, timezone="+01:00")',
        "2020-01-01 00:00 -02:00",
        "2020-01-01 00:00",
    )
    assert column(rows, "@timestamp") == ["1577844000000", "1577833200000"]
    assert column(rows, "@timezone") == ["-02:00", "+01:00"]


def test_parse_timestamp_daylight_saving_overlap_takes_earlier_offset() -> None:
    # 01:30 happens twice in New York on 2023-11-05; Java takes the first (EDT).
    rows = _parse(
        'parseTimestamp("yyyy-MM-dd HH:mm", field=ts, timezone="America/New_York")',
        "2023-11-05 01:30",
        "2023-03-12 02:30",
        sql_only=False,
    )
    assert column(rows, "@timestamp") == ["1699162200000", "1678606200000"]


@pytest.mark.parametrize(
    ("format_text", "value", "expected"),
    [
        ("seconds", "1690480444.589", "1690480444589"),
        ("unixtime", "1690480444.5891234", "1690480444589"),
        ("unixTimeSeconds", "-1.5", "-1500"),
        ("MilliSeconds", "1690480444589", "1690480444589"),
        ("millis", "+12", "12"),
        ("unixtimeMillis", "-5", "-5"),
        ("nanos", "1690480444589123456", "1690480444589"),
        ("nanos", "-1", "-1"),
    ],
)
def test_parse_timestamp_epoch_formats(format_text: str, value: str, expected: str) -> None:
    rows = _parse(f'parseTimestamp("{format_text}", field=ts)', value)
    assert column(rows, "@timestamp") == [expected]
    assert column(rows, "@timezone") == ["Z"]


def test_parse_timestamp_epoch_format_rejects_text() -> None:
    rows = _parse('parseTimestamp("milliseconds", field=ts)', "12.5", "abc", "")
    assert column(rows, "@error") == ["true", "true", "true"]


def test_parse_timestamp_failure_sets_error_fields() -> None:
    rows = run(
        'parseTimestamp("yyyy-MM-dd HH:mm:ss", field=ts, timezone=UTC) | sort(@id, order=asc)',
        make_events({"ts": "yesterday"}, {"other": "x"}),
        sql_only=True,
    )
    assert column(rows, "@timestamp") == ["1000", "2000"]
    assert column(rows, "@error") == ["true", "true"]
    assert column(rows, "@error_msg") == [
        "parseTimestamp() could not parse ts with the format yyyy-MM-dd HH:mm:ss",
        "parseTimestamp() found no field ts",
    ]


def test_parse_timestamp_add_errors_false() -> None:
    rows = _parse('parseTimestamp("seconds", field=ts, addErrors=false)', "abc")
    assert "@error" not in rows[0]
    assert rows[0]["@timestamp"] == "1000"


def test_parse_timestamp_as_and_timezone_as() -> None:
    rows = _parse("parseTimestamp(field=ts, as=when, timezoneAs=zone)", "2017-12-18T20:39:35Z")
    assert rows[0]["when"] == "1513629575000"
    assert rows[0]["zone"] == "Z"
    assert rows[0]["@timestamp"] == "1000"


@pytest.mark.parametrize(
    ("format_text", "value", "expected"),
    [
        ("yyyyMMddHHmmss", "20230115083000", "1673771400000"),
        ("yy-M-d H:m:s", "23-1-5 8:3:7", "1672905787000"),
        ("MMMM d, yyyy h:mm a", "January 5, 2023 8:03 PM", "1672948980000"),
        ("EEE, dd MMM yyyy HH:mm:ss", "Thu, 05 Jan 2023 08:03:07", "1672905787000"),
        ("EEEE dd.MM.yyyy", "Thursday 05.01.2023", "1672876800000"),
        ("yyyy-DDD", "2024-366", "1735603200000"),
        ("yyyy-MM-dd HH:mm:ss.SSS", "2023-01-05 08:03:07.009", "1672905787009"),
        ("yyyy-MM-dd kk:mm", "2023-01-05 24:00", "1672876800000"),
        ("yyyy-MM-dd K:mm a", "2023-01-05 11:30 PM", "1672961400000"),
        ("yyyy-MM-dd'T'HH:mm:ssxx", "2023-01-05T08:03:07+0100", "1672902187000"),
        ("yyyy-MM-dd'T'HH:mm:ssX", "2023-01-05T08:03:07-03", "1672916587000"),
        ("yyyy-MM-dd HH:mm:ss XXXXX", "2023-01-05 08:03:07 +01:02:03", "1672902064000"),
        ("''yyyy-MM-dd''", "'2023-01-05'", "1672876800000"),
    ],
)
def test_parse_timestamp_java_patterns(format_text: str, value: str, expected: str) -> None:
    rows = _parse(f'parseTimestamp("{format_text}", field=ts, timezone=UTC)', value)
    assert column(rows, "@timestamp") == [expected]


@pytest.mark.parametrize(
    ("format_text", "value"),
    [
        ("yyyy-MM-dd", "2023-13-01"),
        ("yyyy-MM-dd", "2023-01-32"),
        ("yyyy-MM-dd", "2023-1-05"),
        ("yyyy-MM-dd HH:mm", "2023-01-05 24:00"),
        ("yyyy-MM-dd h:mm a", "2023-01-05 13:00 PM"),
        ("yyyy-MM-dd h:mm a", "2023-01-05 1:00 pm"),
        ("EEE yyyy-MM-dd", "Fri 2023-01-05"),
        ("yyyy-DDD", "2023-366"),
        ("yyyy-MM-dd HH:mm:ss.SSS", "2023-01-05 08:03:07.09"),
        ("yyyy-MM-dd XXX", "2023-01-05 +19:00"),
        ("yyyy-MM-dd", "2023-01-05 trailing"),
    ],
)
def test_parse_timestamp_rejects_invalid_text(format_text: str, value: str) -> None:
    rows = _parse(f'parseTimestamp("{format_text}", field=ts, timezone=UTC)', value)
    assert column(rows, "@error") == ["true"]
    assert column(rows, "@timestamp") == ["1000"]


def test_parse_timestamp_clamps_day_to_month_end() -> None:
    # Java's smart resolution reads 2023-02-30 as 2023-02-28.
    rows = _parse('parseTimestamp("yyyy-MM-dd", field=ts, timezone=UTC)', "2023-02-30")
    assert column(rows, "@timestamp") == ["1677542400000"]


def test_parse_timestamp_case_insensitive() -> None:
    query = 'parseTimestamp("dd MMM yyyy h:mm a", field=ts, timezone=UTC, caseSensitive=false)'
    rows = _parse(query, "05 jan 2023 8:03 pm")
    assert column(rows, "@timestamp") == ["1672948980000"]


def test_parse_timestamp_guesses_missing_year() -> None:
    # Syslog timestamps: the query time is 2023-11-14T22:13:20Z.
    query = 'parseTimestamp("MMM d HH:mm:ss", field=ts, timezone=UTC)'
    rows = _parse(query, "Mar 15 07:48:13", "Dec 31 23:00:00", sql_only=False)
    assert column(rows, "@timestamp") == ["1678866493000", "1672527600000"]


def test_parse_timestamp_zone_names_fall_back() -> None:
    rows = _parse(
        'parseTimestamp("yyyy-MM-dd HH:mm z", field=ts)',
        "2023-01-05 08:03 PST",
        "2023-07-05 08:03 Europe/Paris",
        "2023-01-05 08:03 Nowhere",
        sql_only=False,
    )
    assert column(rows, "@timestamp") == ["1672934580000", "1688536980000", "3000"]
    assert column(rows, "@timezone") == ["America/Los_Angeles", "Europe/Paris", None]


def test_parse_timestamp_gmt_offset() -> None:
    rows = _parse(
        'parseTimestamp("yyyy-MM-dd HH:mm O", field=ts)', "2023-01-05 08:03 GMT+2", sql_only=False
    )
    assert column(rows, "@timestamp") == ["1672898580000"]
    assert column(rows, "@timezone") == ["+02:00"]


def test_parse_timestamp_without_zone_fails_and_warns() -> None:
    query = 'parseTimestamp("yyyy-MM-dd", field=ts)'
    assert "missing-timezone" in diagnostic_codes(query)
    rows = _parse(query, "2023-01-05")
    assert column(rows, "@error") == ["true"]


@pytest.mark.parametrize(
    "format_text",
    ["yyyy-MM-ddTHH:mm", "yyyy-MM-dd [HH", "yyyy-MM-dd 'T", "yyyy-ww", "HH:mm", "yyyy-MMMMMM-dd"],
)
def test_parse_timestamp_rejects_bad_patterns(format_text: str) -> None:
    assert "invalid-argument" in diagnostic_codes(f'parseTimestamp("{format_text}", field=ts)')


def test_parse_timestamp_warns_on_hour_without_marker() -> None:
    assert "missing-ampm" in diagnostic_codes(
        'parseTimestamp("yyyy-MM-dd hh", field=ts, timezone=UTC)'
    )


def test_parse_timestamp_needs_field() -> None:
    assert "missing-argument" in diagnostic_codes("parseTimestamp()")


def test_parse_timestamp_feeds_format_time() -> None:
    rows = _parse(
        'parseTimestamp(field=ts) | t := formatTime("%F %T", timezone="+01:00")',
        "2017-12-18T20:39:35Z",
    )
    assert column(rows, "t") == ["2017-12-18 21:39:35"]


# --- now() ---------------------------------------------------------------------------


def test_now_is_the_query_time() -> None:
    rows = run("x := now()", make_events({}, {}), resources=NOW, sql_only=True)
    assert column(rows, "x") == ["1700000000000", "1700000000000"]


def test_now_default_output_field() -> None:
    rows = run("now()", make_events({}), resources=NOW, sql_only=True)
    assert column(rows, "_now") == ["1700000000000"]


def test_now_in_an_expression() -> None:
    # functions-now: isOld := (now() - @timestamp) > 1000.
    events = make_events({"@timestamp": "1699999999500"}, {"@timestamp": "1690000000000"})
    rows = run(
        "isOld := (now() - @timestamp) > 1000 | sort(@id, order=asc)",
        events,
        resources=NOW,
        sql_only=True,
    )
    assert column(rows, "isOld") == ["false", "true"]


def test_now_is_fixed_for_the_whole_query() -> None:
    # Without Resources(now_ms=...), the first now() fixes the clock reading.
    rows = run("a := now() | b := now() | test(a == b)", make_events({}), sql_only=True)
    assert len(rows) == 1


def test_now_takes_no_other_argument() -> None:
    with pytest.raises(SemanticError):
        plan_query("now(field=x)")
