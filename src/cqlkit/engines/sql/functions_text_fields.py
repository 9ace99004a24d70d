"""SQL compilation of getField(), setField() and text:contains()."""

from __future__ import annotations

from sqlglot import exp

from cqlkit.engines.sql.columns import Schema
from cqlkit.engines.sql.expressions import compile_expression
from cqlkit.engines.sql.family import Transforms, Values
from cqlkit.engines.sql.stages_base import CompiledStage, assign_fields
from cqlkit.engines.sql.typed import Typed, as_text, call, definitely
from cqlkit.errors import UnsupportedFeatureError
from cqlkit.plan import nodes


def _get_field(call_node: nodes.BoundCall, schema: Schema) -> Typed:
    """Read the field whose name the source computes: a CASE over the relation's
    fields, which hold every input field because getField() reads them all."""
    source = call_node.expression("source")
    if isinstance(source, nodes.Literal) and isinstance(source.value, str):
        return Typed(schema.field(source.value), "text")
    name = as_text(compile_expression(source, schema))
    if not schema.fields:
        return Typed(exp.null(), "text")
    ifs = [
        exp.If(
            this=exp.EQ(this=name.copy(), expression=exp.Literal.string(field)),
            true=schema.field(field),
        )
        for field in schema.fields
    ]
    return Typed(exp.Case(ifs=ifs), "text")


def _set_field(call_node: nodes.BoundCall, schema: Schema, source: str) -> CompiledStage:
    """Compile setField() whose target is a string literal. The reference engine
    runs other targets, because the data decides which field they set."""
    target = call_node.expression("target")
    if not (isinstance(target, nodes.Literal) and isinstance(target.value, str)):
        raise UnsupportedFeatureError(
            "setField()",
            "setField() with a computed target sets a field named by the data",
            engine="sql",
        )
    value = as_text(compile_expression(call_node.expression("value"), schema))
    return assign_fields(schema, source, {target.value: value})


def _text_contains(call_node: nodes.BoundCall, schema: Schema) -> Typed:
    text = as_text(compile_expression(call_node.expression("string"), schema))
    part = as_text(compile_expression(call_node.expression("substring"), schema))
    return Typed(definitely(call("contains", text, part)), "boolean")


VALUES: Values = {"getField": _get_field, "text:contains": _text_contains}
TRANSFORMS: Transforms = {"setField": _set_field}
