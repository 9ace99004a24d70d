"""Names on disk of a store: partition folders, part files, the manifest and hidden columns."""

from __future__ import annotations

import string
from dataclasses import dataclass
from datetime import date, timedelta

#: The manifest file at the root of a store.
MANIFEST_NAME = "manifest.json"

#: A lock file at the root of a store, held while an ingest runs.
LOCK_NAME = ".ingest.lock"

#: Hidden DOUBLE column of every part file: the event time in epoch milliseconds, for pruning
#: row groups by their statistics. The Parquet reader of cqlkit does not turn it into a field.
TIME_COLUMN = "__cqlkit_time"

#: Prefix of column names that the store reserves for itself.
RESERVED_PREFIX = "__cqlkit_"

#: Partition folder value of events without a ``#event_simpleName``, or without a valid time.
MISSING_VALUE = "__none__"

#: Field that gives the event type partition.
EVENT_TYPE_FIELD = "#event_simpleName"

DAY_MS = 86_400_000

_EPOCH_DAY = date(1970, 1, 1)

# Characters kept as they are in partition folder names. Every other character is written as
# %XX escapes of its UTF-8 bytes, as Hive does, so an event type can never name another folder.
_SAFE_CHARACTERS = frozenset(string.ascii_letters + string.digits + "_-")


@dataclass(frozen=True, slots=True)
class Partition:
    """The day (UTC, ``YYYY-MM-DD``) and event type of a part file, each None when missing."""

    day: str | None
    event_type: str | None

    def folder(self) -> str:
        """Return the partition's folder relative to the store root, with ``/`` separators."""
        day = self.day if self.day is not None else MISSING_VALUE
        event_type = escape_value(self.event_type) if self.event_type else MISSING_VALUE
        return f"day={day}/event={event_type}"


def day_of(epoch_ms: int) -> str | None:
    """Return the UTC date of an epoch-milliseconds time, or None when it is out of range."""
    try:
        return (_EPOCH_DAY + timedelta(days=epoch_ms // DAY_MS)).isoformat()
    except OverflowError:
        return None


def escape_value(value: str) -> str:
    """Escape a partition value for use as a folder name (``a/b`` becomes ``a%2Fb``)."""
    return "".join(
        character
        if character in _SAFE_CHARACTERS
        else "".join(f"%{byte:02X}" for byte in character.encode())
        for character in value
    )


def part_file_name(run_id: str, sequence: int) -> str:
    """Return the name of the ``sequence``-th part file written by the ingest ``run_id``."""
    return f"part-{run_id}-{sequence:06d}.parquet"
