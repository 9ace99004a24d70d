"""Sub-queries on array elements (array:exists(), array:filter(), array:eval()) as
SQL lambda bodies.

Each stage of the sub-query compiles as a row stage over a virtual relation whose
fields are the event's fields, with ``var`` replaced by the list element. When every
stage compiles to a plain ``SELECT ... FROM source [WHERE ...]``, the SELECT items
and WHERE conditions are substituted into one another, which gives each field's value
and the pass condition as expressions of the element. Other stages raise
UnsupportedFeatureError, and the array function runs on the reference engine.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlglot import exp

from cqlkit.engines.sql.columns import HIDDEN, Schema, column
from cqlkit.errors import UnsupportedFeatureError
from cqlkit.fieldnames import decode, encode
from cqlkit.plan import nodes

ITEM = "__cqlkit_item"
"""The lambda variable that holds one element."""
_ELEMENT_SOURCE = "__cqlkit_element"
_PLAIN_SELECT_PARTS = frozenset({"expressions", "from_", "where"})


@dataclass(frozen=True)
class InlinedPipeline:
    """A sub-query as expressions of the element ``ITEM`` and the outer row's columns:
    the value of each field at its end, and whether the element passes it."""

    fields: dict[str, exp.Expr]
    passes: exp.Expr


def item() -> exp.Expr:
    """Return a reference to the lambda variable :data:`ITEM`."""
    return exp.column(exp.to_identifier(ITEM))


def inline_pipeline(
    plan: nodes.Plan, schema: Schema, var: str, unset: str | None = None
) -> InlinedPipeline:
    """Inline ``plan`` for one element held in ``var``; the field ``unset`` starts
    missing, as the reference engine's _run_element() removes it.

    Raises UnsupportedFeatureError when a stage does not compile to a plain SELECT.
    """
    from cqlkit.engines.sql.stages import compile_row_stage

    fields: dict[str, exp.Expr] = {name: column(name) for name in schema.fields}
    if unset is not None:
        fields.pop(unset, None)
    fields[var] = item()
    passes: exp.Expr = exp.true()
    for stage in plan.stages:
        virtual = Schema(tuple(fields), schema.hidden)
        select = compile_row_stage(stage, virtual, _ELEMENT_SOURCE).select
        _check_plain(select, stage)
        where = select.args.get("where")
        if where is not None:
            passes = exp.and_(passes, exp.paren(_substitute(where.this, fields)))
        fields = _outputs(select, fields)
    return InlinedPipeline(fields, passes)


def _check_plain(select: exp.Select, stage: nodes.Stage) -> None:
    source = select.args.get("from_")
    plain = (
        set(select.args) <= _PLAIN_SELECT_PARTS
        and isinstance(source, exp.From)
        and isinstance(source.this, exp.Table | exp.Identifier)
        and source.this.name == _ELEMENT_SOURCE
    )
    if not plain:
        raise UnsupportedFeatureError(
            "array sub-query",
            f"a {type(stage).__name__} step inside an array function's sub-query"
            " is not compiled to SQL",
            engine="sql",
        )


def _outputs(select: exp.Select, fields: dict[str, exp.Expr]) -> dict[str, exp.Expr]:
    """Return each field's value after the stage, from the SELECT items."""
    result: dict[str, exp.Expr] = {}
    for projection in select.expressions:
        if isinstance(projection, exp.Alias):
            name, value = projection.alias, projection.this
        else:
            name, value = projection.name, projection
        if name in HIDDEN:
            continue
        result[decode(name)] = _substitute(value, fields)
    return result


def _substitute(expression: exp.Expr, fields: dict[str, exp.Expr]) -> exp.Expr:
    """Replace each field column in ``expression`` with the field's current value."""
    by_column = {encode(name): value for name, value in fields.items()}

    def replace(node: exp.Expr) -> exp.Expr:
        if isinstance(node, exp.Column) and not node.table and node.name in by_column:
            return exp.paren(by_column[node.name].copy())
        return node

    return expression.copy().transform(replace)
