"""SQL compilation of the chart aggregates bucket() and timeChart().

Both add ``_bucket`` in a CTE, group with :func:`grouped_select` as groupBy()
does, and shape the groups into the reference engine's output rows, in the
same order and with the same SEQ.

These forms run on the reference engine instead: bucket() and timeChart()
with a tz database time zone (``timezone=Europe/Paris``, whose offset changes
with daylight saving time) or with ``minSpan`` (whose warning depends on the
data).
"""

from __future__ import annotations

import zoneinfo
from collections.abc import Sequence

from sqlglot import exp

from cqlkit.engines.sql.aggregates_common import (
    hidden_columns,
    integer,
    null_double,
    ordered_sum,
    output_schema,
    relation,
    unsupported,
    when,
)
from cqlkit.engines.sql.aggregates_grouped import PartCompiler, grouped_select
from cqlkit.engines.sql.aggregates_ordering import event_time
from cqlkit.engines.sql.columns import SEQ, Schema, alias, column
from cqlkit.engines.sql.family import Aggregates
from cqlkit.engines.sql.stages_base import CompiledStage
from cqlkit.engines.sql.typed import DOUBLE, call, is_null, not_null
from cqlkit.fieldnames import encode
from cqlkit.plan import nodes
from cqlkit.plan.chart_units import UnitConversion
from cqlkit.plan.time_buckets import (
    AUTO_SPANS_MS,
    BUCKET_FIELD,
    MAX_AUTO_BUCKETS,
    SERIES_LIMIT_MESSAGE,
    ChartOptions,
    FixedOffset,
    chart_options,
)

# Names of the CTEs and helper columns of the compiled queries.
_TIMED, _SPAN, _BUCKETED, _GROUPS = (
    "__cqlkit_timed",
    "__cqlkit_span",
    "__cqlkit_bucketed",
    "__cqlkit_groups",
)
_SCORED, _SERIES, _RANKED = "__cqlkit_scored", "__cqlkit_series", "__cqlkit_ranked"
_EVENT_TIME, _SPAN_MS, _SCORE, _BEST, _FIRST, _RANK = (
    "__cqlkit_event_time",
    "__cqlkit_span_ms",
    "__cqlkit_score",
    "__cqlkit_best",
    "__cqlkit_first",
    "__cqlkit_rank",
)
_GROUP_ALIAS, _RANK_ALIAS, _SPAN_ALIAS = "g", "r", "s"
_YEAR_MS = 365 * 24 * 3600 * 1000


def double(value: float) -> exp.Expr:
    """Return a DOUBLE literal, so that arithmetic rounds as Python floats do."""
    return exp.cast(exp.Literal.number(repr(float(value))), DOUBLE)


def _aliased(relation_name: str, table: str) -> exp.Table:
    """Return ``"relation_name" AS table`` for a FROM or JOIN clause."""
    return exp.Table(
        this=relation(relation_name), alias=exp.TableAlias(this=exp.to_identifier(table))
    )


def _qualified(name: str, table: str) -> exp.Column:
    """Return the column of field (or helper) ``name`` of the relation aliased ``table``."""
    return exp.column(exp.to_identifier(encode(name), quoted=True), table=table)


# --- bucket() and timeChart() -----------------------------------------------------------


def compile_time_buckets(
    call_node: nodes.BoundCall, schema: Schema, source: str, lift_default_limits: bool
) -> CompiledStage:
    """Compile bucket() or timeChart(); see the reference engine's TimeBuckets
    for the rules that the query reproduces."""
    options = chart_options(call_node.name, call_node.arguments, call_node.explicit)
    _check_compilable(options, call_node)

    # Groups of (bucket, series) over the timed rows with their bucket start.
    keys = (BUCKET_FIELD, *options.series)
    bucketed_schema = schema.with_field(BUCKET_FIELD)
    compiler = PartCompiler(
        bucketed_schema, keys, call_node.name, lift_default_limits=lift_default_limits
    )
    parts = compiler.parts(call_node.get("function"), call_node)
    groups, fields = grouped_select(_BUCKETED, bucketed_schema, keys, parts)

    # The groups of the kept series, with the CTEs they read.
    value_fields = [name for name in fields if name not in keys]
    select = _chart_rows(options, fields, value_fields)
    for name, body in (
        (_TIMED, _timed_rows(schema, source)),
        (_SPAN, _span_row(options)),
        (_BUCKETED, _bucketed_rows(bucketed_schema, options)),
        (_GROUPS, groups),
        *_series_ranking(options, value_fields),
    ):
        select = select.with_(relation(name), as_=body)

    # The default series limit warns, as the reference engine does.
    limited = bool(options.series) and options.warn_on_limit
    return CompiledStage(
        select,
        output_schema(fields),
        schema,
        limit=options.limit if limited else None,
        limit_message=SERIES_LIMIT_MESSAGE.replace("{name}", options.name) if limited else "",
        count_select=_count_series(options, schema, source) if limited else None,
    )


