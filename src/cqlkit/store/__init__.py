"""A columnar store of normalised events: Parquet part files partitioned by day and event type.

:func:`ingest` reads input files with :mod:`cqlkit.sources` and writes their events, with
the Falcon fields the readers add, as zstd-compressed Parquet. :func:`select_files` picks the
part files that a time range and a set of event types need, from the manifest alone.

Layout of a store folder::

    manifest.json                                     the index (see cqlkit.store.manifest)
    day=2020-10-22/event=ProcessRollup2/part-<run>-000001.parquet
    day=2020-10-22/event=__none__/part-<run>-000002.parquet

``day`` is the UTC date of ``@timestamp`` and ``event`` the ``#event_simpleName``, escaped
as ``%XX`` where a character is not a letter, digit, ``_`` or ``-``. Events without
``#event_simpleName`` go under ``event=__none__``. Every field is a nullable string column,
and each part file has the union of its events' fields. The hidden DOUBLE column
``__cqlkit_time`` contains ``@timestamp`` in epoch milliseconds, and rows are sorted by it.
:func:`cqlkit.sources.read_events` reads part files back as events.
"""

from __future__ import annotations

from cqlkit.store.ingest import IngestResult, SkippedInput, ingest
from cqlkit.store.layout import MANIFEST_NAME, TIME_COLUMN
from cqlkit.store.manifest import InputRecord, Manifest, PartRecord, load_manifest
from cqlkit.store.selection import StoreSelection, select_files

__all__ = [
    "MANIFEST_NAME",
    "TIME_COLUMN",
    "IngestResult",
    "InputRecord",
    "Manifest",
    "PartRecord",
    "SkippedInput",
    "StoreSelection",
    "ingest",
    "load_manifest",
    "select_files",
]
