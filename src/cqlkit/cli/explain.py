"""The text that ``cqlkit explain`` prints: the logical plan and the SQL."""

from __future__ import annotations

from cqlkit.engines.sql.columns import SEQ, TIME, VALUES, Schema
from cqlkit.engines.sql.compiler import CompiledPlan, Segment, compile_plan
from cqlkit.plan import nodes
from cqlkit.plan.explain import format_plan
from cqlkit.plan.fields import field_use

CASE_NOTE = (
    "-- DuckDB matches column names case-insensitively, so a column is named after its field"
    " with each upper-case letter written as ^ and the letter: ProcessId is ^process^id"
)
ALL_FIELDS_NOTE = (
    "-- the query returns whole events, so every input field is read; this SQL lists none of them"
)


def explain_text(plan: nodes.Plan) -> str:
    """Return the plan dump and the DuckDB SQL of every segment, deterministically."""
    use = field_use(plan)
    hidden = (SEQ, TIME, VALUES) if use.free_text else (SEQ, TIME)
    fields = () if use.fields is None else tuple(sorted(use.fields))
    compiled = compile_plan(plan, Schema(fields, hidden))
    parts = ["== logical plan ==", format_plan(plan), "", "== duckdb =="]
    if use.fields is None:
        parts.append(ALL_FIELDS_NOTE)
    parts.append(f"-- input columns: {', '.join(fields) or '(none)'}")
    parts.append(CASE_NOTE)
    parts.extend(_segments_text(compiled))
    return "\n".join(parts)


def _segments_text(compiled: CompiledPlan) -> list[str]:
    lines: list[str] = []
    for title, segments in (
        ("per batch", compiled.prefix),
        ("once, over what the batches kept", compiled.rest),
    ):
        for number, segment in enumerate(segments):
            lines.append(f"-- {title}, segment {number}: {_segment_title(segment)}")
            if segment.kind == "sql":
                lines.append(segment.query().sql(dialect="duckdb", pretty=True) + ";")
            else:
                lines.append(f"-- {segment.reason}")
    return lines


def _segment_title(segment: Segment) -> str:
    count = len(segment.stages)
    stages = "stage" if count == 1 else "stages"
    return f"{count} {stages} on {'DuckDB' if segment.kind == 'sql' else 'the reference engine'}"
