"""Ingest of input files into a store: hashing, reading, partitioned writing, the manifest."""

from __future__ import annotations

import hashlib
import os
import time
import uuid
from collections import Counter
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from cqlkit.errors import SourceError
from cqlkit.sources import InputFile, ReadReport, expand_paths, read_input_files
from cqlkit.sources.detect import check_format_name
from cqlkit.store.layout import LOCK_NAME, MANIFEST_NAME
from cqlkit.store.manifest import (
    InputRecord,
    Manifest,
    PartRecord,
    load_manifest,
    manifest_path,
    save_manifest,
)
from cqlkit.store.writer import DEFAULT_BATCH_ROWS, DEFAULT_MAX_BUFFERED_ROWS, PartWriter

try:
    import fcntl
except ImportError:  # Windows has no fcntl.
    fcntl = None  # type: ignore[assignment]

PathArgument = str | os.PathLike[str]

_HASH_CHUNK_BYTES = 1 << 20


@dataclass(frozen=True, slots=True)
class SkippedInput:
    """An input file left out because a file with the same SHA-256 is already in the store."""

    path: str
    sha256: str
    #: Path under which the same content was ingested first.
    stored_path: str


@dataclass(frozen=True, slots=True)
class IngestResult:
    """The input files, part files and counts that one :func:`ingest` call added to a store."""

    store_dir: Path
    #: Input files read by this call, as recorded in the manifest.
    inputs: tuple[InputRecord, ...]
    skipped: tuple[SkippedInput, ...]
    parts: tuple[PartRecord, ...]
    events: int
    rejected: int
    #: Paths ingested before with other content. The store now contains both versions' events.
    changed_paths: tuple[str, ...]
    #: Fields not stored because their names start with ``__cqlkit_``, which the store reserves.
    dropped_fields: tuple[str, ...]
    seconds: float


def ingest(
    paths: Sequence[PathArgument] | PathArgument,
    store_dir: PathArgument,
    *,
    input_format: str | None = None,
    aidmaster: PathArgument | None = None,
    report: ReadReport | None = None,
    batch_rows: int = DEFAULT_BATCH_ROWS,
    max_buffered_rows: int = DEFAULT_MAX_BUFFERED_ROWS,
) -> IngestResult:
    """Read events from files, folders and glob patterns into the store at ``store_dir``.

    Inputs are read as :func:`cqlkit.sources.read_events` reads them, so Sysmon and Security
    events get their Falcon fields. A file whose SHA-256 is already in the manifest is skipped
    and listed in ``IngestResult.skipped``. The store folder is created when it does not
    exist. The manifest is replaced only after every part file is written, and a failed
    ingest deletes the part files it wrote, so the store stays as it was.

    Raises SourceError for a missing input path, an unknown format, an unreadable input, a
    corrupt manifest, and a non-empty folder that is not a store.
    """
    started = time.perf_counter()
    check_format_name(input_format)
    if isinstance(paths, str | os.PathLike):
        paths = [paths]
    inputs = expand_paths(paths)
    store = Path(store_dir)
    report = report if report is not None else ReadReport()
    # Checked before the lock file is created, so a folder that is no store stays untouched.
    _check_store_folder(store)

    with _locked_store(store):
        manifest = _open_manifest(store)
        pending, skipped, digests = _new_inputs(inputs, manifest)
        writer = PartWriter(
            store, uuid.uuid4().hex[:16], batch_rows=batch_rows, max_buffered_rows=max_buffered_rows
        )
        rejected_before = report.rejected
        try:
            counts = _write_events(pending, writer, digests, input_format, aidmaster, report)
            parts = tuple(writer.finish())
            records = tuple(_input_record(path, digests[path], counts[path]) for path in counts)
            save_manifest(store, manifest.extended(records, parts))
        except BaseException:
            writer.remove_written()
            raise

    previous_paths = {record.path for record in manifest.inputs}
    return IngestResult(
        store_dir=store,
        inputs=records,
        skipped=tuple(skipped),
        parts=parts,
        events=sum(counts.values()),
        rejected=report.rejected - rejected_before,
        changed_paths=tuple(record.path for record in records if record.path in previous_paths),
        dropped_fields=tuple(sorted(writer.dropped_fields)),
        seconds=time.perf_counter() - started,
    )


