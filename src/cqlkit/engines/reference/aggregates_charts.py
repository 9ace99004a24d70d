"""The reference engine's chart aggregates: bucket() and timeChart() (rows per
time bucket and series) and sankey() (edges between two fields).
:mod:`cqlkit.engines.reference.aggregates_geohash` has worldMap().

Each one groups rows, as groupBy() does, and runs its aggregate argument
(``function`` or ``weight``) over every group as a stats() sub-pipeline.
The sub-pipeline runner keeps this module free of the core aggregates
module, which imports it.
"""

from __future__ import annotations

from collections.abc import Iterable

from cqlkit.engines.reference.aggregates_base import AggregatorFactories, SubPlanRunner
from cqlkit.engines.reference.context import RunContext
from cqlkit.engines.reference.row import Row
from cqlkit.engines.reference.values import format_number, to_number
from cqlkit.plan import nodes
from cqlkit.plan.chart_units import convert_value
from cqlkit.plan.functions import lookup
from cqlkit.plan.time_buckets import (
    BUCKET_FIELD,
    SERIES_LIMIT_MESSAGE,
    bucket_start,
    chart_options,
    choose_span,
)

Series = tuple[str, ...]


def run_function(
    function: object, rows: Iterable[Row], context: RunContext, runner: SubPlanRunner
) -> list[Row]:
    """Run an aggregate argument over one group's rows: a sub-query as it is,
    calls combined as stats() combines them."""
    if isinstance(function, nodes.Plan):
        plan = function
    else:
        stats = lookup("stats")
        assert stats is not None
        call = nodes.BoundCall(stats, {"function": function}, frozenset())
        plan = nodes.Plan((nodes.Apply(None, call),))
    return list(runner(plan, rows, context))


