"""Signatures of the math:* functions and their check-time validation.

Each function reads a number from one field and writes a number to ``as``
(``math:log(x)`` sets ``_log``). math:pow() also takes an exponent and
math:mod() a divisor.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

from cqlkit.language import ast
from cqlkit.plan.signature import FunctionKind, FunctionSpec, ParamType, output, param

if TYPE_CHECKING:
    from cqlkit.plan.nodes import ArgumentValue
    from cqlkit.plan.planner import Planner

T = FunctionKind.TRANSFORM
P = ParamType

LONG_LIMIT = 2.0**63
"""math:mod() works on whole numbers below this magnitude, Java's long range."""

UNARY_FUNCTIONS = (
    "abs",
    "arccos",
    "arcsin",
    "arctan",
    "ceil",
    "cos",
    "cosh",
    "deg2rad",
    "exp",
    "expm1",
    "floor",
    "log",
    "log10",
    "log1p",
    "log2",
    "rad2deg",
    "sin",
    "sinh",
    "sqrt",
    "tan",
    "tanh",
)
"""The math:* functions of one field. Each writes ``_<name>`` by default, so
math:abs() writes ``_abs``.

NOTE: the reference pages that cqlkit checked give this default for abs, ceil,
cos, exp, floor, log, mod and pow. The other names follow the same pattern
without a checked source."""


def _unary(name: str) -> FunctionSpec:
    return FunctionSpec(
        f"math:{name}",
        T,
        (param("field", P.FIELD, required=True), output(f"_{name}")),
        unnamed="field",
    )


SPECS: tuple[FunctionSpec, ...] = (
    *(_unary(name) for name in UNARY_FUNCTIONS),
    FunctionSpec(
        "math:pow",
        T,
        (
            param("field", P.FIELD, required=True),
            # A number, or a field that contains one: the reference page's example
            # writes exponent=exp after exp := 3.
            param("exponent", P.FIELD, required=True),
            output("_pow"),
        ),
        unnamed="field",
    ),
    FunctionSpec(
        "math:mod",
        T,
        (
            param("field", P.FIELD, required=True),
            param("divisor", P.NUMBER, required=True),
            output("_mod"),
        ),
        unnamed="field",
    ),
)


def check_math_arguments(
    planner: Planner,
    spec: FunctionSpec,
    arguments: dict[str, ArgumentValue],
    call: ast.Call,
) -> None:
    """Reject a math:mod() divisor that rounds down to 0, which would divide by
    zero, or that lies outside Java's long range."""
    if spec.name != "math:mod":
        return
    divisor = arguments.get("divisor")
    if isinstance(divisor, int | float) and abs(divisor) >= LONG_LIMIT:
        planner.context.error(
            "argument-out-of-range",
            f"math:mod(divisor={divisor}) is outside the range of whole numbers"
            " that LogScale computes with (below 2^63 in magnitude)",
            call.span,
        )
    elif isinstance(divisor, int | float) and math.floor(divisor) == 0:
        planner.context.error(
            "invalid-argument",
            f"math:mod(divisor={divisor}) rounds down to 0, and the remainder of a division"
            " by 0 is undefined",
            call.span,
            hint="math:mod() rounds the divisor down to a whole number; use one of 1 or more,"
            " or -1 or less",
        )
