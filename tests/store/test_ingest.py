"""ingest: partitions, part files, manifest records, idempotent and incremental runs, failures."""

from __future__ import annotations

import fcntl
import hashlib
import shutil
from collections import Counter
from pathlib import Path

import orjson
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from cqlkit.errors import SourceError
from cqlkit.fieldnames import ENCODED_NAMES_KEY, ENCODED_NAMES_VALUE, encode
from cqlkit.sources import ReadReport, read_events
from cqlkit.store import MANIFEST_NAME, TIME_COLUMN, IngestResult, ingest, load_manifest
from cqlkit.store.layout import LOCK_NAME, day_of

from .conftest import (
    CMSTP_INI_EVTX,
    DATA_DIR,
    EDR_SCRIPT_EVTX,
    FIXTURES_DIR,
    OTRF_CMSTP_ZIP,
    partition_rows,
)

PART_NAME_PATTERN = r"part-[0-9a-f]{16}-\d{6}\.parquet"


def _parquet_files(store: Path) -> list[Path]:
    return sorted(store.rglob("*.parquet"))


def test_cmstp_evtx_partitions(tmp_path: Path) -> None:
    result = ingest([CMSTP_INI_EVTX], tmp_path / "store")

    assert result.events == 5
    assert partition_rows(result) == {
        ("2019-05-11", "ProcessRollup2"): 3,
        ("2019-05-11", None): 2,
    }
    folders = sorted(str(Path(part.path).parent) for part in result.parts)
    assert folders == ["day=2019-05-11/event=ProcessRollup2", "day=2019-05-11/event=__none__"]
    for part in result.parts:
        assert Path(part.path).name.startswith("part-")
        assert (tmp_path / "store" / part.path).is_file()


def test_cmstp_evtx_input_record(tmp_path: Path) -> None:
    result = ingest([CMSTP_INI_EVTX], tmp_path / "store")
    (record,) = result.inputs

    assert record.path == str(CMSTP_INI_EVTX.resolve())
    assert record.size == CMSTP_INI_EVTX.stat().st_size
    assert record.sha256 == hashlib.sha256(CMSTP_INI_EVTX.read_bytes()).hexdigest()
    assert record.events == 5
    assert record.mtime.endswith("Z")
    assert load_manifest(tmp_path / "store").inputs == (record,)


def test_part_records_match_files(tmp_path: Path) -> None:
    store = tmp_path / "store"
    result = ingest([OTRF_CMSTP_ZIP], store)
    events = list(read_events([OTRF_CMSTP_ZIP]))

    assert load_manifest(store).parts == result.parts
    for part in result.parts:
        path = store / part.path
        table = pq.read_table(path)
        in_partition = [
            event
            for event in events
            if day_of(int(event["@timestamp"])) == part.day
            and event.get("#event_simpleName") == part.event_type
        ]
        times = [int(event["@timestamp"]) for event in in_partition]
        assert part.rows == table.num_rows == len(in_partition)
        assert part.min_time == min(times)
        assert part.max_time == max(times)
        assert part.bytes == path.stat().st_size
        assert part.columns == tuple(sorted({name for event in in_partition for name in event}))
        assert table.column_names == [*(encode(name) for name in part.columns), TIME_COLUMN]
        assert part.inputs == (result.inputs[0].sha256,)


def test_part_file_schema(tmp_path: Path) -> None:
    store = tmp_path / "store"
    result = ingest([OTRF_CMSTP_ZIP], store)
    part = max(result.parts, key=lambda part: part.rows)
    parquet_file = pq.ParquetFile(store / part.path)
    schema = parquet_file.schema_arrow
    times = pq.read_table(store / part.path, columns=[TIME_COLUMN])[TIME_COLUMN].to_pylist()

    assert schema.field(TIME_COLUMN).type == pa.float64()
    assert all(schema.field(encode(name)).type == pa.string() for name in part.columns)
    assert all(schema.field(encode(name)).nullable for name in part.columns)
    assert schema.metadata[ENCODED_NAMES_KEY] == ENCODED_NAMES_VALUE
    assert parquet_file.metadata.row_group(0).column(0).compression == "ZSTD"
    assert times == sorted(times)
    assert times[0] == part.min_time
    assert times[-1] == part.max_time


