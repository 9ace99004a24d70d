"""SQL compilation of array:sort(), in the order of the reference engine's sort_values().

Each element becomes a row value (key, index, element), so that DuckDB's list_sort
orders equal keys by input index, reversed by ``DESC`` as the reference engine does.
"""

from __future__ import annotations

from sqlglot import exp

from cqlkit.engines.sql.array_columns import array_list, element_columns, lambda_of, write_array
from cqlkit.engines.sql.array_pipelines import ITEM, item
from cqlkit.engines.sql.columns import Schema
from cqlkit.engines.sql.stages_base import CompiledStage
from cqlkit.engines.sql.typed import call, is_null
from cqlkit.plan import nodes

_POSITION = "__cqlkit_position"
_KEYED = "__cqlkit_keyed"


def compile_sort(call_node: nodes.BoundCall, schema: Schema, source: str) -> CompiledStage:
    """array:sort(): sort as text, case-insensitively, or with ``type=number`` the
    numbers first and then the other elements as text."""
    prefix = call_node.text("array")
    values = array_list(schema, prefix)
    direction = "DESC" if call_node.get("order") == "desc" else "ASC"
    text_key = exp.Lower(this=item())
    if call_node.get("type") == "number":
        number = call("cql_number", item())
        numbers = call("list_filter", values.copy(), lambda_of(exp.Not(this=is_null(number)), ITEM))
        texts = call("list_filter", values, lambda_of(is_null(number.copy()), ITEM))
        ordered = call(
            "list_concat",
            _sorted(numbers, call("cql_number", item()), direction),
            _sorted(texts, text_key, direction),
        )
    else:
        ordered = _sorted(values, text_key, direction)
    length = len(element_columns(schema, prefix))
    return write_array(schema, source, call_node.text("asArray"), ordered, length, keep_rest=True)


def _sorted(values: exp.Expr, key: exp.Expr, direction: str) -> exp.Expr:
    """Return ``values`` sorted by ``key`` of ITEM, then by input index."""
    keyed = call(
        "list_transform",
        values,
        lambda_of(
            call("row", key, exp.column(exp.to_identifier(_POSITION)), item()), ITEM, _POSITION
        ),
    )
    ordered = call("list_sort", keyed, exp.Literal.string(direction))
    element = call("struct_extract", exp.column(exp.to_identifier(_KEYED)), exp.Literal.number(3))
    return call("list_transform", ordered, lambda_of(element, _KEYED))
