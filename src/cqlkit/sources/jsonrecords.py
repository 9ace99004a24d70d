"""Splitting of a JSON byte stream into records: one object per line, or one array of objects."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from itertools import chain
from typing import IO

import orjson

_UTF8_BOM = b"\xef\xbb\xbf"
FILTER_CHUNK_BYTES = 8 << 20
"""Bytes read at a time when lines are prefiltered: large enough that the scan,
not Python, sets the pace."""


@dataclass(frozen=True, slots=True)
class JsonRecord:
    """One parsed JSON object and the text it was parsed from."""

    location: str
    value: dict[str, object]
    raw: str


@dataclass(frozen=True, slots=True)
class BadRecord:
    """A line or array element that is not a JSON object."""

    location: str
    reason: str


def iter_json_records(stream: IO[bytes]) -> Iterator[JsonRecord | BadRecord]:
    """Yield the records of NDJSON or of a JSON array, whichever the stream holds.

    A stream whose first non-blank byte is ``[`` is parsed as a single array, which needs the
    whole stream in memory. Blank lines are skipped.
    """
    first_line = stream.readline().removeprefix(_UTF8_BOM)
    first_number = 1
    while first_line and not first_line.strip():
        first_line = stream.readline()
        first_number += 1
    if first_line.lstrip().startswith(b"["):
        yield from _array_records(first_line + stream.read(), first_number)
    else:
        yield from _line_records(chain([first_line], stream), first_number)


def _line_records(lines: Iterable[bytes], first_number: int) -> Iterator[JsonRecord | BadRecord]:
    for number, line in enumerate(lines, first_number):
        record = _parse_line(line, number)
        if record is not None:
            yield record


def _parse_line(line: bytes, number: int) -> JsonRecord | BadRecord | None:
    """Parse one NDJSON line; None for a blank line."""
    text = line.strip()
    if not text:
        return None
    location = f"line {number}"
    try:
        value = orjson.loads(text)
    except orjson.JSONDecodeError as exc:
        return BadRecord(location, f"invalid JSON at column {exc.colno}: {exc.msg}")
    if isinstance(value, dict):
        return JsonRecord(location, value, text.decode())
    return BadRecord(location, f"expected a JSON object, got {_json_kind(value)}")


def filtered_line_records(
    stream: IO[bytes], first_number: int, keep_lines: Callable[[bytes], Iterable[bytes]]
) -> Iterator[JsonRecord | BadRecord]:
    """Yield the records of the NDJSON lines left in ``stream`` that ``keep_lines`` keeps.

    The stream is read in large chunks of whole lines and only kept lines are parsed,
    so a prefilter can skip most lines without JSON parsing. ``first_number`` is the
    line number of the next line in the stream; locations stay exact.
    """
    remainder = b""
    number = first_number
    while data := stream.read(FILTER_CHUNK_BYTES):
        data = remainder + data
        cut = data.rfind(b"\n") + 1
        if cut == 0:
            remainder = data
            continue
        chunk, remainder = data[:cut], data[cut:]
        yield from _kept_records(chunk, number, keep_lines)
        number += chunk.count(b"\n")
    if remainder:
        yield from _kept_records(remainder, number, keep_lines)


def _kept_records(
    chunk: bytes, first_number: int, keep_lines: Callable[[bytes], Iterable[bytes]]
) -> Iterator[JsonRecord | BadRecord]:
    position = 0
    number = first_number
    for line in keep_lines(chunk):
        start = chunk.find(line, position)
        number += chunk.count(b"\n", position, start)
        position = start
        record = _parse_line(line, number)
        if record is not None:
            yield record


def _array_records(data: bytes, first_number: int) -> Iterator[JsonRecord | BadRecord]:
    try:
        items = orjson.loads(data)
    except orjson.JSONDecodeError as exc:
        location = f"line {exc.lineno + first_number - 1}"
        reason = f"invalid JSON array at column {exc.colno}: {exc.msg}. No record of it was read"
        yield BadRecord(location, reason)
        return
    for number, item in enumerate(items, 1):
        location = f"record {number}"
        if isinstance(item, dict):
            yield JsonRecord(location, item, orjson.dumps(item).decode())
        else:
            yield BadRecord(location, f"expected a JSON object, got {_json_kind(item)}")


def _json_kind(value: object) -> str:
    if isinstance(value, list):
        return "an array"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, bool):
        return "a boolean"
    if value is None:
        return "null"
    return "a number"
