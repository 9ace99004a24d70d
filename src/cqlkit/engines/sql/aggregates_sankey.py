"""SQL compilation of sankey(): one row per (source, target) pair, as the
reference engine's Sankey groups them.

A weight function without an ``as`` output field (such as selectLast())
runs on the reference engine instead, which takes its first output field.
"""

from __future__ import annotations

from sqlglot import exp

from cqlkit.engines.sql.aggregates_common import output_schema, text_argument, unique, unsupported
from cqlkit.engines.sql.aggregates_grouped import PartCompiler, grouped_select
from cqlkit.engines.sql.columns import SEQ, TIME, Schema, alias, column
from cqlkit.engines.sql.family import Aggregates
from cqlkit.engines.sql.stages_base import CompiledStage
from cqlkit.plan import nodes


def compile_sankey(
    call_node: nodes.BoundCall, schema: Schema, source: str, lift_default_limits: bool
) -> CompiledStage:
    """Compile sankey(): the groups of (source, target) with the weight
    function's ``as`` field renamed to ``weight``, in order of first appearance."""
    weight = call_node.get("weight")
    assert isinstance(weight, tuple)
    weight_call = weight[0]
    output = weight_call.get("as") if isinstance(weight_call, nodes.BoundCall) else None
    if not isinstance(output, str):
        raise unsupported(
            "sankey(weight=...) without as",
            "sankey() whose weight function has no as= output field is not compiled to SQL",
            call_node,
        )
    ends = (text_argument(call_node, "source"), text_argument(call_node, "target"))
    keys = unique(ends)
    compiler = PartCompiler(schema, keys, "sankey", lift_default_limits=lift_default_limits)
    parts = compiler.parts(weight, call_node)
    groups, _ = grouped_select(source, schema, keys, parts)
    items = [
        alias(column(ends[0]), "source"),
        alias(column(ends[1]), "target"),
        alias(column(output), "weight"),
        column(SEQ),
        column(TIME),
    ]
    select = exp.select(*items).from_(groups.subquery("__cqlkit_edges")).order_by(column(SEQ))
    return CompiledStage(select, output_schema(("source", "target", "weight")), schema)


AGGREGATES: Aggregates = {"sankey": compile_sankey}
