"""Parquet input: value conversion, @timestamp forms, detection, streaming and damaged files."""

from __future__ import annotations

import zipfile
from collections.abc import Iterator
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path

import orjson
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from cqlkit.errors import SourceError
from cqlkit.sources import FORMATS, Event, read_events
from cqlkit.sources import parquet as parquet_module
from cqlkit.sources.report import InvalidRecord

from .conftest import read_all, write_lines

T0 = 1603346063975
T0_ISO = "2020-10-22T05:54:23.975"


def _write(path: Path, columns: dict[str, pa.Array], **options: object) -> Path:
    pq.write_table(pa.table(columns), path, **options)
    return path


def _times(count: int) -> pa.Array:
    return pa.array([str(T0 + i) for i in range(count)], pa.string())


def test_formats_include_parquet() -> None:
    assert "parquet" in FORMATS


SCALAR_CASES = [
    ("int64", pa.array([4688], pa.int64()), "4688"),
    ("int8-negative", pa.array([-5], pa.int8()), "-5"),
    ("uint64", pa.array([2**63], pa.uint64()), str(2**63)),
    ("bool-true", pa.array([True]), "true"),
    ("bool-false", pa.array([False]), "false"),
    ("float-whole", pa.array([1000.0], pa.float64()), "1000.0"),
    ("float-fraction", pa.array([1.5], pa.float32()), "1.5"),
    ("string", pa.array(["cmstp.exe"]), "cmstp.exe"),
    ("large-string", pa.array(["x"], pa.large_string()), "x"),
    ("dictionary", pa.array(["Security"]).dictionary_encode(), "Security"),
    ("decimal", pa.array([Decimal("1.50")], pa.decimal128(5, 2)), "1.50"),
    ("date", pa.array([date(2020, 10, 22)], pa.date32()), "2020-10-22"),
    (
        "timestamp-naive",
        pa.array([datetime(2020, 10, 22, 5, 54, 23, 975000)], pa.timestamp("ms")),
        T0_ISO,
    ),
    (
        "timestamp-utc",
        pa.array(
            [datetime(2020, 10, 22, 5, 54, 23, 975000, tzinfo=UTC)], pa.timestamp("ms", "UTC")
        ),
        f"{T0_ISO}Z",
    ),
    ("binary", pa.array([b"abc"], pa.binary()), "abc"),
]


@pytest.mark.parametrize(
    ("data", "expected"),
    [case[1:] for case in SCALAR_CASES],
    ids=[case[0] for case in SCALAR_CASES],
)
def test_scalar_column_text(tmp_path: Path, data: pa.Array, expected: str) -> None:
    path = _write(tmp_path / "events.parquet", {"@timestamp": _times(1), "value": data})
    (event,) = read_events([path])

    assert event["value"] == expected


def test_timestamp_column_in_other_zone(tmp_path: Path) -> None:
    moment = datetime(2020, 10, 22, 5, 54, 23, 975000, tzinfo=UTC)
    zoned = pa.array([moment], pa.timestamp("us", "UTC")).cast(pa.timestamp("us", "Europe/Paris"))
    path = _write(tmp_path / "events.parquet", {"@timestamp": _times(1), "seen": zoned})
    (event,) = read_events([path])

    assert event["seen"] == "2020-10-22T05:54:23.975000Z"


def test_null_becomes_absent_field(tmp_path: Path) -> None:
    path = _write(
        tmp_path / "events.parquet",
        {
            "@timestamp": _times(2),
            "CommandLine": pa.array(["cmstp.exe /s", None]),
            "EventID": pa.array([None, 4688], pa.int64()),
            "Empty": pa.nulls(2, pa.string()),
        },
    )
    first, second = read_events([path])

    assert first["CommandLine"] == "cmstp.exe /s"
    assert "EventID" not in first
    assert "CommandLine" not in second
    assert second["EventID"] == "4688"
    assert "Empty" not in first
    assert "Empty" not in second


