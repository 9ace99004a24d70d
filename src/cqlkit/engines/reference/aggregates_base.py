"""The protocol of running aggregates, shared by every aggregate family."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from typing import Protocol

from cqlkit.engines.reference.context import RunContext
from cqlkit.engines.reference.row import Row
from cqlkit.plan import nodes

SubPlanRunner = Callable[[nodes.Plan, Iterable[Row], RunContext], Iterator[Row]]


class Aggregator(Protocol):
    """One running aggregate."""

    def add(self, row: Row) -> None:
        """Take one input row."""

    def rows(self) -> list[Row]:
        """Return the output rows once every input row was added."""


AggregatorFactories = dict[str, Callable[[nodes.BoundCall, RunContext, SubPlanRunner], Aggregator]]
"""Factories of aggregates by canonical function name. ``SubPlanRunner`` runs
a sub-pipeline, for aggregates that take ``function=`` as groupBy() does."""
