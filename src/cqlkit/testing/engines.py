"""Running planned queries on each engine, for fixture tests."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from cqlkit.engines.reference.context import RunContext
from cqlkit.engines.reference.interpreter import run_plan
from cqlkit.plan.functions import FunctionKind
from cqlkit.plan.nodes import Apply, Plan
from cqlkit.sources.values import Event

if TYPE_CHECKING:
    from cqlkit.engines.duckdb.engine import DuckDBEngine

ENGINE_NAMES: tuple[str, ...] = ("reference", "duckdb")
"""Engines that fixture tests run on, the reference interpreter first."""

# Aggregates after which LogScale defines the order of the rows.
_ORDERING_AGGREGATES = frozenset({"sort", "head", "tail", "table", "top"})


class EngineRunner:
    """Runs plans on the engines by name, keeping one DuckDB connection for all runs."""

    def __init__(self) -> None:
        self._duckdb: DuckDBEngine | None = None

    def run(
        self, engine: str, plans: Sequence[Plan], events: Sequence[Event]
    ) -> list[list[dict[str, str]]]:
        """Run every plan over ``events`` on ``engine`` and return the rows of each plan.

        Default row limits are lifted, so a fixture gets every row its query returns.

        Raises:
            ValueError: if ``engine`` is not one of :data:`ENGINE_NAMES`.
        """
        if engine == "reference":
            return [self._run_reference(plan, events) for plan in plans]
        if engine == "duckdb":
            outcomes = self._duckdb_engine().run(list(plans), events, lift_default_limits=True)
            return [[dict(row) for row in outcome.rows] for outcome in outcomes]
        raise ValueError(f"unknown engine {engine!r} (known: {', '.join(ENGINE_NAMES)})")

    @staticmethod
    def _run_reference(plan: Plan, events: Sequence[Event]) -> list[dict[str, str]]:
        context = RunContext(lift_default_limits=True)
        return [dict(row) for row in run_plan(plan, events, context)]

    def _duckdb_engine(self) -> DuckDBEngine:
        if self._duckdb is None:
            from cqlkit.engines.duckdb.engine import DuckDBEngine

            self._duckdb = DuckDBEngine()
        return self._duckdb


def defines_order(plan: Plan) -> bool:
    """Return True when LogScale defines the order of the plan's rows.

    The order is defined after sort(), head(), tail(), table() or top(), and by the implicit
    tail() of a query without aggregates. Rows of other aggregates, such as groupBy(),
    come in no defined order.
    """
    if plan.implicit_tail:
        return True
    aggregates = [
        stage.call.name
        for stage in plan.stages
        if isinstance(stage, Apply) and stage.call.kind is FunctionKind.AGGREGATE
    ]
    return bool(aggregates) and aggregates[-1] in _ORDERING_AGGREGATES
