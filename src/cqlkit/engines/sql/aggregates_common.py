"""Pieces shared by the SQL compilers of aggregate functions: argument reading,
limits, hidden output columns and the merging of output fields."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from sqlglot import exp

from cqlkit.engines.sql.columns import SEQ, TIME, Schema, alias, column
from cqlkit.engines.sql.typed import DOUBLE, not_null
from cqlkit.errors import UnsupportedFeatureError
from cqlkit.plan import nodes

BIGINT = exp.DataType.build("BIGINT")
OUTPUT_HIDDEN = (SEQ, TIME)
"""The hidden columns after an aggregate: the free-text values are dropped,
because free-text search is invalid after the first aggregate."""


def text_argument(call: nodes.BoundCall, name: str) -> str:
    """Return an argument as text, as the reference engine reads it."""
    return str(call.get(name))


def names_argument(call: nodes.BoundCall, name: str) -> tuple[str, ...]:
    """Return an argument that lists field names or choices."""
    value = call.get(name)
    assert isinstance(value, tuple)
    return tuple(str(item) for item in value)


def effective_limit(
    call: nodes.BoundCall, *, liftable: bool, lift_default_limits: bool
) -> int | None:
    """Return the row limit of ``call`` as the reference engine applies it.

    None means no limit. A ``liftable`` limit that the query did not write is
    lifted by ``lift_default_limits`` (the CLI's ``--all``).
    """
    if liftable and lift_default_limits and "limit" not in call.explicit:
        return None
    value = call.get("limit")
    return int(value) if isinstance(value, int | float) else None


def sort_arguments(
    call: nodes.BoundCall,
) -> tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]]:
    """Return the fields, orders and types that sort() or table() sorts by.

    The deprecated ``reverse=true`` means ascending unless ``order`` is given
    too. Raises UnsupportedFeatureError for an empty ``order`` or ``type``
    array, on which the reference engine fails with an IndexError.
    """
    fields = names_argument(call, "sortby" if call.name == "table" else "field")
    orders = names_argument(call, "order")
    if call.get("reverse") is True and "order" not in call.explicit:
        orders = ("asc",)
    types = names_argument(call, "type")
    if not orders or not types:
        raise unsupported(
            f"{call.name}() with an empty order or type array",
            f"{call.name}() needs at least one order and one type",
            call,
        )
    return fields, orders, types


def unique(names: Iterable[str]) -> tuple[str, ...]:
    """Return ``names`` without repeats, in first-appearance order."""
    return tuple(dict.fromkeys(names))


def integer(value: int) -> exp.Expr:
    """Return an integer literal."""
    return exp.Literal.number(value)


def all_of(*conditions: exp.Expr) -> exp.Expr:
    """Return the conditions joined by AND, each in parentheses where needed."""
    joined = exp.and_(*conditions)
    assert isinstance(joined, exp.Expr)
    return joined


def any_of(*conditions: exp.Expr) -> exp.Expr:
    """Return the conditions joined by OR, each in parentheses where needed."""
    joined = exp.or_(*conditions)
    assert isinstance(joined, exp.Expr)
    return joined


def when(condition: exp.Expr, then: exp.Expr, otherwise: exp.Expr | None = None) -> exp.Case:
    """Return ``CASE WHEN condition THEN then [ELSE otherwise] END``."""
    return exp.Case(ifs=[exp.If(this=condition, true=then)], default=otherwise)


def null_double() -> exp.Expr:
    """Return a NULL of type DOUBLE, the time of a row that an aggregate made."""
    return exp.cast(exp.null(), DOUBLE)


def hidden_columns(seq: exp.Expr, time: exp.Expr) -> list[exp.Expr]:
    """Return the SELECT items of the hidden columns of an aggregate's output."""
    return [alias(exp.cast(seq, BIGINT), SEQ), alias(time, TIME)]


def first_seq() -> exp.Expr:
    """Return the smallest input order of a group, or 0 for a group of no rows
    (a stats() over no events still outputs one row)."""
    return exp.Coalesce(this=exp.Min(this=column(SEQ)), expressions=[integer(0)])


def merge_outputs(
    outputs: Sequence[tuple[str, exp.Expr]],
) -> list[tuple[str, exp.Expr]]:
    """Merge output fields as the reference engine's dict updates do.

    A field output twice keeps the place of its first output and takes the
    last value that is not NULL, because NULL is an absent field.
    """
    values: dict[str, list[exp.Expr]] = {}
    for name, value in outputs:
        values.setdefault(name, []).append(value)
    merged = []
    for name, candidates in values.items():
        if len(candidates) == 1:
            merged.append((name, candidates[0]))
        else:
            latest_first = list(reversed(candidates))
            merged.append((name, exp.Coalesce(this=latest_first[0], expressions=latest_first[1:])))
    return merged


def ordered_sum(values: exp.Expr, order: exp.Expr) -> exp.Expr:
    """Return an aggregate that adds the non-NULL ``values`` one at a time in
    ``order``, starting from 0.

    Python 3.11's sum() adds floats from left to right, so this order gives
    the reference engine's rounding, which SQL's SUM() does not promise.
    The result is NULL when no value is present.
    """
    ordered = exp.ArrayAgg(this=exp.Order(this=values, expressions=[exp.Ordered(this=order)]))
    present = exp.Filter(this=ordered, expression=exp.Where(this=not_null(values.copy())))
    total, item = exp.to_identifier("total"), exp.to_identifier("item")
    add = exp.Lambda(
        this=exp.Add(this=total, expression=item), expressions=[total.copy(), item.copy()]
    )
    return exp.Reduce(this=present, initial=exp.cast(integer(0), DOUBLE), merge=add)


def relation(name: str) -> exp.Identifier:
    """Return the quoted name of a relation for a FROM clause."""
    return exp.to_identifier(name, quoted=True)


def unsupported(feature: str, description: str, call: nodes.BoundCall) -> UnsupportedFeatureError:
    """Return the error that makes the engine run a stage on the reference engine."""
    return UnsupportedFeatureError(feature, description, engine="sql", span=call.span)


def output_schema(fields: Iterable[str]) -> Schema:
    """Return the schema of an aggregate's output."""
    return Schema(tuple(fields), OUTPUT_HIDDEN)
