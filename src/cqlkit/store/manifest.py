"""The store manifest: every ingested input file and every part file, as JSON.

The manifest is the only index of a store. Part files that it does not list, such as those
of an ingest that was killed, are never selected. A new manifest is written to a temporary
file in the store folder, flushed to disk and renamed over the old one, so readers see either
the old or the new manifest whole.

Schema (``version`` 1)::

    {
      "format": "cqlkit-store",
      "version": 1,
      "inputs": [{
        "path": "/abs/path/file.zip",    # absolute path when it was ingested
        "size": 3550216,                 # bytes
        "mtime": "2024-12-04T20:07:00.123456Z",
        "sha256": "<64 hex digits>",     # of the file's bytes, as stored (still compressed)
        "events": 40569,                 # events written from this file
        "ingested_at": "2024-12-05T10:00:00.000000Z"
      }],
      "parts": [{
        "path": "day=2020-10-22/event=ProcessRollup2/part-<run>-000001.parquet",
        "day": "2020-10-22",             # UTC date of @timestamp, null when out of range
        "event_type": "ProcessRollup2",  # #event_simpleName, null when absent
        "rows": 3,
        "min_time": 1603346063975,       # epoch ms of the first and last @timestamp
        "max_time": 1603346064012,
        "columns": ["#event_simpleName", "@rawstring", "@timestamp", ...],
        "bytes": 10342,
        "inputs": ["<sha256 of each input file with rows in this part>"]
      }]
    }

``columns`` lists the event fields of a part, all nullable strings. Every part file also has
the hidden ``__cqlkit_time`` column, which ``columns`` leaves out.
"""

from __future__ import annotations

import os
import re
import tempfile
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import TypeVar

import orjson

from cqlkit.errors import SourceError
from cqlkit.store.layout import MANIFEST_NAME, Partition

FORMAT_NAME = "cqlkit-store"
FORMAT_VERSION = 1

_SHA256 = re.compile(r"[0-9a-f]{64}")

_T = TypeVar("_T")


@dataclass(frozen=True, slots=True)
class InputRecord:
    """An input file whose events the store holds."""

    path: str
    size: int
    mtime: str
    sha256: str
    events: int
    ingested_at: str


@dataclass(frozen=True, slots=True)
class PartRecord:
    """A part file: where it is, its partition, and what the selection needs to prune it."""

    #: Path relative to the store root, with ``/`` separators.
    path: str
    day: str | None
    event_type: str | None
    rows: int
    min_time: int | None
    max_time: int | None
    columns: tuple[str, ...]
    bytes: int
    inputs: tuple[str, ...]

    @property
    def partition(self) -> Partition:
        """The partition that the part file belongs to."""
        return Partition(self.day, self.event_type)


@dataclass(frozen=True, slots=True)
class Manifest:
    """The contents of ``manifest.json``."""

    inputs: tuple[InputRecord, ...] = ()
    parts: tuple[PartRecord, ...] = ()

    def input_by_sha256(self) -> dict[str, InputRecord]:
        """Map the SHA-256 of each ingested input file to its record."""
        return {record.sha256: record for record in self.inputs}

    def extended(self, inputs: tuple[InputRecord, ...], parts: tuple[PartRecord, ...]) -> Manifest:
        """Return a manifest with ``inputs`` and ``parts`` added after the current ones."""
        return Manifest(self.inputs + inputs, self.parts + parts)


def manifest_path(store_dir: Path) -> Path:
    """Return the path of the manifest of the store at ``store_dir``."""
    return store_dir / MANIFEST_NAME


def load_manifest(store_dir: str | os.PathLike[str]) -> Manifest:
    """Read and check the manifest of the store at ``store_dir``.

    Raises SourceError when the manifest is missing, is not valid JSON, was written by a newer
    version of cqlkit, or lacks a key or has a value of the wrong type.
    """
    path = manifest_path(Path(store_dir))
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise SourceError(
            f"no store at {store_dir}: {path} not found",
            hint="create the store with an ingest of your input files into that folder",
        ) from None
    except OSError as exc:
        raise SourceError(
            f"cannot read the store manifest {path}: {exc.strerror or exc}",
            hint="check that the file is readable",
        ) from exc
    try:
        document = orjson.loads(data)
    except orjson.JSONDecodeError as exc:
        raise _corrupt(path, f"invalid JSON at line {exc.lineno}, column {exc.colno}") from exc
    return _parse_manifest(path, document)


def save_manifest(store_dir: Path, manifest: Manifest) -> None:
    """Replace the manifest of the store at ``store_dir`` atomically.

    Raises OSError when the file cannot be written. The old manifest then stays in place.
    """
    document = {
        "format": FORMAT_NAME,
        "version": FORMAT_VERSION,
        "inputs": [_input_document(record) for record in manifest.inputs],
        "parts": [_part_document(record) for record in manifest.parts],
    }
    text = orjson.dumps(document, option=orjson.OPT_INDENT_2) + b"\n"
    descriptor, temporary = tempfile.mkstemp(prefix=".manifest-", suffix=".tmp", dir=store_dir)
    try:
        with os.fdopen(descriptor, "wb") as stream:
            stream.write(text)
            stream.flush()
            os.fsync(stream.fileno())
        os.replace(temporary, manifest_path(store_dir))
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def _input_document(record: InputRecord) -> dict[str, object]:
    return {
        "path": record.path,
        "size": record.size,
        "mtime": record.mtime,
        "sha256": record.sha256,
        "events": record.events,
        "ingested_at": record.ingested_at,
    }


