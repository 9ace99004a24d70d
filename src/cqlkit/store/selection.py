"""Selection of the part files that a query needs, from the manifest alone."""

from __future__ import annotations

import os
from collections.abc import Collection
from dataclasses import dataclass
from pathlib import Path

from cqlkit.errors import SourceError
from cqlkit.store.manifest import PartRecord, load_manifest


@dataclass(frozen=True, slots=True)
class StoreSelection:
    """The part files that may hold events of a time range and event types."""

    #: Absolute paths of the selected part files, sorted by partition and name.
    files: list[Path]
    #: Union of the selected files' event columns, sorted.
    columns: tuple[str, ...]
    #: Number of part files left out by the time range or the event types.
    pruned: int
    #: Number of part files in the store.
    total: int


def select_files(
    store_dir: str | os.PathLike[str],
    *,
    start_ms: int | None = None,
    end_ms: int | None = None,
    event_types: Collection[str] | None = None,
) -> StoreSelection:
    """Select the part files that may hold events in ``[start_ms, end_ms)`` of ``event_types``.

    The decision uses only the manifest: each part's min and max ``@timestamp`` and its
    ``#event_simpleName`` partition. No Parquet file is opened. None for a bound means no
    limit on that side. ``event_types`` None selects every event type, and a collection
    selects only parts of those types, so it leaves out the events without
    ``#event_simpleName``. A part without a recorded time is kept whatever the time range.

    Raises SourceError for a missing or invalid manifest, or when a selected part file is
    missing.
    """
    root = Path(store_dir).resolve()
    manifest = load_manifest(root)
    allowed = None if event_types is None else frozenset(event_types)
    selected = [
        part
        for part in manifest.parts
        if _overlaps(part, start_ms, end_ms)
        and (allowed is None or (part.event_type is not None and part.event_type in allowed))
    ]
    selected.sort(key=lambda part: part.path)

    files = [root / part.path for part in selected]
    for path in files:
        if not path.is_file():
            raise SourceError(
                f"store part file not found: {path}. The manifest of {root} lists it",
                hint="restore the file, or delete the store folder and ingest the input "
                "files again",
            )
    columns = sorted({name for part in selected for name in part.columns})
    return StoreSelection(
        files=files,
        columns=tuple(columns),
        pruned=len(manifest.parts) - len(selected),
        total=len(manifest.parts),
    )


def _overlaps(part: PartRecord, start_ms: int | None, end_ms: int | None) -> bool:
    """Return True unless the part's times lie entirely outside ``[start_ms, end_ms)``."""
    if part.min_time is None or part.max_time is None:
        return True
    if start_ms is not None and part.max_time < start_ms:
        return False
    return end_ms is None or part.min_time < end_ms
