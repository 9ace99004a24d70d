"""SQL compilation of formatTime() and now().

formatTime() becomes a concatenation with one DuckDB expression per
specifier, mostly ``strftime`` with a single code, over the local wall-clock
time: ``epoch_ms(ms)`` shifted by a fixed offset, or converted to a region's
time with ICU's ``timezone()``. The one form that falls back to the reference
engine is ``%Z`` (also inside ``%c``) with a region, because ICU's zone
abbreviations can differ from those the reference engine prints.
"""

from __future__ import annotations

from sqlglot import exp

from cqlkit.engines.sql.columns import Schema
from cqlkit.engines.sql.functions_calendar_zones import zone_time
from cqlkit.engines.sql.typed import BIGINT, DOUBLE, VARCHAR, Typed, call, number_literal
from cqlkit.errors import UnsupportedFeatureError
from cqlkit.language.timeformats import (
    MAX_EPOCH_MS,
    MIN_EPOCH_MS,
    SECONDS_LIMIT,
    Piece,
    Specifier,
    parse_time_format,
)
from cqlkit.language.timezones import Zone, resolve_zone
from cqlkit.plan import nodes
from cqlkit.plan.signatures_parsing import QUERY_TIME

# DuckDB strftime codes that print what Java prints for a specifier.
_STRFTIME = {
    "H": "%H",
    "M": "%M",
    "S": "%S",
    "m": "%m",
    "d": "%d",
    "j": "%j",
    "y": "%y",
    "B": "%B",
    "b": "%b",
    "h": "%b",
    "A": "%A",
    "a": "%a",
    "I": "%I",
    "k": "%-H",
    "l": "%-I",
    "e": "%-d",
    "L": "%g",
    "P": "%p",
}


def compile_now(call_node: nodes.BoundCall, schema: Schema) -> Typed:
    """now(): the query time bound at plan time, as a number."""
    query_time = call_node.get(QUERY_TIME)
    assert isinstance(query_time, int), "now() is bound with the query time"
    return number_literal(query_time)


def compile_format_time(call_node: nodes.BoundCall, schema: Schema) -> Typed:
    """formatTime(): NULL when the field is not a number or the instant is out of range."""
    pieces = parse_time_format(call_node.text("format"))
    zone = resolve_zone(call_node.text("timezone"))
    number = call("cql_number", schema.field(call_node.text("field")))
    epoch_ms = _epoch_ms(number, call_node.text("unit"))
    in_range = exp.Between(
        this=epoch_ms.copy(),
        low=exp.Literal.number(MIN_EPOCH_MS),
        high=exp.Literal.number(MAX_EPOCH_MS),
    )
    whole_ms = exp.TryCast(this=epoch_ms.copy(), to=BIGINT)
    local = zone_time(whole_ms, zone)
    parts = [_piece(piece, local, whole_ms, zone) for piece in pieces]
    text = exp.Concat(expressions=parts) if parts else exp.Literal.string("")
    return Typed(exp.Case(ifs=[exp.If(this=in_range, true=text)]), "text")


def _epoch_ms(number: exp.Expr, unit: str) -> exp.Expr:
    """Return whole milliseconds as a DOUBLE, as epoch_milliseconds() computes them."""
    as_seconds = exp.Floor(this=exp.Mul(this=number.copy(), expression=exp.Literal.number(1000)))
    as_milliseconds = exp.Floor(this=number.copy())
    if unit == "seconds":
        return as_seconds
    if unit == "milliseconds":
        return as_milliseconds
    small = exp.LTE(
        this=number.copy(), expression=exp.cast(exp.Literal.number(SECONDS_LIMIT), DOUBLE)
    )
    return exp.Case(ifs=[exp.If(this=small, true=as_seconds)], default=as_milliseconds)


def _piece(piece: Piece, local: exp.Expr, whole_ms: exp.Expr, zone: Zone) -> exp.Expr:
    if not isinstance(piece, Specifier):
        return exp.Literal.string(piece)
    letter = piece.letter
    code = _STRFTIME.get(letter)
    if code is not None:
        return _strftime(local, code)
    if letter == "p":
        return exp.Lower(this=_strftime(local, "%p"))
    if letter == "N":
        return exp.Concat(expressions=[_strftime(local, "%g"), exp.Literal.string("000000")])
    if letter in "YC":
        year = call("year", local.copy())
        if letter == "C":
            year = exp.IntDiv(this=year, expression=exp.Literal.number(100))
        width = 4 if letter == "Y" else 2
        return call(
            "lpad", exp.cast(year, VARCHAR), exp.Literal.number(width), exp.Literal.string("0")
        )
    if letter == "s":
        seconds = call("fdiv", whole_ms.copy(), exp.Literal.number(1000))
        return exp.cast(exp.cast(seconds, BIGINT), VARCHAR)
    if letter == "Q":
        return exp.cast(whole_ms.copy(), VARCHAR)
    if letter == "z":
        return _rfc822_offset(local, whole_ms, zone)
    if zone.region is not None:
        raise UnsupportedFeatureError(
            "formatTime(%Z)",
            "the SQL engine cannot print the abbreviation of a region's time zone",
            engine="sql",
        )
    return exp.Literal.string(zone.label)


def _strftime(local: exp.Expr, code: str) -> exp.Expr:
    return call("strftime", local.copy(), exp.Literal.string(code))


def _rfc822_offset(local: exp.Expr, whole_ms: exp.Expr, zone: Zone) -> exp.Expr:
    """Return ``+hhmm``: the offset between the wall-clock time and UTC."""
    if zone.region is None:
        whole_hours, rest = divmod(abs(zone.offset), 3600)
        marker = "-" if zone.offset < 0 else "+"
        return exp.Literal.string(f"{marker}{whole_hours:02d}{rest // 60:02d}")
    utc = call("epoch_ms", whole_ms.copy())
    offset = call("date_diff", exp.Literal.string("second"), utc, local.copy())
    minutes = exp.IntDiv(this=call("abs", offset.copy()), expression=exp.Literal.number(60))
    hours = exp.IntDiv(this=minutes.copy(), expression=exp.Literal.number(60))
    minutes_of_hour = exp.Mod(this=minutes, expression=exp.Literal.number(60))
    sign = exp.Case(
        ifs=[
            exp.If(
                this=exp.LT(this=offset, expression=exp.Literal.number(0)),
                true=exp.Literal.string("-"),
            )
        ],
        default=exp.Literal.string("+"),
    )
    return exp.Concat(expressions=[sign, _two_digits(hours), _two_digits(minutes_of_hour)])


def _two_digits(number: exp.Expr) -> exp.Expr:
    return call("lpad", exp.cast(number, VARCHAR), exp.Literal.number(2), exp.Literal.string("0"))
