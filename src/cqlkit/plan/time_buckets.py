"""Time buckets of bucket() and timeChart(): the span, the time zone that
aligns bucket starts, and the series limit. :mod:`cqlkit.plan.chart_units`
converts their values.

Both engines read a call's options through :func:`chart_options`, and the
planner calls the same parsers so that a bad span, time zone or unit is a
check-time error.

LogScale divides the query's search interval into buckets. cqlkit runs
offline without a search interval, so it uses the time range of the events
that reach the function: from the smallest to the largest event time, both
included. ``span=auto`` and ``buckets=N`` derive the span from that range.

A bucket starts at a multiple of the span counted from the Unix epoch in the
function's time zone (UTC unless ``timezone=`` sets another), so that
``span=1h`` buckets start on the hour and ``span=1d`` buckets at local
midnight. That is why ``buckets=24`` over a day of events that does not start
on the hour gives 25 buckets, as LogScale's bucket() page shows.
https://library.humio.com/data-analysis/functions-bucket.html
"""

from __future__ import annotations

import math
import re
import zoneinfo
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime

from cqlkit.plan.chart_units import UnitConversion, parse_unit
from cqlkit.timeranges import parse_duration

AUTO = "auto"
MAX_AUTO_BUCKETS = 100
"""span=auto picks the shortest span of :data:`AUTO_SPANS_MS` that divides the
time range into at most this many buckets.

NOTE: LogScale does not document how it chooses an automatic span; this
ladder of round spans and the bucket count are cqlkit's choice.
"""

_SECOND = 1000
_MINUTE = 60 * _SECOND
_HOUR = 60 * _MINUTE
_DAY = 24 * _HOUR
_YEAR = 365 * _DAY
AUTO_SPANS_MS: tuple[int, ...] = (
    *(n * _SECOND for n in (1, 5, 10, 15, 30)),
    *(n * _MINUTE for n in (1, 5, 10, 15, 30)),
    *(n * _HOUR for n in (1, 2, 3, 6, 12)),
    *(n * _DAY for n in (1, 2, 7, 14, 30, 90, 365)),
)

BUCKET_FIELD = "_bucket"
"""The output field with the bucket start in epoch milliseconds."""

SERIES_LIMIT_MESSAGE = (
    "{name}() found {total} series, more than its limit of {limit}; it kept the {limit}"
    " with the highest values. Set limit= (at most 500) to choose how many"
)
"""The warning when the default series limit drops series; ``{name}``,
``{limit}`` and ``{total}`` are filled in. A limit written in the query drops
series without a warning, as LogScale's timeChart() page describes."""

_FIXED_OFFSET = re.compile(r"([+-])(\d{1,2})(?::?(\d{2}))?")


@dataclass(frozen=True)
class FixedOffset:
    """A time zone at a constant offset from UTC, in milliseconds."""

    milliseconds: int


Timezone = FixedOffset | zoneinfo.ZoneInfo
UTC_ZONE = FixedOffset(0)


def parse_span(text: str) -> int | None:
    """Return the span in milliseconds of ``span=``/``minSpan=`` text, or None for ``auto``.

    Raises ValueError for text that is neither ``auto`` nor a positive relative
    time such as ``1h`` or ``15 minutes``. Anchored spans such as ``1d@d`` are
    rejected, as LogScale rejects them in bucket spans.
    """
    stripped = text.strip()
    if stripped.lower() == AUTO:
        return None
    span = parse_duration(stripped.lower())
    if span <= 0:
        raise ValueError(f"invalid span {text!r}: the span must be longer than 0")
    return span


def parse_timezone(text: str) -> Timezone:
    """Return the time zone named by ``timezone=``: an offset such as ``+02:00``
    or ``-0500``, ``UTC``, ``Z``, or a tz database name such as ``Europe/Paris``.

    Raises ValueError when the text is none of these.
    """
    stripped = text.strip()
    if stripped.upper() in ("UTC", "Z", "GMT"):
        return UTC_ZONE
    match = _FIXED_OFFSET.fullmatch(stripped)
    if match is not None:
        hours, minutes = int(match[2]), int(match[3] or 0)
        if hours > 18 or minutes > 59:
            raise ValueError(
                f"invalid time zone offset {text!r}: offsets range from -18:00 to +18:00"
            )
        sign = -1 if match[1] == "-" else 1
        return FixedOffset(sign * (hours * _HOUR + minutes * _MINUTE))
    try:
        return zoneinfo.ZoneInfo(stripped)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        raise ValueError(
            f"unknown time zone {text!r}: use an offset such as +02:00, UTC "
            "or a tz database name such as Europe/Paris"
        ) from None


# --- options of one call -------------------------------------------------------------


