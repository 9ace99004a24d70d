"""SQL compilation of the array functions.

Arrays become DuckDB lists of their element columns (see :mod:`array_columns`).
These run on the reference engine instead, because their output columns depend on
the data: splitString() without ``index``, and the aggregates array:union(),
array:intersection() and array:reduceColumn(). So do array:reduceRow(), regexes
that RE2 cannot run, and sub-queries with steps that do not compile to a plain SELECT.
"""

from __future__ import annotations

from sqlglot import exp

from cqlkit.engines.sql.array_columns import (
    array_length,
    array_list,
    element_columns,
    lambda_of,
    write_array,
)
from cqlkit.engines.sql.array_pipelines import ITEM, inline_pipeline, item
from cqlkit.engines.sql.columns import Schema, column, null_text
from cqlkit.engines.sql.expressions import compile_expression
from cqlkit.engines.sql.family import Transforms, Values
from cqlkit.engines.sql.functions_arrays_sort import compile_sort
from cqlkit.engines.sql.functions_arrays_split import compile_split, split_string_value
from cqlkit.engines.sql.patterns import re2
from cqlkit.engines.sql.stages_base import CompiledStage
from cqlkit.engines.sql.typed import Typed, as_text, call, definitely, is_null
from cqlkit.language.regexes import LogScaleRegex
from cqlkit.plan import nodes

_VALUE = "__cqlkit_value"


def _elements(call_node: nodes.BoundCall, schema: Schema) -> exp.Expr:
    return array_list(schema, call_node.text("array"))


def _any(values: exp.Expr, condition: exp.Expr) -> exp.Expr:
    """Return whether some element of ``values`` meets ``condition`` of ITEM."""
    matching = call("list_filter", values, lambda_of(condition, ITEM))
    return exp.GT(this=exp.ArraySize(this=matching), expression=exp.Literal.number(0))


def _contains(call_node: nodes.BoundCall, schema: Schema) -> Typed:
    value = exp.Literal.string(call_node.text("value"))
    return Typed(definitely(call("list_contains", _elements(call_node, schema), value)), "boolean")


def _regex(call_node: nodes.BoundCall, schema: Schema) -> Typed:
    regex = call_node.get("regex")
    assert isinstance(regex, LogScaleRegex)
    test = exp.RegexpLike(this=item(), expression=exp.Literal.string(re2(regex).pattern))
    return Typed(definitely(_any(_elements(call_node, schema), test)), "boolean")


def _exists(call_node: nodes.BoundCall, schema: Schema) -> Typed:
    plan = call_node.get("condition")
    assert isinstance(plan, nodes.Plan)
    inlined = inline_pipeline(plan, schema, call_node.text("var"))
    return Typed(definitely(_any(_elements(call_node, schema), inlined.passes)), "boolean")


def _length(call_node: nodes.BoundCall, schema: Schema) -> Typed:
    length = array_length(schema, call_node.text("array"))
    return Typed(exp.cast(length, "DOUBLE"), "number")


def _concat_array(call_node: nodes.BoundCall, schema: Schema) -> Typed:
    """concatArray(): the element columns from ``from`` through ``to``, up to the
    first NULL; NULL when element ``from`` is missing."""
    prefix = call_node.text("field")
    first, last = call_node.get("from"), call_node.get("to")
    start = int(first) if isinstance(first, int | float) else 0
    names = element_columns(schema, prefix)[start:]
    if isinstance(last, int | float):
        names = names[: max(int(last) - start + 1, 0)]
    if not names:
        return Typed(null_text(), "text")
    length = exp.Case(
        ifs=[
            exp.If(this=is_null(column(name)), true=exp.Literal.number(index))
            for index, name in enumerate(names)
        ],
        default=exp.Literal.number(len(names)),
    )
    values = call(
        "list_slice",
        exp.Array(expressions=[column(name) for name in names]),
        exp.Literal.number(1),
        length,
    )
    joined = exp.DPipe(
        this=exp.DPipe(
            this=exp.Literal.string(call_node.text("prefix")),
            expression=call(
                "array_to_string", values, exp.Literal.string(call_node.text("separator"))
            ),
        ),
        expression=exp.Literal.string(call_node.text("suffix")),
    )
    return Typed(
        exp.Case(ifs=[exp.If(this=is_null(column(names[0])), true=null_text())], default=joined),
        "text",
    )


