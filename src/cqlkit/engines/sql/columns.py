"""Column naming of compiled queries: event fields and the hidden columns that
carry what the reference engine keeps outside the fields."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from sqlglot import exp

from cqlkit.fieldnames import encode

SEQ = "__cqlkit_seq"
"""Input order of an event (BIGINT). Aggregate rows take the smallest seq of their
input, so ties sort in first-seen order as in the reference engine."""
TIME = "__cqlkit_time"
"""Event time in epoch milliseconds (DOUBLE), kept even after select() drops
@timestamp, because head() and tail() order by it."""
VALUES = "__cqlkit_values"
"""The values free-text search reads (VARCHAR[]), @rawstring first; present only
when the plan searches free text."""
HIDDEN = (SEQ, TIME, VALUES)


def column(name: str) -> exp.Column:
    """Return a quoted reference to the column of field ``name``.

    Field names may hold ``@``, ``#`` and dots, and differ only in case, so the
    column name is :func:`cqlkit.fieldnames.encode` of the field name.
    """
    return exp.column(exp.to_identifier(encode(name), quoted=True))


def alias(expression: exp.Expr, name: str) -> exp.Expr:
    """Return ``expression AS "<column of field name>"``."""
    return exp.alias_(expression, exp.to_identifier(encode(name), quoted=True))


def null_text() -> exp.Expr:
    """Return a NULL of type VARCHAR, the value of a missing field."""
    return exp.cast(exp.null(), exp.DataType.build("VARCHAR"))


@dataclass(frozen=True)
class Schema:
    """The columns of a relation: event fields in order, then hidden columns."""

    fields: tuple[str, ...]
    hidden: tuple[str, ...] = (SEQ, TIME)

    def has(self, name: str) -> bool:
        """True when the relation has the field ``name``."""
        return name in self.fields

    def field(self, name: str) -> exp.Expr:
        """Return the field's column, or NULL when the relation lacks it."""
        return column(name) if name in self.fields else null_text()

    def with_field(self, name: str) -> Schema:
        """Return the schema with ``name`` added at the end if it is new."""
        return self if name in self.fields else Schema((*self.fields, name), self.hidden)

    def projection(self, replacements: Mapping[str, exp.Expr] | None = None) -> list[exp.Expr]:
        """Return a SELECT list of every column, with some fields replaced."""
        replacements = replacements or {}
        items: list[exp.Expr] = []
        for name in self.fields:
            items.append(alias(replacements[name], name) if name in replacements else column(name))
        items.extend(column(name) for name in self.hidden)
        return items
