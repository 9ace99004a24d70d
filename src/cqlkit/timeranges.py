"""Parsing of query time range bounds: LogScale relative times, ISO 8601 and epoch milliseconds.

LogScale's relative time syntax is a whole number, an optional space and a unit word, such
as ``2h``, ``2 hours`` or ``3 weeks``. A month counts as 30 days, a quarter as 90 days and a
year as 365 days.
https://library.humio.com/data-analysis/syntax-time-relative.html

NOTE: the calendar units and anchors of newer LogScale versions (``1d@d``,
``calendar:...``) are not accepted.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

_SECOND_MS = 1000
_MINUTE_MS = 60 * _SECOND_MS
_HOUR_MS = 60 * _MINUTE_MS
_DAY_MS = 24 * _HOUR_MS

#: Length in milliseconds of each unit word of LogScale's relative time syntax.
RELATIVE_TIME_UNITS: dict[str, int] = {
    **dict.fromkeys(("ms", "millis", "millisecond", "milliseconds"), 1),
    **dict.fromkeys(("s", "sec", "secs", "second", "seconds"), _SECOND_MS),
    **dict.fromkeys(("m", "min", "minute", "minutes"), _MINUTE_MS),
    **dict.fromkeys(("h", "hr", "hrs", "hour", "hours"), _HOUR_MS),
    **dict.fromkeys(("d", "day", "days"), _DAY_MS),
    **dict.fromkeys(("w", "week", "weeks"), 7 * _DAY_MS),
    **dict.fromkeys(("mon", "month", "months"), 30 * _DAY_MS),
    **dict.fromkeys(("q", "qtr", "qtrs", "quarter", "quarters"), 90 * _DAY_MS),
    **dict.fromkeys(("y", "yr", "yrs", "year", "years"), 365 * _DAY_MS),
}

_RELATIVE_TIME = re.compile(r"(?P<count>[0-9]+)\s*(?P<unit>[a-z]+)")

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_ONE_MS = timedelta(milliseconds=1)

ACCEPTED_FORMS = (
    "a relative time such as 7d, 24h, 15m, 30s, 2w, 1y or '3 weeks' "
    "(units: ms, s, m, min, h, d, w, mon, q, y and their long forms), "
    "an ISO 8601 date or date and time such as 2020-10-22 or 2020-10-22T05:54:23Z "
    "(UTC when no offset is given), epoch milliseconds such as 1603346063975, or 'now'"
)


def parse_duration(text: str) -> int:
    """Return the length in milliseconds of a LogScale relative time such as ``24h``.

    Raises ValueError naming the text and the accepted units when it is not a relative time.
    """
    match = _RELATIVE_TIME.fullmatch(text.strip())
    if match is None:
        raise ValueError(
            f"invalid relative time {text!r}: expected a whole number and a unit, "
            f"such as 7d, 24h or '3 weeks' (units: {_unit_list()})"
        )
    unit = match["unit"]
    unit_ms = RELATIVE_TIME_UNITS.get(unit)
    if unit_ms is None:
        raise ValueError(f"invalid relative time {text!r}: unknown unit {unit!r} ({_unit_list()})")
    return int(match["count"]) * unit_ms


def parse_time(text: str, now_ms: int) -> int:
    """Convert a time range bound to epoch milliseconds.

    Accepted forms:

    - ``now``, which is ``now_ms``.
    - A relative time (``7d``, ``15m``, ``3 weeks``), which means that long before ``now_ms``.
    - Epoch milliseconds. Digits alone are always epoch milliseconds, so ``20201022`` is a
      time in 1970, not a date.
    - An ISO 8601 date (midnight UTC) or date and time, read as UTC when it has no offset.
      Sub-millisecond digits are dropped.

    Raises ValueError naming the text and the accepted forms.
    """
    stripped = text.strip()
    if not stripped:
        raise ValueError(f"invalid time {text!r}: the value is empty. Expected {ACCEPTED_FORMS}")
    if stripped.lower() == "now":
        return now_ms
    if stripped.isdigit():
        return int(stripped)
    if _RELATIVE_TIME.fullmatch(stripped):
        try:
            return now_ms - parse_duration(stripped)
        except ValueError as exc:
            raise ValueError(f"{exc}. Expected {ACCEPTED_FORMS}") from None
    try:
        moment = datetime.fromisoformat(stripped)
    except ValueError:
        raise ValueError(f"invalid time {text!r}. Expected {ACCEPTED_FORMS}") from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return (moment - _EPOCH) // _ONE_MS


def _unit_list() -> str:
    return ", ".join(RELATIVE_TIME_UNITS)
