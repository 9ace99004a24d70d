"""The reference engine: a streaming pure-Python interpreter of the plan.

It is the oracle that other engines are compared with, so it favours plain
LogScale semantics over speed. Filters and transforms stream one event at a
time; an aggregate consumes its whole input before it emits rows.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from cqlkit.engines.reference.aggregates import make_aggregator
from cqlkit.engines.reference.context import RunContext
from cqlkit.engines.reference.expressions import evaluate
from cqlkit.engines.reference.functions import run_transform
from cqlkit.engines.reference.functions_joins import STREAM_FUNCTIONS
from cqlkit.engines.reference.predicates import free_text_values, matches
from cqlkit.engines.reference.row import Row
from cqlkit.engines.reference.subqueries import run_subqueries
from cqlkit.engines.reference.values import to_text
from cqlkit.plan import nodes
from cqlkit.plan.functions import FunctionKind, lookup
from cqlkit.plan.subqueries import needs_whole_input

IMPLICIT_TAIL_LIMIT = 200


def run_plan(plan: nodes.Plan, events: Iterable[dict[str, str]], context: RunContext) -> list[Row]:
    """Run ``plan`` over ``events`` and return the result rows.

    A plan without an aggregate ends with LogScale's implicit ``tail(200)``;
    ``context.lift_default_limits`` lifts its limit. The sub-queries of join() and
    defineTable() run over every event first, so the events are then read into a list.
    """
    if needs_whole_input(plan):
        events = list(events)
        plan = run_subqueries(plan, events, context, run_plan)
    rows = (Row.from_event(event, plan.has_free_text) for event in events)
    stream = run_stages(plan.stages, rows, context)
    if plan.implicit_tail:
        spec = lookup("tail")
        assert spec is not None
        tail = nodes.BoundCall(spec, {"limit": IMPLICIT_TAIL_LIMIT}, frozenset())
        stream = _aggregate(tail, stream, context)
    return list(stream)


def run_sub_plan(plan: nodes.Plan, rows: Iterable[Row], context: RunContext) -> Iterator[Row]:
    """Run a sub-pipeline (a case branch or a groupBy function) over ``rows``."""
    return run_stages(plan.stages, rows, context)


def run_stages(
    stages: Iterable[nodes.Stage], stream: Iterable[Row], context: RunContext
) -> Iterator[Row]:
    """Chain the stages over ``stream`` and return the resulting stream."""
    result: Iterable[Row] = stream
    for stage in stages:
        result = _run_stage(stage, result, context)
    return iter(result)


def _run_stage(stage: nodes.Stage, stream: Iterable[Row], context: RunContext) -> Iterator[Row]:
    if isinstance(stage, nodes.Filter):
        return (row for row in stream if matches(stage.predicate, row))
    if isinstance(stage, nodes.Assign):
        return _assign(stage, stream)
    if isinstance(stage, nodes.ExtractRegex):
        return _extract(stage, stream, context)
    if isinstance(stage, nodes.Apply):
        whole_stream = STREAM_FUNCTIONS.get(stage.call.name)
        if whole_stream is not None:
            return whole_stream(stage.call, stream, context, run_sub_plan)
        if stage.call.kind is FunctionKind.AGGREGATE:
            return _aggregate(stage.call, stream, context)
        return _transform(stage.call, stream, context)
    if isinstance(stage, nodes.Case):
        return _case(stage, stream, context)
    if isinstance(stage, nodes.Match):
        return _match(stage, stream, context)
    raise AssertionError(f"unexpected stage {type(stage).__name__}")


def _assign(stage: nodes.Assign, stream: Iterable[Row]) -> Iterator[Row]:
    for row in stream:
        text = to_text(evaluate(stage.expression, row))
        if text is not None:
            row[stage.field] = text
        yield row


def _transform(call: nodes.BoundCall, stream: Iterable[Row], context: RunContext) -> Iterator[Row]:
    for row in stream:
        yield from run_transform(call, row, context)


def _aggregate(call: nodes.BoundCall, stream: Iterable[Row], context: RunContext) -> Iterator[Row]:
    aggregator = make_aggregator(call, context, run_sub_plan)
    for row in stream:
        aggregator.add(row)
    yield from aggregator.rows()


def _case(stage: nodes.Case, stream: Iterable[Row], context: RunContext) -> Iterator[Row]:
    for row in stream:
        for branch in stage.branches:
            output = list(run_stages(branch.stages, [row.copy()], context))
            if output:
                yield from output
                break


def _match(stage: nodes.Match, stream: Iterable[Row], context: RunContext) -> Iterator[Row]:
    for row in stream:
        for arm in stage.arms:
            if matches(arm.guard, row):
                yield from run_stages(arm.body.stages, [row], context)
                break


def _extract(
    stage: nodes.ExtractRegex, stream: Iterable[Row], context: RunContext
) -> Iterator[Row]:
    repeat = stage.repeat or stage.regex.global_flag
    for row in stream:
        values = (
            list(free_text_values(row)) if stage.field is None else _field_values(row, stage.field)
        )
        found = [match for value in values if (match := stage.regex.search(value)) is not None][:1]
        if stage.negated:
            if not found:
                yield row
            continue
        if not found:
            if not stage.strict:
                yield row
            continue
        if not repeat:
            row.update(stage.regex.fields(found[0]))
            yield row
            continue
        yield from _repeat(stage, row, values[values.index(found[0].string)], context)


def _field_values(row: Row, field: str) -> list[str]:
    value = row.get(field)
    return [] if value is None else [value]


def _repeat(stage: nodes.ExtractRegex, row: Row, value: str, context: RunContext) -> Iterator[Row]:
    """regex(repeat=true): one event per match, each with that match's groups."""
    for count, match in enumerate(stage.regex.finditer(value)):
        if count >= stage.limit:
            context.warn(
                f"regex() stopped after {stage.limit} matches in one event;"
                " raise limit= to see more"
            )
            return
        copy = row.copy()
        copy.update(stage.regex.fields(match))
        yield copy
