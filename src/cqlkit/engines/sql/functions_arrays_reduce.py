"""SQL compilation of array:reduceAll(): stats() over one row per array element.

The elements of every row's array become rows of their own with UNNEST, each a
copy of its event whose field ``var`` is the element, and stats(function) runs
over them. The element rows get new SEQ values in (event, index) order, the
order in which the reference engine feeds them, so sums of floating-point
numbers add up in the same order. Only count(), sum(), avg(), min() and max()
compile, the aggregates that the tests check on both engines here. Other
aggregates and sub-queries run on the reference engine.
"""

from __future__ import annotations

from sqlglot import exp

from cqlkit.engines.sql.aggregates_common import output_schema, unsupported
from cqlkit.engines.sql.aggregates_grouped import PartCompiler, grouped_select
from cqlkit.engines.sql.array_columns import array_list
from cqlkit.engines.sql.columns import SEQ, Schema, column
from cqlkit.engines.sql.family import Aggregates
from cqlkit.engines.sql.stages_base import CompiledStage, select_from
from cqlkit.engines.sql.typed import call
from cqlkit.plan import nodes

_ELEMENTS = "__cqlkit_elements"
_INDEX = "__cqlkit_index"
_ORDER_FREE = frozenset({"count", "sum", "avg", "min", "max"})


def _reduce_all(
    call_node: nodes.BoundCall, schema: Schema, source: str, lift_default_limits: bool
) -> CompiledStage:
    function = call_node.get("function")
    if not isinstance(function, tuple) or not all(
        isinstance(item, nodes.BoundCall) and item.name in _ORDER_FREE for item in function
    ):
        raise unsupported(
            "array:reduceAll()",
            "array:reduceAll() compiles to SQL only with count(), sum(), avg(), min() and max()",
            call_node,
        )
    var = call_node.text("var")
    elements_schema = schema.with_field(var)
    elements = _element_rows(schema, source, call_node.text("array"), var)
    compiler = PartCompiler(
        elements_schema, (), "array:reduceAll", lift_default_limits=lift_default_limits
    )
    parts = compiler.parts(function, call_node)
    select, fields = grouped_select(_ELEMENTS, elements_schema, (), parts)
    return CompiledStage(select.with_(_ELEMENTS, as_=elements), output_schema(fields), schema)


def _element_rows(schema: Schema, source: str, prefix: str, var: str) -> exp.Select:
    """Return one row per array element, with ``var`` set and SEQ renumbered."""
    elements_schema = schema.with_field(var)
    values = array_list(schema, prefix)
    indexes = call("generate_series", exp.Literal.number(1), call("len", values.copy()))
    unnested = select_from(elements_schema, source, {var: exp.Unnest(expressions=[values])}).select(
        exp.alias_(exp.Unnest(expressions=[indexes]), _INDEX, quoted=True)
    )
    order = exp.Order(
        expressions=[
            exp.Ordered(this=exp.column(SEQ, quoted=True)),
            exp.Ordered(this=exp.column(_INDEX, quoted=True)),
        ]
    )
    sequence = exp.Window(this=exp.RowNumber(), order=order)
    items: list[exp.Expr] = [column(name) for name in elements_schema.fields]
    for name in elements_schema.hidden:
        items.append(exp.alias_(sequence, SEQ, quoted=True) if name == SEQ else column(name))
    return exp.select(*items).from_(unnested.subquery("__cqlkit_unnested"))


AGGREGATES: Aggregates = {"array:reduceAll": _reduce_all}
