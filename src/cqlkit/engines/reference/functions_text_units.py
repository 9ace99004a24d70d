"""The unit rules of unit:convert(): prefixes, rate denominators and the
parsing of ``<number> <prefix><unit>[/<time unit>]`` values.

Both engines read these tables, so that the SQL compiler builds its CASE
expressions from the same rules the reference engine applies. See
https://library.humio.com/data-analysis/functions-unit-convert.html.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

from cqlkit.engines.reference.values import format_number

DECIMAL_PREFIXES: dict[str, int] = {
    "Y": 24,
    "Z": 21,
    "E": 18,
    "P": 15,
    "T": 12,
    "G": 9,
    "M": 6,
    "k": 3,
    "h": 2,
    "da": 1,
    "d": -1,
    "c": -2,
    "m": -3,
    "u": -6,
    "µ": -6,
    "n": -9,
    "p": -12,
    "f": -15,
    "a": -18,
    "z": -21,
    "y": -24,
}
"""Powers of ten of the SI prefixes."""

BINARY_PREFIXES: dict[str, int] = {
    "Yi": 80,
    "Zi": 70,
    "Ei": 60,
    "Pi": 50,
    "Ti": 40,
    "Gi": 30,
    "Mi": 20,
    "Ki": 10,
}
"""Powers of two of the binary prefixes, which are 1024-based with or without binary=true."""

BINARY_SWITCHABLE: dict[str, int] = {
    "Y": 80,
    "Z": 70,
    "E": 60,
    "P": 50,
    "T": 40,
    "G": 30,
    "M": 20,
    "k": 10,
}
"""The SI prefixes that binary=true reads as powers of two (kMGTPEZY)."""

RATE_SECONDS: dict[str, int] = {
    "s": 1,
    "sec": 1,
    "m": 60,
    "min": 60,
    "h": 3600,
    "hour": 3600,
    "d": 86400,
    "day": 86400,
    "w": 604800,
    "week": 604800,
}
"""Denominators of rates, in seconds: a rate such as ``MB/min`` becomes per second."""

PREFIX_ORDER: tuple[str, ...] = tuple(
    sorted({*DECIMAL_PREFIXES, *BINARY_PREFIXES}, key=lambda prefix: -len(prefix))
)
"""Every prefix, two-letter ones first, so that ``da`` wins over ``d`` and ``Mi`` over ``M``."""

NUMBER_PATTERN = r"[+-]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?"
# The number, optional spaces or tabs, then the unit text.
VALUE_PATTERN = rf"[ \t]*({NUMBER_PATTERN})[ \t]*(.*?)[ \t]*"
_VALUE = re.compile(VALUE_PATTERN, re.DOTALL)


@dataclass(frozen=True)
class Scale:
    """A factor written as a multiplier and a divisor, one of which is 1, so
    that both engines compute ``value * multiplier / divisor`` with the same
    rounding as a division by a power of ten."""

    multiplier: float = 1.0
    divisor: float = 1.0


def prefix_scale(prefix: str, binary: bool) -> Scale:
    """Return the scale of a prefix; the empty prefix is 1."""
    if prefix in BINARY_PREFIXES:
        return Scale(multiplier=float(2 ** BINARY_PREFIXES[prefix]))
    if binary and prefix in BINARY_SWITCHABLE:
        return Scale(multiplier=float(2 ** BINARY_SWITCHABLE[prefix]))
    power = DECIMAL_PREFIXES.get(prefix, 0)
    if power >= 0:
        return Scale(multiplier=float(10**power))
    return Scale(divisor=float(10**-power))


def split_prefix(text: str, unit: str | None) -> tuple[str, str] | None:
    """Split a unit text such as ``MB`` into its prefix and base unit.

    With ``unit`` set, the text must end with it and what comes before must be
    a prefix or nothing; None when it does not. Without ``unit``, the longest
    prefix that starts the text is taken, even when nothing follows it (``k``
    alone is the prefix kilo, as unit:convert(from="k") relies on).
    """
    if unit is not None:
        if not text.endswith(unit):
            return None
        prefix = text[: len(text) - len(unit)]
        if prefix and prefix not in DECIMAL_PREFIXES and prefix not in BINARY_PREFIXES:
            return None
        return prefix, unit
    for prefix in PREFIX_ORDER:
        if text.startswith(prefix):
            return prefix, text[len(prefix) :]
    return "", text


def split_rate(text: str) -> tuple[str, int]:
    """Split ``hits/min`` into ``hits`` and the seconds of its denominator;
    text without a known time denominator has 1 second."""
    base, slash, per = text.rpartition("/")
    if slash and per in RATE_SECONDS:
        return base, RATE_SECONDS[per]
    return text, 1


@dataclass(frozen=True)
class ConversionTarget:
    """The ``to`` unit of a conversion: its scale and its prefix text."""

    scale: Scale
    prefix: str


def conversion_target(to: str | None, unit: str | None, binary: bool) -> ConversionTarget | None:
    """Read the ``to`` argument; None when ``unit`` is set and ``to`` does not fit it."""
    if to is None:
        return ConversionTarget(Scale(), "")
    parts = split_prefix(to, unit)
    if parts is None and unit is not None:
        # to="M" with unit="hits": a bare prefix.
        parts = split_prefix(to, None)
        if parts is None or parts[1]:
            return None
    assert parts is not None
    return ConversionTarget(prefix_scale(parts[0], binary), parts[0])


def convert_unit(
    text: str,
    *,
    from_unit: str | None,
    to: str | None,
    unit: str | None,
    binary: bool,
    keep_unit: bool,
) -> float | str | None:
    """Convert one value as unit:convert() does, or return None when it cannot
    be read: the number as a float, or text with the unit when ``keep_unit``.

    NOTE: the documentation says keepUnit appends the normalized unit without
    showing the result; this writes it right after the number (``5000000B``).
    """
    match = _VALUE.fullmatch(text)
    if match is None:
        return None
    number, unit_text = float(match.group(1)), match.group(2)
    if not unit_text and from_unit is not None:
        unit_text = from_unit
    base, seconds = split_rate(unit_text)
    parts = split_prefix(base, unit)
    target = conversion_target(to, unit, binary)
    if parts is None or target is None:
        return None
    source = prefix_scale(parts[0], binary)
    value = number * source.multiplier / source.divisor
    value = value / target.scale.multiplier * target.scale.divisor
    value = value / seconds
    if not math.isfinite(value):
        # 1e999, or 1e300 Y: a JVM double would be infinite too, and has no number text.
        return None
    if not keep_unit:
        return value
    suffix = "/s" if seconds != 1 or base != unit_text else ""
    return f"{format_number(value)}{target.prefix}{parts[1]}{suffix}"