def test_nested_columns_flattened(tmp_path: Path) -> None:
    winlog = pa.array(
        [{"event_id": 1, "event_data": {"Image": "C:\\cmstp.exe", "User": None}}, None],
        pa.struct(
            [
                ("event_id", pa.int64()),
                ("event_data", pa.struct([("Image", pa.string()), ("User", pa.string())])),
            ]
        ),
    )
    tags = pa.array([["a", None, "c"], []], pa.list_(pa.string()))
    labels = pa.array([[("k", 1)], None], pa.map_(pa.string(), pa.int64()))
    path = _write(
        tmp_path / "events.parquet",
        {"@timestamp": _times(2), "winlog": winlog, "tags": tags, "labels": labels},
    )
    first, second = read_events([path])

    assert first["winlog.event_id"] == "1"
    assert first["winlog.event_data.Image"] == "C:\\cmstp.exe"
    assert "winlog.event_data.User" not in first
    assert first["tags[0]"] == "a"
    assert "tags[1]" not in first
    assert first["tags[2]"] == "c"
    assert first["labels.k"] == "1"
    assert not any(name.startswith(("winlog", "tags", "labels")) for name in second)


TIME_CASES = [
    ("epoch-ms-text", pa.array([str(T0)]), T0),
    ("iso-text", pa.array(["2020-10-22T05:54:23.975Z"]), T0),
    ("int64", pa.array([T0], pa.int64()), T0),
    ("float", pa.array([float(T0)], pa.float64()), T0),
    ("timestamp-s", pa.array([T0 // 1000], pa.int64()).cast(pa.timestamp("s")), T0 // 1000 * 1000),
    ("timestamp-ms", pa.array([T0], pa.int64()).cast(pa.timestamp("ms", "UTC")), T0),
    ("timestamp-us", pa.array([T0 * 1000 + 999], pa.int64()).cast(pa.timestamp("us")), T0),
    ("timestamp-ns", pa.array([T0 * 10**6 + 1], pa.int64()).cast(pa.timestamp("ns")), T0),
    ("date", pa.array([date(2020, 10, 22)], pa.date32()), 1603324800000),
]


@pytest.mark.parametrize(
    ("column", "expected"),
    [case[1:] for case in TIME_CASES],
    ids=[case[0] for case in TIME_CASES],
)
def test_timestamp_forms(tmp_path: Path, column: pa.Array, expected: int) -> None:
    path = _write(tmp_path / "events.parquet", {"@timestamp": column})
    (event,) = read_events([path])

    assert event["@timestamp"] == str(expected)


def test_invalid_timestamps_rejected(tmp_path: Path) -> None:
    path = _write(
        tmp_path / "events.parquet",
        {"@timestamp": pa.array([str(T0), None, "yesterday", str(T0 + 1)])},
    )
    events, report = read_all([path])

    assert [event["@timestamp"] for event in events] == [str(T0), str(T0 + 1)]
    assert report.rejected == 2
    assert [problem.location for problem in report.problems] == ["row 2", "row 3"]
    assert report.problems[0].reason == "missing field @timestamp"
    assert report.problems[1].reason.startswith("invalid @timestamp 'yesterday'")


def test_missing_timestamp_column(tmp_path: Path) -> None:
    path = _write(tmp_path / "events.parquet", {"EventID": pa.array([1, 2])})
    events, report = read_all([path])

    assert events == []
    assert report.rejected == 1
    assert report.problems[0].location == "row 1"
    assert "no @timestamp column" in report.problems[0].reason


def test_rawstring_and_type_defaults(tmp_path: Path) -> None:
    path = _write(
        tmp_path / "events.parquet",
        {"@timestamp": _times(1), "EventID": pa.array([4688]), "Channel": pa.array(["Security"])},
    )
    (event,) = read_events([path])

    assert orjson.loads(event["@rawstring"]) == {"EventID": "4688", "Channel": "Security"}
    assert event["#type"] == "parquet"


def test_rawstring_and_type_kept(tmp_path: Path) -> None:
    path = _write(
        tmp_path / "events.parquet",
        {
            "@timestamp": _times(1),
            "@rawstring": pa.array(["original line"]),
            "#type": pa.array(["evtx"]),
        },
    )
    (event,) = read_events([path])

    assert event["@rawstring"] == "original line"
    assert event["#type"] == "evtx"


def test_hidden_store_columns_skipped(tmp_path: Path) -> None:
    path = _write(
        tmp_path / "events.parquet",
        {
            "@timestamp": _times(1),
            "@rawstring": pa.array(["x"]),
            "__cqlkit_time": pa.array([float(T0)]),
        },
    )
    (event,) = read_events([path])

    assert set(event) == {"@timestamp", "@rawstring", "#type"}


def test_streams_batches_in_order(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(parquet_module, "BATCH_ROWS", 7)
    count = 100
    path = _write(
        tmp_path / "events.parquet",
        {"@timestamp": _times(count), "n": pa.array(range(count), pa.int64())},
        row_group_size=16,
    )
    events = list(read_events([path]))

    assert pq.ParquetFile(path).num_row_groups == 7
    assert [event["n"] for event in events] == [str(i) for i in range(count)]


def test_reads_lazily(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(parquet_module, "BATCH_ROWS", 10)
    path = _write(tmp_path / "events.parquet", {"@timestamp": _times(1000)}, row_group_size=10)
    converted: list[int] = []
    original = parquet_module.batch_events

    def counting_batch_events(batch: pa.RecordBatch) -> Iterator[Event | InvalidRecord]:
        converted.append(batch.num_rows)
        return original(batch)

    monkeypatch.setattr(parquet_module, "batch_events", counting_batch_events)
    events = read_events([path])
    next(events)

    assert converted == [10]


def test_detected_by_extension_any_case(tmp_path: Path) -> None:
    path = _write(tmp_path / "EVENTS.PARQUET", {"@timestamp": _times(3)})
    events, report = read_all([tmp_path])

    assert len(events) == 3
    assert report.files == [str(path)]


def test_detected_by_magic(tmp_path: Path) -> None:
    path = _write(tmp_path / "events.bin", {"@timestamp": _times(2)})
    events, report = read_all([tmp_path])

    assert len(events) == 2
    assert report.files == [str(path)]
    assert report.skipped_files == []


def test_format_override_on_json_fails(tmp_path: Path) -> None:
    path = write_lines(tmp_path / "events.json", ['{"@timestamp": 1}'])

    with pytest.raises(SourceError, match="as Parquet"):
        list(read_events([path], input_format="parquet"))


def test_truncated_file_error(tmp_path: Path) -> None:
    path = _write(tmp_path / "events.parquet", {"@timestamp": _times(10)})
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])

    with pytest.raises(SourceError) as caught:
        list(read_events([path]))

    assert str(path) in caught.value.description
    assert "as Parquet" in caught.value.description


def test_damaged_row_group_keeps_earlier_rows(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(parquet_module, "BATCH_ROWS", 10)
    count = 40
    path = _write(
        tmp_path / "events.parquet",
        {"@timestamp": _times(count), "text": pa.array([f"value {i}" * 50 for i in range(count)])},
        row_group_size=10,
        compression="zstd",
    )
    metadata = pq.ParquetFile(path).metadata
    third = metadata.row_group(2).column(1)
    start = third.data_page_offset
    data = bytearray(path.read_bytes())
    data[start + 20 : start + third.total_compressed_size - 4] = b"\xff" * (
        third.total_compressed_size - 24
    )
    path.write_bytes(bytes(data))
    events, report = read_all([path])

    assert len(events) == 20
    assert report.rejected == 1
    assert report.problems[0].location == "after row 20"
    assert report.problems[0].reason.startswith("cannot read the rest of the file")


def test_parquet_in_zip(tmp_path: Path) -> None:
    source = _write(tmp_path / "events.parquet", {"@timestamp": _times(4)})
    archive = tmp_path / "bundle.zip"
    with zipfile.ZipFile(archive, "w") as bundle:
        bundle.write(source, "logs/events.parquet")
    events, report = read_all([archive])

    assert len(events) == 4
    assert report.files == [str(archive)]