@dataclass(frozen=True)
class ChartOptions:
    """The bucketing options of one bucket() or timeChart() call.

    ``series`` names the fields whose value combinations are series: ``field``
    of bucket() or ``series`` of timeChart(). ``units`` pairs up with
    ``unit_fields``: one conversion for every output field (``unit_fields``
    empty), or one per function output field.
    """

    name: str
    series: tuple[str, ...]
    span_ms: int | None
    buckets: int | None
    min_span_ms: int | None
    timezone: Timezone
    limit: int
    warn_on_limit: bool
    units: tuple[UnitConversion, ...]
    unit_fields: tuple[str, ...]

    def unit_for(self, field: str) -> UnitConversion | None:
        """Return the conversion of output field ``field``, or None when it has none."""
        if not self.unit_fields:
            return self.units[0] if self.units else None
        for unit_field, unit in zip(self.unit_fields, self.units, strict=True):
            if unit_field == field:
                return unit
        return None


def chart_options(
    name: str, arguments: Mapping[str, object], explicit: frozenset[str]
) -> ChartOptions:
    """Read the options of a bound bucket() or timeChart() call.

    Raises ValueError for an invalid span, time zone or unit; the planner
    reports those at check time.
    """
    series_argument = arguments.get("field" if name == "bucket" else "series")
    if isinstance(series_argument, tuple):
        series = tuple(dict.fromkeys(str(item) for item in series_argument))
    else:
        series = () if series_argument is None else (str(series_argument),)
    span = parse_span(str(arguments.get("span") or AUTO))
    min_span_text = arguments.get("minSpan")
    min_span = None if min_span_text is None else parse_span(str(min_span_text))
    zone_text = arguments.get("timezone")
    zone = UTC_ZONE if zone_text is None else parse_timezone(str(zone_text))
    buckets = arguments.get("buckets")
    limit = arguments.get("limit")
    units_text = arguments.get("unit")
    units = (
        tuple(parse_unit(str(item)) for item in units_text) if isinstance(units_text, tuple) else ()
    )
    return ChartOptions(
        name=name,
        series=series,
        span_ms=span,
        buckets=int(buckets) if isinstance(buckets, int | float) else None,
        min_span_ms=min_span,
        timezone=zone,
        limit=int(limit) if isinstance(limit, int | float) else 10,
        warn_on_limit="limit" not in explicit,
        units=units,
        unit_fields=_unit_fields(arguments.get("function"), units),
    )


def _unit_fields(functions: object, units: tuple[UnitConversion, ...]) -> tuple[str, ...]:
    """Return the output field that each conversion applies to, or () when one
    conversion applies to every output field."""
    if len(units) <= 1 or not isinstance(functions, tuple):
        return ()
    fields = []
    for function in functions:
        output = getattr(function, "arguments", {}).get("as")
        if output is None:
            raise ValueError("with several units, each function needs an output field (as=)")
        fields.append(str(output))
    if len(fields) != len(units):
        raise ValueError(
            f"unit lists {len(units)} conversions for {len(fields)} functions:"
            " give one conversion, or one per function"
        )
    return tuple(fields)


# --- span and bucket arithmetic -------------------------------------------------------


def auto_span(interval_ms: float) -> float:
    """Return the span that ``span=auto`` picks for a time range of ``interval_ms``."""
    for span in AUTO_SPANS_MS:
        if interval_ms <= MAX_AUTO_BUCKETS * span:
            return float(span)
    return float(math.ceil(interval_ms / (MAX_AUTO_BUCKETS * _YEAR)) * _YEAR)


def choose_span(options: ChartOptions, first_ms: float, last_ms: float) -> tuple[float, str | None]:
    """Return the bucket span for events from ``first_ms`` to ``last_ms`` and a
    warning when minSpan is longer than that range (the range is then the minimum)."""
    interval = last_ms - first_ms + 1
    if options.span_ms is not None:
        span = float(options.span_ms)
    elif options.buckets is not None:
        span = float(math.ceil(interval / options.buckets))
    else:
        span = auto_span(interval)
    if options.min_span_ms is None:
        return span, None
    minimum = float(options.min_span_ms)
    warning = None
    if minimum > interval:
        warning = (
            f"{options.name}() minSpan is longer than the time range of the events;"
            " the range is used as the minimum span"
        )
        minimum = interval
    return max(span, minimum), warning


def bucket_start(time_ms: float, span_ms: float, zone: Timezone) -> float:
    """Return the start, in epoch milliseconds, of the bucket that contains ``time_ms``.

    For a tz database zone the offset is the one in force at ``time_ms``, and
    the start is the local bucket start converted back to UTC (the earlier
    instant when the local time occurs twice).
    """
    if isinstance(zone, FixedOffset):
        offset = zone.milliseconds
        return float(math.floor((time_ms + offset) / span_ms) * span_ms - offset)
    offset = _zone_offset_ms(time_ms, zone)
    local_start = math.floor((time_ms + offset) / span_ms) * span_ms
    wall = datetime.fromtimestamp(local_start / 1000, UTC).replace(tzinfo=zone)
    delta = wall.utcoffset()
    start_offset = 0 if delta is None else int(delta.total_seconds() * 1000)
    return float(local_start - start_offset)


def _zone_offset_ms(time_ms: float, zone: zoneinfo.ZoneInfo) -> int:
    moment = datetime.fromtimestamp(time_ms / 1000, UTC).astimezone(zone)
    delta = moment.utcoffset()
    return 0 if delta is None else int(delta.total_seconds() * 1000)
