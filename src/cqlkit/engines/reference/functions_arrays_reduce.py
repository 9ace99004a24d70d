"""array:reduceRow(), array:reduceColumn() and array:reduceAll() on the reference
engine: an aggregate function over array elements.

The aggregate (``function=avg(x)``, or a sub-query such as ``{time := max(x)}``)
reads one row per element: a copy of the element's event whose field ``var`` is
the element.
"""

from __future__ import annotations

from collections.abc import Iterable

from cqlkit.engines.reference.aggregates_base import Aggregator, SubPlanRunner
from cqlkit.engines.reference.array_fields import array_values, write_array
from cqlkit.engines.reference.context import RunContext
from cqlkit.engines.reference.row import Row
from cqlkit.plan import nodes


def aggregate_rows(function: object, rows: Iterable[Row], context: RunContext) -> Row | None:
    """Run the aggregate ``function`` (a bound ``function=`` argument) over ``rows`` and
    return its output row, the outputs of several functions merged; None without output."""
    from cqlkit.engines.reference.aggregates import make_aggregator
    from cqlkit.engines.reference.interpreter import run_sub_plan

    items = (function,) if isinstance(function, nodes.Plan) else function
    assert isinstance(items, tuple)
    inputs = list(rows)
    merged: Row | None = None
    for item in items:
        if isinstance(item, nodes.Plan):
            output = list(run_sub_plan(item, inputs, context))
        else:
            aggregator = make_aggregator(item, context, run_sub_plan)
            for row in inputs:
                aggregator.add(row)
            output = aggregator.rows()
        if output:
            merged = Row({}) if merged is None else merged
            merged.update(output[0])
    return merged


def element_rows(event: Row, prefix: str, var: str) -> list[Row]:
    """Return one row per element of the array: a copy of ``event`` with ``var`` set."""
    rows = []
    for value in array_values(event, prefix):
        row = event.copy()
        row[var] = value
        rows.append(row)
    return rows


def array_reduce_row(call: nodes.BoundCall, event: Row, context: RunContext) -> None:
    """array:reduceRow(): aggregate the elements of each event. Without ``as``, the
    aggregate's own output fields (``_avg`` for avg()) are set. With ``as``, the
    value of its first output field is set under that name.

    NOTE: the documentation's example sets ``_avg`` without ``as``; what ``as`` does
    with an aggregate of several output fields is not documented.
    """
    rows = element_rows(event, call.text("array"), call.text("var"))
    output = aggregate_rows(call.get("function"), rows, context)
    if not output:
        return
    if "as" in call.explicit:
        event[call.text("as")] = next(iter(output.values()))
    else:
        event.update(output)


class ReduceColumn:
    """array:reduceColumn(): aggregate, for each index, the elements at that index
    over every event. The output array ends at the first index without a value."""

    def __init__(self, call: nodes.BoundCall, context: RunContext) -> None:
        self.call = call
        self.context = context
        self.columns: list[list[Row]] = []

    def add(self, row: Row) -> None:
        for index, element in enumerate(
            element_rows(row, self.call.text("array"), self.call.text("var"))
        ):
            if index == len(self.columns):
                self.columns.append([])
            self.columns[index].append(element)

    def rows(self) -> list[Row]:
        values = []
        for column in self.columns:
            output = aggregate_rows(self.call.get("function"), column, self.context)
            if not output:
                break
            values.append(next(iter(output.values())))
        row = Row({})
        write_array(row, self.call.text("as"), values)
        return [row]


def reduce_column(call: nodes.BoundCall, context: RunContext, runner: object) -> ReduceColumn:
    """Create the running aggregate of array:reduceColumn()."""
    return ReduceColumn(call, context)


class ReduceAll:
    """array:reduceAll(): aggregate the elements of every event's array together, as
    ``split(array) | stats(function)`` would. The function list combines as in
    stats(), so a single aggregate without output (sum() of no numbers) still gives
    one row without fields, as it does inside stats()."""

    def __init__(self, call: nodes.BoundCall, context: RunContext, runner: SubPlanRunner) -> None:
        from cqlkit.engines.reference.aggregates import Stats, SubPlanAggregate

        self.prefix = call.text("array")
        self.var = call.text("var")
        function = call.get("function")
        self.aggregate: Aggregator
        if isinstance(function, nodes.Plan):
            self.aggregate = SubPlanAggregate(function, context, runner)
        else:
            assert isinstance(function, tuple)
            self.aggregate = Stats(function, context, runner)

    def add(self, row: Row) -> None:
        for element in element_rows(row, self.prefix, self.var):
            self.aggregate.add(element)

    def rows(self) -> list[Row]:
        return self.aggregate.rows()


def reduce_all(call: nodes.BoundCall, context: RunContext, runner: SubPlanRunner) -> ReduceAll:
    """Create the running aggregate of array:reduceAll()."""
    return ReduceAll(call, context, runner)