def _check_compilable(options: ChartOptions, call_node: nodes.BoundCall) -> None:
    name = options.name
    if isinstance(options.timezone, zoneinfo.ZoneInfo):
        raise unsupported(
            f"{name}(timezone={options.timezone.key})",
            f"{name}() with a tz database time zone, whose offset changes, is not compiled to SQL",
            call_node,
        )
    if options.min_span_ms is not None:
        raise unsupported(
            f"{name}(minSpan=...)",
            f"{name}() with minSpan, which may warn depending on the data, is not compiled to SQL",
            call_node,
        )


def _timed_rows(schema: Schema, source: str) -> exp.Select:
    """Return the rows that have an event time, with that time as a column."""
    time = event_time(schema)
    return (
        exp.select(*schema.projection(), alias(time, _EVENT_TIME))
        .from_(relation(source))
        .where(not_null(time.copy()))
    )


def _span_row(options: ChartOptions) -> exp.Select:
    """Return one row with the bucket span: the span= value, or the span that
    buckets= or span=auto derive from the time range of the timed rows."""
    low, high = exp.Min(this=column(_EVENT_TIME)), exp.Max(this=column(_EVENT_TIME))
    interval = exp.paren(
        exp.Add(this=exp.paren(exp.Sub(this=high, expression=low)), expression=double(1))
    )
    if options.span_ms is not None:
        # One row whatever the input, because nothing is aggregated.
        return exp.select(alias(double(options.span_ms), _SPAN_MS))
    span: exp.Expr
    if options.buckets is not None:
        span = exp.Ceil(this=exp.Div(this=interval, expression=double(options.buckets)))
    else:
        span = _auto_span(interval)
    return exp.select(alias(span, _SPAN_MS)).from_(relation(_TIMED))


def _auto_span(interval: exp.Expr) -> exp.Expr:
    """Return the span=auto ladder of :func:`cqlkit.plan.time_buckets.auto_span` as SQL."""
    ifs = [
        exp.If(
            this=exp.LTE(this=interval.copy(), expression=double(MAX_AUTO_BUCKETS * span)),
            true=double(span),
        )
        for span in AUTO_SPANS_MS
    ]
    years = exp.Ceil(
        this=exp.Div(this=interval.copy(), expression=double(MAX_AUTO_BUCKETS * _YEAR_MS))
    )
    return exp.Case(ifs=ifs, default=exp.Mul(this=years, expression=double(_YEAR_MS)))


def _bucketed_rows(bucketed_schema: Schema, options: ChartOptions) -> exp.Select:
    """Return the timed rows with ``_bucket``: the start of the bucket of the
    event time, in epoch milliseconds as text."""
    assert isinstance(options.timezone, FixedOffset)
    offset = double(options.timezone.milliseconds)
    span = column(_SPAN_MS)
    shifted = exp.paren(exp.Add(this=column(_EVENT_TIME), expression=offset))
    floor = exp.Floor(this=exp.Div(this=shifted, expression=span))
    start = exp.Sub(this=exp.Mul(this=floor, expression=span.copy()), expression=offset.copy())
    projection = bucketed_schema.projection({BUCKET_FIELD: call("cql_number_text", start)})
    return exp.select(*projection).from_(relation(_TIMED)).join(relation(_SPAN), join_type="CROSS")


