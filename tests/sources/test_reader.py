"""read_events: path handling, format detection, rejected records and strict mode."""

from __future__ import annotations

import gzip
import zipfile
from pathlib import Path

import orjson
import pytest

from cqlkit.errors import SourceError
from cqlkit.sources import FORMATS, ReadReport, RejectedRecord, read_events

from .conftest import EVTX_DIR, FIXTURES_DIR, read_all, write_lines

WINLOGBEAT_LINE = (
    '{"@timestamp":"2020-10-22T01:54:23.975Z","EventID":4663,"Channel":"Security",'
    '"Hostname":"WORKSTATION5","ObjectName":"C:\\\\ProgramData\\\\x.inf"}'
)


def test_formats_constant() -> None:
    assert FORMATS == ("fdr", "logscale", "winlogbeat", "evtx", "parquet", "ndjson")


def test_malformed_line_skipped(tmp_path: Path) -> None:
    path = write_lines(
        tmp_path / "events.json", [WINLOGBEAT_LINE, '{"EventID": 4663,', WINLOGBEAT_LINE]
    )
    events, report = read_all([path])

    assert len(events) == 2
    assert report.events_read == 2
    assert report.rejected == 1
    assert report.problems[0].path == str(path)
    assert report.problems[0].location == "line 2"
    assert report.problems[0].reason.startswith("invalid JSON at column")


def test_rejected_record_text() -> None:
    problem = RejectedRecord("a/events.json", "line 12", "invalid JSON at column 3: bad")

    assert str(problem) == "a/events.json:line 12: invalid JSON at column 3: bad"


def test_non_object_line_rejected(tmp_path: Path) -> None:
    path = write_lines(tmp_path / "events.json", [WINLOGBEAT_LINE, "[1, 2]", '"text"'])
    _, report = read_all([path])

    assert report.rejected == 2
    assert [p.reason for p in report.problems] == [
        "expected a JSON object, got an array",
        "expected a JSON object, got a string",
    ]


def test_record_without_time_rejected(tmp_path: Path) -> None:
    path = write_lines(tmp_path / "events.json", [WINLOGBEAT_LINE, '{"EventID":1,"Channel":"x"}'])
    _, report = read_all([path])

    assert report.rejected == 1
    assert report.problems[0].location == "line 2"
    assert report.problems[0].reason.startswith("missing event time")


def test_strict_raises_at_bad_line(tmp_path: Path) -> None:
    path = write_lines(tmp_path / "events.json", [WINLOGBEAT_LINE, "{oops", WINLOGBEAT_LINE])

    with pytest.raises(SourceError) as caught:
        list(read_events([path], strict=True))

    assert f"{path}:line 2:" in caught.value.description


def test_blank_lines_and_bom(tmp_path: Path) -> None:
    path = tmp_path / "events.json"
    path.write_bytes(
        b"\xef\xbb\xbf" + WINLOGBEAT_LINE.encode() + b"\r\n\r\n  \n" + WINLOGBEAT_LINE.encode()
    )
    events, report = read_all([path])

    assert len(events) == 2
    assert report.rejected == 0


def test_problems_capped(tmp_path: Path) -> None:
    path = write_lines(tmp_path / "events.json", [WINLOGBEAT_LINE] + ["{bad"] * 150)
    _, report = read_all([path])

    assert report.rejected == 150
    assert len(report.problems) == ReadReport.MAX_PROBLEMS
    assert report.problems[-1].location == "line 101"


def test_missing_path_error(tmp_path: Path) -> None:
    missing = tmp_path / "nope.json"

    with pytest.raises(SourceError, match="input path not found"):
        read_events([missing])


def test_single_path_accepted(tmp_path: Path) -> None:
    path = write_lines(tmp_path / "events.json", [WINLOGBEAT_LINE])

    assert len(list(read_events(path))) == 1


def test_unknown_format_error(tmp_path: Path) -> None:
    path = write_lines(tmp_path / "notes.json", ['{"name": "not telemetry"}'])

    with pytest.raises(SourceError) as caught:
        list(read_events([path]))

    message = str(caught.value)
    assert str(path) in message
    assert "fdr, logscale, winlogbeat, evtx" in message
    assert "--input-format" in message


def test_invalid_format_name() -> None:
    with pytest.raises(SourceError, match="unknown input format 'csv'"):
        read_events([FIXTURES_DIR], input_format="csv")


def test_format_override(tmp_path: Path) -> None:
    path = write_lines(tmp_path / "events.json", [WINLOGBEAT_LINE])

    (detected,) = read_events([path])
    (forced,) = read_events([path], input_format="logscale")

    assert detected["#type"] == "winlogbeat"
    assert forced["#type"] == "logscale"


def test_empty_file_reads_nothing(tmp_path: Path) -> None:
    path = tmp_path / "empty.json"
    path.write_bytes(b"\n\n")
    events, report = read_all([path])

    assert events == []
    assert report.rejected == 0


