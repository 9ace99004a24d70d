"""Signatures of the time, parsing and event-making functions, and their
check-time validation.

:func:`check_parsing_arguments` runs when a call of this family is bound. It
rejects format strings, patterns and time zones that no engine could use. It
also binds the query time that now(), createEvents() and year-less timestamps
need, so that both engines see one fixed value.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from typing import TYPE_CHECKING

from cqlkit.language import ast
from cqlkit.language.javatime import JavaPatternError, compile_java_pattern
from cqlkit.language.timeformats import TimeFormatError, parse_time_format, uses_names
from cqlkit.language.timezones import TimeZoneError, resolve_zone
from cqlkit.plan.signature import FunctionKind, FunctionSpec, ParamType, output, param

if TYPE_CHECKING:
    from cqlkit.plan.nodes import ArgumentValue
    from cqlkit.plan.planner import Planner

T, A = FunctionKind.TRANSFORM, FunctionKind.AGGREGATE
P = ParamType

DEFAULT_TIMESTAMP_FORMAT = "yyyy-MM-dd'T'HH:mm:ss[.SSSSSSSSS]XXXXX"
"""parseTimestamp()'s default format, which cqlkit reads as lenient ISO 8601."""
EPOCH_FORMATS = {
    "seconds": "seconds",
    "unixtime": "seconds",
    "unixtimeseconds": "seconds",
    "milliseconds": "milliseconds",
    "millis": "milliseconds",
    "unixtimemillis": "milliseconds",
    "nanos": "nanoseconds",
}
"""parseTimestamp()'s special formats (any case) and the unit each reads."""
QUERY_TIME = "query_time"
"""The hidden argument that carries the query time in epoch milliseconds."""
_ENGLISH_LOCALES = ("en", "us", "gb")

SPECS: tuple[FunctionSpec, ...] = (
    FunctionSpec(
        "formatTime",
        T,
        (
            param("format", P.STRING, required=True),
            param("as", P.FIELD, required=True),
            param("field", P.FIELD, default="@timestamp"),
            param("timezone", P.STRING, default="UTC"),
            param("locale", P.STRING),
            param("unit", P.CHOICE, default="auto", choices=("auto", "milliseconds", "seconds")),
        ),
        unnamed="format",
    ),
    FunctionSpec(
        "parseTimestamp",
        T,
        (
            param("format", P.STRING, default=DEFAULT_TIMESTAMP_FORMAT),
            param("field", P.FIELD, required=True),
            output("@timestamp"),
            param("timezone", P.STRING),
            param("timezoneAs", P.FIELD, default="@timezone"),
            param("caseSensitive", P.BOOLEAN, default="true"),
            param("addErrors", P.BOOLEAN, default="true"),
        ),
        unnamed="format",
        output_fields=lambda arguments: _parse_timestamp_outputs(arguments),
    ),
    FunctionSpec("now", T, (output("_now"),), unnamed="as"),
    FunctionSpec(
        "parseJson",
        T,
        (
            param("field", P.FIELD, default="@rawstring"),
            param("prefix", P.STRING, default=""),
            param("exclude", P.VALUES),
            param("include", P.VALUES),
            param("removePrefixes", P.VALUES),
            param("excludeEmpty", P.BOOLEAN, default="false"),
            param("handleNull", P.CHOICE, default="keep", choices=("keep", "empty", "discard")),
        ),
        unnamed="field",
        dynamic_outputs=True,
    ),
    FunctionSpec(
        "parseXml",
        T,
        (param("field", P.FIELD, default="@rawstring"), param("prefix", P.STRING, default="")),
        unnamed="field",
        dynamic_outputs=True,
    ),
    FunctionSpec(
        "kvParse",
        T,
        (
            param("field", P.FIELDS, default="@rawstring"),
            param("as", P.STRING, aliases=("prefix",)),
            param("excludeEmpty", P.BOOLEAN, default="false"),
            param("override", P.BOOLEAN, default="false"),
            param("separator", P.STRING, default="="),
            param(
                "separatorPadding", P.CHOICE, default="unknown", choices=("yes", "no", "unknown")
            ),
            param("onDuplicate", P.CHOICE, default="keeplast", choices=("keepfirst", "keeplast")),
        ),
        unnamed="field",
        dynamic_outputs=True,
    ),
    FunctionSpec(
        "createEvents", A, (param("rawstring", P.VALUES, required=True),), unnamed="rawstring"
    ),
)


