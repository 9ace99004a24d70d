"""Number functions of the reference engine: round(), parseInt(),
unit:convert(), formatDuration() and bitfield:extractFlags()."""

from __future__ import annotations

import math
import re
from collections.abc import Callable

from cqlkit.engines.reference.context import RunContext
from cqlkit.engines.reference.family import Transforms, ValueFunctions
from cqlkit.engines.reference.functions_text_units import convert_unit
from cqlkit.engines.reference.row import Row
from cqlkit.engines.reference.values import Value, to_number, to_text
from cqlkit.plan import nodes

UNSIGNED_LIMIT = 1 << 64
"""parseInt() reads unsigned 64-bit integers (Java's Long.parseUnsignedLong)."""
LONG_MIN, LONG_MAX = -(1 << 63), (1 << 63) - 1
DIGITS = "0123456789abcdefghijklmnopqrstuvwxyz"
INTEGER_PATTERN = r"[+-]?[0-9]+"
_INTEGER = re.compile(INTEGER_PATTERN)

DURATION_NANOS: dict[str, int] = {
    "d": 86_400_000_000_000,
    "h": 3_600_000_000_000,
    "m": 60_000_000_000,
    "s": 1_000_000_000,
    "ms": 1_000_000,
    "us": 1_000,
    "ns": 1,
}
"""Nanoseconds per unit of formatDuration(), largest unit first."""


def java_round(number: float) -> float:
    """Round half up, as Java's Math.round does (-2.5 becomes -2)."""
    floor = math.floor(number)
    return float(floor + 1 if number - floor >= 0.5 else floor)


def _round(call: nodes.BoundCall, event: Row) -> Value:
    number = to_number(event.get(call.text()))
    if number is None:
        return None
    how = call.get("how")
    if how == "floor":
        return float(math.floor(number))
    if how == "ceil":
        return float(math.ceil(number))
    return java_round(number)


def parse_unsigned(text: str, radix: int, little_endian: bool) -> int | None:
    """Read ``text`` as parseInt() does, or return None when it is not a number.

    Radix 16 drops a ``0x`` or ``16#`` prefix, and little endian reverses the
    order of its digit pairs (``8001`` is ``0180``). A leading ``+`` is
    accepted and ``-`` is not: the conversion is unsigned.
    NOTE: Java also accepts non-ASCII digits such as fullwidth ones; this does not.
    """
    digits = text
    if radix == 16:
        for prefix in ("0x", "0X", "16#"):
            if digits.startswith(prefix):
                digits = digits[len(prefix) :]
                break
    digits = digits.removeprefix("+")
    if radix == 16 and little_endian:
        digits = reverse_digit_pairs(digits)
    # isascii(): the Kelvin sign lower-cases to k, which int() would then reject.
    if not digits.isascii() or any(DIGITS.find(c.lower()) not in range(radix) for c in digits):
        return None
    if not digits:
        return None
    value = int(digits, radix)
    return value if value < UNSIGNED_LIMIT else None


def reverse_digit_pairs(digits: str) -> str:
    """Reverse the order of the digit pairs of ``digits``, padding an odd count with a 0."""
    if len(digits) % 2:
        digits = "0" + digits
    return "".join(digits[index : index + 2] for index in range(len(digits) - 2, -1, -2))


def _parse_int(call: nodes.BoundCall, event: Row) -> Value:
    value = event.get(call.text())
    if value is None:
        return None
    radix = call.get("radix")
    parsed = parse_unsigned(
        value, int(radix) if isinstance(radix, int | float) else 16, call.get("endian") == "little"
    )
    # Text, not a float: values above 2**53 keep every digit.
    return None if parsed is None else str(parsed)


def _unit_convert(call: nodes.BoundCall, event: Row) -> Value:
    value = event.get(call.text())
    if value is None:
        return None
    return convert_unit(
        value,
        from_unit=_optional_text(call, "from"),
        to=_optional_text(call, "to"),
        unit=_optional_text(call, "unit"),
        binary=bool(call.get("binary")),
        keep_unit=bool(call.get("keepUnit")),
    )


def _optional_text(call: nodes.BoundCall, name: str) -> str | None:
    value = call.get(name)
    return None if value is None else str(value)


def format_duration(text: str, unit: str, precision: int) -> str | None:
    """Write an integer duration as ``6h30m52s553ms``, or return None when the
    text is not an integer that fits a Java long.

    Units that are zero are left out, and ``precision`` (0 for all) keeps only
    that many of the largest units that are not zero, truncating the rest.
    NOTE: the documentation shows neither zero nor negative durations. Zero is
    written as ``0`` and the ``from`` unit, and a negative duration as ``-``
    followed by its magnitude.
    """
    if _INTEGER.fullmatch(text) is None:
        return None
    value = int(text)
    if not LONG_MIN <= value <= LONG_MAX:
        return None
    remaining = abs(value) * DURATION_NANOS[unit]
    parts = []
    for name, size in DURATION_NANOS.items():
        count, remaining = divmod(remaining, size)
        if count:
            parts.append(f"{count}{name}")
    if precision > 0:
        parts = parts[:precision]
    if not parts:
        return f"0{unit}"
    return ("-" if value < 0 else "") + "".join(parts)


def _format_duration(call: nodes.BoundCall, event: Row) -> Value:
    value = event.get(call.text())
    if value is None:
        return None
    precision = call.get("precision")
    return format_duration(
        value, str(call.get("from")), int(precision) if isinstance(precision, int | float) else 0
    )


def lowest_64_bits(text: str) -> int | None:
    """Return the two's complement of an integer's lowest 64 bits, or None when
    ``text`` is not an integer."""
    if _INTEGER.fullmatch(text) is None:
        return None
    return int(text) % UNSIGNED_LIMIT


def _extract_flags(call: nodes.BoundCall, event: Row, context: RunContext) -> None:
    value = event.get(call.text())
    bits = None if value is None else lowest_64_bits(value)
    if bits is None:
        return
    only_true = bool(call.get("onlyTrue"))
    pairs = call.get("output")
    assert isinstance(pairs, tuple)
    for index, name in pairs:
        flag = (bits >> int(index)) & 1 == 1
        if flag or not only_true:
            event[str(name)] = "true" if flag else "false"


def _writing_to_input(
    function: Callable[[nodes.BoundCall, Row], Value],
) -> Callable[[nodes.BoundCall, Row, RunContext], None]:
    """Return a transform that writes ``function``'s value to ``as``, or to
    the input field when ``as`` is not given. A null value sets nothing."""

    def transform(call: nodes.BoundCall, event: Row, context: RunContext) -> None:
        text = to_text(function(call, event))
        if text is not None:
            event[str(call.get("as") or call.text())] = text

    return transform


VALUE_FUNCTIONS: ValueFunctions = {
    "round": _round,
    "parseInt": _parse_int,
    "unit:convert": _unit_convert,
    "formatDuration": _format_duration,
}
TRANSFORMS: Transforms = {name: _writing_to_input(f) for name, f in VALUE_FUNCTIONS.items()}
TRANSFORMS["bitfield:extractFlags"] = _extract_flags
