"""Tests of the time:* functions and duration() on both engines."""

from __future__ import annotations

import pytest

from helpers import column, diagnostic_codes, make_events, run

# 2025-08-27T08:51:51.312Z, the instant of the time:* reference pages' examples.
AUGUST = "1756284711312"
# 2021-01-01T12:00:00Z, a Friday in ISO week 53 of 2020.
NEW_YEAR_2021 = "1609502400000"
# 2024-12-30T00:30:00Z, a Monday in ISO week 1 of 2025.
LATE_DECEMBER_2024 = "1735518600000"
# 2024-12-31T23:00:00Z, the 366th day of a leap year.
LEAP_YEAR_END = "1735686000000"
# 2023-01-01T10:00:00Z, a Sunday.
SUNDAY = "1672567200000"
# 2025-03-30T00:30:00Z and 01:30Z, before and after Paris moves its clocks forward.
BEFORE_SUMMER_TIME = "1743294600000"
AFTER_SUMMER_TIME = "1743298200000"


def _value(query: str, output: str, **fields: str) -> str | None:
    """Run ``query`` on one event and return ``output`` of the single row."""
    rows = run(query, make_events(fields), sql_only=True)
    return rows[0].get(output)


# --- time:* ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("function", "expected"),
    [
        # The instant of the reference pages' examples, 2025-08-27 08:51:51.312 UTC.
        ("time:dayOfMonth", "27"),
        ("time:dayOfWeek", "3"),
        ("time:dayOfWeekName", "Wednesday"),
        ("time:dayOfYear", "239"),
        ("time:hour", "8"),
        ("time:millisecond", "312"),
        ("time:minute", "51"),
        ("time:month", "8"),
        ("time:monthName", "August"),
        ("time:second", "51"),
        ("time:weekOfYear", "35"),
        ("time:year", "2025"),
    ],
)
def test_time_part_documented_examples(function: str, expected: str) -> None:
    assert _value(f"{function}(timestamp, as=part)", "part", timestamp=AUGUST) == expected


@pytest.mark.parametrize(
    ("function", "output"),
    [
        ("time:dayOfMonth", "_dayOfMonth"),
        ("time:dayOfWeek", "_dayOfWeek"),
        ("time:dayOfWeekName", "_dayOfWeekName"),
        ("time:dayOfYear", "_dayOfYear"),
        ("time:hour", "_hour"),
        ("time:millisecond", "_millisecond"),
        ("time:minute", "_minute"),
        ("time:month", "_month"),
        ("time:monthName", "_monthName"),
        ("time:second", "_second"),
        ("time:weekOfYear", "_weekOfYear"),
        ("time:year", "_year"),
    ],
)
def test_time_part_defaults_to_timestamp(function: str, output: str) -> None:
    rows = run(f"{function}()", make_events({"@timestamp": AUGUST}), sql_only=True)
    assert rows[0].get(output) is not None


def test_time_part_in_assignment_and_filter() -> None:
    # The hunting corpus writes hour := time:hour(@timestamp) and filters on it.
    events = make_events({"@timestamp": AUGUST}, {"@timestamp": SUNDAY})
    rows = run("hour := time:hour(@timestamp) | hour < 9 | select([hour])", events, sql_only=True)
    assert column(rows, "hour") == ["8"]


def test_time_part_inside_expression() -> None:
    events = make_events({"@timestamp": AUGUST}, {"@timestamp": SUNDAY})
    rows = run("test(time:dayOfWeek(@timestamp) == 7)", events, sql_only=True)
    assert column(rows, "@timestamp") == [SUNDAY]


def test_time_part_groups_events() -> None:
    events = make_events({"@timestamp": AUGUST}, {"@timestamp": AUGUST}, {"@timestamp": SUNDAY})
    rows = run(
        "day := time:dayOfWeekName() | groupBy(day) | sort(day, order=asc, type=string)",
        events,
        sql_only=True,
    )
    assert [(row["day"], row["_count"]) for row in rows] == [("Sunday", "1"), ("Wednesday", "2")]


