"""Splitting of a plan into SQL segments and reference-engine segments.

Each stage compiles to SQL when it can. A stage that cannot (a regex RE2
cannot run, a case branch with an aggregate) becomes a reference segment that the reference
interpreter runs inside the same query, and the engine prints a notice that
names the construct. Nothing falls back silently.

A plan is split at its first aggregate: the row-by-row ``prefix`` can run on
each batch of input as it is read, and the ``rest`` runs once on what the
prefix kept.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Literal

from sqlglot import exp

from cqlkit.engines.sql.aggregates import compile_aggregate
from cqlkit.engines.sql.columns import Schema
from cqlkit.engines.sql.stages import CompiledStage, compile_row_stage
from cqlkit.errors import UnsupportedFeatureError
from cqlkit.plan import nodes
from cqlkit.plan.functions import FunctionKind, lookup
from cqlkit.plan.subqueries import reads_whole_stream

INPUT = "input"
IMPLICIT_TAIL_LIMIT = 200


@dataclass(frozen=True)
class Segment:
    """Consecutive stages that run on one engine.

    A ``sql`` segment carries its compiled stages; a ``reference`` segment
    carries the reason it could not compile.
    """

    kind: Literal["sql", "reference"]
    stages: tuple[nodes.Stage, ...]
    input_schema: Schema
    output_schema: Schema
    compiled: tuple[CompiledStage, ...] = ()
    reason: str = ""

    def query(self) -> exp.Select:
        """Return the segment's SQL: one CTE per stage over the relation ``input``."""
        assert self.kind == "sql"
        assert self.compiled
        query = exp.select("*").from_(
            exp.to_identifier(_cte_name(len(self.compiled) - 1), quoted=True)
        )
        for index, compiled in enumerate(self.compiled):
            # copy=False: the builder would otherwise copy the whole query at each CTE.
            # The stage SELECTs become children of this query, which only renders them.
            query = query.with_(
                exp.to_identifier(_cte_name(index), quoted=True),
                as_=compiled.select,
                copy=False,
            )
        return query


@dataclass(frozen=True)
class CompiledPlan:
    """A plan ready for a SQL engine."""

    prefix: tuple[Segment, ...]
    rest: tuple[Segment, ...]
    input_schema: Schema

    def notices(self) -> list[str]:
        """Return one line per stage that runs on the reference engine."""
        return [
            segment.reason for segment in (*self.prefix, *self.rest) if segment.kind == "reference"
        ]


def _cte_name(index: int) -> str:
    return f"s{index}"


def _source_name(index: int) -> str:
    return INPUT if index == 0 else _cte_name(index - 1)


def plan_stages(plan: nodes.Plan, lift_default_limits: bool) -> list[nodes.Stage]:
    """Return the plan's stages with LogScale's implicit ``tail(200)`` appended
    when the plan has no aggregate."""
    stages = list(plan.stages)
    if plan.implicit_tail:
        spec = lookup("tail")
        assert spec is not None
        arguments: dict[str, object] = {} if lift_default_limits else {"limit": IMPLICIT_TAIL_LIMIT}
        explicit = frozenset() if lift_default_limits else frozenset({"limit"})
        stages.append(nodes.Apply(None, nodes.BoundCall(spec, arguments, explicit)))
    return stages


def split_stages(
    plan: nodes.Plan, lift_default_limits: bool
) -> tuple[list[nodes.Stage], list[nodes.Stage]]:
    """Split the plan's stages (with the implicit tail) at the first aggregate."""
    stages = plan_stages(plan, lift_default_limits)
    # selfJoinFilter() must see every event too, so it starts the rest like an aggregate.
    split = next(
        (i for i, s in enumerate(stages) if _is_aggregate(s) or reads_whole_stream(s)),
        len(stages),
    )
    return stages[:split], stages[split:]


def compile_plan(
    plan: nodes.Plan, input_schema: Schema, *, lift_default_limits: bool = False
) -> CompiledPlan:
    """Compile ``plan`` for input relations with ``input_schema``."""
    prefix_stages, rest_stages = split_stages(plan, lift_default_limits)
    prefix = compile_segments(prefix_stages, input_schema, lift_default_limits)
    middle = prefix[-1].output_schema if prefix else input_schema
    rest = compile_segments(rest_stages, middle, lift_default_limits)
    return CompiledPlan(tuple(prefix), tuple(rest), input_schema)


