"""Compilation of function calls used as values or filters."""

from __future__ import annotations

from sqlglot import exp

from cqlkit.engines.sql import (
    functions_arrays,
    functions_calendar,
    functions_joins,
    functions_lookup,
    functions_math,
    functions_parsing,
    functions_text,
)
from cqlkit.engines.sql.columns import Schema
from cqlkit.engines.sql.expressions import compile_expression, is_true
from cqlkit.engines.sql.family import Values
from cqlkit.engines.sql.printf import compile_format
from cqlkit.engines.sql.typed import Typed, as_text, definitely, is_null, not_null
from cqlkit.errors import UnsupportedFeatureError
from cqlkit.plan import nodes

FAMILIES = (
    functions_text,
    functions_parsing,
    functions_lookup,
    functions_joins,
    functions_arrays,
    functions_calendar,
    functions_math,
)
_FAMILY_VALUES: Values = {}
for _family in FAMILIES:
    _FAMILY_VALUES.update(_family.VALUES)


def has_value_compiler(name: str) -> bool:
    """Tell whether a family compiles function ``name`` to one value."""
    return name in _FAMILY_VALUES


def compile_function_value(call: nodes.BoundCall, schema: Schema) -> Typed:
    """Compile a function that computes one value, or a filter function as a boolean."""
    name = call.name
    family = _FAMILY_VALUES.get(name)
    if family is not None:
        return family(call, schema)
    if name == "if":
        return _if(call, schema)
    if name == "length":
        return Typed(exp.cast(exp.Length(this=schema.field(call.text())), "DOUBLE"), "number")
    if name == "concat":
        return Typed(_concat([schema.field(field) for field in call.names("field")]), "text")
    if name == "format":
        arguments = [schema.field(field) for field in call.names("field")]
        return Typed(compile_format(str(call.get("format")), arguments), "text")
    if name == "coalesce":
        return _coalesce(call, schema)
    if name in ("in", "wildcard", "test", "regex"):
        from cqlkit.engines.sql.predicates import compile_call_predicate

        return Typed(compile_call_predicate(call, schema), "boolean")
    raise UnsupportedFeatureError(name, f"{name}() cannot be used as a value", engine="sql")


def _if(call: nodes.BoundCall, schema: Schema) -> Typed:
    condition = is_true(compile_expression(call.expression("condition"), schema))
    then = as_text(compile_expression(call.expression("then"), schema))
    otherwise = as_text(compile_expression(call.expression("else"), schema))
    return Typed(exp.Case(ifs=[exp.If(this=condition, true=then)], default=otherwise), "text")


def _concat(columns: list[exp.Expr]) -> exp.Expr:
    """Concatenate the present values; NULL when every field is missing."""
    if not columns:
        return exp.null()
    joined = exp.Concat(
        expressions=[exp.Coalesce(this=c, expressions=[exp.Literal.string("")]) for c in columns]
    )
    all_missing = exp.and_(*(is_null(c.copy()) for c in columns))
    return exp.Case(ifs=[exp.If(this=all_missing, true=exp.null())], default=joined)


def _coalesce(call: nodes.BoundCall, schema: Schema) -> Typed:
    ignore_empty = bool(call.get("ignoreEmpty"))
    expressions = call.get("expressions")
    assert isinstance(expressions, tuple)
    values = []
    for expression in expressions:
        value = as_text(compile_expression(expression, schema))
        values.append(
            exp.Nullif(this=value, expression=exp.Literal.string("")) if ignore_empty else value
        )
    if not values:
        return Typed(exp.null(), "text")
    return Typed(exp.Coalesce(this=values[0], expressions=values[1:]), "text")


__all__ = ["compile_function_value", "definitely", "not_null"]