def _series_ranking(
    options: ChartOptions, value_fields: Sequence[str]
) -> list[tuple[str, exp.Select]]:
    """Return the CTEs that rank the series by the total of their output
    numbers, then first appearance; none when there are no series fields.
    The totals add in the reference engine's order: fields left to right
    within a group, then groups by SEQ."""
    if not options.series:
        return []
    numbers = [call("cql_number", column(name)) for name in value_fields]
    score: exp.Expr = null_double()
    if numbers:
        total: exp.Expr = exp.cast(integer(0), DOUBLE)
        for number in numbers:
            addend = exp.Coalesce(this=number, expressions=[exp.cast(integer(0), DOUBLE)])
            total = exp.Add(this=total, expression=addend)
        present = exp.or_(*(not_null(number.copy()) for number in numbers))
        score = when(present, total)
    scored = exp.select(exp.Star(), alias(score, _SCORE)).from_(relation(_GROUPS))
    series_columns = [column(name) for name in options.series]
    series = (
        exp.select(
            *(item.copy() for item in series_columns),
            alias(ordered_sum(column(_SCORE), column(SEQ)), _BEST),
            alias(exp.Min(this=column(SEQ)), _FIRST),
        )
        .from_(relation(_SCORED))
        .group_by(*(item.copy() for item in series_columns))
    )
    order = [
        exp.Ordered(this=column(_BEST), desc=True, nulls_first=False),
        exp.Ordered(this=column(_FIRST)),
    ]
    rank = exp.Window(this=exp.RowNumber(), order=exp.Order(expressions=order), over="OVER")
    ranked = exp.select(exp.Star(), alias(rank, _RANK)).from_(relation(_SERIES))
    return [(_SCORED, scored), (_SERIES, series), (_RANKED, ranked)]


def _chart_rows(
    options: ChartOptions, fields: Sequence[str], value_fields: Sequence[str]
) -> exp.Select:
    """Return the output rows: the groups of kept series, with unit conversions,
    numbered by bucket start then series first appearance."""
    group = _GROUP_ALIAS
    items = []
    for name in fields:
        value = _qualified(name, group)
        unit = options.unit_for(name) if name in value_fields else None
        items.append(alias(value if unit is None else _converted(value, unit), name))
    bucket_order = exp.Ordered(this=call("cql_number", _qualified(BUCKET_FIELD, group)))
    order = [bucket_order]
    if options.series:
        order.append(exp.Ordered(this=_qualified(_FIRST, _RANK_ALIAS)))
    position = exp.Window(this=exp.RowNumber(), order=exp.Order(expressions=order), over="OVER")
    select = exp.select(*items, *hidden_columns(position, null_double())).from_(
        _aliased(_GROUPS, group)
    )
    select = select.join(_aliased(_SPAN, _SPAN_ALIAS), join_type="CROSS")
    if options.series:
        matches = [
            exp.EQ(this=_qualified(name, group), expression=_qualified(name, _RANK_ALIAS))
            for name in options.series
        ]
        select = select.join(_aliased(_RANKED, _RANK_ALIAS), on=exp.and_(*matches))
        select = select.where(
            exp.LTE(this=_qualified(_RANK, _RANK_ALIAS), expression=integer(options.limit))
        )
    return select.order_by(*(item.copy() for item in order))


def _converted(value: exp.Expr, unit: UnitConversion) -> exp.Expr:
    """Return ``value`` converted by ``unit`` when it is a number, with the
    operations in :func:`cqlkit.plan.chart_units.convert_value`'s order."""
    number = call("cql_number", value.copy())
    scaled: exp.Expr = exp.Mul(this=number, expression=double(unit.ratio))
    if unit.is_rate:
        source_per: exp.Expr = (
            _qualified(_SPAN_MS, _SPAN_ALIAS)
            if unit.source_per_ms is None
            else double(unit.source_per_ms)
        )
        target = exp.Mul(this=exp.paren(scaled), expression=double(unit.target_per_ms or 1))
        scaled = exp.Div(this=exp.paren(target), expression=source_per)
    converted = call("cql_number_text", scaled)
    return when(is_null(number.copy()), value, converted)


def _count_series(options: ChartOptions, schema: Schema, source: str) -> exp.Select:
    """Return a query for the number of series, which the limit warning reports."""
    present = [
        not_null(event_time(schema)),
        *(not_null(schema.field(name)) for name in options.series),
    ]
    distinct = (
        exp.select(*(schema.field(name) for name in options.series))
        .distinct()
        .from_(relation(source))
        .where(exp.and_(*present))
    )
    return exp.select(exp.Count(this=exp.Star())).from_(distinct.subquery("series"))


AGGREGATES: Aggregates = {
    "bucket": compile_time_buckets,
    "timeChart": compile_time_buckets,
}
