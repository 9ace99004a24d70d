"""The Falcon ``aidmaster`` host table, used to add ``ComputerName`` to raw FDR events.

Raw FDR process events carry the sensor id ``aid`` but no host name. LogScale deployments add
it from an aidmaster lookup file. This module reads that table as CSV with a header row, or
as the NDJSON that FDR itself delivers, and maps each ``aid`` to its ``ComputerName``.
"""

from __future__ import annotations

import csv
import gzip
import os
from collections.abc import Iterator
from itertools import chain
from typing import IO, cast

import orjson

from cqlkit.errors import SourceError
from cqlkit.sources.values import Event

_REQUIRED_COLUMNS = ("aid", "ComputerName")


def load_aidmaster(path: str | os.PathLike[str]) -> dict[str, str]:
    """Read an aidmaster file into a map from ``aid`` to ``ComputerName``.

    A later row for the same ``aid`` replaces an earlier one. Raises SourceError when the file
    cannot be read or has no ``aid`` and ``ComputerName`` columns.
    """
    name = os.fspath(path)
    try:
        with _open_text(name) as stream:
            first = stream.readline()
            rows = _json_rows(stream, first) if first.lstrip().startswith("{") else None
            if rows is None:
                rows = _csv_rows(name, stream, first)
            return {
                row["aid"]: row["ComputerName"]
                for row in rows
                if row.get("aid") and row.get("ComputerName")
            }
    except (OSError, UnicodeDecodeError, EOFError, orjson.JSONDecodeError) as exc:
        raise SourceError(
            f"cannot read aidmaster file {name}: {exc}",
            hint="pass a CSV file with a header row that names the aid and ComputerName columns",
        ) from exc


def add_computer_names(event: Event, hosts: dict[str, str]) -> None:
    """Set ``ComputerName`` from the aidmaster table when the event lacks it or has it empty."""
    if event.get("ComputerName"):
        return
    host = hosts.get(event.get("aid", ""))
    if host:
        event["ComputerName"] = host


def _open_text(name: str) -> IO[str]:
    if name.lower().endswith(".gz"):
        return cast(IO[str], gzip.open(name, "rt", encoding="utf-8-sig", newline=""))
    return open(name, encoding="utf-8-sig", newline="")


def _csv_rows(name: str, stream: IO[str], header: str) -> Iterator[dict[str, str]]:
    columns = next(csv.reader([header]), [])
    missing = [column for column in _REQUIRED_COLUMNS if column not in columns]
    if missing:
        raise SourceError(
            f"aidmaster file {name} has no {' or '.join(missing)} column. "
            f"Its header row is {header.strip()!r}",
            hint="the first row must name the columns, including aid and ComputerName",
        )
    return csv.DictReader(stream, fieldnames=columns)


def _json_rows(stream: IO[str], first: str) -> Iterator[dict[str, str]]:
    for line in chain([first], stream):
        if line.strip():
            row = orjson.loads(line)
            if isinstance(row, dict):
                yield {key: str(value) for key, value in row.items()}
