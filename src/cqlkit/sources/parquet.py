"""Parquet files, read one record batch at a time with pyarrow.

Every column becomes text the way the JSON readers write values: integers as ``4688``,
booleans as ``true``/``false``, floats in Python's shortest round-trip form, timestamps as
ISO 8601 (``2020-10-22T05:54:23.975``, with ``Z`` when the column has a time zone). A null
is no field at all, also inside nested values. Struct, list and map columns are flattened
like nested JSON: ``a.b`` for a struct member, ``x[0]`` for a list item.

``@timestamp`` is required. It may be text (epoch milliseconds or ISO 8601), an integer
(epoch milliseconds), a float, an Arrow timestamp or a date, and becomes epoch milliseconds.
``@rawstring`` is kept when the file has it, else it is the JSON text of the row's fields.
``#type`` is kept when the file has it, else it is ``parquet``. Columns whose names start
with ``__cqlkit_`` belong to the cqlkit store (see :mod:`cqlkit.store`) and are not read.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime, time
from decimal import Decimal
from typing import IO

import orjson
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from cqlkit.fieldnames import ENCODED_NAMES_KEY, ENCODED_NAMES_VALUE, decode
from cqlkit.sources.jsonrecords import BadRecord
from cqlkit.sources.report import InvalidRecord
from cqlkit.sources.values import Event, scalar_text, timestamp_to_epoch_ms

#: Prefix of the columns that the cqlkit store adds for its own use.
HIDDEN_COLUMN_PREFIX = "__cqlkit_"

#: Rows per record batch. One batch at a time is in memory, converted to events.
BATCH_ROWS = 8192

TIME_FIELD = "@timestamp"

_UNITS_PER_MS = {"ms": 1, "us": 1000, "ns": 1_000_000}

# A column converted for a batch: per row, either its text or a dict of flattened fields.
_TextColumn = list[str | None]
_NestedColumn = list[Event | None]


def open_parquet_records(source: str | IO[bytes]) -> Iterator[Event | BadRecord]:
    """Open a Parquet file and return an iterator of its rows as events.

    Opening reads only the footer, and raises OSError when the source is not a Parquet file.
    A row without a usable ``@timestamp`` is yielded as a BadRecord, located as ``row N``
    (counted from 1). When the rest of the file cannot be read, one BadRecord reports it and
    the iterator ends.
    """
    try:
        parquet_file = pq.ParquetFile(source)
    except (pa.ArrowException, ValueError) as exc:
        raise OSError(f"not a readable Parquet file: {exc}") from exc
    return _iter_rows(parquet_file)


def _iter_rows(parquet_file: pq.ParquetFile) -> Iterator[Event | BadRecord]:
    names = [
        name
        for name in parquet_file.schema_arrow.names
        if not name.startswith(HIDDEN_COLUMN_PREFIX)
    ]
    if TIME_FIELD not in names:
        yield BadRecord(
            "row 1",
            f"the file has no {TIME_FIELD} column, which every event needs. No row was read",
        )
        return

    metadata = parquet_file.schema_arrow.metadata or {}
    encoded = metadata.get(ENCODED_NAMES_KEY) == ENCODED_NAMES_VALUE
    row_number = 0
    batches = parquet_file.iter_batches(batch_size=BATCH_ROWS, columns=names)
    while True:
        try:
            batch = next(batches)
        except StopIteration:
            return
        except (pa.ArrowException, OSError, ValueError) as exc:
            reason = f"cannot read the rest of the file: {exc}"
            yield BadRecord(f"after row {row_number}" if row_number else "row 1", reason)
            return
        if encoded:
            batch = batch.rename_columns([decode(name) for name in batch.schema.names])
        for item in batch_events(batch):
            row_number += 1
            if isinstance(item, InvalidRecord):
                yield BadRecord(f"row {row_number}", str(item))
            else:
                yield item


def batch_events(batch: pa.RecordBatch) -> Iterator[Event | InvalidRecord]:
    """Convert a record batch to events, yielding InvalidRecord for a row without a valid time."""
    events: list[Event] = [{} for _ in range(batch.num_rows)]
    for name, column in zip(batch.schema.names, batch.columns, strict=True):
        if name == TIME_FIELD or column.null_count == len(column):
            continue
        # Filling column by column touches only the non-null cells, which matters for wide
        # sparse files such as a store partition holding every Sysmon event type.
        rows = _valid_rows(column)
        if _is_nested(column.type):
            nested = _nested_column(name, column)
            for row in rows:
                events[row].update(nested[row] or {})
        else:
            texts = _text_column(column)
            for row in rows:
                text = texts[row]
                if text is not None:
                    events[row][name] = text

    times = _time_column(batch.column(TIME_FIELD))
    for event, time_text in zip(events, times, strict=True):
        if isinstance(time_text, InvalidRecord):
            yield time_text
            continue
        if "@rawstring" not in event:
            event["@rawstring"] = orjson.dumps(event).decode()
        event[TIME_FIELD] = time_text
        event.setdefault("#type", "parquet")
        yield event


def _valid_rows(column: pa.Array) -> list[int] | range:
    """Return the indexes of the rows where ``column`` is not null."""
    if column.null_count == 0:
        return range(len(column))
    return list(pc.indices_nonzero(column.is_valid()).to_pylist())


def _is_nested(data_type: pa.DataType) -> bool:
    return bool(
        pa.types.is_struct(data_type)
        or pa.types.is_list(data_type)
        or pa.types.is_large_list(data_type)
        or pa.types.is_fixed_size_list(data_type)
        or pa.types.is_map(data_type)
    )


def _time_column(column: pa.Array) -> list[str | InvalidRecord]:
    """Convert the ``@timestamp`` column to epoch milliseconds as text, per row."""
    data_type = column.type
    if pa.types.is_dictionary(data_type):
        return _time_column(column.dictionary_decode())
    if pa.types.is_timestamp(data_type):
        return _time_values(_timestamp_ms(column))
    if pa.types.is_date(data_type):
        days = pc.cast(column, pa.date32()).cast(pa.int32()).to_pylist()
        return _time_values([None if day is None else day * 86_400_000 for day in days])
    if pa.types.is_integer(data_type):
        return _time_values(column.to_pylist())
    return [_time_text(value) for value in column.to_pylist()]


def _time_values(values: list[int | None]) -> list[str | InvalidRecord]:
    return [
        InvalidRecord(f"missing field {TIME_FIELD}") if value is None else str(value)
        for value in values
    ]


def _time_text(value: object) -> str | InvalidRecord:
    if value is None:
        return InvalidRecord(f"missing field {TIME_FIELD}")
    try:
        return str(timestamp_to_epoch_ms(value))
    except ValueError as exc:
        return InvalidRecord(f"invalid {TIME_FIELD} {value!r}: {exc}")


def _timestamp_ms(column: pa.Array) -> list[int | None]:
    """Return epoch milliseconds of a timestamp column, rounded down."""
    unit = column.type.unit
    raw = column.cast(pa.int64()).to_pylist()
    if unit == "s":
        return [None if value is None else value * 1000 for value in raw]
    divisor = _UNITS_PER_MS[unit]
    return [None if value is None else value // divisor for value in raw]


def _text_column(column: pa.Array) -> _TextColumn:
    """Convert a column of scalars to text, None where the value is null."""
    data_type = column.type
    if pa.types.is_dictionary(data_type):
        return _text_column(column.dictionary_decode())
    if pa.types.is_string(data_type) or pa.types.is_large_string(data_type):
        return list(column.to_pylist())
    if pa.types.is_integer(data_type) or pa.types.is_boolean(data_type):
        return list(pc.cast(column, pa.string()).to_pylist())
    if pa.types.is_timestamp(data_type):
        return _timestamp_text(column)
    if pa.types.is_date(data_type):
        return list(pc.cast(column, pa.string()).to_pylist())
    return [None if value is None else _python_text(value) for value in column.to_pylist()]


def _timestamp_text(column: pa.Array) -> _TextColumn:
    """Format timestamps as ISO 8601. A zoned column is written in UTC with a ``Z`` suffix."""
    data_type = column.type
    if data_type.tz is None:
        return list(pc.strftime(column, "%Y-%m-%dT%H:%M:%S").to_pylist())
    in_utc = column.cast(pa.timestamp(data_type.unit, "UTC"))
    texts = pc.strftime(in_utc, "%Y-%m-%dT%H:%M:%S").to_pylist()
    return [None if text is None else f"{text}Z" for text in texts]


def _nested_column(name: str, column: pa.Array) -> _NestedColumn:
    """Flatten each row's nested value into fields under ``name``, None for a null value."""
    flattened: _NestedColumn = []
    for value in column.to_pylist(maps_as_pydicts="lossy"):
        if value is None:
            flattened.append(None)
            continue
        fields: Event = {}
        _flatten_into(fields, name, value)
        flattened.append(fields)
    return flattened


def _flatten_into(fields: Event, key: str, value: object) -> None:
    if value is None:
        return
    if isinstance(value, dict):
        for child_key, child in value.items():
            _flatten_into(fields, f"{key}.{child_key}", child)
    elif isinstance(value, list):
        for index, child in enumerate(value):
            _flatten_into(fields, f"{key}[{index}]", child)
    else:
        fields[key] = _python_text(value)


def _python_text(value: object) -> str:
    """Return the text of a scalar that pyarrow converted to a Python object."""
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, bytes):
        # NOTE: LogScale fields are text, so binary values are decoded as UTF-8 and any byte
        # that is not valid UTF-8 becomes U+FFFD.
        return value.decode("utf-8", errors="replace")
    return scalar_text(value)
