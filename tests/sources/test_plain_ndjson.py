"""``--input-format ndjson``: events queried exactly as given."""

from __future__ import annotations

from pathlib import Path

import orjson
from tests.cli.cli_helpers import invoke, ndjson_rows

from cqlkit.sources import ReadReport, read_events

FDR_LIKE = {
    "event_simpleName": "ProcessRollup2",
    "aid": "abc",
    "timestamp": "1700000000000",
    "ImageFileName": "\\Device\\HarddiskVolume3\\Windows\\System32\\cmd.exe",
    "nested": {"list": [1, {"x": None}], "flag": True},
}


def _write(tmp_path: Path, *records: object, extra: str = "") -> Path:
    path = tmp_path / "events.json"
    lines = [orjson.dumps(record).decode() for record in records]
    path.write_text("\n".join(lines) + "\n" + extra, encoding="utf-8")
    return path


def test_fields_are_kept_as_given(tmp_path: Path) -> None:
    path = _write(tmp_path, FDR_LIKE)
    (event,) = read_events([path], input_format="ndjson")
    raw = orjson.dumps(FDR_LIKE).decode()
    assert event == {
        "event_simpleName": "ProcessRollup2",
        "aid": "abc",
        "timestamp": "1700000000000",
        "ImageFileName": "\\Device\\HarddiskVolume3\\Windows\\System32\\cmd.exe",
        "nested.list[0]": "1",
        "nested.list[1].x": "null",
        "nested.flag": "true",
        "@rawstring": raw,
    }


def test_fdr_mapping_is_not_applied(tmp_path: Path) -> None:
    path = _write(tmp_path, FDR_LIKE)
    (mapped,) = read_events([path])
    (plain,) = read_events([path], input_format="ndjson")
    assert "#event_simpleName" in mapped
    assert "#event_simpleName" not in plain
    assert "@timestamp" not in plain


def test_iso_timestamp_becomes_epoch_ms(tmp_path: Path) -> None:
    path = _write(
        tmp_path,
        {"@timestamp": "2024-05-01T10:00:00.250Z", "a": "1"},
        {"@timestamp": "not a time", "a": "2"},
    )
    first, second = read_events([path], input_format="ndjson")
    assert first["@timestamp"] == "1714557600250"
    assert second["@timestamp"] == "not a time"


def test_bad_lines_are_counted_and_good_ones_kept(tmp_path: Path) -> None:
    path = _write(tmp_path, {"a": "1"}, extra='{"a": \n[1, 2]\n{"a": "2"}\n')
    report = ReadReport()
    events = list(read_events([path], input_format="ndjson", report=report))
    assert [event["a"] for event in events] == ["1", "2"]
    assert report.rejected == 2


def test_cli_queries_plain_fields(tmp_path: Path) -> None:
    path = _write(tmp_path, FDR_LIKE, {**FDR_LIKE, "aid": "other"})
    status, out, err = invoke(
        "run",
        "event_simpleName=ProcessRollup2 aid=abc | table([aid, nested.flag])",
        str(path),
        "--input-format",
        "ndjson",
        "--format",
        "ndjson",
    )
    assert status == 0, err
    assert ndjson_rows(out) == [{"aid": "abc", "nested.flag": "true"}]