class TimeBuckets:
    """bucket() and timeChart(): one row per time bucket and series, with the
    outputs of ``function`` over the group's rows.

    Each row's ``_bucket`` is the start of its bucket in epoch milliseconds
    (see :mod:`cqlkit.plan.time_buckets` for the span and the alignment).
    Rows without an event time are skipped, as are rows that lack a series
    field. Buckets without rows are absent. When there are more series than
    ``limit``, the series with the largest total are kept: the sum of the
    numbers that ``function`` outputs for the series over all buckets and
    fields, added in row and field order. Series without numbers rank last,
    and ties go to the series seen first. LogScale's timeChart() example with
    two functions keeps the series whose two values add up to the most.
    Output rows come by bucket start, then series in order of first appearance.
    """

    def __init__(self, call: nodes.BoundCall, context: RunContext, runner: SubPlanRunner) -> None:
        self.options = chart_options(call.name, call.arguments, call.explicit)
        self.function = call.get("function")
        self.context, self.runner = context, runner
        self.timed: list[tuple[float, Row]] = []

    def add(self, row: Row) -> None:
        time = row.event_time()
        if time is not None:
            self.timed.append((time, row))

    def rows(self) -> list[Row]:
        if not self.timed:
            return []
        times = [time for time, _ in self.timed]
        span, warning = choose_span(self.options, min(times), max(times))
        if warning is not None:
            self.context.warn(warning)
        groups, first_seen = self._groups(span)
        outputs: list[tuple[float, Series, Row]] = []
        for (start, series), members in groups.items():
            keys = dict(zip(self.options.series, series, strict=True))
            keys = {BUCKET_FIELD: format_number(start), **keys}
            for row in run_function(self.function, members, self.context, self.runner):
                outputs.append((start, series, Row({**keys, **row})))
        kept = self._kept_series(outputs, first_seen)
        outputs.sort(key=lambda item: (item[0], first_seen[item[1]]))
        return [self._converted(row, span) for _, series, row in outputs if series in kept]

    def _groups(
        self, span: float
    ) -> tuple[dict[tuple[float, Series], list[Row]], dict[Series, int]]:
        """Return the rows of each (bucket start, series) group, and the input
        position at which each series first appears."""
        groups: dict[tuple[float, Series], list[Row]] = {}
        first_seen: dict[Series, int] = {}
        for position, (time, row) in enumerate(self.timed):
            values = [row.get(field) for field in self.options.series]
            if any(value is None for value in values):
                continue
            series = tuple(str(value) for value in values)
            start = bucket_start(time, span, self.options.timezone)
            copy = row.copy()
            copy[BUCKET_FIELD] = format_number(start)
            groups.setdefault((start, series), []).append(copy)
            first_seen.setdefault(series, position)
        return groups, first_seen

    def _kept_series(
        self, outputs: list[tuple[float, Series, Row]], first_seen: dict[Series, int]
    ) -> set[Series]:
        """Return the series within the limit, warning when the default limit drops
        some. ``outputs`` must be in group order, which the totals add in."""
        limit = self.options.limit
        if len(first_seen) <= limit:
            return set(first_seen)
        keys = {BUCKET_FIELD, *self.options.series}
        scores: dict[Series, float | None] = dict.fromkeys(first_seen)
        for _, series, row in outputs:
            numbers = [to_number(value) for field, value in row.items() if field not in keys]
            present = [number for number in numbers if number is not None]
            if not present:
                continue
            row_total = 0.0
            for number in present:
                row_total += number
            current = scores[series]
            scores[series] = row_total if current is None else current + row_total

        def rank(series: Series) -> tuple[bool, float, int]:
            score = scores[series]
            return (score is None, -(score or 0.0), first_seen[series])

        if self.options.warn_on_limit:
            self.context.warn(
                SERIES_LIMIT_MESSAGE.format(
                    name=self.options.name, limit=limit, total=len(first_seen)
                )
            )
        return set(sorted(first_seen, key=rank)[:limit])

    def _converted(self, row: Row, span: float) -> Row:
        """Return ``row`` with the unit conversions applied to its numbers."""
        options = self.options
        if not options.units:
            return row
        keys = {BUCKET_FIELD, *options.series}
        for field, value in row.items():
            unit = options.unit_for(field)
            number = None if field in keys or unit is None else to_number(value)
            if unit is not None and number is not None:
                row[field] = format_number(convert_value(number, unit, span))
        return row


class Sankey:
    """sankey(): one row per pair of ``source`` and ``target`` values, with
    the fields ``source``, ``target`` and ``weight``.

    The weight is the output of the ``weight`` aggregate over the pair's rows:
    its ``as`` field, or else its first output field. Rows lacking either
    field are skipped. Pairs come in order of first appearance.
    """

    def __init__(self, call: nodes.BoundCall, context: RunContext, runner: SubPlanRunner) -> None:
        self.source, self.target = call.text("source"), call.text("target")
        weight = call.get("weight")
        assert isinstance(weight, tuple)
        self.weight = weight
        self.context, self.runner = context, runner
        self.groups: dict[tuple[str, str], list[Row]] = {}

    def add(self, row: Row) -> None:
        source, target = row.get(self.source), row.get(self.target)
        if source is not None and target is not None:
            self.groups.setdefault((source, target), []).append(row)

    def rows(self) -> list[Row]:
        output = []
        for (source, target), members in self.groups.items():
            for row in run_function(self.weight, members, self.context, self.runner):
                edge = Row({"source": source, "target": target})
                weight = _weight_value(self.weight, row)
                if weight is not None:
                    edge["weight"] = weight
                output.append(edge)
        return output


def _weight_value(weight: tuple[object, ...], row: Row) -> str | None:
    call = weight[0]
    output = call.get("as") if isinstance(call, nodes.BoundCall) else None
    if isinstance(output, str):
        return row.get(output)
    return next(iter(row.values()), None)


AGGREGATORS: AggregatorFactories = {
    "bucket": TimeBuckets,
    "timeChart": TimeBuckets,
    "sankey": Sankey,
}
