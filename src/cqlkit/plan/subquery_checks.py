"""Check-time rules of join(), defineTable(), selfJoinFilter() and correlate().

Arguments are checked when a call is bound (:func:`check_subquery_call`). The
place of each call in the query is checked once the whole query is planned
(:func:`check_subquery_plan`).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from typing import TYPE_CHECKING

from cqlkit.language import ast
from cqlkit.plan import nodes
from cqlkit.plan.context import PlanContext
from cqlkit.plan.correlate import CorrelateQuery, check_correlate
from cqlkit.plan.signature import FunctionSpec

if TYPE_CHECKING:
    from cqlkit.plan.planner import Planner

TOP_LEVEL_ONLY = frozenset({"join", "defineTable", "selfJoinFilter", "correlate"})
"""Functions that read every event of the query, so they cannot run inside a
sub-query, a case branch or a match arm."""

MAX_TABLES = 10
"""defineTable() tables one query may define (LogScale's default AdHocTablesLimit)."""

# Parameters that LogScale uses to run a sub-query elsewhere. Offline there is one input.
_ELSEWHERE = ("start", "end", "repo", "view", "live")


def check_subquery_call(
    planner: Planner, spec: FunctionSpec, arguments: dict[str, object], call: ast.Call
) -> None:
    """Check the arguments of a call of one of these functions; other calls pass."""
    if spec.name == "join":
        _check_join(planner, arguments, call)
    elif spec.name == "defineTable":
        _check_define_table(planner, arguments, call)
    elif spec.name == "selfJoinFilter":
        _check_self_join_filter(planner, arguments, call)
    elif spec.name == "correlate":
        check_correlate(planner, arguments, call)


def _sub_plan(planner: Planner, name: str, arguments: dict[str, object], call: ast.Call) -> None:
    """Replace the query argument by its plan, which ends with the implicit tail(200)
    when it has no aggregate: LogScale limits sub-queries as it limits queries."""
    plan = arguments.get("query")
    if isinstance(plan, nodes.Plan):
        arguments["query"] = dataclasses.replace(plan, implicit_tail=not plan.has_aggregate)
    elif "query" in arguments:
        planner.context.error(
            "invalid-argument",
            f"{name}(query=...) must be a sub-query in braces, such as {{ #type=login }}",
            call.span,
        )
        del arguments["query"]


def _warn_elsewhere(
    planner: Planner, name: str, arguments: dict[str, object], call: ast.Call
) -> None:
    for parameter in _ELSEWHERE:
        if parameter in arguments:
            planner.context.warn(
                "ignored-argument",
                f"{name}({parameter}=...) is ignored: offline, the sub-query reads the same"
                " events as the main query",
                call.span,
            )


def _check_join(planner: Planner, arguments: dict[str, object], call: ast.Call) -> None:
    _sub_plan(planner, "join", arguments, call)
    fields = arguments.get("field")
    key = arguments.setdefault("key", fields)
    if isinstance(fields, tuple) and isinstance(key, tuple) and len(key) != len(fields):
        planner.context.error(
            "invalid-argument",
            f"join() has {len(fields)} field= names but {len(key)} key= names",
            call.span,
            hint="give key= one sub-query field for each field= name, in the same order",
        )
    if call.negated and "include" in arguments:
        planner.context.warn(
            "ignored-argument",
            "!join() keeps only events that have no match, so include= adds nothing",
            call.span,
        )
    _warn_elsewhere(planner, "join", arguments, call)


def _check_define_table(planner: Planner, arguments: dict[str, object], call: ast.Call) -> None:
    _sub_plan(planner, "defineTable", arguments, call)
    if arguments.get("name") == "":
        planner.context.error("invalid-argument", "defineTable(name=...) is empty", call.span)
    if arguments.get("include") == ():
        planner.context.error(
            "invalid-argument",
            "defineTable(include=...) lists no field",
            call.span,
            hint="list the table's columns, or write include=* for every field",
        )
    _warn_elsewhere(planner, "defineTable", arguments, call)


def _check_self_join_filter(planner: Planner, arguments: dict[str, object], call: ast.Call) -> None:
    where = arguments.get("where")
    clauses = (where,) if isinstance(where, nodes.Plan) else where
    if not isinstance(clauses, tuple):
        return
    plans = []
    for clause in clauses:
        if isinstance(clause, nodes.Plan) and all(_is_filter(s) for s in clause.stages):
            plans.append(clause)
        else:
            planner.context.error(
                "invalid-argument",
                "selfJoinFilter(where=...) takes filters in braces, such as"
                " where=[{from=peter}, {to=paul}]",
                call.span,
            )
    arguments["where"] = tuple(plans)


def _is_filter(stage: nodes.Stage) -> bool:
    return isinstance(stage, nodes.Filter) or (
        isinstance(stage, nodes.ExtractRegex) and not stage.repeat
    )


# --- the place of each call ---------------------------------------------------------


def check_subquery_plan(context: PlanContext, plan: nodes.Plan) -> None:
    """Record the errors of calls that are out of place: defineTable() after the
    main query starts, more than 10 tables, and these functions below the top level."""
    for call in _nested_calls(plan):
        if call.name in TOP_LEVEL_ONLY:
            context.error(
                "misplaced-function",
                f"{call.name}() must be a step of the main query, not part of a sub-query,"
                " a case branch or a match arm",
                call.span,
            )
    tables = [
        s.call for s in plan.stages if isinstance(s, nodes.Apply) and s.call.name == "defineTable"
    ]
    if not tables:
        return
    _check_table_order(context, plan)
    names: set[str] = set()
    for call in tables:
        name = str(call.get("name"))
        if name in names:
            context.error(
                "duplicate-table", f"defineTable() defines the table {name} twice", call.span
            )
        names.add(name)
    if len(tables) > MAX_TABLES:
        context.error(
            "too-many-tables",
            f"the query defines {len(tables)} tables; LogScale allows at most {MAX_TABLES}",
            tables[MAX_TABLES].span,
        )
    for stage in plan.stages:
        if isinstance(stage, nodes.Apply) and stage.call.name == "join":
            context.error(
                "incompatible-functions",
                "defineTable() and join() cannot be used in one query",
                stage.span,
                hint="read the table with match(table=..., field=..., column=...) instead",
            )


def _check_table_order(context: PlanContext, plan: nodes.Plan) -> None:
    main_started = False
    for stage in plan.stages:
        is_table = isinstance(stage, nodes.Apply) and stage.call.name == "defineTable"
        if is_table and main_started:
            context.error(
                "misplaced-function",
                "defineTable() must come before the main query",
                stage.span,
                hint="put every defineTable() at the start of the query",
            )
        main_started = main_started or not is_table


def _nested_calls(plan: nodes.Plan) -> Iterator[nodes.BoundCall]:
    """Yield every call below the top level of ``plan``."""
    for stage in plan.stages:
        if isinstance(stage, nodes.Apply):
            yield from _calls_in_value(tuple(stage.call.arguments.values()))
        elif isinstance(stage, nodes.Filter):
            yield from _calls_in_predicate(stage.predicate, nested=True)
        elif isinstance(stage, nodes.Case | nodes.Match):
            yield from _stage_calls(stage)


def _calls_in_value(value: object) -> Iterator[nodes.BoundCall]:
    """Yield every call in an argument value, sub-plans included, at any depth."""
    if isinstance(value, nodes.BoundCall):
        yield value
        yield from _calls_in_value(tuple(value.arguments.values()))
    elif isinstance(value, nodes.Plan):
        for stage in value.stages:
            yield from _stage_calls(stage)
    elif isinstance(value, CorrelateQuery):
        yield from _calls_in_value(value.plan)
    elif isinstance(value, tuple):
        for item in value:
            yield from _calls_in_value(item)


def _stage_calls(stage: nodes.Stage) -> Iterator[nodes.BoundCall]:
    if isinstance(stage, nodes.Apply):
        yield from _calls_in_value(stage.call)
    elif isinstance(stage, nodes.Filter):
        yield from _calls_in_predicate(stage.predicate, nested=False)
    elif isinstance(stage, nodes.Case):
        yield from _calls_in_value(stage.branches)
    elif isinstance(stage, nodes.Match):
        yield from _calls_in_value(tuple(arm.body for arm in stage.arms))


def _calls_in_predicate(predicate: nodes.Predicate, *, nested: bool) -> Iterator[nodes.BoundCall]:
    """Yield the calls of a predicate; with ``nested``, only those inside its calls' arguments."""
    if isinstance(predicate, nodes.AllOf | nodes.AnyOf):
        for part in predicate.parts:
            yield from _calls_in_predicate(part, nested=nested)
    elif isinstance(predicate, nodes.Negation):
        yield from _calls_in_predicate(predicate.operand, nested=nested)
    elif isinstance(predicate, nodes.CallPredicate):
        arguments = tuple(predicate.call.arguments.values())
        yield from _calls_in_value(arguments if nested else predicate.call)
