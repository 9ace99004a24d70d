"""Aggregate functions of the reference interpreter.

Each aggregate is an object that receives every row with ``add`` and
produces its output rows with ``rows``. ``groupBy`` and ``stats`` combine
several of them.
"""

from __future__ import annotations

import heapq
import itertools
from collections.abc import Callable

from cqlkit.engines.reference import (
    aggregates_arrays,
    aggregates_events,
    aggregates_lookup,
    aggregates_selection,
)
from cqlkit.engines.reference.aggregates_base import Aggregator, SubPlanRunner
from cqlkit.engines.reference.context import RunContext
from cqlkit.engines.reference.row import Row
from cqlkit.engines.reference.sorting import sort_rows
from cqlkit.engines.reference.values import format_number, to_number
from cqlkit.errors import ExecutionError
from cqlkit.plan import nodes


def _text(call: nodes.BoundCall, name: str) -> str:
    return str(call.get(name))


def _names(call: nodes.BoundCall, name: str) -> tuple[str, ...]:
    value = call.get(name)
    assert isinstance(value, tuple)
    return tuple(str(item) for item in value)


class Count:
    """count(): events, events that have a field, or distinct values."""

    def __init__(self, call: nodes.BoundCall, context: RunContext) -> None:
        field = call.get("field")
        self.field = None if field is None else str(field)
        self.distinct = bool(call.get("distinct"))
        self.output = _text(call, "as")
        self.count = 0
        self.values: set[str] = set()

    def add(self, row: Row) -> None:
        if self.field is None:
            self.count += 1
            return
        value = row.get(self.field)
        if value is None:
            return
        if self.distinct:
            self.values.add(value)
        else:
            self.count += 1

    def rows(self) -> list[Row]:
        count = len(self.values) if self.distinct else self.count
        return [Row({self.output: str(count)})]


class NumericAggregate:
    """sum(), avg(), min() and max(): values that are not numbers are ignored,
    and with no number at all there is no output row."""

    def __init__(self, call: nodes.BoundCall, context: RunContext) -> None:
        self.kind = call.name
        self.field = _text(call, "field")
        self.output = _text(call, "as")
        self.numbers: list[float] = []

    def add(self, row: Row) -> None:
        number = to_number(row.get(self.field))
        if number is not None:
            self.numbers.append(number)

    def rows(self) -> list[Row]:
        if not self.numbers:
            return []
        numbers = self.numbers
        if self.kind == "sum":
            result = sum(numbers)
        elif self.kind == "avg":
            result = sum(numbers) / len(numbers)
        else:
            result = min(numbers) if self.kind == "min" else max(numbers)
        return [Row({self.output: format_number(result)})]


class Collect:
    """collect(): the distinct values of each field, in order of first appearance."""

    def __init__(self, call: nodes.BoundCall, context: RunContext) -> None:
        self.fields = _names(call, "fields")
        self.limit = context.limit(call)
        self.multival = bool(call.get("multival"))
        self.separator = _text(call, "separator")
        self.values: dict[str, dict[str, None]] = {field: {} for field in self.fields}
        self.context = context

    def add(self, row: Row) -> None:
        for field in self.fields:
            value = row.get(field)
            seen = self.values[field]
            if value is None or value in seen:
                continue
            if self.limit is not None and len(seen) >= self.limit:
                self.context.warn(
                    f"collect() kept the first {self.limit} distinct values of {field}"
                )
                continue
            seen[value] = None

    def rows(self) -> list[Row]:
        if self.multival:
            merged = {f: self.separator.join(v) for f, v in self.values.items() if v}
            return [Row(merged)] if merged else []
        return [Row({field: value}) for field, values in self.values.items() for value in values]


class Head:
    """head(): the oldest events, oldest first."""

    def __init__(self, call: nodes.BoundCall, context: RunContext) -> None:
        self.limit = context.limit(call, liftable=True)
        self.buffer: list[tuple[float, int, Row]] = []
        self.context = context
        self.name = call.name
        self.counter = itertools.count()

    def add(self, row: Row) -> None:
        time = row.event_time()
        if time is None:
            self.context.warn(f"{self.name}() skipped events that have no @timestamp")
            return
        self.buffer.append((time, next(self.counter), row))

    def rows(self) -> list[Row]:
        ordered = sorted(self.buffer, key=lambda item: (item[0], item[1]))
        return [row for _, _, row in _truncate(ordered, self.limit, self.context, "head()")]