def test_reingest_adds_nothing(tmp_path: Path) -> None:
    store = tmp_path / "store"
    ingest([CMSTP_INI_EVTX], store)
    manifest_before = (store / MANIFEST_NAME).read_bytes()
    files_before = _parquet_files(store)
    result = ingest([CMSTP_INI_EVTX], store)

    assert result.events == 0
    assert result.parts == ()
    assert result.inputs == ()
    assert [skipped.path for skipped in result.skipped] == [str(CMSTP_INI_EVTX)]
    assert result.skipped[0].stored_path == str(CMSTP_INI_EVTX.resolve())
    assert _parquet_files(store) == files_before
    assert (store / MANIFEST_NAME).read_bytes() == manifest_before


def test_same_content_other_path_skipped(tmp_path: Path) -> None:
    copy = tmp_path / "copy.evtx"
    shutil.copyfile(CMSTP_INI_EVTX, copy)
    result = ingest([CMSTP_INI_EVTX, copy], tmp_path / "store")

    assert result.events == 5
    assert [skipped.path for skipped in result.skipped] == [str(copy)]
    assert result.skipped[0].stored_path == str(CMSTP_INI_EVTX.resolve())


def test_incremental_ingest_adds_only_new_file(tmp_path: Path) -> None:
    store = tmp_path / "store"
    first = ingest([CMSTP_INI_EVTX], store)
    files_before = _parquet_files(store)
    second = ingest([CMSTP_INI_EVTX, EDR_SCRIPT_EVTX], store)
    manifest = load_manifest(store)
    new_sha = hashlib.sha256(EDR_SCRIPT_EVTX.read_bytes()).hexdigest()

    assert second.events == 122
    assert [skipped.path for skipped in second.skipped] == [str(CMSTP_INI_EVTX)]
    assert [record.path for record in second.inputs] == [str(EDR_SCRIPT_EVTX.resolve())]
    assert partition_rows(second) == {
        ("2019-07-29", "ProcessRollup2"): 96,
        ("2019-07-29", None): 26,
    }
    assert all(part.inputs == (new_sha,) for part in second.parts)
    assert manifest.inputs == first.inputs + second.inputs
    assert manifest.parts == first.parts + second.parts
    assert _parquet_files(store) == sorted(
        files_before + [store / part.path for part in second.parts]
    )


def test_changed_file_reported(tmp_path: Path) -> None:
    source = tmp_path / "events.json"
    line = '{"@timestamp":"2020-10-22T01:54:23.975Z","EventID":4663,"Channel":"Security"}'
    source.write_text(line + "\n")
    store = tmp_path / "store"
    ingest([source], store)
    source.write_text(line + "\n" + line.replace("4663", "4656") + "\n")
    result = ingest([source], store)

    assert result.events == 2
    assert result.changed_paths == (str(source.resolve()),)
    assert len(load_manifest(store).inputs) == 2


def test_small_batches_split_partitions(tmp_path: Path) -> None:
    result = ingest([EDR_SCRIPT_EVTX], tmp_path / "store", batch_rows=40, max_buffered_rows=50)
    rows_by_partition: dict[str, list[int]] = {}
    for part in result.parts:
        rows_by_partition.setdefault(part.event_type or "", []).append(part.rows)

    assert sum(part.rows for part in result.parts) == 122
    assert max(part.rows for part in result.parts) <= 40
    assert sum(rows_by_partition["ProcessRollup2"]) == 96
    assert sum(rows_by_partition[""]) == 26
    assert len({part.path for part in result.parts}) == len(result.parts)


def test_buffer_limit_flushes_largest(tmp_path: Path) -> None:
    result = ingest([EDR_SCRIPT_EVTX], tmp_path / "store", batch_rows=1000, max_buffered_rows=10)

    assert sum(part.rows for part in result.parts) == 122
    assert len(result.parts) >= 122 // 10


def test_invalid_batch_rows(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="must be positive"):
        ingest([CMSTP_INI_EVTX], tmp_path / "store", batch_rows=0)


def test_report_filled(tmp_path: Path) -> None:
    report = ReadReport()
    result = ingest([FIXTURES_DIR], tmp_path / "store", report=report)

    assert report.events_read == result.events
    assert [Path(name).name for name in report.files] == ["fdr_cmstp_sample.ndjson"]
    assert sorted(Path(name).name for name in report.skipped_files) == [
        "README.md",
        "aidmaster_sample.csv",
    ]


def test_aidmaster_applied(tmp_path: Path) -> None:
    store = tmp_path / "store"
    sample = FIXTURES_DIR / "fdr_cmstp_sample.ndjson"
    aidmaster = FIXTURES_DIR / "aidmaster_sample.csv"
    ingest([sample], store, aidmaster=aidmaster)
    stored = [event for path in sorted(store.rglob("*.parquet")) for event in read_events(path)]
    expected = list(read_events([sample], aidmaster=aidmaster))

    assert any("ComputerName" in event for event in expected)
    assert sorted(stored, key=lambda e: e["@rawstring"]) == sorted(
        expected, key=lambda e: e["@rawstring"]
    )


