"""Evaluation of plan expressions on one event."""

from __future__ import annotations

import math
import operator
from collections.abc import Callable, Mapping

from cqlkit.engines.reference.values import Value, to_boolean, to_number, to_text
from cqlkit.errors import ExecutionError
from cqlkit.plan import nodes

_ARITHMETIC: dict[str, Callable[[float, float], float]] = {
    "+": operator.add,
    "-": operator.sub,
    "*": operator.mul,
    "/": operator.truediv,
    # LogScale runs on the JVM, whose % keeps the sign of the dividend (-7 % 3 is -1).
    "%": math.fmod,
}
_ORDERING: dict[str, Callable[[float, float], bool]] = {
    "<": operator.lt,
    "<=": operator.le,
    ">": operator.gt,
    ">=": operator.ge,
}


def evaluate(expr: nodes.Expr, event: Mapping[str, str]) -> Value:
    """Evaluate ``expr``; a missing field or a failed operation gives None (null)."""
    if isinstance(expr, nodes.Literal):
        return expr.value
    if isinstance(expr, nodes.FieldValue):
        return event.get(expr.name)
    if isinstance(expr, nodes.Arithmetic):
        return _arithmetic(expr, event)
    if isinstance(expr, nodes.Compare):
        return _compare(expr, event)
    if isinstance(expr, nodes.Unary):
        return _unary(expr, event)
    if isinstance(expr, nodes.FunctionValue):
        from cqlkit.engines.reference.functions import call_value

        return call_value(expr.call, event)
    raise ExecutionError(
        f"the reference engine cannot evaluate {type(expr).__name__}", span=expr.span
    )


def _arithmetic(expr: nodes.Arithmetic, event: Mapping[str, str]) -> Value:
    left = to_number(evaluate(expr.left, event))
    right = to_number(evaluate(expr.right, event))
    if left is None or right is None:
        return None
    if expr.op in "/%" and right == 0:
        return None
    return _ARITHMETIC[expr.op](left, right)


def _compare(expr: nodes.Compare, event: Mapping[str, str]) -> Value:
    left = evaluate(expr.left, event)
    right = evaluate(expr.right, event)
    if left is None or right is None:
        return None
    if expr.op in _ORDERING:
        left_number, right_number = to_number(left), to_number(right)
        if left_number is None or right_number is None:
            return None
        return _ORDERING[expr.op](left_number, right_number)
    equal = values_equal(left, right)
    return equal if expr.op == "==" else not equal


def values_equal(left: Value, right: Value) -> bool:
    """Compare two non-null values: as numbers when both are numbers, otherwise as text."""
    left_number, right_number = to_number(left), to_number(right)
    if left_number is not None and right_number is not None:
        return left_number == right_number
    return to_text(left) == to_text(right)


def _unary(expr: nodes.Unary, event: Mapping[str, str]) -> Value:
    value = evaluate(expr.operand, event)
    if expr.op == "-":
        number = to_number(value)
        return None if number is None else -number
    truth = to_boolean(value)
    return None if truth is None else not truth


def is_true(value: Value) -> bool:
    """Return True when a condition value counts as true; null is false."""
    return to_boolean(value) is True
