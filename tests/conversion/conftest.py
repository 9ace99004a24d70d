"""Fixtures shared by the conversion tests."""

from __future__ import annotations

import socket

import pytest


@pytest.fixture(autouse=True)
def block_network(monkeypatch: pytest.MonkeyPatch) -> None:
    """Make any network access fail, because pySigma can download MITRE ATT&CK data."""

    def reject_connection(*args: object, **kwargs: object) -> None:
        raise OSError("network access is blocked in the conversion tests")

    monkeypatch.setattr(socket, "getaddrinfo", reject_connection)
    monkeypatch.setattr(socket.socket, "connect", reject_connection)