class Tail(Head):
    """tail(): the newest events, newest first (as LogScale's UI lists them)."""

    def rows(self) -> list[Row]:
        if self.limit is None:
            ordered = sorted(self.buffer, key=lambda item: (-item[0], -item[1]))
        else:
            ordered = heapq.nlargest(self.limit, self.buffer, key=lambda item: (item[0], item[1]))
            if len(self.buffer) > self.limit:
                self.context.warn(
                    f"tail() returned the newest {self.limit} of {len(self.buffer)} events"
                )
        return [row for _, _, row in ordered]


class Sort:
    """sort(): ordered by one or more fields, then truncated to its limit."""

    # The parameter that names the fields to sort by: field for sort(), sortby for table().
    sort_parameter = "field"

    def __init__(self, call: nodes.BoundCall, context: RunContext) -> None:
        self.call = call
        self.fields = _names(call, self.sort_parameter)
        orders = _names(call, "order")
        if call.get("reverse") is True and "order" not in call.explicit:
            orders = ("asc",)
        self.orders = orders
        self.types = _names(call, "type")
        self.limit = context.limit(call, liftable=True)
        self.context = context
        self.buffer: list[Row] = []

    def add(self, row: Row) -> None:
        self.buffer.append(row)

    def rows(self) -> list[Row]:
        ordered = sort_rows(self.buffer, self.fields, self.orders, self.types)
        return _truncate(ordered, self.limit, self.context, f"{self.call.name}()")


class Table(Sort):
    """table(): sorted like sort() by ``sortby``, then reduced to the listed fields."""

    sort_parameter = "sortby"

    def __init__(self, call: nodes.BoundCall, context: RunContext) -> None:
        super().__init__(call, context)
        self.columns = _names(call, "fields")

    def rows(self) -> list[Row]:
        return [Row({c: row[c] for c in self.columns if c in row}) for row in super().rows()]


def _truncate(
    rows: list[Row] | list[tuple[float, int, Row]],
    limit: int | None,
    context: RunContext,
    name: str,
) -> list:  # type: ignore[type-arg]
    if limit is not None and len(rows) > limit:
        context.warn(f"{name} returned {limit} of {len(rows)} rows; raise its limit= to see more")
        return rows[:limit]
    return rows


class Top:
    """top(): the most frequent value combinations, by count, sum or max."""

    def __init__(self, call: nodes.BoundCall, context: RunContext) -> None:
        self.fields = _names(call, "field")
        self.sum_field = call.get("sum")
        self.max_field = call.get("max")
        default = "_count"
        if self.sum_field:
            default = "_sum"
        elif self.max_field:
            default = "_max"
        self.output = str(call.get("as") or default)
        self.limit = context.limit(call) or 10
        self.percent = bool(call.get("percent"))
        self.rest = call.get("rest")
        self.scores: dict[tuple[str, ...], float] = {}

    def add(self, row: Row) -> None:
        key = tuple(row.get(field) for field in self.fields)
        if any(value is None for value in key):
            return
        weight = 1.0
        measure = self.sum_field or self.max_field
        if measure:
            number = to_number(row.get(str(measure)))
            if number is None:
                return
            weight = number
        current = self.scores.get(key)  # type: ignore[arg-type]
        if self.max_field:
            self.scores[key] = weight if current is None else max(current, weight)  # type: ignore[index]
        else:
            self.scores[key] = (current or 0.0) + weight  # type: ignore[index]

    def rows(self) -> list[Row]:
        ranked = sorted(self.scores.items(), key=lambda item: (-item[1], item[0]))
        total = sum(self.scores.values())
        kept, rest = ranked[: self.limit], ranked[self.limit :]
        rows = [
            self._row(dict(zip(self.fields, key, strict=True)), score, total) for key, score in kept
        ]
        if self.rest is not None and rest:
            label = {field: str(self.rest) for field in self.fields}
            rows.append(self._row(label, sum(score for _, score in rest), total))
        return rows

    def _row(self, fields: dict[str, str], score: float, total: float) -> Row:
        row = Row({**fields, self.output: format_number(score)})
        if self.percent and total:
            row["percent"] = format_number(score / total * 100)
        return row


