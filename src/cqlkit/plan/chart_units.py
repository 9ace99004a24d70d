"""Unit conversion of the values of bucket() and timeChart(), the ``unit=``
parameter, such as ``bytes/span to Kbytes/day``.
https://library.humio.com/data-analysis/syntax-time.html
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from cqlkit.timeranges import RELATIVE_TIME_UNITS

# SI prefixes are powers of 1000 (K is read as k), binary prefixes (Ki, Mi ...) of 1024.
_PREFIXES: dict[str, float] = {
    "": 1.0,
    **{symbol: 1000.0**power for power, symbol in enumerate("kMGTPE", start=1)},
    "K": 1000.0,
    **{symbol + "i": 1024.0**power for power, symbol in enumerate("KMGTPE", start=1)},
}
# The time units that a rate may be per; "span" and "bucket" mean the bucket span.
_PER_SPAN = ("span", "bucket")
_QUANTITY = re.compile(r"(Ki|Mi|Gi|Ti|Pi|Ei|k|K|M|G|T|P|E)?\s*([A-Za-z]+)")


@dataclass(frozen=True)
class Quantity:
    """One side of a unit conversion, such as ``Mi bytes/day``. ``per_ms`` is
    the length of the rate's time unit, or None for the bucket span."""

    base: str
    scale: float
    per_ms: int | None
    is_rate: bool


@dataclass(frozen=True)
class UnitConversion:
    """A unit conversion such as ``bytes/span to Kbytes/day``.

    A value converts as ``value * ratio * target_per / source_per``, in that
    order, where ``ratio`` is the ratio of the two prefixes and the ``per``
    lengths are milliseconds (the bucket span for ``/span``).
    https://library.humio.com/data-analysis/syntax-time.html
    """

    text: str
    ratio: float
    source_per_ms: int | None
    target_per_ms: int | None
    is_rate: bool


def parse_unit(text: str) -> UnitConversion:
    """Parse one ``unit=`` conversion, ``<from> to <to>``.

    Each side is an optional SI (``k``, ``M``, ``G`` ...) or binary (``Ki``,
    ``Mi`` ...) prefix, a unit word, and for a rate ``/`` and a time unit,
    ``span`` or ``bucket``. Both sides must name the same unit word and both
    must be rates or neither. Raises ValueError otherwise.
    """
    parts = re.split(r"\s+to\s+", text.strip())
    if len(parts) != 2:
        raise ValueError(
            f"invalid unit {text!r}: expected '<from> to <to>', such as 'bytes/span to Kbytes/day'"
        )
    sources, targets = (_quantities(part, text) for part in parts)
    pairs = [
        (source, target)
        for source in sources
        for target in targets
        if source.base.lower() == target.base.lower()
    ]
    if not pairs:
        raise ValueError(
            f"invalid unit {text!r}: cannot convert {sources[-1].base} to {targets[-1].base}"
        )
    source, target = pairs[0]
    if source.is_rate != target.is_rate:
        raise ValueError(f"invalid unit {text!r}: both sides must be rates, or neither")
    if target.is_rate and target.per_ms is None:
        raise ValueError(f"invalid unit {text!r}: the target rate needs a time unit such as /day")
    ratio = source.scale / target.scale
    return UnitConversion(text, ratio, source.per_ms, target.per_ms, source.is_rate)


def _quantities(side: str, text: str) -> list[Quantity]:
    """Return the readings of one side, prefixed reading first: ``Events`` may be
    the prefix E and the unit ``vents``, or the unit ``Events``."""
    amount, _, per = side.partition("/")
    amount = amount.strip()
    match = _QUANTITY.fullmatch(amount)
    if match is None:
        raise ValueError(f"invalid unit {text!r}: {amount!r} is not a unit such as Kbytes")
    readings = [(_PREFIXES[match[1] or ""], match[2])]
    if match[1]:
        readings.append((1.0, amount.replace(" ", "")))
    per_ms, is_rate = _per(per.strip(), text) if per else (None, False)
    return [Quantity(base, scale, per_ms, is_rate) for scale, base in readings]


def _per(per: str, text: str) -> tuple[int | None, bool]:
    """Return the length of a rate's time unit (None for the bucket span)."""
    if per.lower() in _PER_SPAN:
        return None, True
    per_ms = RELATIVE_TIME_UNITS.get(per.lower())
    if per_ms is None:
        raise ValueError(f"invalid unit {text!r}: unknown time unit {per!r} after /")
    return per_ms, True


def convert_value(value: float, unit: UnitConversion, span_ms: float) -> float:
    """Return ``value`` converted by ``unit`` for buckets of ``span_ms``."""
    if not unit.is_rate:
        return value * unit.ratio
    source_per = span_ms if unit.source_per_ms is None else float(unit.source_per_ms)
    target_per = float(unit.target_per_ms or 1)
    return value * unit.ratio * target_per / source_per
