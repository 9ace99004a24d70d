"""SQL compilation of the selection aggregates, and the tables of every
aggregate of the selection, chart and sequence family.

selectLast(), selectFromMax(), selectFromMin() and range() output at most one row, so
they compile to a :class:`Part` of groupBy() and stats() (``PARTS``), and on
their own to one aggregate query over all rows (``AGGREGATES``). Each output
field is one DuckDB ``arg_max``/``arg_min`` over a struct ordering key whose
last member is SEQ, which breaks ties as the reference engine does.
"""

from __future__ import annotations

from collections.abc import Callable

from sqlglot import exp

from cqlkit.engines.sql import (
    aggregates_charts,
    aggregates_geohash,
    aggregates_sankey,
    aggregates_sequence,
    aggregates_sessions,
    functions_arrays_reduce,
)
from cqlkit.engines.sql.aggregates_common import (
    any_of,
    integer,
    names_argument,
    output_schema,
    text_argument,
    unique,
)
from cqlkit.engines.sql.aggregates_grouped import (
    ROW_LAYER,
    Part,
    PartCompiler,
    grouped_select,
)
from cqlkit.engines.sql.aggregates_ordering import event_time
from cqlkit.engines.sql.columns import SEQ, Schema, column, null_text
from cqlkit.engines.sql.family import Aggregates
from cqlkit.engines.sql.stages_base import CompiledStage
from cqlkit.engines.sql.typed import DOUBLE, call, not_null
from cqlkit.plan import nodes

PartCompilers = dict[str, Callable[[PartCompiler, nodes.BoundCall], list[Part]]]


def _struct(*members: exp.Expr) -> exp.Expr:
    """Return an unnamed struct, which DuckDB orders member by member."""
    return call("row", *members)


def _present(value: exp.Expr) -> exp.Expr:
    return exp.GT(this=exp.Count(this=value), expression=integer(0))


def select_last(compiler: PartCompiler, function: nodes.BoundCall) -> list[Part]:
    """Compile selectLast(): per field, the value of the row with the largest
    (has an event time, event time, SEQ). ``arg_max`` skips NULL values, so
    rows that lack the field do not count."""
    time = compiler.helper(ROW_LAYER, "time", event_time(compiler.schema))
    recency = _struct(
        not_null(column(time.name)),
        exp.Coalesce(this=column(time.name), expressions=[exp.cast(integer(0), DOUBLE)]),
        column(SEQ),
    )
    outputs: list[tuple[str, exp.Expr]] = []
    present: list[exp.Expr] = []
    for name in unique(names_argument(function, "fields")):
        if not compiler.schema.has(name):
            outputs.append((name, null_text()))
            continue
        outputs.append((name, call("arg_max", column(name), recency.copy())))
        present.append(_present(column(name)))
    has_row = any_of(*present) if present else exp.false()
    return [Part(outputs, [time], has_row)]


def select_from_extreme(compiler: PartCompiler, function: nodes.BoundCall) -> list[Part]:
    """Compile selectFromMax() or selectFromMin(): the included fields of the
    row with the extreme number, the first in input order among equal numbers.
    ``arg_max_null`` keeps a NULL when that row lacks an included field."""
    value = compiler.schema.field(text_argument(function, "field"))
    number = compiler.helper(ROW_LAYER, "number", call("cql_number", value))
    largest = function.name == "selectFromMax"
    seq: exp.Expr = exp.Neg(this=column(SEQ)) if largest else column(SEQ)
    order = _struct(column(number.name), seq)
    picker = "arg_max_null" if largest else "arg_min_null"
    has_number = not_null(column(number.name))
    outputs: list[tuple[str, exp.Expr]] = []
    for name in unique(names_argument(function, "include")):
        picked = call(picker, compiler.schema.field(name), order.copy())
        outputs.append(
            (name, exp.Filter(this=picked, expression=exp.Where(this=has_number.copy())))
        )
    return [Part(outputs, [number], _present(column(number.name)))]


def numeric_range(compiler: PartCompiler, function: nodes.BoundCall) -> list[Part]:
    """Compile range(): the largest number minus the smallest, absent without numbers."""
    value = compiler.schema.field(text_argument(function, "field"))
    number = compiler.helper(ROW_LAYER, "number", call("cql_number", value))
    numbers = column(number.name)
    difference = exp.Sub(this=exp.Max(this=numbers), expression=exp.Min(this=numbers.copy()))
    text = call("cql_number_text", difference)
    return [Part([(text_argument(function, "as"), text)], [number], _present(numbers.copy()))]


def _one_row(
    call_node: nodes.BoundCall, schema: Schema, source: str, lift_default_limits: bool
) -> CompiledStage:
    """Compile a selection aggregate on its own: one row, or none when it has no value."""
    compiler = PartCompiler(schema, (), call_node.name, lift_default_limits=lift_default_limits)
    (part,) = compiler.part(call_node)
    select, fields = grouped_select(source, schema, (), [part], having=part.has_row)
    return CompiledStage(select, output_schema(fields), schema)


PARTS: PartCompilers = {
    "range": numeric_range,
    "selectLast": select_last,
    "selectFromMax": select_from_extreme,
    "selectFromMin": select_from_extreme,
}

AGGREGATES: Aggregates = {
    **dict.fromkeys(PARTS, _one_row),
    **aggregates_charts.AGGREGATES,
    **aggregates_geohash.AGGREGATES,
    **aggregates_sankey.AGGREGATES,
    **aggregates_sequence.AGGREGATES,
    **aggregates_sessions.AGGREGATES,
    **functions_arrays_reduce.AGGREGATES,
}
