"""The reference engine's sequence aggregates: functions that read the order of
their input rows, which an earlier aggregate such as head() or sort() set."""

from __future__ import annotations

from cqlkit.engines.reference.aggregates_base import AggregatorFactories, SubPlanRunner
from cqlkit.engines.reference.context import RunContext
from cqlkit.engines.reference.row import Row
from cqlkit.plan import nodes
from cqlkit.plan.signatures_aggregates import neighbor_field


class Neighbor:
    """neighbor(): each row, with the ``include`` fields of the row ``distance``
    places before it (``direction=preceding``) or after it, stored as
    ``<prefix>.<field>``.

    A row without such a neighbor, or whose neighbor lacks a field, keeps the
    output field as it was (absent unless the row already had it).
    """

    def __init__(self, call: nodes.BoundCall, context: RunContext, runner: SubPlanRunner) -> None:
        self.include = tuple(dict.fromkeys(call.names("include")))
        self.prefix = call.text("prefix")
        distance = call.get("distance")
        self.offset = int(distance) if isinstance(distance, int | float) else 1
        if call.get("direction") == "preceding":
            self.offset = -self.offset
        self.buffer: list[Row] = []

    def add(self, row: Row) -> None:
        self.buffer.append(row)

    def rows(self) -> list[Row]:
        output = []
        for index, row in enumerate(self.buffer):
            copy = row.copy()
            other = index + self.offset
            if 0 <= other < len(self.buffer):
                source = self.buffer[other]
                for field in self.include:
                    value = source.get(field)
                    if value is not None:
                        copy[neighbor_field(self.prefix, field)] = value
            output.append(copy)
        return output


AGGREGATORS: AggregatorFactories = {"neighbor": Neighbor}