def test_rejected_records_counted(tmp_path: Path) -> None:
    source = tmp_path / "events.json"
    line = '{"@timestamp":"2020-10-22T01:54:23.975Z","EventID":4663,"Channel":"Security"}'
    source.write_text(f"{line}\n{{bad\n{line}\n")
    result = ingest([source], tmp_path / "store")

    assert result.events == 2
    assert result.rejected == 1
    assert result.inputs[0].events == 2


def test_file_without_events_recorded(tmp_path: Path) -> None:
    source = tmp_path / "empty.json"
    source.write_text("\n")
    store = tmp_path / "store"
    first = ingest([source], store)
    second = ingest([source], store)

    assert [record.events for record in first.inputs] == [0]
    assert first.parts == ()
    assert [skipped.path for skipped in second.skipped] == [str(source)]


def test_reserved_fields_dropped(tmp_path: Path) -> None:
    source = tmp_path / "export.json"
    record = {"@timestamp": 1603346063975, "@rawstring": "x", "#repo": "r", "__cqlkit_time": "1"}
    source.write_bytes(orjson.dumps(record) + b"\n")
    store = tmp_path / "store"
    result = ingest([source], store)
    (event,) = read_events(store / result.parts[0].path)

    assert result.dropped_fields == ("__cqlkit_time",)
    assert "__cqlkit_time" not in result.parts[0].columns
    assert event["#repo"] == "r"


def test_event_type_escaped_in_folder(tmp_path: Path) -> None:
    source = tmp_path / "export.json"
    record = {"@timestamp": 1603346063975, "@rawstring": "x", "#event_simpleName": "../a b"}
    source.write_bytes(orjson.dumps(record) + b"\n")
    store = tmp_path / "store"
    result = ingest([source], store)
    (part,) = result.parts

    assert part.event_type == "../a b"
    assert str(Path(part.path).parent) == "day=2020-10-22/event=%2E%2E%2Fa%20b"
    assert (store / part.path).is_file()


def test_folder_without_manifest_rejected(tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("not a store\n")

    with pytest.raises(SourceError) as caught:
        ingest([CMSTP_INI_EVTX], tmp_path)

    assert f"{tmp_path} is not a cqlkit store" in caught.value.description
    assert "notes.txt" in caught.value.description
    assert sorted(path.name for path in tmp_path.iterdir()) == ["notes.txt"]


def test_failed_ingest_leaves_store_unchanged(tmp_path: Path) -> None:
    store = tmp_path / "store"
    ingest([CMSTP_INI_EVTX], store)
    manifest_before = (store / MANIFEST_NAME).read_bytes()
    files_before = _parquet_files(store)
    unknown = tmp_path / "notes.json"
    unknown.write_text('{"name": "not telemetry"}\n')

    with pytest.raises(SourceError, match="cannot detect the input format"):
        ingest([EDR_SCRIPT_EVTX, unknown], store, batch_rows=10)

    assert (store / MANIFEST_NAME).read_bytes() == manifest_before
    assert _parquet_files(store) == files_before
    assert not [path for path in store.rglob(".*.tmp")]


def test_missing_input_error(tmp_path: Path) -> None:
    with pytest.raises(SourceError, match="input path not found"):
        ingest([tmp_path / "missing.json"], tmp_path / "store")


def test_unknown_format_name(tmp_path: Path) -> None:
    with pytest.raises(SourceError, match="unknown input format 'csv'"):
        ingest([CMSTP_INI_EVTX], tmp_path / "store", input_format="csv")


def test_concurrent_ingest_rejected(tmp_path: Path) -> None:
    store = tmp_path / "store"
    store.mkdir()
    with open(store / LOCK_NAME, "a+b") as lock:
        fcntl.flock(lock.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        with pytest.raises(SourceError, match="another ingest"):
            ingest([CMSTP_INI_EVTX], store)


def test_data_folder_partitions(data_store: tuple[Path, IngestResult]) -> None:
    _, result = data_store
    expected: Counter[tuple[str | None, str | None]] = Counter(
        (day_of(int(event["@timestamp"])), event.get("#event_simpleName"))
        for event in read_events([DATA_DIR])
    )

    assert result.events == 109920
    assert partition_rows(result) == expected
    assert len(result.inputs) == 8
    assert expected["2019-05-11", "ProcessRollup2"] == 3
    assert expected["2020-09-04", None] == 39903
