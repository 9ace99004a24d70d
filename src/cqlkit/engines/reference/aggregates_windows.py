"""The reference engine's accumulate(), slidingWindow() and partition(): sequence
functions that run an aggregate over runs of rows in input order, the order
that an earlier aggregate such as head() or sort() gave them.

accumulate() and slidingWindow() keep every row and add to it the outputs of
their ``function`` over the rows up to it, or over the last ``events`` rows.
partition() outputs the results of ``function`` over each partition instead.
"""

from __future__ import annotations

from cqlkit.engines.reference.aggregates_base import Aggregator, AggregatorFactories, SubPlanRunner
from cqlkit.engines.reference.aggregates_charts import run_function
from cqlkit.engines.reference.context import RunContext
from cqlkit.engines.reference.row import Row
from cqlkit.plan import nodes
from cqlkit.plan.functions import lookup


def matches(condition: nodes.Plan, row: Row, context: RunContext, runner: SubPlanRunner) -> bool:
    """Tell whether ``row`` passes the filter sub-query ``condition``, such as
    ``{/session start:/}``. The sub-query runs on a copy of the row."""
    return any(True for _ in runner(condition, [row.copy()], context))


def _sum_fields(function: object) -> tuple[str, ...]:
    """Return the output fields of the sum() calls of ``function``."""
    items = function if isinstance(function, tuple) else ()
    return tuple(
        str(item.get("as"))
        for item in items
        if isinstance(item, nodes.BoundCall) and item.name == "sum"
    )


class _AddsOutputs:
    """Adds the outputs of ``function`` over some rows to each row.

    The outputs combine as stats() combines them. A running sum starts at 0,
    so here a sum() over rows without numbers outputs 0, where sum() on its
    own outputs no row: LogScale's neighbor() and accumulate() example gives
    ``accumulated_duration`` 0 to its first event, which has no duration. When
    the outputs are several rows (a sub-query can make them), the first row is
    added and a warning names the function.
    """

    def __init__(self, call: nodes.BoundCall, context: RunContext, runner: SubPlanRunner) -> None:
        self.name = call.name
        self.function = call.get("function")
        self.exclude = call.get("current") == "exclude"
        self.sum_fields = _sum_fields(self.function)
        self.context, self.runner = context, runner
        self.buffer: list[Row] = []

    def add(self, row: Row) -> None:
        self.buffer.append(row)

    def _with_outputs(self, row: Row, outputs: list[Row]) -> Row:
        copy = row.copy()
        if len(outputs) > 1:
            self.context.warn(
                f"{self.name}() added the first of several output rows of its function"
            )
        first = dict(outputs[0]) if outputs else {}
        for field in self.sum_fields:
            first.setdefault(field, "0")
        copy.update(first)
        return copy


class Accumulate(_AddsOutputs):
    """accumulate(): each row with the outputs of ``function`` over the rows
    from the first up to it (``current=include``) or up to the row before it
    (``current=exclude``)."""

    def rows(self) -> list[Row]:
        running = _stats_aggregator(self.function, self.context, self.runner)
        output = []
        for row in self.buffer:
            if not self.exclude:
                running.add(row)
            output.append(self._with_outputs(row, running.rows()))
            if self.exclude:
                running.add(row)
        return output


class SlidingWindow(_AddsOutputs):
    """slidingWindow(): each row with the outputs of ``function`` over the last
    ``events`` rows up to it (``current=include``), or over the ``events`` rows
    before it (``current=exclude``). Early rows have shorter windows."""

    def __init__(self, call: nodes.BoundCall, context: RunContext, runner: SubPlanRunner) -> None:
        super().__init__(call, context, runner)
        events = call.get("events")
        self.events = int(events) if isinstance(events, int | float) else 1

    def rows(self) -> list[Row]:
        output = []
        for index, row in enumerate(self.buffer):
            end = index if self.exclude else index + 1
            window = self.buffer[max(0, end - self.events) : end]
            outputs = run_function(self.function, window, self.context, self.runner)
            output.append(self._with_outputs(row, outputs))
        return output


class Partition:
    """partition(): the outputs of ``function`` over each partition, one
    partition after the other.

    A row that passes the filter sub-query ``condition`` starts a new partition
    (``split=before``) or ends its partition (``split=after``). Partitions are
    never empty, and no rows give no partitions and no output.
    """

    def __init__(self, call: nodes.BoundCall, context: RunContext, runner: SubPlanRunner) -> None:
        condition = call.get("condition")
        assert isinstance(condition, nodes.Plan)
        self.condition = condition
        self.function = call.get("function")
        self.split_after = call.get("split") == "after"
        self.context, self.runner = context, runner
        self.buffer: list[Row] = []

    def add(self, row: Row) -> None:
        self.buffer.append(row)

    def rows(self) -> list[Row]:
        output: list[Row] = []
        for members in self._partitions():
            output.extend(run_function(self.function, members, self.context, self.runner))
        return output

    def _partitions(self) -> list[list[Row]]:
        partitions: list[list[Row]] = []
        current: list[Row] = []
        for row in self.buffer:
            passes = matches(self.condition, row, self.context, self.runner)
            if passes and not self.split_after and current:
                partitions.append(current)
                current = []
            current.append(row)
            if passes and self.split_after:
                partitions.append(current)
                current = []
        if current:
            partitions.append(current)
        return partitions


def _stats_aggregator(function: object, context: RunContext, runner: SubPlanRunner) -> Aggregator:
    """Return a running stats() aggregate of ``function``, whose rows() can be
    read after each added row."""
    # Imported here because the core aggregates module imports this family.
    from cqlkit.engines.reference.aggregates import make_aggregator

    stats = lookup("stats")
    assert stats is not None
    return make_aggregator(
        nodes.BoundCall(stats, {"function": function}, frozenset()), context, runner
    )


AGGREGATORS: AggregatorFactories = {
    "accumulate": Accumulate,
    "slidingWindow": SlidingWindow,
    "partition": Partition,
}