def _part_document(record: PartRecord) -> dict[str, object]:
    return {
        "path": record.path,
        "day": record.day,
        "event_type": record.event_type,
        "rows": record.rows,
        "min_time": record.min_time,
        "max_time": record.max_time,
        "columns": list(record.columns),
        "bytes": record.bytes,
        "inputs": list(record.inputs),
    }


def _corrupt(path: Path, problem: str) -> SourceError:
    return SourceError(
        f"invalid store manifest {path}: {problem}",
        hint="restore manifest.json from a backup, or delete the store folder and ingest "
        "the input files again",
    )


class _Checker:
    """Reads typed values out of the parsed manifest, raising SourceError on the first fault."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def fail(self, where: str, expected: str) -> SourceError:
        return _corrupt(self.path, f"{where} must be {expected}")

    def mapping(self, value: object, where: str) -> Mapping[str, object]:
        if not isinstance(value, dict):
            raise self.fail(where, "a JSON object")
        return value

    def items(self, document: Mapping[str, object], key: str) -> list[object]:
        value = document.get(key)
        if not isinstance(value, list):
            raise self.fail(key, "a JSON array")
        return value

    def text(self, document: Mapping[str, object], key: str, where: str) -> str:
        value = document.get(key)
        if not isinstance(value, str):
            raise self.fail(f"{where}.{key}", "a string")
        return value

    def optional_text(self, document: Mapping[str, object], key: str, where: str) -> str | None:
        value = document.get(key)
        if value is not None and not isinstance(value, str):
            raise self.fail(f"{where}.{key}", "a string or null")
        return value

    def count(self, document: Mapping[str, object], key: str, where: str) -> int:
        value = document.get(key)
        if not isinstance(value, int) or isinstance(value, bool) or value < 0:
            raise self.fail(f"{where}.{key}", "a non-negative integer")
        return value

    def optional_time(self, document: Mapping[str, object], key: str, where: str) -> int | None:
        value = document.get(key)
        if value is not None and (not isinstance(value, int) or isinstance(value, bool)):
            raise self.fail(f"{where}.{key}", "an integer (epoch milliseconds) or null")
        return value

    def texts(self, document: Mapping[str, object], key: str, where: str) -> tuple[str, ...]:
        value = document.get(key)
        if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
            raise self.fail(f"{where}.{key}", "an array of strings")
        return tuple(value)

    def sha256(self, document: Mapping[str, object], key: str, where: str) -> str:
        value = document.get(key)
        if not isinstance(value, str) or not _SHA256.fullmatch(value):
            raise self.fail(f"{where}.{key}", "64 lower-case hexadecimal digits")
        return value

    def sha256_list(self, document: Mapping[str, object], key: str, where: str) -> tuple[str, ...]:
        values = self.texts(document, key, where)
        if not all(_SHA256.fullmatch(value) for value in values):
            raise self.fail(f"{where}.{key}", "an array of SHA-256 digests (64 hexadecimal digits)")
        return values

    def relative_path(self, document: Mapping[str, object], key: str, where: str) -> str:
        value = self.text(document, key, where)
        parts = PurePosixPath(value).parts
        if not parts or PurePosixPath(value).is_absolute() or ".." in parts or "\\" in value:
            raise self.fail(f"{where}.{key}", "a relative path inside the store folder")
        return value


def _parse_manifest(path: Path, document: object) -> Manifest:
    check = _Checker(path)
    root = check.mapping(document, "the document")
    if root.get("format") != FORMAT_NAME:
        raise _corrupt(path, f"the key 'format' is missing or not {FORMAT_NAME!r}")
    version = root.get("version")
    if version != FORMAT_VERSION:
        raise SourceError(
            f"unsupported store manifest {path}: format version {version!r}, "
            f"but this cqlkit reads version {FORMAT_VERSION}",
            hint="use the cqlkit version that wrote the store, or ingest the input files "
            "into a new store",
        )
    inputs = _parse_list(check, root, "inputs", _parse_input)
    parts = _parse_list(check, root, "parts", _parse_part)
    return Manifest(inputs, parts)


def _parse_list(
    check: _Checker,
    root: Mapping[str, object],
    key: str,
    parse: Callable[[_Checker, Mapping[str, object], str], _T],
) -> tuple[_T, ...]:
    records = []
    for index, item in enumerate(check.items(root, key)):
        where = f"{key}[{index}]"
        records.append(parse(check, check.mapping(item, where), where))
    return tuple(records)


def _parse_input(check: _Checker, item: Mapping[str, object], where: str) -> InputRecord:
    return InputRecord(
        path=check.text(item, "path", where),
        size=check.count(item, "size", where),
        mtime=check.text(item, "mtime", where),
        sha256=check.sha256(item, "sha256", where),
        events=check.count(item, "events", where),
        ingested_at=check.text(item, "ingested_at", where),
    )


def _parse_part(check: _Checker, item: Mapping[str, object], where: str) -> PartRecord:
    return PartRecord(
        path=check.relative_path(item, "path", where),
        day=check.optional_text(item, "day", where),
        event_type=check.optional_text(item, "event_type", where),
        rows=check.count(item, "rows", where),
        min_time=check.optional_time(item, "min_time", where),
        max_time=check.optional_time(item, "max_time", where),
        columns=check.texts(item, "columns", where),
        bytes=check.count(item, "bytes", where),
        inputs=check.sha256_list(item, "inputs", where),
    )
