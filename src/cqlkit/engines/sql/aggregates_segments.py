"""SQL pieces shared by session(), series(), accumulate(), slidingWindow() and
partition(), on their own or as the one function of groupBy().

Each of them reads the rows of one group (all rows without groupBy()) in an
order, input order or event time, and either splits them into segments (a
session, a series, a partition) or computes a window over them. The queries
here give every row its group's first input position, apply groupBy()'s
group limit, and turn segments into output rows in the reference engine's
order: groups in order of first appearance, then segments in order.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from sqlglot import exp

from cqlkit.engines.sql.aggregates_common import (
    effective_limit,
    hidden_columns,
    integer,
    names_argument,
    null_double,
    relation,
    unique,
)
from cqlkit.engines.sql.aggregates_grouped import Part, grouped_select
from cqlkit.engines.sql.aggregates_ordering import event_time
from cqlkit.engines.sql.columns import SEQ, TIME, Schema, alias, column
from cqlkit.engines.sql.stages_base import CompiledStage
from cqlkit.engines.sql.typed import not_null
from cqlkit.plan import nodes

FIRST = "__cqlkit_first"
"""The smallest SEQ of a row's group: groups come out in this order."""
EVENT_TIME = "__cqlkit_event_time"
"""The event time of a row, for the functions that read rows by time."""
SEGMENT = "__cqlkit_segment"
"""The number of a row's segment within its group, from 0 or 1 upwards."""
_ORDER = "__cqlkit_order"
_START = "__cqlkit_start"
_KEYED, _LIMITED = "__cqlkit_keyed", "__cqlkit_limited"
_GROUP_RANK = "__cqlkit_group_rank"


@dataclass(frozen=True)
class Grouping:
    """The groupBy() around a function: its key fields and group limit. A
    function on its own has no keys and no limit."""

    keys: tuple[str, ...] = ()
    limit: int | None = None

    @classmethod
    def of(cls, group_by: nodes.BoundCall, lift_default_limits: bool) -> Grouping:
        """Return the grouping of a groupBy() call."""
        keys = unique(names_argument(group_by, "field"))
        limit = effective_limit(group_by, liftable=False, lift_default_limits=lift_default_limits)
        return cls(keys, limit)

    def partition(self, schema: Schema) -> list[exp.Expr]:
        """Return the key columns, for PARTITION BY."""
        return [schema.field(key) for key in self.keys]


GroupedCompiler = Callable[[nodes.BoundCall, Schema, str, Grouping, bool], CompiledStage]
"""A compiler of one function of this family with the groupBy() around it; the
last argument is ``lift_default_limits``."""


def window(
    function: exp.Expr,
    partition: Sequence[exp.Expr],
    order: Sequence[exp.Expr],
    spec: exp.WindowSpec | None = None,
) -> exp.Window:
    """Return ``function OVER (PARTITION BY ... ORDER BY ... frame)``."""
    ordered = [exp.Ordered(this=item.copy()) for item in order]
    return exp.Window(
        this=function,
        partition_by=[item.copy() for item in partition] or None,
        order=exp.Order(expressions=ordered) if ordered else None,
        spec=spec,
        over="OVER",
    )


def rows_frame(start: int | None, end: int | None) -> exp.WindowSpec:
    """Return ``ROWS BETWEEN start PRECEDING AND end PRECEDING``. A ``start`` of
    None is UNBOUNDED, and an ``end`` of None is CURRENT ROW."""
    return exp.WindowSpec(
        kind="ROWS",
        start="UNBOUNDED" if start is None else integer(start),
        start_side="PRECEDING",
        end="CURRENT ROW" if end is None else integer(end),
        end_side=None if end is None else "PRECEDING",
    )


def keyed_rows(
    schema: Schema, source: str, grouping: Grouping, *, timed: bool
) -> tuple[exp.Select, Schema]:
    """Return the rows that have every key, each with its group's first SEQ,
    and the schema of that relation.

    With a group limit, only the rows of the first ``limit`` groups are kept.
    With ``timed``, each row also gets its event time, and rows without one
    are dropped after the groups are counted: groupBy() counts a group whose
    rows have no time.
    """
    key_values = grouping.partition(schema)
    first: exp.Expr = (
        window(exp.Min(this=column(SEQ)), key_values, []) if grouping.keys else integer(0)
    )
    items: list[exp.Expr] = [exp.Star(), alias(first, FIRST)]
    if timed:
        items.append(alias(event_time(schema), EVENT_TIME))
    rows = exp.select(*items).from_(relation(source))
    if key_values:
        rows = rows.where(exp.and_(*(not_null(value.copy()) for value in key_values)))
    conditions: list[exp.Expr] = []
    if grouping.limit is not None:
        rank = exp.Window(
            this=exp.Anonymous(this="dense_rank"),
            order=exp.Order(expressions=[exp.Ordered(this=column(FIRST))]),
            over="OVER",
        )
        rows = exp.select(exp.Star(), alias(rank, _GROUP_RANK)).from_(rows.subquery(_KEYED))
        conditions.append(exp.LTE(this=column(_GROUP_RANK), expression=integer(grouping.limit)))
    if timed:
        conditions.append(not_null(column(EVENT_TIME)))
    if conditions:
        rows = exp.select(exp.Star()).from_(rows.subquery(_LIMITED)).where(exp.and_(*conditions))
    extra = (FIRST, EVENT_TIME) if timed else (FIRST,)
    keyed = schema
    for name in extra:
        keyed = keyed.with_field(name)
    return rows, keyed


