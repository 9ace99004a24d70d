"""Lookup tables: the rows of a CSV or JSON lookup file, read once at plan time.

LogScale reads lookup files with these rules
(https://library.humio.com/data-analysis/repositories-files-ui-filetypes.html):

- CSV: the first line is the header, cells are split at commas, whitespace
  around a cell is kept, and a cell may be quoted with ``"`` (``""`` inside
  quotes is one quote) to hold commas or line breaks;
- JSON: an array of flat objects, or an object whose values are flat objects
  and whose keys are the lookup keys. Nested objects and arrays inside an
  object are ignored, as LogScale ignores them. cqlkit also reads one object
  per line (NDJSON).
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

LOOKUP_SUFFIXES = (".csv", ".json")

KEY_COLUMN = "\x00key"
"""The column that contains the top-level keys of a JSON file in the object
form. No column of a real file can have this name, which starts with NUL."""


class LookupFileError(Exception):
    """A lookup file that cannot be read; the message names the problem and the line."""


@dataclass(frozen=True, eq=False)
class LookupTable:
    """The rows of one lookup file or ad-hoc table.

    ``rows`` contains one value per column. None is a value the row lacks (a
    JSON object without that attribute), while a CSV cell is never None.
    """

    name: str
    columns: tuple[str, ...]
    rows: tuple[tuple[str | None, ...], ...]

    def __repr__(self) -> str:
        return f"<lookup {self.name}: {len(self.rows)} rows>"

    @property
    def keyed(self) -> bool:
        """True for a JSON file in the object form, whose keys are a column."""
        return KEY_COLUMN in self.columns

    @property
    def value_columns(self) -> tuple[str, ...]:
        """The columns a lookup can copy into events: all but the top-level key."""
        return tuple(name for name in self.columns if name != KEY_COLUMN)

    def index(self, column: str) -> int | None:
        """Return the position of ``column``, or None when the table lacks it."""
        try:
            return self.columns.index(column)
        except ValueError:
            return None

    def row_fields(self, position: int, columns: Iterable[str]) -> dict[str, str]:
        """Return the values of ``columns`` in row ``position``, without missing ones."""
        row = self.rows[position]
        fields = {}
        for name in columns:
            column = self.index(name)
            value = None if column is None else row[column]
            if value is not None:
                fields[name] = value
        return fields


def is_lookup_file_name(name: str) -> bool:
    """Tell whether ``name`` names a lookup file rather than an ad-hoc table."""
    return name.lower().endswith(LOOKUP_SUFFIXES)


def read_lookup_file(path: Path, name: str) -> LookupTable:
    """Read the lookup file at ``path``; ``name`` is how the query names it.

    Raises LookupFileError when the file is not valid CSV or JSON of the
    shapes LogScale accepts, and OSError when it cannot be read.
    """
    # utf-8-sig drops the byte order mark that spreadsheet exports often write.
    text = path.read_text(encoding="utf-8-sig")
    if name.lower().endswith(".json"):
        return parse_json_table(text, name)
    return parse_csv_table(text, name)


def parse_csv_table(text: str, name: str) -> LookupTable:
    """Parse CSV text whose first line is the header."""
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    try:
        lines = [(reader.line_num, cells) for cells in reader if cells]
    except csv.Error as exc:
        raise LookupFileError(f"line {reader.line_num}: {exc}") from None
    if not lines:
        raise LookupFileError("the file is empty; its first line must name the columns")
    _, header = lines[0]
    _check_header(header)
    rows = []
    for line, cells in lines[1:]:
        if len(cells) != len(header):
            raise LookupFileError(
                f"line {line} has {len(cells)} cells, but the header names {len(header)} columns"
            )
        rows.append(tuple(cells))
    return LookupTable(name, tuple(header), tuple(rows))


def _check_header(header: list[str]) -> None:
    seen: set[str] = set()
    for column in header:
        if column in seen:
            raise LookupFileError(f"the header names the column {column!r} twice")
        seen.add(column)


def parse_json_table(text: str, name: str) -> LookupTable:
    """Parse a JSON array of objects, an object of objects, or one object per line."""
    try:
        # Numbers keep their text: 7.0 stays "7.0", as field values are text.
        document = json.loads(text, parse_int=str, parse_float=str)
    except json.JSONDecodeError as exc:
        if exc.msg != "Extra data":
            raise LookupFileError(f"line {exc.lineno}: invalid JSON: {exc.msg}") from None
        return _table(name, _json_lines(text), keyed=False)
    if isinstance(document, list):
        objects = [_json_object(item, f"item {index}") for index, item in enumerate(document)]
        return _table(name, objects, keyed=False)
    if isinstance(document, dict):
        objects = [
            {KEY_COLUMN: key, **_json_object(value, f"the value of key {key!r}")}
            for key, value in document.items()
        ]
        return _table(name, objects, keyed=True)
    raise LookupFileError("the file must hold an array of objects or an object of objects")


def _json_lines(text: str) -> list[dict[str, str]]:
    objects = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            item = json.loads(line, parse_int=str, parse_float=str)
        except json.JSONDecodeError as exc:
            raise LookupFileError(f"line {number}: invalid JSON: {exc.msg}") from None
        objects.append(_json_object(item, f"line {number}"))
    return objects


def _json_object(item: object, where: str) -> dict[str, str]:
    """Return the flat text attributes of a JSON object; nested values are left out."""
    if not isinstance(item, dict):
        raise LookupFileError(f"{where} is not an object")
    attributes = {}
    for key, value in item.items():
        if isinstance(value, str):
            attributes[key] = value
        elif isinstance(value, bool):
            attributes[key] = "true" if value else "false"
    return attributes


def _table(name: str, objects: list[dict[str, str]], *, keyed: bool) -> LookupTable:
    return table_from_rows(name, objects, first=(KEY_COLUMN,) if keyed else ())


def table_from_rows(
    name: str, objects: Iterable[Mapping[str, str]], first: tuple[str, ...] = ()
) -> LookupTable:
    """Build a table from rows given as mappings, such as the rows of a
    defineTable() table. The columns are every key, in order of first appearance."""
    materialised = list(objects)
    columns: dict[str, None] = dict.fromkeys(first)
    for item in materialised:
        columns.update(dict.fromkeys(item))
    names = tuple(columns)
    rows = tuple(tuple(item.get(column) for column in names) for item in materialised)
    return LookupTable(name, names, rows)