@pytest.mark.parametrize(
    ("function", "instant", "expected"),
    [
        ("time:weekOfYear", NEW_YEAR_2021, "53"),
        ("time:year", NEW_YEAR_2021, "2021"),
        ("time:dayOfWeek", NEW_YEAR_2021, "5"),
        ("time:weekOfYear", LATE_DECEMBER_2024, "1"),
        ("time:year", LATE_DECEMBER_2024, "2024"),
        ("time:dayOfYear", LEAP_YEAR_END, "366"),
        ("time:dayOfWeek", SUNDAY, "7"),
        ("time:dayOfWeekName", SUNDAY, "Sunday"),
        ("time:weekOfYear", SUNDAY, "52"),
        ("time:monthName", SUNDAY, "January"),
    ],
)
def test_time_part_iso_week_edges(function: str, instant: str, expected: str) -> None:
    # ISO 8601 weeks start on Monday; a year's first week contains its first Thursday.
    assert _value(f"{function}(t, as=part)", "part", t=instant) == expected


def test_time_part_before_1970_and_fractions() -> None:
    # -1 is 1969-12-31T23:59:59.999Z; a fraction of a millisecond is rounded down.
    assert _value("time:millisecond(t, as=part)", "part", t="-1") == "999"
    assert _value("time:year(t, as=part)", "part", t="-1") == "1969"
    assert _value("time:millisecond(t, as=part)", "part", t="1756284711312.9") == "312"


@pytest.mark.parametrize(
    ("timezone", "expected"),
    [
        ("-01:00", "7"),
        ("+05:30", "14"),
        ("UTC+2", "10"),
        ("Z", "8"),
        ("Asia/Tokyo", "17"),
        ("America/New_York", "4"),
        ("PST", "1"),
        ("EST", "3"),
    ],
)
def test_time_part_timezone_parameter(timezone: str, expected: str) -> None:
    query = f'time:hour(t, timezone="{timezone}", as=part)'
    assert _value(query, "part", t=AUGUST) == expected


def test_time_part_region_follows_summer_time() -> None:
    query = 'time:hour(t, timezone="Europe/Paris", as=part)'
    assert _value(query, "part", t=BEFORE_SUMMER_TIME) == "1"
    assert _value(query, "part", t=AFTER_SUMMER_TIME) == "3"


def test_time_part_zone_crosses_midnight() -> None:
    # 2025-08-24T23:30Z is Monday 25 August in Tokyo.
    query = 'time:dayOfWeekName(t, timezone="Asia/Tokyo", as=part)'
    assert _value(query, "part", t="1756078200000") == "Monday"


@pytest.mark.parametrize(
    ("zone", "expected"),
    [
        ("Z", "8"),
        ("+02:00", "10"),
        ("-0330", "5"),
        ("UTC+01:00", "9"),
        ("Europe/Paris", "10"),
        ("PST", "1"),
        ("MST", "1"),
        ("Nowhere/Land", "8"),
        (" +02:00", "8"),
        ("+19:00", "8"),
        ("", "8"),
    ],
)
def test_time_part_reads_event_timezone(zone: str, expected: str) -> None:
    # @timezone contains the event's zone (parseTimestamp() sets it); a value that
    # names no zone counts as absent, so the hour is UTC's.
    fields = {"@timestamp": AUGUST, "@timezone": zone}
    assert _value("time:hour(as=part)", "part", **fields) == expected


def test_time_part_zones_differ_per_event() -> None:
    events = make_events(
        {"@timestamp": AUGUST, "@timezone": "+02:00"},
        {"@timestamp": AUGUST, "@timezone": "America/New_York"},
        {"@timestamp": AUGUST},
    )
    rows = run("h := time:hour() | select([@id, h]) | sort(@id, order=asc)", events, sql_only=True)
    assert column(rows, "h") == ["10", "4", "8"]


