"""Conversion between events (dicts of text) and Arrow tables with the hidden
columns that compiled queries use."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import pyarrow as pa

from cqlkit.engines.reference.predicates import free_text_values
from cqlkit.engines.reference.row import Row
from cqlkit.engines.sql.columns import SEQ, TIME, VALUES, Schema
from cqlkit.fieldnames import decode, encode

_TYPES = {SEQ: pa.int64(), TIME: pa.float64(), VALUES: pa.list_(pa.string())}


def arrow_type(name: str) -> pa.DataType:
    """Return the Arrow type of a column: text for fields, typed for hidden columns."""
    return _TYPES.get(name, pa.string())


def rows_to_arrow(rows: Sequence[Row], schema: Schema) -> pa.Table:
    """Build a table with ``schema``'s columns; a missing field is NULL.

    Column names are the encoded field names (see :mod:`cqlkit.fieldnames`).
    """
    columns: dict[str, pa.Array] = {}
    if schema.fields:
        # One struct conversion reads every row's fields in C++, which is much faster
        # than a Python loop per field when rows are wide and sparse.
        struct_type = pa.struct([(name, pa.string()) for name in schema.fields])
        struct = pa.array(rows, type=struct_type) if rows else pa.array([], struct_type)
        for index, name in enumerate(schema.fields):
            columns[encode(name)] = struct.field(index)
    for name in schema.hidden:
        if name == SEQ:
            values: list[object] = [row.seq for row in rows]
        elif name == TIME:
            values = [row.time for row in rows]
        else:
            values = [list(free_text_values(row)) for row in rows]
        columns[name] = pa.array(values, arrow_type(name))
    return pa.table(columns) if columns else pa.table({SEQ: pa.array([], pa.int64())})


def empty_table(schema: Schema) -> pa.Table:
    """Return a table with ``schema``'s columns and no row."""
    columns = {encode(name): pa.array([], pa.string()) for name in schema.fields}
    columns.update({name: pa.array([], arrow_type(name)) for name in schema.hidden})
    return pa.table(columns)


def arrow_to_rows(table: pa.Table) -> list[Row]:
    """Turn a result table back into rows; NULL fields are absent."""
    hidden = {SEQ, TIME, VALUES}
    names = {column: decode(column) for column in table.column_names}
    rows: list[Row] = []
    for record in table.to_pylist():
        fields = {names[k]: v for k, v in record.items() if k not in hidden and v is not None}
        values = record.get(VALUES)
        origin = None if values is None else {f"\x00{i}": v for i, v in enumerate(values)}
        row = Row(fields, origin, record.get(TIME))
        row.seq = record.get(SEQ)
        rows.append(row)
    return rows


def field_names(table: pa.Table) -> tuple[str, ...]:
    """Return the field names of a table's columns, without the hidden ones."""
    hidden = {SEQ, TIME, VALUES}
    return tuple(decode(name) for name in table.column_names if name not in hidden)


def union_fields(events: Iterable[dict[str, str]]) -> tuple[str, ...]:
    """Return every field name of ``events`` in order of first appearance."""
    seen: dict[str, None] = {}
    for event in events:
        for name in event:
            seen.setdefault(name)
    return tuple(seen)