def time_ordered(rows: exp.Select, schema: Schema) -> exp.Select:
    """Return ``rows`` (from :func:`keyed_rows` with ``timed``) with SEQ replaced
    by the position in event-time order, so that aggregates that read rows in
    SEQ order read them by time, as the reference engine's session() does."""
    position = exp.Window(
        this=exp.RowNumber(),
        order=exp.Order(
            expressions=[exp.Ordered(this=column(EVENT_TIME)), exp.Ordered(this=column(SEQ))]
        ),
        over="OVER",
    )
    timed = rows.subquery("__cqlkit_timed")
    numbered = exp.select(exp.Star(), alias(position, _ORDER)).from_(timed)
    items: list[exp.Expr] = [column(name) for name in schema.fields]
    items.append(alias(column(_ORDER), SEQ))
    items.extend(column(name) for name in schema.hidden if name != SEQ)
    return exp.select(*items).from_(numbered.subquery("__cqlkit_numbered"))


def numbered_segments(
    rows: exp.Select, grouping: Grouping, schema: Schema, starts: exp.Expr, *, after: bool = False
) -> exp.Select:
    """Return ``rows`` with :data:`SEGMENT`: the number of rows before each row
    of its group (in SEQ order) for which ``starts`` is true, the row itself
    included unless ``after``. A row for which ``starts`` is true thus opens a
    new segment, or with ``after`` closes its segment."""
    start = exp.Case(ifs=[exp.If(this=starts, true=integer(1))], default=integer(0))
    flagged = exp.select(exp.Star(), alias(start, _START)).from_(rows.subquery("__cqlkit_flagged"))
    frame = rows_frame(None, 1 if after else None)
    running = window(exp.Sum(this=column(_START)), grouping.partition(schema), [column(SEQ)], frame)
    segment = exp.Coalesce(this=running, expressions=[integer(0)])
    return exp.select(exp.Star(), alias(segment, SEGMENT)).from_(
        flagged.subquery("__cqlkit_starts")
    )


def segment_rows(
    rows: exp.Select,
    schema: Schema,
    grouping: Grouping,
    parts: Sequence[Part],
    source: str,
    input_schema: Schema,
) -> CompiledStage:
    """Return one row per segment of each group of ``rows``: the group's keys
    and the parts' outputs over the segment's rows.

    ``schema`` is the schema of ``rows``, with :data:`FIRST` and :data:`SEGMENT`,
    and ``source`` with ``input_schema`` is the stage's input relation. Rows come
    by group first appearance, then segment number, with SEQ set to that position.
    """
    inner = "__cqlkit_segmented"
    keys = (*grouping.keys, FIRST, SEGMENT)
    groups, fields = grouped_select(inner, schema, keys, parts)
    helper_fields = {FIRST, SEGMENT, EVENT_TIME}
    output_fields = tuple(name for name in fields if name not in helper_fields)
    order = [column(FIRST), column(SEGMENT)]
    position = window(exp.RowNumber(), [], order)
    select = (
        exp.select(
            *(column(name) for name in output_fields),
            *hidden_columns(position, null_double()),
        )
        .from_(groups.subquery("__cqlkit_segment_groups"))
        .order_by(*(exp.Ordered(this=item.copy()) for item in order))
        .with_(relation(inner), as_=rows)
    )
    stage = CompiledStage(select, Schema(output_fields, (SEQ, TIME)), input_schema)
    return with_group_limit(stage, grouping, input_schema, source)


def with_group_limit(
    stage: CompiledStage, grouping: Grouping, schema: Schema, source: str
) -> CompiledStage:
    """Return ``stage`` with groupBy()'s warning when its limit drops groups of
    the relation ``source``, whose schema is ``schema``."""
    # Imported here because the core aggregates module imports this family.
    from cqlkit.engines.sql.aggregates import GROUP_LIMIT_MESSAGE

    if grouping.limit is None:
        return stage
    values = grouping.partition(schema)
    groups = exp.select(*values).distinct().from_(relation(source))
    if values:
        groups = groups.where(exp.and_(*(not_null(value.copy()) for value in values)))
    count = exp.select(exp.Count(this=exp.Star())).from_(groups.subquery("__cqlkit_groups"))
    return CompiledStage(
        stage.select,
        stage.schema,
        stage.input_schema,
        limit=grouping.limit,
        limit_message=GROUP_LIMIT_MESSAGE,
        count_select=count,
    )
