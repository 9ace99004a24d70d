"""Compilation of plan expressions into SQL."""

from __future__ import annotations

from sqlglot import exp

from cqlkit.engines.sql.columns import Schema
from cqlkit.engines.sql.typed import (
    Typed,
    as_boolean,
    as_number,
    as_text,
    boolean_literal,
    definitely,
    is_null,
    number_literal,
    text,
)
from cqlkit.errors import UnsupportedFeatureError
from cqlkit.plan import nodes

_ARITHMETIC: dict[str, type[exp.Binary]] = {
    "+": exp.Add,
    "-": exp.Sub,
    "*": exp.Mul,
    "/": exp.Div,
    "%": exp.Mod,
}
_ORDERING: dict[str, type[exp.Binary]] = {
    "<": exp.LT,
    "<=": exp.LTE,
    ">": exp.GT,
    ">=": exp.GTE,
}


def compile_expression(expression: nodes.Expr, schema: Schema) -> Typed:
    """Compile ``expression``; SQL NULL stands for LogScale's null."""
    if isinstance(expression, nodes.Literal):
        return _literal(expression.value)
    if isinstance(expression, nodes.FieldValue):
        return Typed(schema.field(expression.name), "text")
    if isinstance(expression, nodes.Arithmetic):
        return _arithmetic(expression, schema)
    if isinstance(expression, nodes.Compare):
        return _compare(expression, schema)
    if isinstance(expression, nodes.Unary):
        operand = compile_expression(expression.operand, schema)
        if expression.op == "-":
            return Typed(exp.Neg(this=exp.paren(as_number(operand))), "number")
        return Typed(exp.Not(this=exp.paren(as_boolean(operand))), "boolean")
    if isinstance(expression, nodes.FunctionValue):
        from cqlkit.engines.sql.functions import compile_function_value

        return compile_function_value(expression.call, schema)
    raise UnsupportedFeatureError(
        type(expression).__name__, f"cannot compile {type(expression).__name__}"
    )


def _literal(value: str | int | float | bool) -> Typed:
    if isinstance(value, bool):
        return boolean_literal(value)
    if isinstance(value, int | float):
        return number_literal(float(value))
    return text(value)


def _arithmetic(expression: nodes.Arithmetic, schema: Schema) -> Typed:
    # Parenthesise operands: sqlglot renders a tree without adding them, so
    # (2 + 3) * 4 would otherwise print as 2 + 3 * 4.
    left = exp.paren(as_number(compile_expression(expression.left, schema)))
    right = exp.paren(as_number(compile_expression(expression.right, schema)))
    operation = _ARITHMETIC[expression.op](this=left, expression=right)
    if expression.op in "/%":
        # Division by zero is null, as in the reference engine.
        zero = exp.EQ(this=right.copy(), expression=exp.Literal.number(0))
        return Typed(
            exp.Case(ifs=[exp.If(this=zero, true=exp.null())], default=operation), "number"
        )
    return Typed(operation, "number")


def _compare(expression: nodes.Compare, schema: Schema) -> Typed:
    left = compile_expression(expression.left, schema)
    right = compile_expression(expression.right, schema)
    if expression.op in _ORDERING:
        return Typed(
            _ORDERING[expression.op](this=as_number(left), expression=as_number(right)), "boolean"
        )
    equal = values_equal(left, right)
    if expression.op == "!=":
        return Typed(exp.Not(this=equal), "boolean")
    return Typed(equal, "boolean")


def values_equal(left: Typed, right: Typed) -> exp.Expr:
    """Equality of two values: numeric when both are numbers, else textual; NULL
    when either is null."""
    left_number, right_number = as_number(left), as_number(right)
    both_numbers = exp.and_(
        exp.Not(this=is_null(left_number)), exp.Not(this=is_null(right_number.copy()))
    )
    either_null = exp.or_(is_null(as_text(left)), is_null(as_text(right)))
    return exp.Case(
        ifs=[
            exp.If(this=either_null, true=exp.null()),
            exp.If(
                this=both_numbers,
                true=exp.EQ(this=left_number.copy(), expression=right_number.copy()),
            ),
        ],
        default=exp.EQ(this=as_text(left), expression=as_text(right)),
    )


def is_true(value: Typed) -> exp.Expr:
    """Return a condition read as ``test()`` and ``if()`` read it: null and
    non-booleans are false."""
    return definitely(as_boolean(value))