class Stats:
    """stats(): several aggregates over the same rows, their outputs combined.
    A part may be a sub-pipeline, as in ``[count(), {sum(x) | y := _sum * 2}]``."""

    def __init__(
        self,
        calls: tuple[nodes.BoundCall | nodes.Plan, ...],
        context: RunContext,
        runner: SubPlanRunner,
    ) -> None:
        self.parts: list[Aggregator] = [
            SubPlanAggregate(call, context, runner)
            if isinstance(call, nodes.Plan)
            else make_aggregator(call, context, runner)
            for call in calls
        ]

    def add(self, row: Row) -> None:
        for part in self.parts:
            part.add(row)

    def rows(self) -> list[Row]:
        outputs = [part.rows() or [Row({})] for part in self.parts]
        combined = []
        for combination in itertools.product(*outputs):
            merged = Row({})
            for row in combination:
                merged.update(row)
            combined.append(merged)
        return combined


class SubPlanAggregate:
    """A sub-pipeline such as ``function={count() | x := _count * 2}``."""

    def __init__(self, plan: nodes.Plan, context: RunContext, runner: SubPlanRunner) -> None:
        self.plan, self.context, self.runner = plan, context, runner
        self.buffer: list[Row] = []

    def add(self, row: Row) -> None:
        self.buffer.append(row)

    def rows(self) -> list[Row]:
        return list(self.runner(self.plan, self.buffer, self.context))


class GroupBy:
    """groupBy(): one output row per distinct combination of the key fields."""

    def __init__(self, call: nodes.BoundCall, context: RunContext, runner: SubPlanRunner) -> None:
        self.fields = _names(call, "field")
        self.function = call.get("function")
        self.limit = context.limit(call)
        self.context, self.runner = context, runner
        self.groups: dict[tuple[str, ...], Aggregator] = {}

    def add(self, row: Row) -> None:
        key = tuple(row.get(field) for field in self.fields)
        if any(value is None for value in key):
            return
        group = self.groups.get(key)  # type: ignore[arg-type]
        if group is None:
            if self.limit is not None and len(self.groups) >= self.limit:
                self.context.warn(
                    f"groupBy() reached its limit of {self.limit} groups; later groups were dropped"
                )
                return
            group = self._new_group()
            self.groups[key] = group  # type: ignore[index]
        group.add(row)

    def _new_group(self) -> Aggregator:
        if isinstance(self.function, nodes.Plan):
            return SubPlanAggregate(self.function, self.context, self.runner)
        assert isinstance(self.function, tuple)
        return Stats(self.function, self.context, self.runner)

    def rows(self) -> list[Row]:
        out = []
        for key, group in self.groups.items():
            keys = dict(zip(self.fields, key, strict=True))
            for row in group.rows() or ([Row({})] if not self.function else []):
                out.append(Row({**keys, **row}))
        return out


_SIMPLE: dict[str, Callable[[nodes.BoundCall, RunContext], Aggregator]] = {
    "count": Count,
    "sum": NumericAggregate,
    "avg": NumericAggregate,
    "min": NumericAggregate,
    "max": NumericAggregate,
    "collect": Collect,
    "head": Head,
    "tail": Tail,
    "sort": Sort,
    "table": Table,
    "top": Top,
}


_FAMILY_AGGREGATORS = {
    **aggregates_selection.AGGREGATORS,
    **aggregates_arrays.AGGREGATORS,
    **aggregates_events.AGGREGATORS,
    **aggregates_lookup.AGGREGATORS,
}


def make_aggregator(
    call: nodes.BoundCall, context: RunContext, runner: SubPlanRunner
) -> Aggregator:
    """Create the running aggregate for ``call``."""
    simple = _SIMPLE.get(call.name)
    if simple is not None:
        return simple(call, context)
    family = _FAMILY_AGGREGATORS.get(call.name)
    if family is not None:
        return family(call, context, runner)
    if call.name == "groupBy":
        return GroupBy(call, context, runner)
    if call.name == "stats":
        function = call.get("function")
        if isinstance(function, nodes.Plan):
            return SubPlanAggregate(function, context, runner)
        assert isinstance(function, tuple)
        return Stats(function, context, runner)
    raise ExecutionError(
        f"the reference engine has no implementation of {call.name}()", span=call.span
    )
