"""Fixtures shared by the detection tests."""

from __future__ import annotations

import socket

import pytest

from cqlkit.detections import Detection, load_catalog


@pytest.fixture(scope="session")
def catalog() -> list[Detection]:
    """Return the bundled catalog, loaded once per test session."""
    return load_catalog()


@pytest.fixture(autouse=True)
def block_network(monkeypatch: pytest.MonkeyPatch) -> None:
    """Make any network access fail, because some pySigma helpers download MITRE data."""

    def reject_connection(*args: object, **kwargs: object) -> None:
        raise OSError("network access is blocked in the detection tests")

    monkeypatch.setattr(socket, "getaddrinfo", reject_connection)
    monkeypatch.setattr(socket.socket, "connect", reject_connection)
