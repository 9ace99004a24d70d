"""Signatures of the calendar functions (time:hour() and its kin), duration(),
parseUrl() and parseCsv(), and their check-time validation.

:func:`check_calendar_arguments` runs when a call of this family is bound. It
rejects time zones, relative times and CSV delimiters that no engine could
use, and stores the length of a duration() in milliseconds in the bound
arguments, so that both engines read one number.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

from cqlkit.language import ast
from cqlkit.language.timezones import TimeZoneError, resolve_zone
from cqlkit.plan.signature import FunctionKind, FunctionSpec, ParamType, output, param
from cqlkit.timeranges import parse_duration

if TYPE_CHECKING:
    from cqlkit.plan.nodes import ArgumentValue
    from cqlkit.plan.planner import Planner

T = FunctionKind.TRANSFORM
P = ParamType

TIME_PARTS: dict[str, str] = {
    "time:dayOfMonth": "_dayOfMonth",
    "time:dayOfWeek": "_dayOfWeek",
    "time:dayOfWeekName": "_dayOfWeekName",
    "time:dayOfYear": "_dayOfYear",
    "time:hour": "_hour",
    "time:millisecond": "_millisecond",
    "time:minute": "_minute",
    "time:month": "_month",
    "time:monthName": "_monthName",
    "time:second": "_second",
    "time:weekOfYear": "_weekOfYear",
    "time:year": "_year",
}
"""Each function that reads one part of a timestamp, and its default output field."""

DURATION_MS = "duration_ms"
"""The hidden argument that carries the length of a duration() in milliseconds."""

URL_PARTS = ("scheme", "username", "password", "host", "port", "path", "query", "fragment")
"""The fields parseUrl() may set, each after the prefix: ``url.scheme``, ``url.host``, …"""

CSV_QUOTE = '"'


def url_prefix(arguments: Mapping[str, object]) -> str:
    """Return the prefix of parseUrl() fields: as=, else the field name."""
    return str(arguments.get("as") or arguments.get("field"))


def _url_outputs(arguments: Mapping[str, object]) -> tuple[str, ...]:
    prefix = url_prefix(arguments)
    return tuple(f"{prefix}.{part}" for part in URL_PARTS)


def _csv_outputs(arguments: Mapping[str, object]) -> tuple[str, ...]:
    columns = arguments.get("columns")
    return tuple(str(column) for column in columns) if isinstance(columns, tuple) else ()


def _time_part(name: str, default_output: str) -> FunctionSpec:
    # The query's time zone is UTC offline; @timezone is the field that
    # parseTimestamp() and LogScale's parsers fill with the zone of the event.
    return FunctionSpec(
        name,
        T,
        (
            param("field", P.FIELD, default="@timestamp"),
            output(default_output),
            param("timezone", P.STRING),
            param("timezoneField", P.FIELD, default="@timezone"),
        ),
        unnamed="field",
    )


SPECS: tuple[FunctionSpec, ...] = (
    *(_time_part(name, default) for name, default in TIME_PARTS.items()),
    FunctionSpec(
        "duration",
        T,
        (param("duration", P.STRING, required=True), output("_duration")),
        unnamed="duration",
    ),
    FunctionSpec(
        "parseUrl",
        T,
        (param("field", P.FIELD, default="url"), param("as", P.FIELD)),
        unnamed="field",
        output_fields=_url_outputs,
    ),
    FunctionSpec(
        "parseCsv",
        T,
        (
            param("field", P.FIELD, default="@rawstring"),
            param("columns", P.FIELDS, required=True),
            param("delimiter", P.STRING, default=","),
            param("excludeEmpty", P.BOOLEAN, default="false"),
            param("trim", P.BOOLEAN, default="false"),
        ),
        unnamed="field",
        output_fields=_csv_outputs,
    ),
)


def check_calendar_arguments(
    planner: Planner,
    spec: FunctionSpec,
    arguments: dict[str, ArgumentValue],
    call: ast.Call,
) -> None:
    """Validate a call of this family at check time and bind duration() lengths."""
    if spec.name in TIME_PARTS:
        _check_zone(planner, spec.name, arguments.get("timezone"), call)
    elif spec.name == "duration":
        _bind_duration(planner, arguments, call)
    elif spec.name == "parseCsv":
        _check_delimiter(planner, arguments.get("delimiter"), call)
    elif spec.name == "parseUrl" and arguments.get("as") == "":
        planner.context.error(
            "invalid-argument",
            "parseUrl(as=...) must not be empty",
            call.span,
            hint="leave as= out to use the field name as the prefix",
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
            hint="use an IANA name such as Europe/London, UTC, or an offset such as -01:00",
        )


def _bind_duration(planner: Planner, arguments: dict[str, ArgumentValue], call: ast.Call) -> None:
    text = arguments.get("duration")
    if not isinstance(text, str):
        return
    try:
        arguments[DURATION_MS] = parse_duration(text.lower())
    except ValueError as exc:
        planner.context.error(
            "invalid-argument",
            f"duration(): {exc}",
            call.span,
            hint="anchored and calendar-based times such as 1d@d are not accepted here",
        )


def _check_delimiter(planner: Planner, delimiter: object, call: ast.Call) -> None:
    if not isinstance(delimiter, str):
        return
    if len(delimiter) != 1 or delimiter == CSV_QUOTE:
        planner.context.error(
            "invalid-argument",
            f"parseCsv(delimiter=...) must be one character other than {CSV_QUOTE}, "
            f"not {delimiter!r}",
            call.span,
        )
