"""selfJoinFilter() in the reference engine.

LogScale runs it in two passes over the events that reach it. The first pass
finds the keys (the values of field=) for which every where= clause is met by
some event with that key; different clauses may be met by different events.
The second pass keeps the events whose key is one of those, and with
prefilter=true only those that also meet at least one clause.
https://library.humio.com/data-analysis/functions-selfjoinfilter.html

LogScale finds the keys with a Bloom filter, so it may keep a few events too
many; this engine is exact.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from cqlkit.engines.reference.aggregates_base import SubPlanRunner
from cqlkit.engines.reference.context import RunContext
from cqlkit.engines.reference.predicates import matches
from cqlkit.engines.reference.row import Row
from cqlkit.plan import nodes
from cqlkit.plan.subqueries import filter_predicate

Key = tuple[str, ...]


def self_join_filter(
    call: nodes.BoundCall, stream: Iterable[Row], context: RunContext, runner: SubPlanRunner
) -> Iterator[Row]:
    """Yield the rows of ``stream`` that selfJoinFilter() keeps, in input order;
    !selfJoinFilter() yields the others."""
    fields = call.names("field")
    where = call.get("where")
    assert isinstance(where, tuple)
    clauses = [filter_predicate(plan) for plan in where]
    rows = [(row, _key(row, fields)) for row in stream]
    keys = _joined_keys(rows, clauses)
    prefilter = bool(call.get("prefilter"))
    for row, key in rows:
        kept = key is not None and key in keys
        if kept and prefilter:
            kept = any(matches(clause, row) for clause in clauses)
        if kept != call.negated:
            yield row


def _key(row: Row, fields: tuple[str, ...]) -> Key | None:
    values = tuple(row.get(name) for name in fields)
    return None if None in values else values  # type: ignore[return-value]


def _joined_keys(rows: list[tuple[Row, Key | None]], clauses: list[nodes.Predicate]) -> set[Key]:
    """Return the keys for which each clause is met by at least one row."""
    met: dict[Key, set[int]] = {}
    for row, key in rows:
        if key is None:
            continue
        found = met.setdefault(key, set())
        found.update(index for index, clause in enumerate(clauses) if matches(clause, row))
    return {key for key, found in met.items() if len(found) == len(clauses)}
