"""LogScale exports: NDJSON and JSON arrays, with epoch or ISO-8601 @timestamp."""

from __future__ import annotations

from pathlib import Path

import orjson

from .conftest import read_all, write_lines

EXPORTED = {
    "@timestamp": 1603346063975,
    "@rawstring": '{"event_simpleName":"ProcessRollup2","aid":"7c1f"}',
    "@id": "Xq3Yb1KcQ2_0_12_1603346064",
    "#event_simpleName": "ProcessRollup2",
    "#repo": "base_sensor",
    "#type": "FalconTelemetryParser",
    "aid": "7c1f",
    "ComputerName": "WORKSTATION5",
}


def test_logscale_epoch_timestamp(tmp_path: Path) -> None:
    path = write_lines(tmp_path / "export.ndjson", [orjson.dumps(EXPORTED).decode()])
    (event,), report = read_all([path])

    assert report.rejected == 0
    assert event["@timestamp"] == "1603346063975"
    assert event["@rawstring"] == EXPORTED["@rawstring"]
    assert event["#event_simpleName"] == "ProcessRollup2"


def test_logscale_keeps_exported_type(tmp_path: Path) -> None:
    path = write_lines(tmp_path / "export.ndjson", [orjson.dumps(EXPORTED).decode()])
    (event,), _ = read_all([path])

    assert event["#type"] == "FalconTelemetryParser"


def test_logscale_iso_timestamp(tmp_path: Path) -> None:
    line = '{"@timestamp":"2020-10-22T05:54:23.975Z","#repo":"sysmon","Image":"C:\\\\x.exe"}'
    path = write_lines(tmp_path / "export.ndjson", [line])
    (event,), _ = read_all([path])

    assert event["@timestamp"] == "1603346063975"
    assert event["@rawstring"] == line
    assert event["#type"] == "logscale"


def test_logscale_offset_timestamp(tmp_path: Path) -> None:
    line = '{"@timestamp":"2020-10-22T07:54:23.975+02:00","@rawstring":"x"}'
    path = write_lines(tmp_path / "export.ndjson", [line])
    (event,), _ = read_all([path])

    assert event["@timestamp"] == "1603346063975"


def test_logscale_array_export(tmp_path: Path) -> None:
    second = {key: value for key, value in EXPORTED.items() if key != "#type"}
    second["@timestamp"] = "1603346064000"
    path = tmp_path / "export.json"
    path.write_bytes(orjson.dumps([EXPORTED, second]))
    events, report = read_all([path])

    assert report.rejected == 0
    assert [e["@timestamp"] for e in events] == ["1603346063975", "1603346064000"]
    assert events[0]["#type"] == "FalconTelemetryParser"
    assert events[1]["#type"] == "logscale"


def test_logscale_bad_timestamp(tmp_path: Path) -> None:
    lines = [
        '{"@timestamp":"not a time","@rawstring":"x"}',
        '{"@timestamp":true,"@rawstring":"x"}',
        '{"@timestamp":1603346063975,"@rawstring":"x"}',
    ]
    events, report = read_all([write_lines(tmp_path / "export.ndjson", lines)])

    assert len(events) == 1
    assert report.rejected == 2
    assert report.problems[0].reason.startswith("invalid @timestamp 'not a time'")


def test_logscale_nested_fields(tmp_path: Path) -> None:
    line = '{"@timestamp":1,"#repo":"r","a":{"b":{"c":5}},"list":[{"x":true},null]}'
    (event,), _ = read_all([write_lines(tmp_path / "export.ndjson", [line])])

    assert event["a.b.c"] == "5"
    assert event["list[0].x"] == "true"
    assert event["list[1]"] == "null"
