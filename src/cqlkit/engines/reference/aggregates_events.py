"""createEvents(): the aggregate that ignores its input and emits events made
from the query's own strings."""

from __future__ import annotations

from cqlkit.engines.reference.aggregates_base import AggregatorFactories, SubPlanRunner
from cqlkit.engines.reference.context import RunContext
from cqlkit.engines.reference.row import Row
from cqlkit.plan import nodes
from cqlkit.plan.signatures_parsing import QUERY_TIME


class CreateEvents:
    """createEvents(["raw1", "raw2", ...]): one event per string, in order,
    with ``@rawstring`` set to the string and ``@timestamp`` to the query time.
    LogScale treats it as an aggregate, so every input event is discarded."""

    def __init__(self, call: nodes.BoundCall, context: RunContext, runner: SubPlanRunner) -> None:
        self.rawstrings = call.names("rawstring")
        query_time = call.get(QUERY_TIME)
        assert isinstance(query_time, int), "createEvents() is bound with the query time"
        self.time = query_time

    def add(self, row: Row) -> None:
        """Discard an input row."""

    def rows(self) -> list[Row]:
        """Return the made events."""
        stamp = str(self.time)
        return [
            Row({"@rawstring": raw, "@timestamp": stamp}, time=float(self.time))
            for raw in self.rawstrings
        ]


AGGREGATORS: AggregatorFactories = {"createEvents": CreateEvents}
