"""A compiled row or aggregate stage, and the SELECT shapes most stages use."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from sqlglot import exp

from cqlkit.engines.sql.columns import Schema, column


@dataclass(frozen=True)
class CompiledStage:
    """One stage as a SELECT over the relation named ``source``.

    ``limit`` is set by limiting aggregates (tail, head, sort, table, groupBy):
    the engine counts the input rows when the output reaches it, to warn as
    the reference engine does. ``limit_message`` formats that warning with
    ``{limit}`` and ``{total}``. ``count_select`` counts that total over
    ``source`` when it is not the number of input rows (groupBy counts groups).
    """

    select: exp.Select
    schema: Schema
    input_schema: Schema
    limit: int | None = None
    limit_message: str = ""
    count_select: exp.Select | None = None
    notes: tuple[str, ...] = field(default=())


def select_from(
    schema: Schema, source: str, replacements: Mapping[str, exp.Expr] | None = None
) -> exp.Select:
    """Return ``SELECT <every column, some replaced> FROM source``."""
    return exp.select(*schema.projection(replacements)).from_(
        exp.to_identifier(source, quoted=True)
    )


def assign_fields(schema: Schema, source: str, values: dict[str, exp.Expr]) -> CompiledStage:
    """Set fields; a NULL value keeps the field as it was (null assigns nothing)."""
    replacements: dict[str, exp.Expr] = {}
    result = schema
    for name, value in values.items():
        if schema.has(name):
            replacements[name] = exp.Coalesce(this=value, expressions=[column(name)])
        else:
            replacements[name] = value
            result = result.with_field(name)
    return CompiledStage(select_from(result, source, replacements), result, schema)
