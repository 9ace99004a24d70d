"""SQL compilation of accumulate(), slidingWindow() and partition(), on their
own or as the one function of groupBy().

accumulate() and slidingWindow() compile each part of ``function`` (see
:class:`~cqlkit.engines.sql.aggregates_grouped.Part`) to window functions
over the rows up to each row in SEQ order. partition() numbers the partitions
with a running count of the rows that pass ``condition`` and aggregates each
partition as groupBy() aggregates a group.

Some forms run on the reference engine instead. accumulate() and
slidingWindow() compile only count(), sum(), avg(), min(), max(), range(),
selectLast(), selectFromMax(), selectFromMin() and stats() of them, because
the parts of other functions, such as collect(), read other rows through
window helpers. partition() runs there when a step of its ``condition`` or
its ``function`` does not compile to SQL.

NOTE: a running sum or average adds the numbers one at a time in row order, as
the reference engine does, through a list of the numbers before each row, so
its cost grows with the square of the number of rows in a group.
"""

from __future__ import annotations

from sqlglot import exp

from cqlkit.engines.sql.aggregates_common import (
    hidden_columns,
    merge_outputs,
    null_double,
    relation,
    text_argument,
    unsupported,
)
from cqlkit.engines.sql.aggregates_grouped import ROW_LAYER, Part, PartCompiler
from cqlkit.engines.sql.aggregates_segments import (
    FIRST,
    SEGMENT,
    GroupedCompiler,
    Grouping,
    keyed_rows,
    numbered_segments,
    rows_frame,
    segment_rows,
    window,
    with_group_limit,
)
from cqlkit.engines.sql.columns import SEQ, TIME, Schema, alias, column
from cqlkit.engines.sql.stages import compile_row_stage
from cqlkit.engines.sql.stages_base import CompiledStage, assign_fields
from cqlkit.plan import nodes

# The functions whose parts compile to windows: aggregates over the frame's
# rows with helpers that read only their own row.
_WINDOWED_FUNCTIONS = frozenset(
    {"count", "sum", "avg", "min", "max", "range", "selectLast", "selectFromMax", "selectFromMin"}
)
# The aggregate functions of DuckDB that the parts of those functions call by name.
_NAMED_AGGREGATES = frozenset({"arg_max", "arg_min", "arg_max_null", "arg_min_null"})
_ROWS, _CANDIDATES = "__cqlkit_window_rows", "__cqlkit_candidates"


def compile_running(
    call_node: nodes.BoundCall,
    schema: Schema,
    source: str,
    grouping: Grouping,
    lift_default_limits: bool,
) -> CompiledStage:
    """Compile accumulate() or slidingWindow(): each row with the outputs of
    ``function`` over its frame, as the reference engine's classes of the same
    names describe."""
    function = call_node.get("function")
    _check_windowed(function, call_node)
    rows, keyed = keyed_rows(schema, source, grouping, timed=False)
    compiler = PartCompiler(keyed, grouping.keys, call_node.name, lift_default_limits=False)
    parts = compiler.parts(function, call_node)
    helpers = [helper for part in parts for helper in part.helpers]
    if any(helper.layer != ROW_LAYER for helper in helpers):
        raise _not_windowed(call_node, "its function reads other rows of the group")
    rows = exp.select(exp.Star(), *(alias(h.expression, h.name) for h in helpers)).from_(
        rows.subquery("__cqlkit_keyed_rows")
    )
    frame = _frame(call_node)
    partition = grouping.partition(keyed)
    values: dict[str, exp.Expr] = {}
    for name, value in merge_outputs([output for part in parts for output in part.outputs]):
        values[name] = _windowed(value, partition, frame)
    for name in _sum_fields(function):
        values[name] = exp.Coalesce(this=values[name], expressions=[exp.Literal.string("0")])
    if grouping.keys:
        return _grouped_rows(rows, schema, grouping, values, source)
    stage = assign_fields(schema, _ROWS, values)
    select = stage.select.with_(relation(_ROWS), as_=rows)
    return CompiledStage(select, stage.schema, schema)


def _check_windowed(function: object, call_node: nodes.BoundCall) -> None:
    items = function if isinstance(function, tuple) else (function,)
    for item in items:
        if not isinstance(item, nodes.BoundCall):
            raise _not_windowed(call_node, "its function is a sub-query")
        if item.name == "stats":
            _check_windowed(item.get("function"), call_node)
        elif item.name not in _WINDOWED_FUNCTIONS:
            raise _not_windowed(call_node, f"{item.name}() is not compiled as a window")


def _not_windowed(call_node: nodes.BoundCall, reason: str) -> Exception:
    return unsupported(
        f"{call_node.name}() of this function",
        f"{call_node.name}() is not compiled to SQL because {reason}",
        call_node,
    )


