"""Restriction of a plan to a time range, as LogScale's search interval does."""

from __future__ import annotations

import dataclasses

from cqlkit.plan import nodes

TIME_FIELD = "@timestamp"


def with_time_range(plan: nodes.Plan, start_ms: int | None, end_ms: int | None) -> nodes.Plan:
    """Return ``plan`` with a first stage that keeps events with
    ``start_ms <= @timestamp < end_ms``; a None bound is open."""
    bounds: list[nodes.Predicate] = []
    if start_ms is not None:
        bounds.append(nodes.NumericCompare(None, TIME_FIELD, ">=", float(start_ms)))
    if end_ms is not None:
        bounds.append(nodes.NumericCompare(None, TIME_FIELD, "<", float(end_ms)))
    if not bounds:
        return plan
    predicate = bounds[0] if len(bounds) == 1 else nodes.AllOf(None, tuple(bounds))
    stage = nodes.Filter(None, predicate)
    return dataclasses.replace(plan, stages=(stage, *plan.stages))