def _is_aggregate(stage: nodes.Stage) -> bool:
    return isinstance(stage, nodes.Apply) and stage.call.kind is FunctionKind.AGGREGATE


def _has_dynamic_outputs(stage: nodes.Stage) -> bool:
    return isinstance(stage, nodes.Apply) and stage.call.spec.dynamic_outputs


def compile_segments(
    stages: Sequence[nodes.Stage], schema: Schema, lift_default_limits: bool
) -> list[Segment]:
    """Compile consecutive stages into SQL and reference segments."""
    segments: list[Segment] = []
    pending: list[tuple[nodes.Stage, CompiledStage]] = []
    current = schema
    for position, stage in enumerate(stages):
        try:
            compiled = _compile_stage(
                stage, current, _source_name(len(pending)), lift_default_limits
            )
        except UnsupportedFeatureError as exc:
            if pending:
                segments.append(_sql_segment(pending))
                pending = []
            if _is_aggregate(stage) or _has_dynamic_outputs(stage):
                # After an aggregate that SQL cannot run, or a stage that sets fields
                # named by the data, the rest of the plan runs on the reference
                # engine too, because its output columns vary.
                remaining = tuple(stages[position:])
                segments.append(_reference_segment(remaining, current, exc, terminal=True))
                return segments
            reference = _reference_segment((stage,), current, exc, terminal=False)
            segments.append(reference)
            current = reference.output_schema
            continue
        pending.append((stage, compiled))
        current = compiled.schema
    if pending:
        segments.append(_sql_segment(pending))
    return segments


def _compile_stage(
    stage: nodes.Stage, schema: Schema, source: str, lift_default_limits: bool
) -> CompiledStage:
    if _is_aggregate(stage):
        assert isinstance(stage, nodes.Apply)
        return compile_aggregate(
            stage.call, schema, source, lift_default_limits=lift_default_limits
        )
    return compile_row_stage(stage, schema, source)


def _sql_segment(pending: list[tuple[nodes.Stage, CompiledStage]]) -> Segment:
    stages = tuple(stage for stage, _ in pending)
    compiled = tuple(item for _, item in pending)
    first_input = _input_of(compiled[0])
    return Segment("sql", stages, first_input, compiled[-1].schema, compiled)


def _input_of(compiled: CompiledStage) -> Schema:
    return compiled.input_schema


def _reference_segment(
    stages: tuple[nodes.Stage, ...],
    schema: Schema,
    error: UnsupportedFeatureError,
    *,
    terminal: bool,
) -> Segment:
    span = stages[0].span
    where = f" (line {span.line}, column {span.col})" if span is not None else ""
    reason = f"{error.feature}{where} runs on the reference engine: {error.description}"
    output = Schema((), schema.hidden) if terminal else _row_stage_output(stages[0], schema)
    return Segment("reference", stages, schema, output, reason=reason)


def _row_stage_output(stage: nodes.Stage, schema: Schema) -> Schema:
    """Return the columns after a row stage that the reference engine runs: the
    input columns plus every field the stage may set."""
    result = schema
    for name in _assigned_fields((stage,)):
        result = result.with_field(name)
    return result


def _assigned_fields(stages: Iterable[nodes.Stage]) -> list[str]:
    names: list[str] = []
    for stage in stages:
        if isinstance(stage, nodes.Assign):
            names.append(stage.field)
        elif isinstance(stage, nodes.ExtractRegex):
            names.extend(field for _, field in stage.regex.group_fields)
        elif isinstance(stage, nodes.Apply):
            names.extend(_call_outputs(stage.call))
        elif isinstance(stage, nodes.Case):
            for branch in stage.branches:
                names.extend(_assigned_fields(branch.stages))
        elif isinstance(stage, nodes.Match):
            for arm in stage.arms:
                names.extend(_assigned_fields(arm.body.stages))
    return names


def _call_outputs(call: nodes.BoundCall) -> list[str]:
    target = call.get("as")
    names = [str(target)] if isinstance(target, str) else []
    if call.spec.output_fields is not None:
        names.extend(call.spec.output_fields(call.arguments))
    if call.name == "rename":
        spec = call.get("field")
        if isinstance(spec, tuple):
            names.extend(str(new) for _, new in spec)
    if call.name == "default":
        spec = call.get("field")
        if isinstance(spec, tuple):
            names.extend(str(item) for item in spec)
    if call.name == "replace" and not isinstance(target, str):
        names.append(str(call.get("field")))
    return names
