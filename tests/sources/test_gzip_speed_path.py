"""Choice of the gzip library: python-isal or zlib-ng when installed, else the standard library."""

from __future__ import annotations

import gzip
import random
import sys
from pathlib import Path

import orjson
import pytest

from cqlkit.sources import containers, read_events
from cqlkit.sources.containers import GzipLibrary, find_gzip_library

from .conftest import read_all

FAST_MODULE_NAMES = ("isal.igzip", "isal.isal_zlib", "zlib_ng.gzip_ng", "zlib_ng.zlib_ng")


def _standard_library(monkeypatch: pytest.MonkeyPatch) -> GzipLibrary:
    """Return the library find_gzip_library chooses when no fast module can be imported."""
    for name in FAST_MODULE_NAMES:
        # A None entry in sys.modules makes the import raise ImportError.
        monkeypatch.setitem(sys.modules, name, None)
    return find_gzip_library()


def _fast_library() -> GzipLibrary:
    pytest.importorskip("isal.igzip")
    return find_gzip_library()


def _ndjson_lines(count: int) -> list[bytes]:
    generator = random.Random(20201022)
    return [
        orjson.dumps(
            {
                "@timestamp": 1603346063975 + i,
                "EventID": 1,
                "Channel": "Microsoft-Windows-Sysmon/Operational",
                "CommandLine": "cmstp.exe /s " + "".join(generator.choices("abcdef\\/ ", k=60)),
            }
        )
        + b"\n"
        for i in range(count)
    ]


def test_fast_library_preferred() -> None:
    library = _fast_library()

    assert library.name == "isal.igzip"
    assert library.errors


def test_standard_library_fallback(monkeypatch: pytest.MonkeyPatch) -> None:
    library = _standard_library(monkeypatch)

    assert library.name == "gzip"
    assert library.errors == ()


def test_zlib_ng_chosen_without_isal(monkeypatch: pytest.MonkeyPatch) -> None:
    pytest.importorskip("zlib_ng.gzip_ng")
    monkeypatch.setitem(sys.modules, "isal.igzip", None)

    assert find_gzip_library().name == "zlib_ng.gzip_ng"


def test_both_libraries_same_bytes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    fast = _fast_library()
    standard = _standard_library(monkeypatch)
    data = b"".join(_ndjson_lines(5000))
    path = tmp_path / "events.json.gz"
    # Two gzip members in one file, as `cat a.gz b.gz` makes them.
    path.write_bytes(gzip.compress(data[:100_000]) + gzip.compress(data[100_000:]))

    with fast.open(str(path)) as stream:
        fast_bytes = stream.read()
    with standard.open(str(path)) as stream:
        standard_bytes = stream.read()

    assert fast_bytes == data
    assert standard_bytes == data


def test_both_libraries_same_events(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    fast = _fast_library()
    path = tmp_path / "events.json.gz"
    path.write_bytes(gzip.compress(b"".join(_ndjson_lines(2000))))

    monkeypatch.setattr(containers, "GZIP_LIBRARY", fast)
    fast_events = list(read_events([path]))
    monkeypatch.setattr(containers, "GZIP_LIBRARY", _standard_library(monkeypatch))
    standard_events = list(read_events([path]))

    assert len(fast_events) == 2000
    assert fast_events == standard_events


@pytest.mark.parametrize("library_kind", ["fast", "standard"])
def test_damaged_deflate_data_rejected(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, library_kind: str
) -> None:
    library = _fast_library() if library_kind == "fast" else _standard_library(monkeypatch)
    monkeypatch.setattr(containers, "GZIP_LIBRARY", library)
    data = bytearray(gzip.compress(b"".join(_ndjson_lines(20000))))
    # These bytes make an invalid deflate block, found by trial on this fixed input. Other
    # damage often decodes to garbage that only the CRC check at the end catches.
    damage_at = len(data) // 3
    data[damage_at : damage_at + 8] = b"\xff" * 8
    path = tmp_path / "events.json.gz"
    path.write_bytes(bytes(data))

    with pytest.raises(containers.STREAM_ERRORS) as caught, library.open(str(path)) as stream:
        stream.read()
    events, report = read_all([path])

    assert not isinstance(caught.value, OSError)
    assert 0 < len(events) < 20000
    assert "cannot read the rest of the file" in report.problems[-1].reason
