"""SQL values with LogScale's reading rules.

Every field is text. An expression compiles to a :class:`Typed` value that
records whether SQL has it as text, a number or a boolean. Conversions
call four SQL functions that each engine defines once per connection (see
:data:`CONVERSIONS`), so that compiled SQL stays short and readable:

* ``cql_number(text)``: the DOUBLE a plain decimal text denotes, else NULL;
* ``cql_number_text(double)``: a number as LogScale prints it (``4``, ``5.5``);
* ``cql_boolean(text)``: true/false in any case, or a number (0 is false);
* ``cql_boolean_text(boolean)``: ``true`` or ``false``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from sqlglot import exp

Kind = Literal["text", "number", "boolean"]

NUMBER_PATTERN = r"[+-]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?"
"""Plain decimal numbers, as the reference engine reads them from text."""

CONVERSIONS = ("cql_number", "cql_number_text", "cql_boolean", "cql_boolean_text")
BIGINT = exp.DataType.build("BIGINT")
DOUBLE = exp.DataType.build("DOUBLE")
VARCHAR = exp.DataType.build("VARCHAR")


@dataclass(frozen=True)
class Typed:
    """A compiled expression and the SQL type it has."""

    sql: exp.Expr
    kind: Kind


def call(name: str, *arguments: exp.Expr) -> exp.Expr:
    """Return a call of a function that the engine defines, such as cql_number()."""
    return exp.Anonymous(this=name, expressions=list(arguments))


def text(value: str) -> Typed:
    """Return a string literal."""
    return Typed(exp.Literal.string(value), "text")


def number_literal(value: float) -> Typed:
    """Return a DOUBLE literal."""
    return Typed(exp.cast(exp.Literal.number(repr(float(value))), DOUBLE), "number")


def boolean_literal(value: bool) -> Typed:
    """Return TRUE or FALSE."""
    return Typed(exp.Boolean(this=value), "boolean")


def as_number(value: Typed) -> exp.Expr:
    """Read ``value`` as a DOUBLE; NULL when it is not a plain decimal number."""
    if value.kind == "number":
        return value.sql
    if value.kind == "boolean":
        return exp.cast(exp.null(), DOUBLE)
    return call("cql_number", value.sql)


def as_boolean(value: Typed) -> exp.Expr:
    """Read ``value`` as a BOOLEAN, or NULL when it is neither a boolean nor a number."""
    if value.kind == "boolean":
        return value.sql
    if value.kind == "number":
        return exp.NEQ(this=value.sql, expression=exp.Literal.number(0))
    return call("cql_boolean", value.sql)


def as_text(value: Typed) -> exp.Expr:
    """Write ``value`` as field text, as LogScale prints it."""
    if value.kind == "text":
        return value.sql
    if value.kind == "boolean":
        return call("cql_boolean_text", value.sql)
    return call("cql_number_text", value.sql)


def is_null(expression: exp.Expr) -> exp.Expr:
    """Return ``expression IS NULL``."""
    return exp.Is(this=expression, expression=exp.null())


def not_null(expression: exp.Expr) -> exp.Expr:
    """Return ``expression IS NOT NULL``."""
    return exp.Not(this=is_null(expression))


def definitely(condition: exp.Expr) -> exp.Expr:
    """Return ``COALESCE(condition, FALSE)``. An unknown (NULL) condition then
    fails, and NOT of it passes, as a negated test on a missing field does."""
    return exp.Coalesce(this=condition, expressions=[exp.false()])