def test_time_part_timezone_parameter_wins_over_field() -> None:
    fields = {"@timestamp": AUGUST, "@timezone": "+02:00"}
    assert _value('time:hour(timezone="-01:00", as=part)', "part", **fields) == "7"


def test_time_part_custom_timezone_field() -> None:
    fields = {"@timestamp": AUGUST, "zone": "Asia/Tokyo", "@timezone": "+02:00"}
    assert _value("time:hour(timezoneField=zone, as=part)", "part", **fields) == "17"


def test_time_part_after_parse_timestamp() -> None:
    # parseTimestamp() writes the zone of the text to @timezone.
    fields = {"text": "2025-08-27T10:51:51+02:00"}
    query = "parseTimestamp(field=text) | time:hour(as=part)"
    assert _value(query, "part", **fields) == "10"


@pytest.mark.parametrize("value", ["", "yesterday", "12 34", "1e400"])
def test_time_part_ignores_non_numbers(value: str) -> None:
    assert _value("time:hour(t, as=part)", "part", t=value) is None


def test_time_part_ignores_missing_field() -> None:
    assert _value("time:hour(nothing, as=part)", "part", t=AUGUST) is None


def test_time_part_ignores_out_of_range_instants() -> None:
    # After 9999-12-30 and before 0001-01-02, as formatTime() does.
    assert _value("time:year(t, as=part)", "part", t="253402300800000") is None
    assert _value("time:year(t, as=part)", "part", t="-62135596800000") is None


def test_time_part_keeps_output_when_input_is_missing() -> None:
    fields = {"part": "kept"}
    assert _value("time:hour(nothing, as=part)", "part", **fields) == "kept"


@pytest.mark.parametrize(
    "query",
    [
        'time:hour(timezone="Mars/Olympus")',
        'time:year(timezone="+25:00")',
        'time:minute(timezone="")',
    ],
)
def test_time_part_rejects_bad_timezone(query: str) -> None:
    assert "invalid-argument" in diagnostic_codes(query)


def test_time_part_rejects_unknown_parameter() -> None:
    assert "unknown-parameter" in diagnostic_codes("time:hour(locale=en)")


# --- duration() --------------------------------------------------------------------


def test_duration_documented_example() -> None:
    # functions-duration, "Compare Two Timestamps": keep operations longer than 5 minutes.
    events = make_events(
        {"startTime": "1756284711312", "endTime": "1756285111312"},
        {"startTime": "1756284711312", "endTime": "1756284771312"},
    )
    rows = run('diff := endTime - startTime | test(diff > duration("5m"))', events, sql_only=True)
    assert column(rows, "diff") == ["400000"]


@pytest.mark.parametrize(
    ("text", "milliseconds"),
    [
        ("250ms", "250"),
        ("10s", "10000"),
        ("10seconds", "10000"),
        ("5m", "300000"),
        ("90min", "5400000"),
        ("2h", "7200000"),
        ("2 hours", "7200000"),
        ("1d", "86400000"),
        ("3 weeks", "1814400000"),
        ("1mon", "2592000000"),
        ("1q", "7776000000"),
        ("1y", "31536000000"),
        ("0s", "0"),
    ],
)
def test_duration_units(text: str, milliseconds: str) -> None:
    # Relative time syntax: a month is 30 days, a quarter 90 and a year 365.
    assert _value(f'd := duration("{text}")', "d") == milliseconds


def test_duration_default_output_and_as() -> None:
    assert _value('duration("1h")', "_duration") == "3600000"
    assert _value('duration("1h", as=span)', "span") == "3600000"


def test_duration_unquoted_argument() -> None:
    assert _value("d := duration(15m)", "d") == "900000"


@pytest.mark.parametrize("text", ["5 parsecs", "1d@d", "-5m", "m", "5.5m", ""])
def test_duration_rejects_invalid_relative_time(text: str) -> None:
    assert "invalid-argument" in diagnostic_codes(f'd := duration("{text}")')


def test_duration_requires_argument() -> None:
    assert "missing-argument" in diagnostic_codes("d := duration()")
