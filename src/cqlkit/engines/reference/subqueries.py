"""The reference engine's runs of join() and defineTable() sub-queries.

The interpreter calls :func:`run_subqueries` before the main query when the plan
needs it (see :func:`cqlkit.plan.subqueries.needs_whole_input`). Each sub-query
runs over every input event, with its own limits and a context that shares the
main run's tables. Its warnings join those of the main run, marked as coming from
a sub-query.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence

from cqlkit.engines.reference.context import RunContext
from cqlkit.engines.reference.row import Row
from cqlkit.plan import nodes
from cqlkit.plan.subqueries import bind_subquery_results

PlanRunner = Callable[[nodes.Plan, Iterable[dict[str, str]], RunContext], list[Row]]


def run_subqueries(
    plan: nodes.Plan,
    events: Sequence[dict[str, str]],
    context: RunContext,
    run_plan: PlanRunner,
) -> nodes.Plan:
    """Run the sub-queries of ``plan`` over ``events`` and return the plan that uses
    their results; defineTable() fills ``context.tables``."""

    def run(sub_plan: nodes.Plan) -> list[Row]:
        # The sub-query keeps its own implicit tail(200), even when the main run lifts it.
        inner = RunContext(tables=context.tables)
        rows = run_plan(sub_plan, events, inner)
        for warning in inner.warnings:
            context.warn(f"in a sub-query: {warning}")
        return rows

    return bind_subquery_results(plan, run, context.tables, context.warn)