def _frame(call_node: nodes.BoundCall) -> exp.WindowSpec:
    """Return the rows that each row's outputs cover, relative to the row."""
    exclude = call_node.get("current") == "exclude"
    if call_node.name == "accumulate":
        return rows_frame(None, 1 if exclude else None)
    events = call_node.get("events")
    size = int(events) if isinstance(events, int | float) else 1
    return rows_frame(size, 1) if exclude else rows_frame(size - 1, None)


def _sum_fields(function: object) -> list[str]:
    """Return the output fields of the sum() calls of ``function``, which start at 0."""
    items = function if isinstance(function, tuple) else ()
    return [
        text_argument(item, "as")
        for item in items
        if isinstance(item, nodes.BoundCall) and item.name == "sum"
    ]


def _windowed(value: exp.Expr, partition: list[exp.Expr], frame: exp.WindowSpec) -> exp.Expr:
    """Return ``value`` with each aggregate in it computed over the frame of
    each row, in SEQ order within the row's group."""

    def over_frame(node: exp.Expr) -> exp.Expr:
        if _is_aggregate(node):
            return window(node.copy(), partition, [column(SEQ)], frame.copy())
        return node

    return value.copy().transform(over_frame, copy=False)


def _is_aggregate(node: exp.Expr) -> bool:
    if isinstance(node, exp.Filter):
        return _is_aggregate(node.this)
    if isinstance(node, exp.Anonymous):
        return str(node.name).lower() in _NAMED_AGGREGATES
    return isinstance(node, exp.AggFunc)


def _grouped_rows(
    rows: exp.Select,
    schema: Schema,
    grouping: Grouping,
    values: dict[str, exp.Expr],
    source: str,
) -> CompiledStage:
    """Return the rows of each group with their window values, the key fields
    first, groups in order of first appearance, rows in SEQ order."""
    fields = [*grouping.keys, *(name for name in schema.fields if name not in grouping.keys)]
    fields.extend(name for name in values if name not in fields)
    items: list[exp.Expr] = []
    for name in fields:
        value = values.get(name)
        current = schema.field(name)
        if value is None:
            items.append(alias(current, name))
        elif schema.has(name):
            items.append(alias(exp.Coalesce(this=value, expressions=[current]), name))
        else:
            items.append(alias(value, name))
    order = [column(FIRST), column(SEQ)]
    position = window(exp.RowNumber(), [], order)
    select = (
        exp.select(*items, *hidden_columns(position, null_double()))
        .from_(relation(_ROWS))
        .order_by(*(exp.Ordered(this=item.copy()) for item in order))
        .with_(relation(_ROWS), as_=rows)
    )
    stage = CompiledStage(select, Schema(tuple(fields), (SEQ, TIME)), schema)
    return with_group_limit(stage, grouping, schema, source)


def compile_partition(
    call_node: nodes.BoundCall,
    schema: Schema,
    source: str,
    grouping: Grouping,
    lift_default_limits: bool,
) -> CompiledStage:
    """Compile partition(): the parts of ``function`` over each partition; see
    the reference engine's Partition for the rules."""
    rows, keyed = keyed_rows(schema, source, grouping, timed=False)
    condition = call_node.get("condition")
    assert isinstance(condition, nodes.Plan)
    passing, steps = _condition_rows(condition, keyed, call_node)
    passing_seq = exp.select(column(SEQ)).from_(relation(passing))
    starts = exp.In(this=column(SEQ), query=passing_seq.subquery())
    candidates = exp.select(exp.Star()).from_(relation(_CANDIDATES))
    after = call_node.get("split") == "after"
    segmented = numbered_segments(candidates, grouping, keyed, starts, after=after)
    segmented = segmented.with_(relation(_CANDIDATES), as_=rows)
    for name, step in steps:
        segmented = segmented.with_(relation(name), as_=step)
    segments = keyed.with_field(SEGMENT)
    keys = (*grouping.keys, FIRST, SEGMENT)
    compiler = PartCompiler(segments, keys, "partition", lift_default_limits=lift_default_limits)
    parts: list[Part] = compiler.parts(call_node.get("function"), call_node)
    return segment_rows(segmented, segments, grouping, parts, source, schema)


def _condition_rows(
    condition: nodes.Plan, schema: Schema, call_node: nodes.BoundCall
) -> tuple[str, list[tuple[str, exp.Select]]]:
    """Compile the steps of ``condition`` over the candidate rows. Return the
    name of the relation of the rows that pass, and each step's CTE."""
    steps: list[tuple[str, exp.Select]] = []
    source, current = _CANDIDATES, schema
    for index, stage in enumerate(condition.stages):
        compiled = compile_row_stage(stage, current, source)
        source = f"__cqlkit_condition_{index}"
        steps.append((source, compiled.select))
        current = compiled.schema
    if not steps:
        raise unsupported("partition() without a condition", "the condition is empty", call_node)
    return source, steps


GROUPED: dict[str, GroupedCompiler] = {
    "accumulate": compile_running,
    "slidingWindow": compile_running,
    "partition": compile_partition,
}
