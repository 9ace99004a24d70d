"""Java-printf formatting as used by LogScale's format() function.

Supported: ``%s %d %i %f %e %g %x %X %o %c %b %n %%``, flags ``- + , 0 #``
and space, width, precision, and argument indexes ``%2$s`` and ``%<s``. A
non-number under a numeric conversion makes the whole result null, as in
LogScale. Date and time conversions (``%t``) are not supported yet and raise.
"""

from __future__ import annotations

from collections.abc import Sequence

from cqlkit.engines.reference.values import format_number, to_number
from cqlkit.errors import UnsupportedFeatureError
from cqlkit.plan.printf import parse_template


class _Null(Exception):
    """A conversion cannot format its argument: the result is null."""


def java_format(template: str, arguments: Sequence[str | None]) -> str | None:
    """Format ``arguments`` (field values; None when missing) with ``template``."""
    out: list[str] = []
    try:
        for piece in parse_template(template):
            if isinstance(piece, str):
                out.append(piece)
            elif piece.literal is not None:
                out.append(piece.literal)
            else:
                index = piece.index
                value = arguments[index] if 0 <= index < len(arguments) else None
                out.append(
                    _convert(piece.conversion, piece.flags, piece.width, piece.precision, value)
                )
    except _Null:
        return None
    return "".join(out)


def _convert(
    conversion: str, flags: str, width: str | None, precision: str | None, value: str | None
) -> str:
    lower = conversion.lower()
    if lower == "t":
        raise UnsupportedFeatureError(
            "format(%t)", "format() date/time conversions (%t) are not supported yet"
        )
    if lower in "sbc":
        text = _text(lower, value)
        if precision is not None:
            text = text[: int(precision)]
    else:
        text = _numeric(lower, flags, precision, value)
    if conversion.isupper():
        text = text.upper()
    return _pad(text, flags, width)


def _text(conversion: str, value: str | None) -> str:
    if conversion == "b":
        return "false" if value is None or value.lower() == "false" else "true"
    if value is None:
        return "null"
    return value[:1] if conversion == "c" else value


def _numeric(conversion: str, flags: str, precision: str | None, value: str | None) -> str:
    number = to_number(value)
    if number is None:
        raise _Null
    if conversion in "dixo":
        if not number.is_integer():
            raise _Null
        integer = int(number)
        if conversion in "di":
            return _integer_text(integer, flags)
        return format(integer, "x" if conversion == "x" else "o")
    digits = 6 if precision is None else int(precision)
    sign = "+" if "+" in flags else ""
    grouping = "," if "," in flags and conversion == "f" else ""
    return format(number, f"{sign}{grouping}.{digits}{conversion}")


def _integer_text(integer: int, flags: str) -> str:
    sign = ""
    if "+" in flags:
        sign = "+"
    elif " " in flags:
        sign = " "
    return format(integer, f"{sign}{',' if ',' in flags else ''}d")


def _pad(text: str, flags: str, width: str | None) -> str:
    if width is None or len(text) >= int(width):
        return text
    size = int(width)
    if "-" in flags:
        return text.ljust(size)
    if "0" in flags and text.lstrip("+- ").replace(",", "").replace(".", "").isdigit():
        sign = text[0] if text[0] in "+- " else ""
        return sign + text[len(sign) :].rjust(size - len(sign), "0")
    return text.rjust(size)


__all__ = ["format_number", "java_format"]
