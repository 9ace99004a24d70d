"""Buffering of events by partition and writing of zstd-compressed Parquet part files."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from cqlkit.fieldnames import ENCODED_NAMES_KEY, ENCODED_NAMES_VALUE, encode
from cqlkit.sources.values import Event
from cqlkit.store.layout import (
    EVENT_TYPE_FIELD,
    RESERVED_PREFIX,
    TIME_COLUMN,
    Partition,
    day_of,
    part_file_name,
)
from cqlkit.store.manifest import PartRecord

#: Rows buffered for one partition before they are written as one part file.
DEFAULT_BATCH_ROWS = 10_000

#: Rows buffered over all partitions before the largest buffer is written early. Memory use
#: grows with this number times the size of an event in Python objects. That size is an
#: estimated 6 KB for the Sysmon events of the OTRF empire recording, from the peak memory of
#: ingests with several buffer sizes, and 2 KB of it is @rawstring.
DEFAULT_MAX_BUFFERED_ROWS = 40_000

#: Rows per Parquet row group. A part file of DEFAULT_BATCH_ROWS rows has one row group, which
#: kept files about 10% smaller than 4096-row groups on the OTRF empire recording. Larger
#: batches get several, and because rows are sorted by time, the min/max statistics of the
#: hidden time column let a reader skip row groups outside a query's time range.
ROW_GROUP_ROWS = 16_384

ZSTD_LEVEL = 3


@dataclass(slots=True)
class _ShapeGroup:
    """Buffered events that have the same field names in the same order."""

    values: list[tuple[str, ...]] = field(default_factory=list)
    times: list[float | None] = field(default_factory=list)
    #: Position of each event in its partition buffer, which keeps ties in input order.
    positions: list[int] = field(default_factory=list)


@dataclass(slots=True)
class _PartitionBuffer:
    """The events of one partition waiting to be written, grouped by their field names.

    Events of one type from one source mostly share their field names, so a buffer has a
    few groups, and a group becomes columns with one transposition in C (``zip(*rows)``)
    instead of a Python step per field.
    """

    groups: dict[tuple[str, ...], _ShapeGroup] = field(default_factory=dict)
    rows: int = 0
    min_time: int | None = None
    max_time: int | None = None
    inputs: set[str] = field(default_factory=set)

    def add(self, names: tuple[str, ...], values: tuple[str, ...], time_ms: int | None) -> None:
        group = self.groups.get(names)
        if group is None:
            group = self.groups[names] = _ShapeGroup()
        group.values.append(values)
        group.positions.append(self.rows)
        self.rows += 1
        if time_ms is None:
            group.times.append(None)
            return
        group.times.append(float(time_ms))
        if self.min_time is None or time_ms < self.min_time:
            self.min_time = time_ms
        if self.max_time is None or time_ms > self.max_time:
            self.max_time = time_ms

    def field_names(self) -> list[str]:
        return sorted({name for names in self.groups for name in names})

    def to_table(self, names: list[str]) -> pa.Table:
        """Return the rows as a table of ``names`` and the time column, sorted by time.

        Columns are built and sorted one at a time, so at the peak one column is in memory
        twice rather than the whole table.
        """
        times: list[float | None] = []
        positions: list[int] = []
        transposed: list[tuple[dict[str, tuple[str, ...]], tuple[None, ...]]] = []
        for group_names, group in self.groups.items():
            columns = dict(zip(group_names, zip(*group.values, strict=True), strict=True))
            transposed.append((columns, (None,) * len(group.values)))
            times.extend(group.times)
            positions.extend(group.positions)

        time_array = pa.array(times, pa.float64())
        # Nulls sort last. Sorting by position too keeps events of equal time in input order.
        order = pc.sort_indices(
            pa.table({"time": time_array, "position": pa.array(positions, pa.int64())}),
            sort_keys=[("time", "ascending"), ("position", "ascending")],
        )
        arrays = []
        for name in names:
            values: list[str | None] = []
            for columns, nulls in transposed:
                values.extend(columns.get(name, nulls))
            arrays.append(pa.array(values, pa.string()).take(order))
        arrays.append(time_array.take(order))
        return pa.Table.from_arrays(arrays, names=[*names, TIME_COLUMN])


class PartWriter:
    """Collects events into per-partition buffers and writes each full buffer as a part file.

    A buffer is written when it reaches ``batch_rows`` rows, and the largest buffer is
    written when all of them together reach ``max_buffered_rows`` rows, so memory stays bounded for
    inputs of any size.
    """

    def __init__(
        self,
        store_dir: Path,
        run_id: str,
        *,
        batch_rows: int = DEFAULT_BATCH_ROWS,
        max_buffered_rows: int = DEFAULT_MAX_BUFFERED_ROWS,
    ) -> None:
        if batch_rows < 1 or max_buffered_rows < 1:
            raise ValueError(
                f"batch_rows ({batch_rows}) and max_buffered_rows ({max_buffered_rows}) "
                "must be positive"
            )
        self.store_dir = store_dir
        self.run_id = run_id
        self.batch_rows = batch_rows
        self.max_buffered_rows = max_buffered_rows
        self.parts: list[PartRecord] = []
        #: Fields not stored because their names start with ``__cqlkit_``.
        self.dropped_fields: set[str] = set()
        self._buffers: dict[Partition, _PartitionBuffer] = {}
        self._buffered_rows = 0
        self._days: dict[int, str | None] = {}

    def add(self, event: Event, input_sha256: str) -> None:
        """Buffer one event, writing part files when a buffer limit is reached."""
        time_ms = _event_time(event)
        partition = Partition(self._day(time_ms), event.get(EVENT_TYPE_FIELD))
        buffer = self._buffers.get(partition)
        if buffer is None:
            buffer = self._buffers[partition] = _PartitionBuffer()
        names = tuple(event)
        if names not in buffer.groups and any(name.startswith(RESERVED_PREFIX) for name in names):
            event = self._without_reserved(event)
            names = tuple(event)
        buffer.add(names, tuple(event.values()), time_ms)
        buffer.inputs.add(input_sha256)
        self._buffered_rows += 1

        if buffer.rows >= self.batch_rows:
            self._flush(partition)
        elif self._buffered_rows >= self.max_buffered_rows:
            largest = max(self._buffers, key=lambda key: self._buffers[key].rows)
            self._flush(largest)

    def finish(self) -> list[PartRecord]:
        """Write every buffer that still has rows and return all part files written."""
        for partition in sorted(self._buffers, key=Partition.folder):
            self._flush(partition)
        return self.parts

    def remove_written(self) -> None:
        """Delete the part files written so far, after a failed ingest."""
        for part in self.parts:
            (self.store_dir / part.path).unlink(missing_ok=True)
        self.parts.clear()

    def _without_reserved(self, event: Event) -> Event:
        fields: Event = {}
        for name, value in event.items():
            if name.startswith(RESERVED_PREFIX):
                self.dropped_fields.add(name)
            else:
                fields[name] = value
        return fields

    def _day(self, time_ms: int | None) -> str | None:
        if time_ms is None:
            return None
        day_number = time_ms // 86_400_000
        if day_number not in self._days:
            self._days[day_number] = day_of(time_ms)
        return self._days[day_number]

    def _flush(self, partition: Partition) -> None:
        buffer = self._buffers.pop(partition)
        self._buffered_rows -= buffer.rows
        self.parts.append(self._write(partition, buffer))

    def _write(self, partition: Partition, buffer: _PartitionBuffer) -> PartRecord:
        names = buffer.field_names()
        table = buffer.to_table(names)
        # SQL engines match column names case-insensitively, so part files name their
        # columns with encoded field names and mark that in their metadata.
        table = table.rename_columns([encode(name) for name in table.column_names])
        table = table.replace_schema_metadata({ENCODED_NAMES_KEY: ENCODED_NAMES_VALUE})

        relative = f"{partition.folder()}/{part_file_name(self.run_id, len(self.parts) + 1)}"
        path = self.store_dir / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        # A hidden temporary name keeps a half-written file out of reach of readers that
        # scan the folders for *.parquet.
        temporary = path.with_name(f".{path.name}.tmp")
        pq.write_table(
            table,
            temporary,
            compression="zstd",
            compression_level=ZSTD_LEVEL,
            row_group_size=ROW_GROUP_ROWS,
        )
        os.replace(temporary, path)
        return PartRecord(
            path=relative,
            day=partition.day,
            event_type=partition.event_type,
            rows=buffer.rows,
            min_time=buffer.min_time,
            max_time=buffer.max_time,
            columns=tuple(names),
            bytes=path.stat().st_size,
            inputs=tuple(sorted(buffer.inputs)),
        )


def _event_time(event: Event) -> int | None:
    text = event.get("@timestamp")
    if text is None:
        return None
    try:
        return int(text)
    except ValueError:
        return None
