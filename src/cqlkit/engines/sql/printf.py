"""Compilation of format() templates (Java printf) into SQL.

Each conversion becomes its own SQL piece and the pieces are concatenated.
Numeric conversions use SQL ``printf`` with C semantics, which match Java's
for the flags accepted here; a template with other flags (``,`` ``(`` ``#``)
or a date conversion (``%t``) is not compiled and runs on the reference
engine.
"""

from __future__ import annotations

from sqlglot import exp

from cqlkit.engines.sql.typed import Typed, as_number, call, is_null
from cqlkit.errors import UnsupportedFeatureError
from cqlkit.plan.printf import parse_template

_SUPPORTED_FLAGS = frozenset("-+ 0")


def compile_format(template: str, arguments: list[exp.Expr]) -> exp.Expr:
    """Return SQL that formats ``arguments`` (field values) like format() does."""
    pieces: list[exp.Expr] = []
    for piece in parse_template(template):
        if isinstance(piece, str):
            pieces.append(exp.Literal.string(piece))
        elif piece.literal is not None:
            pieces.append(exp.Literal.string(piece.literal))
        else:
            index = piece.index
            value = arguments[index].copy() if 0 <= index < len(arguments) else exp.null()
            pieces.append(
                _conversion(piece.conversion, piece.flags, piece.width, piece.precision, value)
            )
    if not pieces:
        return exp.Literal.string("")
    return exp.Concat(expressions=pieces) if len(pieces) > 1 else pieces[0]


def _conversion(
    conversion: str, flags: str, width: str | None, precision: str | None, value: exp.Expr
) -> exp.Expr:
    lower = conversion.lower()
    if lower == "t" or not set(flags) <= _SUPPORTED_FLAGS:
        raise UnsupportedFeatureError(
            f"format(%{flags}{conversion})",
            f"format() conversion %{flags}{conversion} is not compiled to SQL",
            engine="sql",
        )
    if lower in "sbc":
        piece = _text_conversion(lower, precision, value)
        piece = _pad(piece, flags, width)
    elif lower in "dixofeg":
        piece = _numeric_conversion(lower, flags, width, precision, value)
    else:
        raise UnsupportedFeatureError(
            f"format(%{conversion})", f"unknown format() conversion %{conversion}"
        )
    return exp.Upper(this=piece) if conversion.isupper() else piece


def _text_conversion(conversion: str, precision: str | None, value: exp.Expr) -> exp.Expr:
    if conversion == "b":
        false = exp.or_(
            is_null(value.copy()),
            exp.EQ(this=exp.Lower(this=value.copy()), expression=exp.Literal.string("false")),
        )
        return exp.Case(
            ifs=[exp.If(this=false, true=exp.Literal.string("false"))],
            default=exp.Literal.string("true"),
        )
    text: exp.Expr = exp.Coalesce(this=value, expressions=[exp.Literal.string("null")])
    if conversion == "c":
        return exp.Substring(this=text, start=exp.Literal.number(1), length=exp.Literal.number(1))
    if precision is not None:
        return exp.Substring(
            this=text, start=exp.Literal.number(1), length=exp.Literal.number(int(precision))
        )
    return text


def _pad(piece: exp.Expr, flags: str, width: str | None) -> exp.Expr:
    if width is None:
        return piece
    size = exp.Literal.number(int(width))
    function = "rpad" if "-" in flags else "lpad"
    padded = call(function, piece.copy(), size, exp.Literal.string(" "))
    short = exp.LT(this=exp.Length(this=piece.copy()), expression=size.copy())
    return exp.Case(ifs=[exp.If(this=short, true=padded)], default=piece)


def _numeric_conversion(
    conversion: str, flags: str, width: str | None, precision: str | None, value: exp.Expr
) -> exp.Expr:
    number = as_number(Typed(value, "text"))
    spec = "%" + flags + (width or "")
    if conversion in "dixo":
        integral = exp.EQ(this=number, expression=exp.func("trunc", number.copy()))
        letter = "d" if conversion == "i" else conversion
        formatted = call(
            "printf", exp.Literal.string(spec + letter), exp.cast(number.copy(), "BIGINT")
        )
        return exp.Case(ifs=[exp.If(this=integral, true=formatted)], default=exp.null())
    digits = 6 if precision is None else int(precision)
    return call("printf", exp.Literal.string(f"{spec}.{digits}{conversion}"), number)
