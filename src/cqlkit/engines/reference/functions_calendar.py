"""The reference engine's calendar functions (time:hour() and its kin),
duration(), parseUrl() and parseCsv().

The time:* functions read epoch milliseconds from ``field`` and return one
part of that instant's wall-clock time. The zone is ``timezone=`` when given,
else the zone named in the event's ``timezoneField`` (``@timezone``, which
parseTimestamp() sets), else UTC, the query's zone offline. A zone field
whose value names no zone counts as absent. parseUrl() and parseCsv() live in
:mod:`~cqlkit.engines.reference.functions_calendar_urls` and
:mod:`~cqlkit.engines.reference.functions_calendar_csv`.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from cqlkit.engines.reference.family import Expanders, Transforms, ValueFunctions
from cqlkit.engines.reference.functions_calendar_csv import parse_csv
from cqlkit.engines.reference.functions_calendar_urls import parse_url
from cqlkit.engines.reference.row import Row
from cqlkit.engines.reference.values import Value, to_number
from cqlkit.language.timeformats import MAX_EPOCH_MS, MIN_EPOCH_MS
from cqlkit.language.timezones import UTC_ZONE, TimeZoneError, Zone, resolve_zone
from cqlkit.plan import nodes
from cqlkit.plan.signatures_calendar import DURATION_MS, TIME_PARTS

DAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
MONTH_NAMES = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)

_PARTS: dict[str, Callable[[datetime], int | str]] = {
    "time:dayOfMonth": lambda moment: moment.day,
    "time:dayOfWeek": lambda moment: moment.isoweekday(),
    "time:dayOfWeekName": lambda moment: DAY_NAMES[moment.weekday()],
    "time:dayOfYear": lambda moment: moment.timetuple().tm_yday,
    "time:hour": lambda moment: moment.hour,
    "time:millisecond": lambda moment: moment.microsecond // 1000,
    "time:minute": lambda moment: moment.minute,
    "time:month": lambda moment: moment.month,
    "time:monthName": lambda moment: MONTH_NAMES[moment.month - 1],
    "time:second": lambda moment: moment.second,
    # ISO 8601 weeks start on Monday, and week 1 contains the year's first Thursday.
    "time:weekOfYear": lambda moment: moment.isocalendar().week,
    "time:year": lambda moment: moment.year,
}
assert _PARTS.keys() == TIME_PARTS.keys()


def local_time(call: nodes.BoundCall, event: Row) -> datetime | None:
    """Return the wall-clock time of the instant in ``field``, or None when the
    field is missing, not a number, or outside the years 1 to 9999.

    A fraction of a millisecond is rounded down, as formatTime() does.
    """
    number = to_number(event.get(call.text("field")))
    if number is None:
        return None
    epoch_ms = math.floor(number)
    if not MIN_EPOCH_MS <= epoch_ms <= MAX_EPOCH_MS:
        return None
    instant = _EPOCH + timedelta(milliseconds=epoch_ms)
    return instant.astimezone(event_zone(call, event).tzinfo())


def event_zone(call: nodes.BoundCall, event: Row) -> Zone:
    """Return ``timezone=``, else the zone in the event's ``timezoneField``, else UTC.

    The field must contain a zone id exactly (``Z``, ``+02:00``, ``Europe/Paris``);
    surrounding spaces or an unknown name make it count as absent.
    """
    argument = call.get("timezone")
    if isinstance(argument, str):
        return resolve_zone(argument)
    text = event.get(call.text("timezoneField"))
    if text is None or text != text.strip():
        return UTC_ZONE
    try:
        return resolve_zone(text)
    except TimeZoneError:
        return UTC_ZONE


def _time_part(name: str) -> Callable[[nodes.BoundCall, Row], Value]:
    part = _PARTS[name]

    def read_part(call: nodes.BoundCall, event: Row) -> Value:
        moment = local_time(call, event)
        return None if moment is None else part(moment)

    return read_part


def _duration(call: nodes.BoundCall, event: Row) -> Value:
    """duration(): the length of a relative time in milliseconds, bound at check time."""
    return call.get(DURATION_MS)  # type: ignore[return-value]


VALUE_FUNCTIONS: ValueFunctions = {name: _time_part(name) for name in TIME_PARTS}
VALUE_FUNCTIONS["duration"] = _duration
TRANSFORMS: Transforms = {"parseUrl": parse_url, "parseCsv": parse_csv}
EXPANDERS: Expanders = {}
