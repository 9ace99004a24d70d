"""correlate() in the reference engine.

correlate() looks for constellations: sets of one event for each named query.
In a constellation, each event passes its query's steps, and the two fields of
every link ``field <=> other.field`` have equal text. The globalConstraints=
fields are present and equal in every event, all event times lie within within=
of each other, and with sequence=true the events come in the order the queries
are listed. Each constellation is one output row whose fields are the include=
fields of each event, named ``query.field``, with each event's time as
``query.@timestamp`` and the earliest of them as ``@timestamp``, as the
documented example rows show.
https://library.humio.com/data-analysis/functions-correlate.html

The docs leave these points open; this engine decides them as follows:

- Every event of a constellation is a different input event.
- The search starts from each event of the root query (root=, by default the
  first query) in time order, and tries the candidates of the other queries in
  time order, so a root gets its earliest constellations. It keeps at most
  maxPerRoot= constellations per root event (1 by default).
- includeMatchesOnceOnly=true keeps an event out of any later constellation
  once it is part of one.
- With sequence=true, an event may be earlier than the event of a query listed
  before it by at most jitterTolerance= (0 by default); equal times are in order.
- A query without include= outputs every field of its event.
- iterationLimit= is accepted and ignored: the search is exhaustive, up to
  :data:`SEARCH_STEP_LIMIT` candidate checks per root event.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass

from cqlkit.engines.reference.aggregates_base import SubPlanRunner
from cqlkit.engines.reference.context import RunContext
from cqlkit.engines.reference.row import Row
from cqlkit.engines.reference.values import to_number
from cqlkit.plan import nodes
from cqlkit.plan.correlate import CorrelateQuery

SEARCH_STEP_LIMIT = 100_000
"""Candidate checks per root event before the search gives up on that root, so that
queries without links cannot make it run for hours. NOTE: a cqlkit guard, not a
LogScale limit; correlate() warns when it reaches it."""


@dataclass(frozen=True)
class _Candidate:
    """An event that passed one query's steps, as those steps left it."""

    event: int  # position of the input event
    row: Row
    time: float | None


@dataclass(frozen=True)
class _Constraint:
    """``query.field`` must equal ``other.other_field``."""

    query: str
    field: str
    other: str
    other_field: str


def correlate(
    call: nodes.BoundCall, stream: Iterable[Row], context: RunContext, runner: SubPlanRunner
) -> Iterator[Row]:
    """Yield one row per constellation, grouped by root event in time order."""
    queries = call.get("query")
    assert isinstance(queries, tuple)
    search = _Search(call, queries, list(stream), context, runner)
    yield from search.constellations()