def test_folder_skips_unknown_files(tmp_path: Path) -> None:
    (tmp_path / "b").mkdir()
    write_lines(tmp_path / "b" / "events.json", [WINLOGBEAT_LINE])
    write_lines(tmp_path / "a.ndjson", [WINLOGBEAT_LINE, WINLOGBEAT_LINE])
    (tmp_path / "README.md").write_text("# Recordings\n\nSee the table below.\n")
    (tmp_path / ".hidden.json").write_text(WINLOGBEAT_LINE)
    events, report = read_all([tmp_path])

    assert len(events) == 3
    assert report.files == [str(tmp_path / "a.ndjson"), str(tmp_path / "b" / "events.json")]
    assert report.skipped_files == [str(tmp_path / "README.md")]
    assert report.rejected == 0


def test_folder_override_skips_readme(tmp_path: Path) -> None:
    write_lines(tmp_path / "events.json", [WINLOGBEAT_LINE])
    (tmp_path / "README.md").write_text("# Recordings\n")
    events, report = read_all([tmp_path], input_format="logscale")

    assert len(events) == 1
    assert report.skipped_files == [str(tmp_path / "README.md")]
    assert report.rejected == 0


def test_named_file_override_rejects_lines(tmp_path: Path) -> None:
    notes = tmp_path / "notes.txt"
    notes.write_text("first line\nsecond line\n")
    events, report = read_all([notes], input_format="logscale")

    assert events == []
    assert report.rejected == 2


def test_fixture_folder_skips_readme_and_csv() -> None:
    _, report = read_all([FIXTURES_DIR])

    assert [Path(name).name for name in report.files] == ["fdr_cmstp_sample.ndjson"]
    assert sorted(Path(name).name for name in report.skipped_files) == [
        "README.md",
        "aidmaster_sample.csv",
    ]


def test_zip_members(tmp_path: Path) -> None:
    archive = tmp_path / "bundle.zip"
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as bundle:
        bundle.writestr("logs/events.json", f"{WINLOGBEAT_LINE}\n{WINLOGBEAT_LINE}\n")
        bundle.writestr("README.txt", "Two Security events.\n")
        bundle.write(EVTX_DIR / "sysmon_1_13_11_cmstp_ini_uacbypass.evtx", "sysmon.evtx")
    events, report = read_all([archive])

    assert len(events) == 2 + 5
    assert report.skipped_files == [f"{archive}!README.txt"]
    assert sum(e["#type"] == "evtx" for e in events) == 5


def test_zip_member_problem_path(tmp_path: Path) -> None:
    archive = tmp_path / "bundle.zip"
    with zipfile.ZipFile(archive, "w") as bundle:
        bundle.writestr("events.json", f"{WINLOGBEAT_LINE}\n{{bad\n")
    _, report = read_all([archive])

    assert str(report.problems[0]).startswith(f"{archive}!events.json:line 2: ")


def test_bad_zip_error(tmp_path: Path) -> None:
    path = tmp_path / "broken.zip"
    path.write_bytes(b"PK\x03\x04 not really a zip")

    with pytest.raises(SourceError, match="cannot open zip file"):
        list(read_events([path]))


def test_gzip_json(tmp_path: Path) -> None:
    path = tmp_path / "events.json.gz"
    path.write_bytes(gzip.compress(f"{WINLOGBEAT_LINE}\n{WINLOGBEAT_LINE}\n".encode()))

    assert len(list(read_events([path]))) == 2


def test_not_gzip_error(tmp_path: Path) -> None:
    path = tmp_path / "events.json.gz"
    path.write_text(WINLOGBEAT_LINE)

    with pytest.raises(SourceError, match="cannot read"):
        list(read_events([path]))


def test_truncated_gzip_keeps_earlier_lines(tmp_path: Path) -> None:
    lines = [
        orjson.dumps(
            {"@timestamp": 1603346063975 + i, "EventID": 1, "Channel": "x", "n": i}
        ).decode()
        for i in range(20000)
    ]
    data = gzip.compress("\n".join(lines).encode())
    path = tmp_path / "events.json.gz"
    path.write_bytes(data[: len(data) // 2])
    events, report = read_all([path])

    assert 0 < len(events) < 20000
    assert report.rejected == 1
    assert report.problems[0].location == f"after line {len(events)}"
    assert "cannot read the rest of the file" in report.problems[0].reason


def test_json_array_export(tmp_path: Path) -> None:
    records = [orjson.loads(WINLOGBEAT_LINE), [1], orjson.loads(WINLOGBEAT_LINE)]
    path = tmp_path / "export.json"
    path.write_bytes(orjson.dumps(records, option=orjson.OPT_INDENT_2))
    events, report = read_all([path])

    assert len(events) == 2
    assert report.problems[0].location == "record 2"
    assert events[0]["@rawstring"] == orjson.dumps(records[0]).decode()


def test_broken_json_array(tmp_path: Path) -> None:
    path = tmp_path / "export.json"
    path.write_text(f"[\n{WINLOGBEAT_LINE},\n{{broken\n]")

    with pytest.raises(SourceError) as caught:
        list(read_events([path], input_format="logscale", strict=True))

    assert f"{path}:line 3:" in caught.value.description


def test_report_files_in_order(tmp_path: Path) -> None:
    first = write_lines(tmp_path / "2.json", [WINLOGBEAT_LINE])
    second = write_lines(tmp_path / "1.json", [WINLOGBEAT_LINE])
    _, report = read_all([first, second])

    assert report.files == [str(first), str(second)]
