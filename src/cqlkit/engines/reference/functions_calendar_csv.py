"""parseCsv() of the reference engine: one CSV record into named columns.

The whole field value is one record. Values are split at ``delimiter``, and
the i-th value goes to the i-th name of ``columns``: surplus values are
dropped and surplus columns stay unset. With ``excludeEmpty`` an empty value
sets nothing.

The reference page describes quoting only by example (``"value 1", value 2``),
so cqlkit reads it as RFC 4180 does, leniently:

- a value that starts with ``"`` is quoted. Inside, ``""`` stands for ``"``,
  and a delimiter is an ordinary character. Text between the closing quote
  and the next delimiter is kept after the quoted text;
- a quote that is never closed runs to the end of the record;
- a ``"`` inside an unquoted value is an ordinary character;
- ``trim=true`` removes spaces and tabs (other than the delimiter) around
  each value, so a quoted value may start after spaces. Spaces inside the
  quotes stay.
"""

from __future__ import annotations

from cqlkit.engines.reference.context import RunContext
from cqlkit.engines.reference.row import Row
from cqlkit.plan import nodes
from cqlkit.plan.signatures_calendar import CSV_QUOTE

TRIMMED = " \t"
"""The characters that ``trim=true`` removes around values."""


def parse_csv(call: nodes.BoundCall, event: Row, context: RunContext) -> None:
    """parseCsv(): set each column to its value of the record in ``field``."""
    record = event.get(call.text("field"))
    if record is None:
        return
    values = split_record(record, call.text("delimiter"), trim=call.get("trim") is True)
    exclude_empty = call.get("excludeEmpty") is True
    for column, value in zip(call.names("columns"), values, strict=False):
        if value or not exclude_empty:
            event[column] = value


def split_record(record: str, delimiter: str, *, trim: bool) -> list[str]:
    """Split one CSV record into its values, with the quoting rules of this module."""
    values: list[str] = []
    trimmed = TRIMMED.replace(delimiter, "")
    position = 0
    while True:
        if trim:
            while position < len(record) and record[position] in trimmed:
                position += 1
        if record.startswith(CSV_QUOTE, position):
            value, position = _quoted(record, position + 1, delimiter, trim=trim)
        else:
            end = _next_delimiter(record, position, delimiter)
            value = record[position:end]
            position = end
            if trim:
                value = value.rstrip(trimmed)
        values.append(value)
        if position >= len(record):
            return values
        position += len(delimiter)


def _quoted(record: str, start: int, delimiter: str, *, trim: bool) -> tuple[str, int]:
    """Read a quoted value whose text begins at ``start``; return it and where it ends."""
    pieces: list[str] = []
    position = start
    while position < len(record):
        char = record[position]
        if char != CSV_QUOTE:
            pieces.append(char)
            position += 1
        elif record.startswith(CSV_QUOTE, position + 1):
            pieces.append(CSV_QUOTE)
            position += 2
        else:
            end = _next_delimiter(record, position + 1, delimiter)
            tail = record[position + 1 : end]
            pieces.append(tail.rstrip(TRIMMED) if trim else tail)
            return "".join(pieces), end
    return "".join(pieces), position


def _next_delimiter(record: str, start: int, delimiter: str) -> int:
    index = record.find(delimiter, start)
    return len(record) if index < 0 else index
