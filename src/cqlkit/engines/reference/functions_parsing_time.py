"""The reference engine's time functions: formatTime(), parseTimestamp() and now()."""

from __future__ import annotations

import math

from cqlkit.engines.reference.context import RunContext
from cqlkit.engines.reference.row import Row
from cqlkit.engines.reference.timestamps import (
    TimestampError,
    format_epoch,
    parse_epoch_number,
    parse_with_pattern,
)
from cqlkit.engines.reference.values import Value, to_number
from cqlkit.language.javatime import compile_java_pattern, iso_pattern
from cqlkit.language.timeformats import SECONDS_LIMIT, parse_time_format
from cqlkit.language.timezones import resolve_zone
from cqlkit.plan import nodes
from cqlkit.plan.signatures_parsing import DEFAULT_TIMESTAMP_FORMAT, EPOCH_FORMATS, QUERY_TIME

EPOCH_ZONE = "Z"
"""The zone id parseTimestamp() writes for the epoch formats, which are UTC."""


def format_time(call: nodes.BoundCall, event: Row) -> Value:
    """formatTime(): print the epoch time in ``field``; null when it is not a number."""
    number = to_number(event.get(call.text("field")))
    if number is None:
        return None
    epoch_ms = epoch_milliseconds(number, call.text("unit"))
    pieces = parse_time_format(call.text("format"))
    return format_epoch(pieces, epoch_ms, resolve_zone(call.text("timezone")))


def epoch_milliseconds(number: float, unit: str) -> int:
    """Convert an epoch number in ``unit`` (auto, seconds or milliseconds) to
    whole milliseconds, rounding down. Both engines multiply in binary floating
    point, so a fraction such as 0.123 s may round down to 122 ms."""
    seconds = unit == "seconds" or (unit == "auto" and number <= SECONDS_LIMIT)
    return math.floor(number * 1000 if seconds else number)


def now(call: nodes.BoundCall, event: Row) -> Value:
    """now(): the query time, fixed when the query was planned."""
    return call.get(QUERY_TIME)  # type: ignore[return-value]


def parse_timestamp(call: nodes.BoundCall, event: Row, context: RunContext) -> None:
    """parseTimestamp(): set ``as`` to the epoch in milliseconds and
    ``timezoneAs`` to the zone id.

    On failure ``as`` is left unchanged, and with ``addErrors`` (the default)
    ``@error`` is set to ``true`` and ``@error_msg`` to a message.
    NOTE: LogScale does not document its message text, so cqlkit writes its
    own (see :func:`timestamp_error`).
    """
    field = call.text("field")
    value = event.get(field)
    try:
        if value is None:
            raise TimestampError("missing field")
        epoch_ms, zone = read_timestamp(call, value)
    except TimestampError:
        if call.get("addErrors") is not False:
            event["@error"] = "true"
            event["@error_msg"] = timestamp_error(call, missing=value is None)
        return
    event[call.text("as")] = str(epoch_ms)
    event[call.text("timezoneAs")] = zone


def timestamp_error(call: nodes.BoundCall, *, missing: bool) -> str:
    """Return the ``@error_msg`` of a failed parseTimestamp()."""
    field = call.text("field")
    if missing:
        return f"parseTimestamp() found no field {field}"
    return f"parseTimestamp() could not parse {field} with the format {call.text('format')}"


def read_timestamp(call: nodes.BoundCall, value: str) -> tuple[int, str]:
    """Read ``value`` with the call's format; return epoch milliseconds and the zone id."""
    text = call.text("format")
    unit = EPOCH_FORMATS.get(text.lower())
    if unit is not None:
        return parse_epoch_number(value, unit), EPOCH_ZONE
    case_sensitive = call.get("caseSensitive") is not False
    if text == DEFAULT_TIMESTAMP_FORMAT:
        pattern = iso_pattern(text, case_sensitive)
    else:
        pattern = compile_java_pattern(text, case_sensitive)
    zone_name = call.get("timezone")
    zone = resolve_zone(zone_name) if isinstance(zone_name, str) else None
    query_time = call.get(QUERY_TIME)
    return parse_with_pattern(
        pattern, value, zone, query_time if isinstance(query_time, int) else None
    )
