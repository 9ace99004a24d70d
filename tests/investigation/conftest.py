"""Fixtures shared by the investigation tests."""

from __future__ import annotations

import socket
from pathlib import Path

import pytest

from cqlkit.detections import Detection, find_detections
from cqlkit.investigation import INVESTIGATIONS_FOLDER, Pivot, load_pivots
from cqlkit.sources import read_events
from cqlkit.sources.values import Event

ROOT = Path(__file__).resolve().parents[2]
OTRF_CMSTP = ROOT / "data" / "OTRF_Security-Datasets" / "psh_cmstp_execution_bypassuac.zip"
EVTX_SAMPLES = ROOT / "data" / "sbousseaden_EVTX-ATTACK-SAMPLES"


@pytest.fixture(autouse=True)
def block_network(monkeypatch: pytest.MonkeyPatch) -> None:
    """Make any network access fail: the investigation runs offline."""

    def reject_connection(*args: object, **kwargs: object) -> None:
        raise OSError("network access is blocked in the investigation tests")

    monkeypatch.setattr(socket, "getaddrinfo", reject_connection)
    monkeypatch.setattr(socket.socket, "connect", reject_connection)


@pytest.fixture(scope="session")
def cmstp() -> Detection:
    (detection,) = find_detections(["T1218.003-cmstp"])
    return detection


@pytest.fixture(scope="session")
def cmstp_pivots(cmstp: Detection) -> list[Pivot]:
    return load_pivots(cmstp.path / INVESTIGATIONS_FOLDER)


@pytest.fixture(scope="session")
def otrf_events() -> list[Event]:
    """The OTRF CMSTP UAC-bypass recording: Sysmon and Security events of one run."""
    return list(read_events(OTRF_CMSTP))
