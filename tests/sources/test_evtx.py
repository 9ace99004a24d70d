"""EVTX input: damaged records, strict mode, and EVTX files inside archives."""

from __future__ import annotations

import gzip
from pathlib import Path

import pytest

from cqlkit.errors import SourceError
from cqlkit.sources import read_events

from .conftest import EVTX_DIR, read_all

EDR_SCRIPT_EVTX = EVTX_DIR / "panache_sysmon_vs_EDRTestingScript.evtx"
CMSTP_INI_EVTX = EVTX_DIR / "sysmon_1_13_11_cmstp_ini_uacbypass.evtx"

# Every EVTX record starts with these four bytes.
RECORD_SIGNATURE = b"\x2a\x2a\x00\x00"


def _damage_record(source: Path, target: Path, record_number: int) -> Path:
    """Copy an EVTX file, overwriting the body of one record so its BinXML cannot be parsed."""
    data = bytearray(source.read_bytes())
    start = -1
    for _ in range(record_number):
        start = data.index(RECORD_SIGNATURE, start + 1)
    body = start + 24  # after signature, size, record id and timestamp
    data[body : body + 200] = b"\xff" * 200
    target.write_bytes(bytes(data))
    return target


def test_damaged_record_skipped(tmp_path: Path) -> None:
    damaged = _damage_record(EDR_SCRIPT_EVTX, tmp_path / "damaged.evtx", record_number=5)
    events, report = read_all([damaged])

    assert len(events) == 121
    assert report.rejected == 1
    assert report.problems[0].location == "record 5"
    assert report.problems[0].path == str(damaged)


def test_damaged_record_strict(tmp_path: Path) -> None:
    damaged = _damage_record(EDR_SCRIPT_EVTX, tmp_path / "damaged.evtx", record_number=5)

    with pytest.raises(SourceError) as caught:
        list(read_events([damaged], strict=True))

    assert f"{damaged}:record 5:" in caught.value.description


def test_not_an_evtx_file(tmp_path: Path) -> None:
    path = tmp_path / "fake.evtx"
    path.write_text("this is not an event log\n")

    with pytest.raises(SourceError, match="as EVTX"):
        list(read_events([path]))


def test_evtx_override_on_json(tmp_path: Path) -> None:
    path = tmp_path / "events.json"
    path.write_text('{"EventID": 1, "Channel": "x", "@timestamp": 1}\n')

    with pytest.raises(SourceError, match="as EVTX"):
        list(read_events([path], input_format="evtx"))


def test_gzip_evtx(tmp_path: Path) -> None:
    packed = tmp_path / "cmstp.evtx.gz"
    packed.write_bytes(gzip.compress(CMSTP_INI_EVTX.read_bytes()))

    assert list(read_events([packed])) == list(read_events([CMSTP_INI_EVTX]))
