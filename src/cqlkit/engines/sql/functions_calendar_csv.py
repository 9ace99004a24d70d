"""SQL compilation of parseCsv(), with the quoting rules of the reference
engine's :mod:`~cqlkit.engines.reference.functions_calendar_csv`.

The record gets a delimiter in front, so that every value is one match of
``<delimiter>(<value>)``, and ``regexp_extract_all`` lists the values. A
value is either quoted, ``"(?:[^"]|"")*`` and then an optional closing quote
with any text up to the next delimiter, or anything up to the next
delimiter. Quotes are then removed and ``""`` becomes ``"``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from sqlglot import exp

from cqlkit.engines.reference.functions_calendar_csv import TRIMMED
from cqlkit.engines.sql.columns import Schema
from cqlkit.engines.sql.functions_text_templates import sql_string, template
from cqlkit.engines.sql.stages_base import CompiledStage, assign_fields
from cqlkit.plan import nodes

_VALUES_COLUMN = "__cqlkit_csv_values"


def helper_column(name: str) -> exp.Column:
    """Return a reference to a helper column that :func:`assign_with_helpers` computes."""
    return exp.column(exp.to_identifier(name, quoted=True))


def assign_with_helpers(
    schema: Schema,
    source: str,
    layers: Sequence[Mapping[str, exp.Expr]],
    values: dict[str, exp.Expr],
) -> CompiledStage:
    """Set fields as :func:`assign_fields` does, from values that may refer to
    helper columns. Each layer of helpers is a subquery over the previous one,
    so a helper may refer to the helpers of earlier layers."""
    relation: exp.Expr = exp.to_identifier(source, quoted=True)
    for layer in layers:
        helpers = [
            exp.alias_(expression, exp.to_identifier(name, quoted=True))
            for name, expression in layer.items()
        ]
        inner = exp.select("*", *helpers).from_(relation)
        relation = inner.subquery(exp.to_identifier(source, quoted=True))
    stage = assign_fields(schema, source, values)
    stage.select.set("from_", exp.From(this=relation))
    return stage


def _char(character: str) -> str:
    """Return an RE2 escape of one character, safe inside and outside a class."""
    return f"\\x{{{ord(character):X}}}"


def _values(record: exp.Expr, delimiter: str, trim: bool) -> exp.Expr:
    """Return the list of values of the record, quotes removed."""
    trimmed = "".join(char for char in TRIMMED if char != delimiter)
    lead = f"[{''.join(_char(char) for char in trimmed)}]*" if trim else ""
    stop = _char(delimiter)
    value = f'"(?:[^"]|"")*(?:"[^{stop}]*)?|[^{stop}]*'
    pattern = f"{stop}{lead}({value})"
    closed_tail = 'regexp_extract(token, \'^"(?:[^"]|"")*"((?s:.*))$\', 1)'
    unquoted = "token"
    if trim:
        closed_tail = f"rtrim({closed_tail}, {sql_string(trimmed)})"
        unquoted = f"rtrim(token, {sql_string(trimmed)})"
    return template(
        f"""
        list_transform(
            regexp_extract_all({sql_string(delimiter)} || :record, {sql_string(pattern)}, 1),
            lambda token: CASE
                WHEN starts_with(token, '"') THEN
                    replace(regexp_extract(token, '^"((?:[^"]|"")*)', 1), '""', '"')
                    || {closed_tail}
                ELSE {unquoted}
            END)
        """,
        record=record,
    )


def compile_parse_csv(call_node: nodes.BoundCall, schema: Schema, source: str) -> CompiledStage:
    """parseCsv(): a stage that sets each column from its value; a later column
    of the same name wins, as the reference engine assigns them in order."""
    record = schema.field(call_node.text("field"))
    values = _values(record, call_node.text("delimiter"), call_node.get("trim") is True)
    exclude_empty = call_node.get("excludeEmpty") is True
    positions: dict[str, list[int]] = {}
    for index, column in enumerate(call_node.names("columns")):
        positions.setdefault(column, []).append(index + 1)
    assignments: dict[str, exp.Expr] = {}
    for column, indexes in positions.items():
        candidates: list[exp.Expr] = []
        for index in reversed(indexes):
            # offset=1: the index is already 1-based, as DuckDB lists are.
            item = exp.Bracket(
                this=helper_column(_VALUES_COLUMN),
                expressions=[exp.Literal.number(index)],
                offset=1,
            )
            candidates.append(
                exp.Nullif(this=item, expression=exp.Literal.string("")) if exclude_empty else item
            )
        first, *rest = candidates
        assignments[column] = exp.Coalesce(this=first, expressions=rest) if rest else first
    return assign_with_helpers(schema, source, [{_VALUES_COLUMN: values}], assignments)
