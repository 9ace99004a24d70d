"""parse_time and parse_duration: LogScale relative times, ISO 8601, epoch milliseconds, now."""

from __future__ import annotations

import pytest

from cqlkit.timeranges import RELATIVE_TIME_UNITS, parse_duration, parse_time

NOW = 1_700_000_000_000
SECOND = 1000
MINUTE = 60 * SECOND
HOUR = 60 * MINUTE
DAY = 24 * HOUR

TIME_CASES = [
    ("now", NOW),
    ("NOW", NOW),
    ("7d", NOW - 7 * DAY),
    ("24h", NOW - 24 * HOUR),
    ("1h", NOW - HOUR),
    ("15m", NOW - 15 * MINUTE),
    ("30s", NOW - 30 * SECOND),
    ("2w", NOW - 14 * DAY),
    ("1y", NOW - 365 * DAY),
    ("5min", NOW - 5 * MINUTE),
    ("3 weeks", NOW - 21 * DAY),
    ("10 minutes", NOW - 10 * MINUTE),
    ("2 hours", NOW - 2 * HOUR),
    ("10seconds", NOW - 10 * SECOND),
    ("250ms", NOW - 250),
    ("1 millisecond", NOW - 1),
    ("90 millis", NOW - 90),
    ("3hrs", NOW - 3 * HOUR),
    ("1hr", NOW - HOUR),
    ("2 days", NOW - 2 * DAY),
    ("1mon", NOW - 30 * DAY),
    ("2 months", NOW - 60 * DAY),
    ("1q", NOW - 90 * DAY),
    ("1 qtr", NOW - 90 * DAY),
    ("2yrs", NOW - 2 * 365 * DAY),
    ("0s", NOW),
    ("  7d  ", NOW - 7 * DAY),
    ("1603346063975", 1603346063975),
    ("0", 0),
    ("2020-10-22", 1603324800000),
    ("2020-10-22T05:54:23Z", 1603346063000),
    ("2020-10-22T05:54:23.975Z", 1603346063975),
    ("2020-10-22T05:54:23.975", 1603346063975),
    ("2020-10-22 05:54:23.975", 1603346063975),
    ("2020-10-22T07:54:23.975+02:00", 1603346063975),
    ("2020-10-22T05:54:23.975999Z", 1603346063975),
    ("2020-10-22T05:54", 1603346040000),
]


@pytest.mark.parametrize(("text", "expected"), TIME_CASES, ids=[case[0] for case in TIME_CASES])
def test_parse_time(text: str, expected: int) -> None:
    assert parse_time(text, NOW) == expected


INVALID_CASES = [
    "",
    "   ",
    "yesterday",
    "7 fortnights",
    "7D",
    "-7d",
    "1.5h",
    "2020-13-01",
    "now-1h",
    "h",
]


@pytest.mark.parametrize("text", INVALID_CASES, ids=[repr(text) for text in INVALID_CASES])
def test_parse_time_invalid(text: str) -> None:
    with pytest.raises(ValueError) as caught:
        parse_time(text, NOW)

    message = str(caught.value)
    assert repr(text) in message
    assert "7d" in message
    assert "ISO 8601" in message
    assert "epoch milliseconds" in message


def test_unknown_unit_named() -> None:
    with pytest.raises(ValueError, match="unknown unit 'fortnights'"):
        parse_time("7 fortnights", NOW)


def test_every_documented_unit() -> None:
    documented = {
        "millisecond milliseconds millis ms": 1,
        "second seconds s sec secs": SECOND,
        "minute minutes m min": MINUTE,
        "hour hours h hr hrs": HOUR,
        "day days d": DAY,
        "week weeks w": 7 * DAY,
        "month months mon": 30 * DAY,
        "quarter quarters q qtr qtrs": 90 * DAY,
        "year years y yr yrs": 365 * DAY,
    }
    expected = {unit: length for units, length in documented.items() for unit in units.split()}

    assert expected == RELATIVE_TIME_UNITS


def test_parse_duration() -> None:
    assert parse_duration("24h") == 24 * HOUR
    assert parse_duration("3 weeks") == 21 * DAY


def test_parse_duration_invalid() -> None:
    with pytest.raises(ValueError, match="invalid relative time '2020-10-22'"):
        parse_duration("2020-10-22")
