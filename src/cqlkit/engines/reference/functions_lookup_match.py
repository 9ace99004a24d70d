"""match() on the reference engine: one event in, the event or its enriched
copies out (https://library.humio.com/data-analysis/functions-match.html)."""

from __future__ import annotations

from collections.abc import Iterator

from cqlkit.engines.reference.bound_arguments import bound_argument
from cqlkit.engines.reference.context import RunContext
from cqlkit.engines.reference.globs import compile_glob
from cqlkit.engines.reference.row import Row
from cqlkit.errors import ExecutionError
from cqlkit.plan import nodes
from cqlkit.plan.lookups.bound import MatchLookup
from cqlkit.plan.lookups.matching import Matcher, build_matcher
from cqlkit.plan.lookups.tables import LookupTable, table_from_rows

# Matchers by the identity of their call's lookup and table. Each entry keeps
# both objects alive, so that an id is not reused while the entry exists.
_MATCHERS: dict[tuple[int, int], tuple[MatchLookup, LookupTable, Matcher]] = {}
# Ad-hoc tables by the identity of defineTable()'s row list, checked against its length.
_AD_HOC: dict[int, tuple[list[dict[str, str]], int, LookupTable]] = {}
_CACHE_SIZE = 64


def match_rows(call: nodes.BoundCall, event: Row, context: RunContext) -> Iterator[Row]:
    """Yield what match() makes of ``event``.

    - Without a matching row, the event passes unchanged only with
      ``strict=false``.
    - With matching rows, one copy per row (``nrows`` at most, best first)
      gets the row's output columns. A column the row lacks leaves the field
      as it was.
    - Negated (``!match(...)``), the event passes unchanged exactly when no
      row matches; ``strict`` plays no part.
    """
    lookup = bound_argument(call, "lookup", MatchLookup, "its lookup table")
    table = lookup.source.table or _ad_hoc_table(lookup.source.name, context, call)
    values = [event.get(field) for field in lookup.fields]
    found: list[int] = []
    if all(value is not None for value in values):
        found = _matcher(lookup, table, call).rows_for([v for v in values if v is not None])
    if call.negated:
        if not found:
            yield event
        return
    if not found:
        if not lookup.strict:
            yield event
        return
    outputs = lookup.output_columns(table)
    for index, position in enumerate(found):
        row = event if index == len(found) - 1 else event.copy()
        row.update(table.row_fields(position, outputs))
        yield row


def _matcher(lookup: MatchLookup, table: LookupTable, call: nodes.BoundCall) -> Matcher:
    key = (id(lookup), id(table))
    cached = _MATCHERS.get(key)
    if cached is not None:
        return cached[2]
    positions = lookup.key_positions(table)
    if positions is None:
        missing = [name for name in lookup.columns if table.index(name) is None]
        raise ExecutionError(
            f"the table {table.name} has no column {missing[0]!r}, which match() reads",
            span=call.span,
        )
    matcher = build_matcher(
        table,
        positions,
        lookup.mode,
        ignore_case=lookup.ignore_case,
        nrows=lookup.nrows,
        compile_glob=compile_glob,
    )
    if len(_MATCHERS) >= _CACHE_SIZE:
        _MATCHERS.clear()
    _MATCHERS[key] = (lookup, table, matcher)
    return matcher


def ad_hoc_table(
    name: str, context: RunContext, function: str, call: nodes.BoundCall
) -> LookupTable:
    """Return the table that defineTable() built under ``name`` in this run.

    Raises ExecutionError when the query builds no such table.
    """
    rows = context.tables.get(name)
    if rows is None:
        raise ExecutionError(
            f"{function}() reads the table {name}, which no defineTable() in the query builds",
            span=call.span,
        )
    cached = _AD_HOC.get(id(rows))
    if cached is not None and cached[0] is rows and cached[1] == len(rows):
        return cached[2]
    table = table_from_rows(name, rows)
    if len(_AD_HOC) >= _CACHE_SIZE:
        _AD_HOC.clear()
    _AD_HOC[id(rows)] = (rows, len(rows), table)
    return table


def _ad_hoc_table(name: str, context: RunContext, call: nodes.BoundCall) -> LookupTable:
    return ad_hoc_table(name, context, "match", call)