def _write_events(
    inputs: list[InputFile],
    writer: PartWriter,
    digests: dict[str, str],
    input_format: str | None,
    aidmaster: PathArgument | None,
    report: ReadReport,
) -> Counter[str]:
    """Read ``inputs`` into ``writer`` and return the event count of each file read.

    Every file that was read is counted, also one without events, so that it is recorded
    and skipped by the next ingest.
    """
    counts: Counter[str] = Counter()
    if not inputs:
        return counts
    files_before = len(report.files)
    events = read_input_files(inputs, input_format=input_format, aidmaster=aidmaster, report=report)
    for event in events:
        # The reader appends a file's path to report.files before yielding its first event.
        path = report.files[-1]
        writer.add(event, digests[path])
        counts[path] += 1
    for path in report.files[files_before:]:
        counts.setdefault(path, 0)
    return counts


def _new_inputs(
    inputs: list[InputFile], manifest: Manifest
) -> tuple[list[InputFile], list[SkippedInput], dict[str, str]]:
    """Split ``inputs`` into files to read and files whose content the store already holds."""
    stored = {sha: record.path for sha, record in manifest.input_by_sha256().items()}
    pending: list[InputFile] = []
    skipped: list[SkippedInput] = []
    digests: dict[str, str] = {}
    for found in inputs:
        digest = _sha256_of(found.path)
        if digest in stored:
            skipped.append(SkippedInput(found.path, digest, stored[digest]))
            continue
        stored[digest] = str(Path(found.path).resolve())
        digests[found.path] = digest
        pending.append(found)
    return pending, skipped, digests


def _sha256_of(path: str) -> str:
    digest = hashlib.sha256()
    try:
        with open(path, "rb") as stream:
            while chunk := stream.read(_HASH_CHUNK_BYTES):
                digest.update(chunk)
    except OSError as exc:
        raise SourceError(
            f"cannot read {path}: {exc.strerror or exc}",
            hint="check that the file exists and is readable",
        ) from exc
    return digest.hexdigest()


def _input_record(path: str, digest: str, events: int) -> InputRecord:
    status = os.stat(path)
    return InputRecord(
        path=str(Path(path).resolve()),
        size=status.st_size,
        mtime=_iso_utc(datetime.fromtimestamp(status.st_mtime, UTC)),
        sha256=digest,
        events=events,
        ingested_at=_iso_utc(datetime.now(UTC)),
    )


def _iso_utc(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def _open_manifest(store: Path) -> Manifest:
    """Load the store's manifest, or return an empty one for a new store folder."""
    if manifest_path(store).exists():
        return load_manifest(store)
    _check_store_folder(store)
    return Manifest()


def _check_store_folder(store: Path) -> None:
    """Raise SourceError for an existing folder that has files but no manifest."""
    if not store.is_dir() or manifest_path(store).exists():
        return
    others = sorted(entry.name for entry in store.iterdir() if entry.name != LOCK_NAME)
    if others:
        listing = ", ".join(others[:5]) + (", ..." if len(others) > 5 else "")
        raise SourceError(
            f"{store} is not a cqlkit store: it contains files ({listing}) but no {MANIFEST_NAME}",
            hint="ingest into a new or empty folder. If an earlier ingest into this folder "
            "was interrupted, delete the folder and ingest again",
        )


@contextmanager
def _locked_store(store: Path) -> Iterator[None]:
    """Create the store folder and hold its lock file for the duration of the block.

    NOTE: without fcntl (on Windows) nothing stops two ingests into one store at once, and
    the manifest written last then loses the other ingest's files.
    """
    try:
        store.mkdir(parents=True, exist_ok=True)
        lock = open(store / LOCK_NAME, "a+b")  # noqa: SIM115 - closed in the finally below
    except OSError as exc:
        raise SourceError(
            f"cannot create the store folder {store}: {exc.strerror or exc}",
            hint="choose a folder you can write to",
        ) from exc
    try:
        if fcntl is not None:
            try:
                fcntl.flock(lock.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                raise SourceError(
                    f"another ingest into {store} is running",
                    hint="wait for it to finish, then ingest again",
                ) from None
        yield
    finally:
        lock.close()
