"""The reference engine's math:* functions.

Each reads a number from ``field`` (a missing field or text that is not a
number gives no output) and computes in double precision, as Java's
``Math`` does. A result that is not a finite number (``math:log`` of 0,
``math:sqrt`` of -1, an overflow) sets nothing.
NOTE: the reference pages do not say what LogScale writes for NaN and the
infinities; leaving the field unset is cqlkit's choice.
"""

from __future__ import annotations

import math
from collections.abc import Callable

from cqlkit.engines.reference.family import Expanders, Transforms, ValueFunctions
from cqlkit.engines.reference.row import Row
from cqlkit.engines.reference.values import Value, to_number
from cqlkit.plan import nodes
from cqlkit.plan.signatures_math import LONG_LIMIT

RADIANS_TO_DEGREES = 57.29577951308232
"""180/pi as a double: math:rad2deg() multiplies by it in both engines, so they agree to the bit."""
DEGREES_TO_RADIANS = 0.017453292519943295
"""pi/180 as a double: math:deg2rad() multiplies by it in both engines."""

UNARY: dict[str, Callable[[float], float]] = {
    "math:abs": abs,
    "math:arccos": math.acos,
    "math:arcsin": math.asin,
    "math:arctan": math.atan,
    "math:ceil": math.ceil,
    "math:cos": math.cos,
    "math:cosh": math.cosh,
    "math:deg2rad": lambda number: number * DEGREES_TO_RADIANS,
    "math:exp": math.exp,
    "math:expm1": math.expm1,
    "math:floor": math.floor,
    "math:log": math.log,
    "math:log10": math.log10,
    "math:log1p": math.log1p,
    "math:log2": math.log2,
    "math:rad2deg": lambda number: number * RADIANS_TO_DEGREES,
    "math:sin": math.sin,
    "math:sinh": math.sinh,
    "math:sqrt": math.sqrt,
    "math:tan": math.tan,
    "math:tanh": math.tanh,
}


def _finite(number: float) -> float | None:
    return number if math.isfinite(number) else None


def _unary(function: Callable[[float], float]) -> Callable[[nodes.BoundCall, Row], Value]:
    def compute(call: nodes.BoundCall, event: Row) -> Value:
        number = to_number(event.get(call.text("field")))
        if number is None:
            return None
        try:
            return _finite(float(function(number)))
        except (ValueError, OverflowError):
            # Python raises where Java returns NaN or an infinity.
            return None

    return compute


def exponent_of(call: nodes.BoundCall, event: Row) -> float | None:
    """Return math:pow()'s exponent: the number written, else the number in
    the field of that name (see :mod:`cqlkit.plan.signatures_math`)."""
    text = call.text("exponent")
    number = to_number(text)
    return number if number is not None else to_number(event.get(text))


def _pow(call: nodes.BoundCall, event: Row) -> Value:
    base = to_number(event.get(call.text("field")))
    exponent = exponent_of(call, event)
    if base is None or exponent is None:
        return None
    try:
        return _finite(math.pow(base, exponent))
    except (ValueError, OverflowError, ZeroDivisionError):
        return None


def _mod(call: nodes.BoundCall, event: Row) -> Value:
    """math:mod(): the floor modulus of the field and the divisor, both rounded
    down first, so the result has the divisor's sign: -7 mod 3 is 2."""
    number = to_number(event.get(call.text("field")))
    divisor = call.get("divisor")
    if number is None or not isinstance(divisor, int | float):
        return None
    dividend = math.floor(number)
    if abs(dividend) >= LONG_LIMIT:
        return None
    return dividend % math.floor(divisor)


VALUE_FUNCTIONS: ValueFunctions = {name: _unary(function) for name, function in UNARY.items()}
VALUE_FUNCTIONS["math:pow"] = _pow
VALUE_FUNCTIONS["math:mod"] = _mod
TRANSFORMS: Transforms = {}
EXPANDERS: Expanders = {}
