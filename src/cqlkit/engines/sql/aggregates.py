"""Compilation of aggregate functions into one SELECT each over the previous relation.

The SQL reproduces the reference engine's output rows, row order included.
The output rows' SEQ values ascend in that order, so the next stage breaks
ties by them and the engine lists the final rows by SEQ.

* head(), tail(), sort() and table() keep input rows, with SEQ set to the
  output position.
* count(), sum(), avg(), min(), max(), collect(), stats() and groupBy()
  compile to one GROUP BY query (``aggregates_grouped``).
* top() ranks groups (``aggregates_top``).

What SQL cannot reproduce exactly raises UnsupportedFeatureError, and the
engine then runs the stage on the reference engine.
"""

from __future__ import annotations

from sqlglot import exp

from cqlkit.engines.sql import (
    aggregates_events,
    aggregates_lookup,
    aggregates_selection,
    aggregates_sessions,
)
from cqlkit.engines.sql.aggregates_common import (
    effective_limit,
    hidden_columns,
    names_argument,
    null_double,
    output_schema,
    sort_arguments,
    unique,
    unsupported,
)
from cqlkit.engines.sql.aggregates_grouped import (
    PartCompiler,
    collect_rows,
    grouped_select,
)
from cqlkit.engines.sql.aggregates_ordering import event_time, field_order, time_order
from cqlkit.engines.sql.aggregates_top import top_select
from cqlkit.engines.sql.columns import TIME, Schema, alias, column
from cqlkit.engines.sql.stages import CompiledStage, select_from
from cqlkit.engines.sql.typed import not_null
from cqlkit.plan import nodes

_POSITION = "__cqlkit_position"

# The reference engine's warnings when a limit drops rows, with {limit} and {total}.
TRUNCATED_MESSAGE = "{name}() returned {{limit}} of {{total}} rows; raise its limit= to see more"
TAIL_MESSAGE = "tail() returned the newest {limit} of {total} events"
GROUP_LIMIT_MESSAGE = "groupBy() reached its limit of {limit} groups; later groups were dropped"

_ONE_ROW = frozenset({"count", "sum", "avg", "min", "max", "collect"})


def compile_aggregate(
    call: nodes.BoundCall, schema: Schema, source: str, *, lift_default_limits: bool
) -> CompiledStage:
    """Compile the aggregate ``call`` over the relation named ``source``.

    Raises UnsupportedFeatureError for what SQL cannot reproduce exactly,
    such as a sub-query or top() as a function of groupBy() or stats().
    """
    name = call.name
    family = (
        aggregates_selection.AGGREGATES.get(name)
        or aggregates_events.AGGREGATES.get(name)
        or aggregates_lookup.AGGREGATES.get(name)
    )
    if family is not None:
        return family(call, schema, source, lift_default_limits)
    if name in ("head", "tail"):
        return _by_time(call, schema, source, lift_default_limits)
    if name in ("sort", "table"):
        return _by_fields(call, schema, source, lift_default_limits)
    if name == "top":
        select, fields = top_select(call, schema, source)
        return CompiledStage(select, output_schema(fields), schema)
    if name == "groupBy":
        return _group_by(call, schema, source, lift_default_limits)
    if name == "stats":
        compiler = PartCompiler(schema, (), "stats", lift_default_limits=lift_default_limits)
        parts = compiler.parts(call.get("function"), call)
        select, fields = grouped_select(source, schema, (), parts)
        return CompiledStage(select, output_schema(fields), schema)
    if name == "collect" and not call.get("multival"):
        select, fields = collect_rows(call, schema, source)
        return CompiledStage(select, output_schema(fields), schema)
    if name in _ONE_ROW:
        return _one_row(call, schema, source)
    raise unsupported(f"{name}()", f"{name}() is not compiled to SQL yet", call)


def _one_row(call: nodes.BoundCall, schema: Schema, source: str) -> CompiledStage:
    """Compile count(), sum(), avg(), min(), max() or collect(multival=true) on
    its own. Unlike inside stats(), sum() of no numbers then outputs no row at all."""
    compiler = PartCompiler(schema, (), call.name, lift_default_limits=False)
    (part,) = compiler.part(call)
    select, fields = grouped_select(source, schema, (), [part], having=part.has_row)
    return CompiledStage(select, output_schema(fields), schema)


def _group_by(
    call: nodes.BoundCall, schema: Schema, source: str, lift_default_limits: bool
) -> CompiledStage:
    sequence = aggregates_sessions.compile_grouped(call, schema, source, lift_default_limits)
    if sequence is not None:
        return sequence
    keys = unique(names_argument(call, "field"))
    compiler = PartCompiler(schema, keys, "groupBy", lift_default_limits=lift_default_limits)
    parts = compiler.parts(call.get("function"), call)
    limit = effective_limit(call, liftable=False, lift_default_limits=lift_default_limits)
    select, fields = grouped_select(source, schema, keys, parts, limit=limit)
    return CompiledStage(
        select,
        output_schema(fields),
        schema,
        limit=limit,
        limit_message=GROUP_LIMIT_MESSAGE if limit is not None else "",
        count_select=_count_groups(keys, schema, source) if limit is not None else None,
    )


