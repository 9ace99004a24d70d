"""Falcon Data Replicator input: LogScale-derived fields, gzip and aidmaster enrichment.

The FDR sample under fixtures/ is hand-written (see fixtures/README.md), because no public
FDR recording of a cmstp execution exists.
"""

from __future__ import annotations

import gzip
from pathlib import Path

import pytest

from cqlkit.errors import SourceError
from cqlkit.sources import read_events

from .conftest import read_all, write_lines

CMSTP_COMMAND = '"C:\\windows\\system32\\cmstp.exe" /s C:\\ProgramData\\T1218.003_uacbypass.inf /au'


def _by_id(events: list[dict[str, str]]) -> dict[str, dict[str, str]]:
    return {event["id"]: event for event in events}


def test_fdr_sample_read(fdr_sample: Path) -> None:
    events, report = read_all([fdr_sample])

    assert report.events_read == 6
    assert report.rejected == 0
    assert {e["#type"] for e in events} == {"fdr"}


def test_fdr_tags_and_time(fdr_sample: Path) -> None:
    (cmstp,) = [e for e in read_events([fdr_sample]) if e.get("CommandLine") == CMSTP_COMMAND]

    assert cmstp["#event_simpleName"] == "ProcessRollup2"
    assert cmstp["event_simpleName"] == "ProcessRollup2"
    assert cmstp["#cid"] == "4e2a9c7b1d3f5a6b8c9d0e1f2a3b4c5d"
    assert cmstp["@timestamp"] == "1603346064210"
    assert cmstp["timestamp"] == "1603346064210"
    assert cmstp["ProcessStartTime"] == "1603346063.975"


def test_fdr_file_name_and_path(fdr_sample: Path) -> None:
    events = _by_id(list(read_events([fdr_sample])))
    cmstp = events["6e1d9f3b-1438-11eb-9f3a-06d1c2b3a4e5"]
    synthetic = events["80ab1c5d-1438-11eb-9f3a-06d1c2b3a4e5"]
    dns = events["7f2e0a4c-1438-11eb-9f3a-06d1c2b3a4e5"]

    assert cmstp["FileName"] == "cmstp.exe"
    assert cmstp["FilePath"] == "\\Device\\HarddiskVolume3\\Windows\\System32\\"
    assert synthetic["FileName"] == "svchost.exe"
    assert "FileName" not in dns


def test_fdr_rawstring_is_line(fdr_sample: Path) -> None:
    first_line = fdr_sample.read_text(encoding="utf-8").splitlines()[0]
    first = next(read_events([fdr_sample]))

    assert first["@rawstring"] == first_line


def test_fdr_gzip(fdr_sample: Path, tmp_path: Path) -> None:
    packed = tmp_path / "part-00000.gz"
    packed.write_bytes(gzip.compress(fdr_sample.read_bytes()))

    assert list(read_events([packed])) == list(read_events([fdr_sample]))


def test_fdr_context_time_fallback(tmp_path: Path) -> None:
    path = write_lines(
        tmp_path / "fdr.json",
        ['{"event_simpleName":"DnsRequest","aid":"ab","ContextTimeStamp":"1603346064.402"}'],
    )
    (event,) = read_events([path])

    assert event["@timestamp"] == "1603346064402"


def test_fdr_missing_time_rejected(tmp_path: Path) -> None:
    path = write_lines(
        tmp_path / "fdr.json",
        [
            '{"event_simpleName":"DnsRequest","aid":"ab","timestamp":"1603346065031"}',
            '{"event_simpleName":"DnsRequest","aid":"ab"}',
            '{"event_simpleName":"DnsRequest","aid":"ab","timestamp":"yesterday"}',
        ],
    )
    _, report = read_all([path])

    assert report.rejected == 2
    assert [p.location for p in report.problems] == ["line 2", "line 3"]
    assert report.problems[0].reason == "missing field timestamp (epoch milliseconds)"


def test_aidmaster_adds_computer_name(fdr_sample: Path, aidmaster_sample: Path) -> None:
    events = _by_id(list(read_events([fdr_sample], aidmaster=aidmaster_sample)))

    assert events["6e1d9f3b-1438-11eb-9f3a-06d1c2b3a4e5"]["ComputerName"] == "WORKSTATION5"
    assert events["80ab1c5d-1438-11eb-9f3a-06d1c2b3a4e5"]["ComputerName"] == "MORDORDC"


def test_aidmaster_keeps_own_name(fdr_sample: Path, aidmaster_sample: Path) -> None:
    events = _by_id(list(read_events([fdr_sample], aidmaster=aidmaster_sample)))

    assert events["a2cd3e7f-1438-11eb-9f3a-06d1c2b3a4e5"]["ComputerName"] == "FINANCE-LT07"


def test_no_aidmaster_no_name(fdr_sample: Path) -> None:
    events = _by_id(list(read_events([fdr_sample])))

    assert "ComputerName" not in events["6e1d9f3b-1438-11eb-9f3a-06d1c2b3a4e5"]


def test_aidmaster_json_lines(fdr_sample: Path, tmp_path: Path) -> None:
    table = write_lines(
        tmp_path / "aidmaster.json",
        ['{"aid":"7c1f0e9a2b3d4c5e8f9a0b1c2d3e4f50","ComputerName":"WS5-JSON","ProductType":"1"}'],
    )
    events = _by_id(list(read_events([fdr_sample], aidmaster=table)))

    assert events["6e1d9f3b-1438-11eb-9f3a-06d1c2b3a4e5"]["ComputerName"] == "WS5-JSON"


def test_aidmaster_missing_column(fdr_sample: Path, tmp_path: Path) -> None:
    table = write_lines(tmp_path / "aidmaster.csv", ["aid,Hostname", "7c1f,WS5"])

    with pytest.raises(SourceError, match="has no ComputerName column"):
        read_events([fdr_sample], aidmaster=table)


def test_aidmaster_missing_file(fdr_sample: Path, tmp_path: Path) -> None:
    with pytest.raises(SourceError, match="cannot read aidmaster file"):
        read_events([fdr_sample], aidmaster=tmp_path / "none.csv")