def _filter(call_node: nodes.BoundCall, schema: Schema, source: str) -> CompiledStage:
    plan = call_node.get("function")
    assert isinstance(plan, nodes.Plan)
    inlined = inline_pipeline(plan, schema, call_node.text("var"))
    kept = call("list_filter", _elements(call_node, schema), lambda_of(inlined.passes, ITEM))
    return _write(call_node, schema, source, kept, "asArray")


def _eval(call_node: nodes.BoundCall, schema: Schema, source: str) -> CompiledStage:
    plan = call_node.get("function")
    assert isinstance(plan, nodes.Plan)
    target = call_node.text("asArray")
    inlined = inline_pipeline(plan, schema, call_node.text("var"), unset=target)
    output = inlined.fields.get(target, null_text())
    mapped = exp.Case(ifs=[exp.If(this=inlined.passes, true=output)], default=null_text())
    values = call("list_transform", _elements(call_node, schema), lambda_of(mapped, ITEM))
    present = exp.Not(this=is_null(exp.column(exp.to_identifier(_VALUE))))
    return _write(
        call_node,
        schema,
        source,
        call("list_filter", values, lambda_of(present, _VALUE)),
        "asArray",
    )


def _dedup(call_node: nodes.BoundCall, schema: Schema, source: str) -> CompiledStage:
    values = _elements(call_node, schema)
    # An element is the first of its value when list_position finds it at its own index.
    first = exp.EQ(
        this=call("list_position", values.copy(), item()),
        expression=exp.column(exp.to_identifier(_VALUE)),
    )
    unique = call("list_filter", values, lambda_of(first, ITEM, _VALUE))
    return _write(call_node, schema, source, unique, "asArray")


def _append(call_node: nodes.BoundCall, schema: Schema, source: str) -> CompiledStage:
    expressions = call_node.get("values")
    assert isinstance(expressions, tuple)
    added = exp.Array(
        expressions=[as_text(compile_expression(expression, schema)) for expression in expressions]
    )
    present = exp.Not(this=is_null(exp.column(exp.to_identifier(_VALUE))))
    values = call(
        "list_concat",
        _elements(call_node, schema),
        call("list_filter", added, lambda_of(present, _VALUE)),
    )
    prefix = call_node.text("array")
    bound = len(element_columns(schema, prefix)) + len(expressions)
    return write_array(schema, source, prefix, values, bound)


def _drop(call_node: nodes.BoundCall, schema: Schema, source: str) -> CompiledStage:
    prefix = call_node.text("array")
    names = element_columns(schema, prefix)
    length = array_length(schema, prefix)
    replacements: dict[str, exp.Expr] = {}
    for index, name in enumerate(names):
        element = exp.LT(this=exp.Literal.number(index), expression=length.copy())
        replacements[name] = exp.Case(
            ifs=[exp.If(this=element, true=null_text())], default=column(name)
        )
    select = exp.select(*schema.projection(replacements)).from_(
        exp.to_identifier(source, quoted=True)
    )
    return CompiledStage(select, schema, schema)


def _rename(call_node: nodes.BoundCall, schema: Schema, source: str) -> CompiledStage:
    """array:rename(): write the elements to ``asArray``, then clear the old ones."""
    if call_node.text("array") == call_node.text("asArray"):
        return CompiledStage(
            exp.select(*schema.projection()).from_(exp.to_identifier(source, quoted=True)),
            schema,
            schema,
        )
    written = _write(call_node, schema, source, _elements(call_node, schema), "asArray")
    cleared = _drop(call_node, written.schema, "r")
    select = cleared.select.from_(written.select.subquery("r"))
    return CompiledStage(select, written.schema, schema)


def _write(
    call_node: nodes.BoundCall, schema: Schema, source: str, values: exp.Expr, target: str
) -> CompiledStage:
    """Write ``values``, at most as many as the input array's columns, to the array
    named by the parameter ``target``."""
    bound = len(element_columns(schema, call_node.text("array")))
    return write_array(schema, source, call_node.text(target), values, bound)


VALUES: Values = {
    "array:contains": _contains,
    "array:regex": _regex,
    "array:exists": _exists,
    "array:length": _length,
    "concatArray": _concat_array,
    "splitString": split_string_value,
}
TRANSFORMS: Transforms = {
    "split": compile_split,
    "array:filter": _filter,
    "array:eval": _eval,
    "array:dedup": _dedup,
    "array:append": _append,
    "array:drop": _drop,
    "array:rename": _rename,
    "array:sort": compile_sort,
}
