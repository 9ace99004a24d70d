"""LogScale's reading and writing of values: every field is text, and
operators decide whether to read it as a number or a boolean."""

from __future__ import annotations

import math
import re

Value = str | int | float | bool | None
"""A value inside an expression; None is null (a missing field or a failed operation)."""

# Plain decimal numbers, as LogScale reads them from text: "2", "-1.5", "1e3".
_NUMBER = re.compile(r"[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?")


def to_number(value: Value) -> float | None:
    """Read ``value`` as a number, or return None when it is not one."""
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return float(value)
    if _NUMBER.fullmatch(value) is None:
        return None
    number = float(value)
    return number if math.isfinite(number) else None


def to_boolean(value: Value) -> bool | None:
    """Read ``value`` as a boolean: true/false (any case), or a number (0 is false)."""
    if isinstance(value, bool):
        return value
    if isinstance(value, str):
        lowered = value.lower()
        if lowered in ("true", "false"):
            return lowered == "true"
    number = to_number(value)
    return None if number is None else number != 0


def format_number(number: float) -> str:
    """Write a number as LogScale prints it: integral values without a decimal point."""
    if number.is_integer() and abs(number) < 1e16:
        return str(int(number))
    return repr(number)


def to_text(value: Value) -> str | None:
    """Write ``value`` as field text; null stays None."""
    if value is None:
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return format_number(float(value))
    return value
