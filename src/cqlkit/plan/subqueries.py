"""Sub-queries that run over the whole input before the main query.

LogScale runs the sub-query of join() and of defineTable() as a query of its
own over the same events as the main query (its time interval included), then
uses the result. Offline, an engine first reads the whole input, runs those
sub-queries through :func:`bind_subquery_results`, and then runs the plan it
returns: defineTable() stages are gone (their tables are filled) and each join()
carries its sub-query's rows as :class:`SubqueryRows`.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

from cqlkit.plan import nodes
from cqlkit.plan.signatures_joins import JOIN_LIMIT_MAXIMUM

Rows = Sequence[Mapping[str, str]]
SubqueryRunner = Callable[[nodes.Plan], Rows]
"""Runs a sub-query plan over the whole input and returns its rows in output order."""
Register = Callable[[nodes.BoundCall, "SubqueryRows"], str]
"""Makes the rows of a join() available to SQL and returns the relation's name."""

WHOLE_INPUT_FUNCTIONS = frozenset({"join", "defineTable"})


@dataclass(frozen=True, eq=False)
class SubqueryRows:
    """What a join() sub-query gave, in place of the sub-query once it ran.

    ``matches`` maps each key (the values of the key= fields, all present) to the
    first max= rows of the sub-query with that key, in the sub-query's order.
    ``relation`` names the SQL relation that contains the same rows, one row per
    match with the key= and include= fields, when an engine registered one.
    """

    matches: Mapping[tuple[str, ...], tuple[Mapping[str, str], ...]]
    relation: str | None = None


def needs_whole_input(plan: nodes.Plan) -> bool:
    """Tell whether ``plan`` has a join() or defineTable() whose sub-query must run first."""
    return any(_call_name(stage) in WHOLE_INPUT_FUNCTIONS for stage in plan.stages)


def bind_subquery_results(
    plan: nodes.Plan,
    run: SubqueryRunner,
    tables: dict[str, list[dict[str, str]]],
    warn: Callable[[str], None],
    register: Register | None = None,
) -> nodes.Plan:
    """Run the sub-queries of ``plan`` in query order and return the plan that uses their rows.

    defineTable() fills ``tables`` (a later defineTable() may read an earlier
    table with match()) and leaves the plan. join() gets its rows as
    :class:`SubqueryRows`, cut to its limit= with a warning.
    """
    interval = _search_interval(plan)
    stages: list[nodes.Stage] = []
    for stage in plan.stages:
        name = _call_name(stage)
        if name not in WHOLE_INPUT_FUNCTIONS:
            stages.append(stage)
            continue
        assert isinstance(stage, nodes.Apply)
        sub_plan = _sub_plan(stage.call, interval, plan.has_free_text)
        rows = run(sub_plan)
        if name == "defineTable":
            tables[str(stage.call.get("name"))] = _table(stage.call, rows)
            continue
        bound = _join_rows(stage.call, _limited(stage.call, rows, warn))
        if register is not None:
            bound = dataclasses.replace(bound, relation=register(stage.call, bound))
        arguments = {**stage.call.arguments, "query": bound}
        stages.append(nodes.Apply(stage.span, dataclasses.replace(stage.call, arguments=arguments)))
    return dataclasses.replace(plan, stages=tuple(stages))


def _call_name(stage: nodes.Stage) -> str | None:
    return stage.call.name if isinstance(stage, nodes.Apply) else None


def _search_interval(plan: nodes.Plan) -> tuple[nodes.Stage, ...]:
    """Return the leading filters, without a span, that cqlkit puts before the
    query's own steps for the search interval. A sub-query reads the same interval."""
    interval = []
    for stage in plan.stages:
        if not (isinstance(stage, nodes.Filter) and stage.span is None):
            break
        interval.append(stage)
    return tuple(interval)


def _sub_plan(
    call: nodes.BoundCall, interval: tuple[nodes.Stage, ...], free_text: bool
) -> nodes.Plan:
    plan = call.get("query")
    assert isinstance(plan, nodes.Plan), f"{call.name}() has no sub-query plan"
    return dataclasses.replace(
        plan, stages=(*interval, *plan.stages), has_free_text=free_text or plan.has_free_text
    )


def _table(call: nodes.BoundCall, rows: Rows) -> list[dict[str, str]]:
    """Keep the include= columns of each row; a row that lacks one gets the empty
    string, as an empty cell of a lookup file would. ``include=*`` keeps every field."""
    include = call.names("include")
    if include == ("*",):
        return [dict(row) for row in rows]
    return [{name: row.get(name, "") for name in include} for row in rows]


def _limited(call: nodes.BoundCall, rows: Rows, warn: Callable[[str], None]) -> Rows:
    limit = call.get("limit")
    limit = int(limit) if isinstance(limit, int | float) else JOIN_LIMIT_MAXIMUM
    if len(rows) > limit:
        warn(
            f"join() used the first {limit} of the {len(rows)} rows of its sub-query;"
            f" raise limit= (at most {JOIN_LIMIT_MAXIMUM}) to use more"
        )
        return rows[:limit]
    return rows


def _join_rows(call: nodes.BoundCall, rows: Rows) -> SubqueryRows:
    keys = call.names("key")
    max_rows = call.get("max")
    max_rows = int(max_rows) if isinstance(max_rows, int | float) else 1
    matches: dict[tuple[str, ...], list[Mapping[str, str]]] = {}
    for row in rows:
        values = tuple(row.get(name) for name in keys)
        if None in values:
            continue
        found = matches.setdefault(values, [])  # type: ignore[arg-type]
        if len(found) < max_rows:
            found.append(dict(row))
    return SubqueryRows({key: tuple(found) for key, found in matches.items()})


# --- functions that read every event that reaches them ------------------------------

WHOLE_STREAM_FUNCTIONS = frozenset({"selfJoinFilter", "correlate"})
"""Functions that must see every event that reaches them before they emit one, so
an engine that runs row stages batch by batch runs them once on all batches."""


def reads_whole_stream(stage: nodes.Stage) -> bool:
    """Tell whether ``stage`` is a call of a function in :data:`WHOLE_STREAM_FUNCTIONS`."""
    return _call_name(stage) in WHOLE_STREAM_FUNCTIONS


def filter_predicate(plan: nodes.Plan) -> nodes.Predicate:
    """Return the predicate of a plan made of filters, such as a where= clause of
    selfJoinFilter(). A regex step with named groups counts as its filter."""
    parts = [_stage_predicate(stage) for stage in plan.stages]
    if not parts:
        return nodes.Everything(None)
    return parts[0] if len(parts) == 1 else nodes.AllOf(None, tuple(parts))


def _stage_predicate(stage: nodes.Stage) -> nodes.Predicate:
    if isinstance(stage, nodes.Filter):
        return stage.predicate
    assert isinstance(stage, nodes.ExtractRegex), f"not a filter: {type(stage).__name__}"
    if not stage.strict:
        return nodes.Everything(stage.span)
    match: nodes.Predicate
    if stage.field is None:
        match = nodes.FreeText(stage.span, None, stage.regex)
    else:
        match = nodes.RegexMatch(stage.span, stage.field, stage.regex)
    return nodes.Negation(stage.span, match) if stage.negated else match