def _parse_timestamp_outputs(arguments: Mapping[str, object]) -> tuple[str, ...]:
    """Return the fields parseTimestamp() sets besides ``as``: the zone field
    and, with ``addErrors``, the error fields."""
    names = [str(arguments.get("timezoneAs"))]
    if arguments.get("addErrors") is not False:
        names.extend(("@error", "@error_msg"))
    return tuple(names)


def check_parsing_arguments(
    planner: Planner,
    spec: FunctionSpec,
    arguments: dict[str, ArgumentValue],
    call: ast.Call,
) -> None:
    """Validate a call of this family at check time and bind the query time."""
    if spec.name == "formatTime":
        _check_format_time(planner, arguments, call)
    elif spec.name == "parseTimestamp":
        _check_parse_timestamp(planner, arguments, call)
    elif spec.name in ("now", "createEvents"):
        arguments[QUERY_TIME] = query_time(planner)
    elif spec.name == "kvParse":
        separator = arguments.get("separator")
        if isinstance(separator, str) and len(separator) != 1:
            planner.context.error(
                "invalid-argument",
                f"kvParse(separator=...) must be a single character, not {separator!r}",
                call.span,
            )


def query_time(planner: Planner) -> int:
    """Return the query time in epoch milliseconds, the same for every call of
    one query: the first call fixes the clock reading in the plan context."""
    context = planner.context
    if context.resources.now_ms is None:
        fixed = context.resources.query_time()
        context.resources = dataclasses.replace(context.resources, now_ms=fixed)
    assert context.resources.now_ms is not None
    return context.resources.now_ms


def _check_format_time(
    planner: Planner, arguments: dict[str, ArgumentValue], call: ast.Call
) -> None:
    text = arguments.get("format")
    if isinstance(text, str):
        try:
            pieces = parse_time_format(text)
        except TimeFormatError as exc:
            planner.context.error("invalid-argument", str(exc), call.span)
        else:
            _check_locale(planner, arguments.get("locale"), uses_names(pieces), call)
    _check_zone(planner, "formatTime", arguments.get("timezone"), call)


def _check_locale(planner: Planner, locale: object, names: bool, call: ast.Call) -> None:
    """Warn when a non-English locale would change the names the format prints."""
    if not isinstance(locale, str) or not names:
        return
    language = locale.replace("-", "_").split("_")[0].lower()
    if language not in _ENGLISH_LOCALES:
        planner.context.warn(
            "unsupported-locale",
            f"formatTime() prints month and day names and am/pm in English, not in {locale}",
            call.span,
        )


def _check_zone(planner: Planner, function: str, zone: object, call: ast.Call) -> None:
    if not isinstance(zone, str):
        return
    try:
        resolve_zone(zone)
    except TimeZoneError as exc:
        planner.context.error(
            "invalid-argument",
            f"{function}(timezone=...): {exc}",
            call.span,
            hint="use an IANA name such as Europe/London, UTC, or an offset such as +02:00",
        )


def _check_parse_timestamp(
    planner: Planner, arguments: dict[str, ArgumentValue], call: ast.Call
) -> None:
    _check_zone(planner, "parseTimestamp", arguments.get("timezone"), call)
    text = arguments.get("format")
    if not isinstance(text, str) or text == DEFAULT_TIMESTAMP_FORMAT:
        return
    if text.lower() in EPOCH_FORMATS:
        return
    try:
        pattern = compile_java_pattern(text, arguments.get("caseSensitive") is not False)
    except JavaPatternError as exc:
        planner.context.error(
            "invalid-argument",
            f"parseTimestamp(format=...): {exc}",
            call.span,
            hint="see https://docs.oracle.com/javase/8/docs/api/java/time/format/DateTimeFormatter.html",
        )
        return
    if not pattern.has_zone and arguments.get("timezone") is None:
        planner.context.warn(
            "missing-timezone",
            f"the format {text!r} has no time zone and timezone= is not set,"
            " so parseTimestamp() fails on every value",
            call.span,
            hint='add timezone="UTC" or the zone the timestamps were written in',
        )
    if pattern.has("clock_hour_of_ampm", "hour_of_ampm") and not pattern.has("ampm"):
        planner.context.warn(
            "missing-ampm",
            f"the format {text!r} reads an hour of am/pm (h or K) without the marker a,"
            " so parseTimestamp() fails on every value",
            call.span,
            hint="use H for the hour of the day, or add a",
        )
    if not pattern.has_year:
        arguments[QUERY_TIME] = query_time(planner)
