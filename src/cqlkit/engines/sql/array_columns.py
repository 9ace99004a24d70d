"""Flat arrays as SQL lists.

An array ``a`` is the run of fields ``a[0]``, ``a[1]``, ... that ends at the first
missing index. The columns that may hold it are the fields ``a[0]``, ``a[1]``, ...
that the relation has, up to the first index it lacks, so the elements of one row
are those columns up to the row's first NULL. :func:`array_list` builds them as a
DuckDB ``VARCHAR[]``.
"""

from __future__ import annotations

from sqlglot import exp

from cqlkit.engines.sql.columns import Schema, column
from cqlkit.engines.sql.stages_base import CompiledStage
from cqlkit.engines.sql.typed import call, is_null
from cqlkit.plan.arrays import element_name

# Columns of the inner SELECT of write_array(): the new elements and the old length.
_NEW_VALUES = "__cqlkit_array"
_OLD_LENGTH = "__cqlkit_array_length"
VARCHAR_LIST = exp.DataType.build("VARCHAR[]")


def element_columns(schema: Schema, prefix: str) -> list[str]:
    """Return the field names ``prefix[0]``, ``prefix[1]``, ... that ``schema`` has,
    up to the first index it lacks."""
    names: list[str] = []
    while schema.has(element_name(prefix, len(names))):
        names.append(element_name(prefix, len(names)))
    return names


def array_length(schema: Schema, prefix: str) -> exp.Expr:
    """Return the number of elements of the array in one row (a BIGINT)."""
    names = element_columns(schema, prefix)
    if not names:
        return exp.Literal.number(0)
    ifs = [
        exp.If(this=is_null(column(name)), true=exp.Literal.number(index))
        for index, name in enumerate(names)
    ]
    return exp.Case(ifs=ifs, default=exp.Literal.number(len(names)))


def array_list(schema: Schema, prefix: str) -> exp.Expr:
    """Return the elements of the array in one row as a ``VARCHAR[]``."""
    names = element_columns(schema, prefix)
    if not names:
        return empty_list()
    values = exp.Array(expressions=[column(name) for name in names])
    return call("list_slice", values, exp.Literal.number(1), array_length(schema, prefix))


def empty_list() -> exp.Expr:
    """Return an empty ``VARCHAR[]``."""
    return exp.cast(exp.Array(expressions=[]), VARCHAR_LIST)


def lambda_of(body: exp.Expr, *names: str) -> exp.Lambda:
    """Return ``LAMBDA names: body`` for DuckDB's list functions."""
    return exp.Lambda(this=body, expressions=[exp.to_identifier(name) for name in names])


def write_array(
    schema: Schema,
    source: str,
    prefix: str,
    values: exp.Expr,
    max_length: int,
    *,
    keep_rest: bool = False,
) -> CompiledStage:
    """Replace the array ``prefix`` with the list ``values`` of at most ``max_length``
    elements, as the reference engine's write_array() does: set ``prefix[0]`` and on,
    and remove the old elements past the new end, unless ``keep_rest`` is set. Fields
    after a gap in the old array are not elements, so they stay."""
    old_names = element_columns(schema, prefix)
    inner = exp.select(
        exp.Star(),
        exp.alias_(values, exp.to_identifier(_NEW_VALUES, quoted=True)),
        exp.alias_(array_length(schema, prefix), exp.to_identifier(_OLD_LENGTH, quoted=True)),
    ).from_(exp.to_identifier(source, quoted=True))
    new_values = exp.column(exp.to_identifier(_NEW_VALUES, quoted=True))
    old_length = exp.column(exp.to_identifier(_OLD_LENGTH, quoted=True))
    replacements: dict[str, exp.Expr] = {}
    result = schema
    for index in range(max(len(old_names), max_length)):
        name = element_name(prefix, index)
        element = call("list_extract", new_values.copy(), exp.Literal.number(index + 1))
        if index >= len(old_names):
            replacements[name] = element
            result = result.with_field(name)
            continue
        new_end = exp.LTE(
            this=exp.Literal.number(index + 1), expression=exp.ArraySize(this=new_values.copy())
        )
        old_end = exp.LT(this=exp.Literal.number(index), expression=old_length.copy())
        ifs = [exp.If(this=new_end, true=element)]
        if not keep_rest:
            ifs.append(exp.If(this=old_end, true=exp.null()))
        replacements[name] = exp.Case(ifs=ifs, default=column(name))
    select = exp.select(*result.projection(replacements)).from_(inner.subquery("a"))
    return CompiledStage(select, result, schema)
