"""readFile() as SQL: the file rows as a VALUES list, numbered in output order.

The planner read the files, so the query does not read its input relation.
Ad-hoc tables, which defineTable() builds while the query runs, and files
larger than :data:`SQL_ROW_LIMIT` rows run on the reference engine.
"""

from __future__ import annotations

from sqlglot import exp

from cqlkit.engines.sql.aggregates_common import hidden_columns, null_double, output_schema
from cqlkit.engines.sql.columns import Schema, alias, null_text
from cqlkit.engines.sql.family import Aggregates
from cqlkit.engines.sql.functions_lookup_match import SQL_ROW_LIMIT
from cqlkit.engines.sql.stages_base import CompiledStage
from cqlkit.errors import UnsupportedFeatureError
from cqlkit.plan import nodes
from cqlkit.plan.lookups.bound import LookupSource

_RELATION = "__cqlkit_file"
_POSITION = "__cqlkit_file_position"


def compile_read_file(
    call: nodes.BoundCall, schema: Schema, source: str, lift_default_limits: bool
) -> CompiledStage:
    """Compile readFile() over files that the planner read.

    Raises UnsupportedFeatureError for ad-hoc tables and large files.
    """
    rows, fields = _file_rows(call)
    if len(rows) > SQL_ROW_LIMIT:
        raise UnsupportedFeatureError(
            "readFile()", f"the files have more than {SQL_ROW_LIMIT} rows", engine="sql"
        )
    names = [f"__cqlkit_file_column{index}" for index in range(len(fields))]
    items = [
        alias(exp.column(exp.to_identifier(name, quoted=True)), field)
        for name, field in zip(names, fields, strict=True)
    ]
    position = exp.column(exp.to_identifier(_POSITION, quoted=True))
    items.extend(hidden_columns(position, null_double()))
    if rows:
        relation = exp.values(
            [
                (*(_literal(row.get(field)) for field in fields), exp.Literal.number(index))
                for index, row in enumerate(rows)
            ],
            alias=_RELATION,
            columns=[*names, _POSITION],
        )
        select = exp.select(*items).from_(relation)
    else:
        empty = [alias(null_text(), field) for field in fields]
        select = exp.select(*empty, *hidden_columns(exp.Literal.number(0), null_double()))
        select = select.where(exp.false())
    return CompiledStage(select, output_schema(fields), schema)


def _file_rows(call: nodes.BoundCall) -> tuple[list[dict[str, str]], tuple[str, ...]]:
    """Return the rows readFile() outputs, in order, and every field they hold."""
    sources = call.get("sources")
    assert isinstance(sources, tuple), "readFile() reached the compiler without its files"
    include = call.get("include")
    limit = call.get("limit")
    rows: list[dict[str, str]] = []
    fields: dict[str, None] = {}
    for source in sources:
        assert isinstance(source, LookupSource)
        table = source.table
        if table is None:
            raise UnsupportedFeatureError(
                "readFile(table=...)",
                "defineTable() builds ad-hoc tables while the query runs, on the reference engine",
                engine="sql",
            )
        columns = table.value_columns
        if isinstance(include, tuple):
            columns = tuple(name for name in include if name in table.value_columns)
        for position in range(len(table.rows)):
            if isinstance(limit, int | float) and len(rows) >= limit:
                return rows, tuple(fields)
            row = table.row_fields(position, columns)
            fields.update(dict.fromkeys(row))
            rows.append(row)
    return rows, tuple(fields)


def _literal(value: str | None) -> exp.Expr:
    return null_text() if value is None else exp.Literal.string(value)


AGGREGATES: Aggregates = {"readFile": compile_read_file}
