"""Helpers shared by the language, planner and engine tests.

:func:`run` is differential: every query it runs goes through the reference
engine and the DuckDB engine, and the test fails if their rows differ.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Mapping, Sequence

from cqlkit.engines.duckdb.engine import DuckDBEngine
from cqlkit.engines.reference.context import RunContext
from cqlkit.engines.reference.interpreter import run_plan
from cqlkit.plan.nodes import Apply, Plan
from cqlkit.plan.planner import check_query, plan_query
from cqlkit.plan.resources import Resources


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


def without_metadata(rows: list[dict[str, str]]) -> list[dict[str, str]]:
    """Return the rows without the @id and @timestamp fields that make_events adds."""
    return [{k: v for k, v in row.items() if k not in ("@id", "@timestamp")} for row in rows]


def run(
    query: str,
    events: Iterable[Mapping[str, str]],
    *,
    lenient: bool = False,
    parameters: Mapping[str, str] | None = None,
    lift_default_limits: bool = False,
    resources: Resources | None = None,
    sql_only: bool = False,
) -> list[dict[str, str]]:
    """Plan ``query``, run it on the reference engine and on DuckDB, check that
    both give the same rows, and return them as plain dicts.

    ``sql_only`` also checks that DuckDB ran every stage as SQL, with no stage
    sent back to the reference engine.
    """
    plan = plan_query(query, lenient=lenient, parameters=parameters, resources=resources)
    inputs = [dict(event) for event in events]
    context = RunContext(lift_default_limits=lift_default_limits)
    reference = [dict(row) for row in run_plan(plan, inputs, context)]
    assert_engines_agree(
        plan, inputs, reference, lift_default_limits=lift_default_limits, sql_only=sql_only
    )
    return reference


def assert_engines_agree(
    plan: Plan,
    events: list[dict[str, str]],
    reference: list[dict[str, str]],
    *,
    lift_default_limits: bool = False,
    sql_only: bool = False,
) -> None:
    """Run ``plan`` on DuckDB and compare with the reference rows: in order when
    the query defines an order, else as multisets. With ``sql_only``, fail when
    a stage ran on the reference engine."""
    engine = DuckDBEngine(batch_size=7) if sql_only else _duckdb()
    (outcome,) = engine.run([plan], events, lift_default_limits=lift_default_limits)
    if sql_only:
        assert not outcome.notices, f"stages ran on the reference engine: {outcome.notices}"
    duckdb_rows = [dict(row) for row in outcome.rows]
    if defines_order(plan):
        assert duckdb_rows == reference, "DuckDB and the reference engine disagree"
    else:
        assert _multiset(duckdb_rows) == _multiset(reference), (
            "DuckDB and the reference engine disagree"
        )


def run_in_order(
    query: str, events: Sequence[Mapping[str, str]], *, sql_only: bool = True
) -> tuple[list[dict[str, str]], list[str], list[str]]:
    """Run ``query`` on both engines, check that they give the same rows in the
    same order and the same warnings, and return the rows, the warnings and
    DuckDB's notices of stages it ran on the reference engine. ``sql_only``
    fails the test on any such notice."""
    plan = plan_query(query)
    context = RunContext()
    reference = [dict(row) for row in run_plan(plan, [dict(e) for e in events], context)]
    (outcome,) = DuckDBEngine(batch_size=3).run([plan], [dict(e) for e in events])
    if sql_only:
        assert outcome.notices == []
    assert [dict(row) for row in outcome.rows] == reference
    assert outcome.warnings == context.warnings
    return reference, context.warnings, outcome.notices


def defines_order(plan: Plan) -> bool:
    """True when the query's rows come in an order LogScale defines: after
    head(), tail(), sort(), table() or top(), or the implicit tail()."""
    if plan.implicit_tail:
        return True
    aggregates = [
        s.call.name
        for s in plan.stages
        if isinstance(s, Apply) and s.call.kind.value == "aggregate"
    ]
    return bool(aggregates) and aggregates[-1] in ("head", "tail", "sort", "table", "top")


def _multiset(rows: list[dict[str, str]]) -> list[list[tuple[str, str]]]:
    return sorted(sorted(row.items()) for row in rows)


@functools.cache
def _duckdb() -> DuckDBEngine:
    return DuckDBEngine(batch_size=7)


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
