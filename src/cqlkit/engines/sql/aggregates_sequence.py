"""SQL compilation of the sequence aggregates, which read the row order that
an earlier aggregate set: the hidden SEQ column."""

from __future__ import annotations

from sqlglot import exp

from cqlkit.engines.sql.aggregates_common import integer, names_argument, text_argument, unique
from cqlkit.engines.sql.columns import SEQ, Schema, column
from cqlkit.engines.sql.family import Aggregates
from cqlkit.engines.sql.stages_base import CompiledStage, assign_fields
from cqlkit.engines.sql.typed import call
from cqlkit.plan import nodes
from cqlkit.plan.signatures_aggregates import neighbor_field


def compile_neighbor(
    call_node: nodes.BoundCall, schema: Schema, source: str, lift_default_limits: bool
) -> CompiledStage:
    """Compile neighbor(): each included field of the row ``distance`` places
    before (``lag``) or after (``lead``) in SEQ order, stored under the prefix.
    A NULL neighbor value keeps the output field as it was, as in the
    reference engine."""
    distance = call_node.get("distance")
    offset = int(distance) if isinstance(distance, int | float) else 1
    shift = "lag" if call_node.get("direction") == "preceding" else "lead"
    prefix = text_argument(call_node, "prefix")
    order = exp.Order(expressions=[exp.Ordered(this=column(SEQ))])
    values: dict[str, exp.Expr] = {}
    for name in unique(names_argument(call_node, "include")):
        shifted = call(shift, schema.field(name), integer(offset))
        values[neighbor_field(prefix, name)] = exp.Window(
            this=shifted, order=order.copy(), over="OVER"
        )
    return assign_fields(schema, source, values)


AGGREGATES: Aggregates = {"neighbor": compile_neighbor}