def _count_groups(keys: tuple[str, ...], schema: Schema, source: str) -> exp.Select:
    """Return a query for the number of groups, which the limit warning reports."""
    groups = (
        exp.select(*(schema.field(key) for key in keys))
        .distinct()
        .from_(exp.to_identifier(source, quoted=True))
    )
    if keys:
        groups = groups.where(exp.and_(*(not_null(schema.field(key)) for key in keys)))
    return exp.select(exp.Count(this=exp.Star())).from_(groups.subquery("g"))


def compile_batch_candidates(
    call: nodes.BoundCall, schema: Schema, source: str, *, lift_default_limits: bool
) -> CompiledStage | None:
    """Compile a filter that keeps the rows of one batch of input that a head(),
    tail(), sort() or table() with a limit can output from the whole input.

    The kept rows are unchanged, SEQ included, so running ``call`` over the
    candidates of every batch gives the rows of running it over all input.
    The output of ``call`` itself would not do: its SEQ is the output
    position, so ties between batches would break by position in a batch.
    Returns None for other functions and when there is no limit.
    """
    if call.name not in ("head", "tail", "sort", "table"):
        return None
    limit = effective_limit(call, liftable=True, lift_default_limits=lift_default_limits)
    if limit is None:
        return None
    rows, order = _ordering(call, schema, source)
    select = rows.order_by(*order).limit(limit)
    return CompiledStage(select, schema, schema)


def _ordering(
    call: nodes.BoundCall, schema: Schema, source: str
) -> tuple[exp.Select, list[exp.Ordered]]:
    """Return every column of the rows that ``call`` (head, tail, sort or table)
    orders, and its order."""
    rows = select_from(schema, source)
    if call.name in ("head", "tail"):
        time = event_time(schema)
        order = time_order(time, newest_first=call.name == "tail")
        return rows.where(not_null(time.copy())), order
    return rows, field_order(schema, *sort_arguments(call))


def _by_time(
    call: nodes.BoundCall, schema: Schema, source: str, lift_default_limits: bool
) -> CompiledStage:
    """Compile head() (the oldest rows, oldest first) or tail() (the newest,
    newest first). Rows without a time are skipped, and rows with equal times
    keep input order, which tail() reverses."""
    name = call.name
    limit = effective_limit(call, liftable=True, lift_default_limits=lift_default_limits)
    rows, order = _ordering(call, schema, source)
    select = _renumbered(rows, order, limit, schema, schema.fields, keep_time=True)
    message = TAIL_MESSAGE if name == "tail" else TRUNCATED_MESSAGE.format(name=name)
    return CompiledStage(
        select,
        output_schema(schema.fields),
        schema,
        limit=limit,
        limit_message=message if limit is not None else "",
    )


def _by_fields(
    call: nodes.BoundCall, schema: Schema, source: str, lift_default_limits: bool
) -> CompiledStage:
    """Compile sort() by ``field`` or table() by ``sortby``. table() then keeps
    only its listed fields, and its rows lose their time as in the reference engine."""
    name = call.name
    is_table = name == "table"
    limit = effective_limit(call, liftable=True, lift_default_limits=lift_default_limits)
    fields = unique(names_argument(call, "fields")) if is_table else schema.fields
    rows, order = _ordering(call, schema, source)
    select = _renumbered(rows, order, limit, schema, fields, keep_time=not is_table)
    return CompiledStage(
        select,
        output_schema(fields),
        schema,
        limit=limit,
        limit_message=TRUNCATED_MESSAGE.format(name=name) if limit is not None else "",
    )


def _renumbered(
    rows: exp.Select,
    order: list[exp.Ordered],
    limit: int | None,
    schema: Schema,
    fields: tuple[str, ...],
    *,
    keep_time: bool,
) -> exp.Select:
    """Return ``rows`` in ``order``, the first ``limit`` of them, with SEQ set
    to the position. The limit applies before the numbering so that the SQL
    engine can keep the top rows without sorting every row."""
    if limit is not None:
        rows = rows.order_by(*(item.copy() for item in order)).limit(limit)
    position = exp.Window(
        this=exp.RowNumber(),
        order=exp.Order(expressions=[item.copy() for item in order]),
        over="OVER",
    )
    numbered = exp.select(exp.Star(), alias(position, _POSITION))
    numbered = numbered.from_(rows.subquery("__cqlkit_rows"))
    items = [alias(schema.field(name), name) for name in fields]
    time = column(TIME) if keep_time else null_double()
    return (
        exp.select(*items, *hidden_columns(column(_POSITION), time))
        .from_(numbered.subquery("__cqlkit_numbered"))
        .order_by(column(_POSITION))
    )
