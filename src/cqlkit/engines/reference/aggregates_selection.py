"""The reference engine's selection aggregates, and the table of every
aggregate of the selection, chart and sequence family.

selectLast() keeps, field by field, the value of the most recent row that has
the field. selectFromMax() and selectFromMin() keep the listed fields of the
one row whose field is the largest or smallest number. range() outputs the
difference between the largest and the smallest number.
"""

from __future__ import annotations

from cqlkit.engines.reference import (
    aggregates_charts,
    aggregates_geohash,
    aggregates_sequence,
    aggregates_sessions,
)
from cqlkit.engines.reference.aggregates_base import AggregatorFactories, SubPlanRunner
from cqlkit.engines.reference.context import RunContext
from cqlkit.engines.reference.row import Row
from cqlkit.engines.reference.values import format_number, to_number
from cqlkit.plan import nodes

# The recency of a row: rows with an event time are more recent than rows
# without one (rows that an earlier aggregate made), then later times win.
Recency = tuple[bool, float]


def _recency(row: Row) -> Recency:
    time = row.event_time()
    return (time is not None, time or 0.0)


class SelectLast:
    """selectLast(): for each field, the value of the most recent row that has it.

    The most recent row has the largest event time (@timestamp, else the time
    the event entered with). Among rows with equal times, and among rows
    without a time, the later row in input order wins. With no value for any
    field there is no output row.
    """

    def __init__(self, call: nodes.BoundCall, context: RunContext, runner: SubPlanRunner) -> None:
        self.fields = tuple(dict.fromkeys(call.names("fields")))
        self.latest: dict[str, tuple[Recency, str]] = {}

    def add(self, row: Row) -> None:
        recency = _recency(row)
        for field in self.fields:
            value = row.get(field)
            if value is None:
                continue
            current = self.latest.get(field)
            if current is None or recency >= current[0]:
                self.latest[field] = (recency, value)

    def rows(self) -> list[Row]:
        if not self.latest:
            return []
        return [
            Row({field: self.latest[field][1] for field in self.fields if field in self.latest})
        ]


class SelectFromExtreme:
    """selectFromMax() and selectFromMin(): the ``include`` fields of the row
    whose ``field`` is the largest (smallest) number.

    Rows whose field is missing or not a number are skipped, and with none
    left there is no output row. LogScale picks one of several rows with the
    same extreme value at random; cqlkit picks the first in input order.
    NOTE: LogScale's example sentence for selectFromMax(@timestamp,
    include=[x, @timestamp]) mentions the latest event "that also contains
    the field x"; cqlkit follows the function's definition instead and keeps
    the extreme row even when it lacks an included field.
    """

    def __init__(self, call: nodes.BoundCall, context: RunContext, runner: SubPlanRunner) -> None:
        self.field = call.text("field")
        self.include = tuple(dict.fromkeys(call.names("include")))
        self.largest = call.name == "selectFromMax"
        self.best: float | None = None
        self.selected: dict[str, str] = {}

    def add(self, row: Row) -> None:
        number = to_number(row.get(self.field))
        if number is None:
            return
        if self.best is not None and not self._beats(number, self.best):
            return
        self.best = number
        self.selected = {field: row[field] for field in self.include if field in row}

    def _beats(self, number: float, best: float) -> bool:
        return number > best if self.largest else number < best

    def rows(self) -> list[Row]:
        return [] if self.best is None else [Row(dict(self.selected))]


class Range:
    """range(): the largest number of the field minus the smallest. Values that
    are not numbers are ignored, and with no number there is no output row."""

    def __init__(self, call: nodes.BoundCall, context: RunContext, runner: SubPlanRunner) -> None:
        self.field = call.text("field")
        self.output = call.text("as")
        self.smallest: float | None = None
        self.largest: float | None = None

    def add(self, row: Row) -> None:
        number = to_number(row.get(self.field))
        if number is None:
            return
        self.smallest = number if self.smallest is None else min(self.smallest, number)
        self.largest = number if self.largest is None else max(self.largest, number)

    def rows(self) -> list[Row]:
        if self.smallest is None or self.largest is None:
            return []
        return [Row({self.output: format_number(self.largest - self.smallest)})]


AGGREGATORS: AggregatorFactories = {
    "range": Range,
    "selectLast": SelectLast,
    "selectFromMax": SelectFromExtreme,
    "selectFromMin": SelectFromExtreme,
    **aggregates_charts.AGGREGATORS,
    **aggregates_geohash.AGGREGATORS,
    **aggregates_sequence.AGGREGATORS,
    **aggregates_sessions.AGGREGATORS,
}
