"""The array aggregates on the reference engine: array:union() and array:intersection().

Both output one row whose array ``as`` lists the values. The documentation leaves
the order undefined, so the order follows its examples. array:union() lists
``bar@example.com`` before ``foo@example.com`` although ``foo`` came first, so its
values are in ascending text order. array:intersection() of ``foo, bar, bar`` lists
``foo, bar``, so its values keep the order of the first event's array.
"""

from __future__ import annotations

from cqlkit.engines.reference.aggregates_base import AggregatorFactories, SubPlanRunner
from cqlkit.engines.reference.array_fields import array_values, write_array
from cqlkit.engines.reference.context import RunContext
from cqlkit.engines.reference.functions_arrays_reduce import reduce_all, reduce_column
from cqlkit.engines.reference.row import Row
from cqlkit.plan import nodes


class Union:
    """array:union(): the values found in the array of any event."""

    def __init__(self, call: nodes.BoundCall, context: RunContext) -> None:
        self.prefix = call.text("array")
        self.output = call.text("as")
        self.values: set[str] = set()

    def add(self, row: Row) -> None:
        self.values.update(array_values(row, self.prefix))

    def rows(self) -> list[Row]:
        return [_array_row(self.output, self.values)]


class Intersection:
    """array:intersection(): the values found in the array of every event, in the
    order of the first event's array. An event without the array has no values, so
    it empties the intersection."""

    def __init__(self, call: nodes.BoundCall, context: RunContext) -> None:
        self.prefix = call.text("array")
        self.output = call.text("as")
        self.values: dict[str, None] | None = None

    def add(self, row: Row) -> None:
        values = dict.fromkeys(array_values(row, self.prefix))
        if self.values is None:
            self.values = values
        else:
            self.values = {value: None for value in self.values if value in values}

    def rows(self) -> list[Row]:
        row = Row({})
        write_array(row, self.output, list(self.values or ()))
        return [row]


def _array_row(prefix: str, values: set[str]) -> Row:
    """Return a row whose array ``prefix`` contains ``values`` in text order; a row
    without fields when there are none."""
    row = Row({})
    write_array(row, prefix, sorted(values))
    return row


def _union(call: nodes.BoundCall, context: RunContext, runner: SubPlanRunner) -> Union:
    return Union(call, context)


def _intersection(
    call: nodes.BoundCall, context: RunContext, runner: SubPlanRunner
) -> Intersection:
    return Intersection(call, context)


AGGREGATORS: AggregatorFactories = {
    "array:union": _union,
    "array:intersection": _intersection,
    "array:reduceColumn": reduce_column,
    "array:reduceAll": reduce_all,
}
