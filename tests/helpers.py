"""Helpers shared by the language, planner and reference-engine tests."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from cqlkit.engines.reference.context import RunContext
from cqlkit.engines.reference.interpreter import run_plan
from cqlkit.plan.planner import check_query, plan_query


def make_events(*fields: Mapping[str, str]) -> list[dict[str, str]]:
    """Return one event per mapping, in order, numbered by ``@id`` "1", "2", ...

    Each event gets ``@timestamp`` 1000, 2000, ... (epoch milliseconds as text)
    unless its mapping sets one. Free-text search reads neither field, so the
    numbering does not change which events a free-text search keeps.
    """
    events = []
    for index, values in enumerate(fields, start=1):
        event = {"@id": str(index), "@timestamp": str(1000 * index)}
        event.update(values)
        events.append(event)
    return events


def run(
    query: str,
    events: Iterable[Mapping[str, str]],
    *,
    lenient: bool = False,
    parameters: Mapping[str, str] | None = None,
    lift_default_limits: bool = False,
) -> list[dict[str, str]]:
    """Plan ``query``, run it on the reference engine and return the rows as plain dicts."""
    plan = plan_query(query, lenient=lenient, parameters=parameters)
    context = RunContext(lift_default_limits=lift_default_limits)
    return [dict(row) for row in run_plan(plan, [dict(event) for event in events], context)]


def kept_ids(query: str, events: Iterable[Mapping[str, str]], **options: object) -> list[str]:
    """Run ``query`` and return the sorted ``@id`` values of the events it keeps."""
    rows = run(query, events, **options)  # type: ignore[arg-type]
    return sorted((row["@id"] for row in rows), key=int)


def column(rows: Iterable[Mapping[str, str]], field: str) -> list[str | None]:
    """Return the value of ``field`` in each row, None where the row lacks it."""
    return [row.get(field) for row in rows]


def diagnostic_codes(query: str, **options: object) -> list[str]:
    """Plan ``query`` and return the codes of its diagnostics, in report order."""
    _, diagnostics = check_query(query, **options)  # type: ignore[arg-type]
    return [diagnostic.code for diagnostic in diagnostics]