class _Search:
    """The candidates of every query and the backtracking search over them."""

    def __init__(
        self,
        call: nodes.BoundCall,
        queries: tuple[CorrelateQuery, ...],
        events: list[Row],
        context: RunContext,
        runner: SubPlanRunner,
    ) -> None:
        self.queries = {query.name: query for query in queries}
        self.listed = [query.name for query in queries]
        root = call.get("root")
        self.root = str(root) if isinstance(root, str) else self.listed[0]
        self.order = _search_order(self.root, self.listed, queries)
        self.constraints = _constraints(queries)
        self.global_fields = (
            call.names("globalConstraints") if call.get("globalConstraints") else ()
        )
        within = call.get("within")
        self.within = float(within) if isinstance(within, int | float) else None
        jitter = call.get("jitterTolerance")
        self.jitter = float(jitter) if isinstance(jitter, int | float) else 0.0
        self.sequence = bool(call.get("sequence"))
        self.once_only = bool(call.get("includeMatchesOnceOnly"))
        max_per_root = call.get("maxPerRoot")
        self.max_per_root = int(max_per_root) if isinstance(max_per_root, int | float) else 1
        self.context = context
        self.candidates = {
            query.name: _candidates(query, events, context, runner) for query in queries
        }
        self.index = _index(self.candidates, self.constraints, self.global_fields)
        self.used: set[int] = set()
        self.steps = 0

    def constellations(self) -> Iterator[Row]:
        for root in self.candidates[self.root]:
            if self.once_only and root.event in self.used:
                continue
            if any(field not in root.row for field in self.global_fields):
                continue
            self.steps = 0
            # With includeMatchesOnceOnly, the root itself is used by its first constellation.
            limit = 1 if self.once_only else self.max_per_root
            for assignment in itertools.islice(self._extend({self.root: root}, 1), limit):
                yield self._output(assignment)
                if self.once_only:
                    self.used.update(candidate.event for candidate in assignment.values())

    def _extend(
        self, assignment: dict[str, _Candidate], depth: int
    ) -> Iterator[dict[str, _Candidate]]:
        """Yield every complete assignment that extends ``assignment``, in search order."""
        if depth == len(self.order):
            yield dict(assignment)
            return
        name = self.order[depth]
        for candidate in self._choices(name, assignment):
            self.steps += 1
            if self.steps > SEARCH_STEP_LIMIT:
                self.context.warn(
                    f"correlate() stopped searching from one root event after"
                    f" {SEARCH_STEP_LIMIT} candidate checks; link the queries with <=>"
                    " or set within= to narrow the search"
                )
                return
            if self._fits(name, candidate, assignment):
                assignment[name] = candidate
                yield from self._extend(assignment, depth + 1)
                del assignment[name]

    def _choices(self, name: str, assignment: dict[str, _Candidate]) -> list[_Candidate]:
        """Return the candidates of query ``name`` that can share a linked value with the
        assigned events: the index entry of the first link to an assigned query."""
        for constraint in self.constraints:
            if constraint.query == name and constraint.other in assignment:
                field, value = (
                    constraint.field,
                    assignment[constraint.other].row.get(constraint.other_field),
                )
            elif constraint.other == name and constraint.query in assignment:
                field, value = (
                    constraint.other_field,
                    assignment[constraint.query].row.get(constraint.field),
                )
            else:
                continue
            return [] if value is None else self.index[name, field].get(value, [])
        if self.global_fields:
            field = self.global_fields[0]
            value = assignment[self.root].row.get(field)
            return [] if value is None else self.index[name, field].get(value, [])
        return self.candidates[name]

    def _fits(self, name: str, candidate: _Candidate, assignment: dict[str, _Candidate]) -> bool:
        if any(other.event == candidate.event for other in assignment.values()):
            return False
        if self.once_only and candidate.event in self.used:
            return False
        if not self._links_hold(name, candidate, assignment):
            return False
        root_row = assignment[self.root].row
        for field in self.global_fields:
            value = candidate.row.get(field)
            if value is None or value != root_row.get(field):
                return False
        return self._times_fit(name, candidate, assignment)

    def _links_hold(
        self, name: str, candidate: _Candidate, assignment: dict[str, _Candidate]
    ) -> bool:
        for constraint in self.constraints:
            if constraint.query == name and constraint.other in assignment:
                mine, theirs = candidate.row, assignment[constraint.other].row
                mine_field, their_field = constraint.field, constraint.other_field
            elif constraint.other == name and constraint.query in assignment:
                mine, theirs = candidate.row, assignment[constraint.query].row
                mine_field, their_field = constraint.other_field, constraint.field
            else:
                continue
            value = mine.get(mine_field)
            if value is None or value != theirs.get(their_field):
                return False
        return True

    def _times_fit(
        self, name: str, candidate: _Candidate, assignment: dict[str, _Candidate]
    ) -> bool:
        if self.within is None and not self.sequence:
            return True
        if candidate.time is None or any(c.time is None for c in assignment.values()):
            return False
        times = [c.time for c in assignment.values() if c.time is not None]
        span = max(*times, candidate.time) - min(*times, candidate.time)
        if self.within is not None and span > self.within:
            return False
        if self.sequence:
            position = self.listed.index(name)
            for other_name, other in assignment.items():
                assert other.time is not None
                earlier = self.listed.index(other_name) < position
                first, second = (
                    (other.time, candidate.time) if earlier else (candidate.time, other.time)
                )
                if second < first - self.jitter:
                    return False
        return True

    def _output(self, assignment: Mapping[str, _Candidate]) -> Row:
        """Build the row of one constellation: each query's included fields and its
        event's ``@timestamp`` under ``query.``, and the earliest ``@timestamp``."""
        fields: dict[str, str] = {}
        times = []
        for name in self.listed:
            row = assignment[name].row
            include = self.queries[name].include
            for field in row if include is None else include:
                if field in row:
                    fields[f"{name}.{field}"] = row[field]
            if "@timestamp" in row:
                fields[f"{name}.@timestamp"] = row["@timestamp"]
                times.append(int(to_number(row["@timestamp"]) or 0))
        if times:
            fields["@timestamp"] = str(min(times))
        return Row(fields, None, assignment[self.root].time)


def _candidates(
    query: CorrelateQuery, events: list[Row], context: RunContext, runner: SubPlanRunner
) -> list[_Candidate]:
    """Return the events that pass the query's steps, in time order (then input order)."""
    found = []
    for index, event in enumerate(events):
        for row in runner(query.plan, [event.copy()], context):
            found.append(_Candidate(index, row, row.event_time()))
    found.sort(key=lambda c: (math.inf if c.time is None else c.time, c.event))
    return found


def _index(
    candidates: dict[str, list[_Candidate]],
    constraints: list[_Constraint],
    global_fields: tuple[str, ...],
) -> dict[tuple[str, str], dict[str, list[_Candidate]]]:
    """Index the candidates of each query by the value of each field that links it
    to another query. Each list keeps the time order of the candidates."""
    keys = {(c.query, c.field) for c in constraints} | {
        (c.other, c.other_field) for c in constraints
    }
    keys |= {(name, field) for name in candidates for field in global_fields}
    index: dict[tuple[str, str], dict[str, list[_Candidate]]] = {}
    for name, field in keys:
        by_value: dict[str, list[_Candidate]] = {}
        for candidate in candidates.get(name, ()):
            value = candidate.row.get(field)
            if value is not None:
                by_value.setdefault(value, []).append(candidate)
        index[name, field] = by_value
    return index


def _constraints(queries: tuple[CorrelateQuery, ...]) -> list[_Constraint]:
    return [
        _Constraint(query.name, link.field, link.query, link.other)
        for query in queries
        for link in query.links
    ]


def _search_order(root: str, listed: list[str], queries: tuple[CorrelateQuery, ...]) -> list[str]:
    """Order the queries from the root outwards along the links, so that each query
    after the root is, where possible, linked to one placed before it."""
    neighbours: dict[str, set[str]] = {name: set() for name in listed}
    for query in queries:
        for link in query.links:
            if link.query in neighbours:
                neighbours[query.name].add(link.query)
                neighbours[link.query].add(query.name)
    order = [root]
    for name in order:
        order.extend(n for n in listed if n in neighbours[name] and n not in order)
    order.extend(name for name in listed if name not in order)
    return order
