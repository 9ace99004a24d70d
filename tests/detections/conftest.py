"""Fixtures shared by the detection tests."""

from __future__ import annotations

import socket
from collections.abc import Callable
from pathlib import Path

import pytest

from cqlkit.detections import Detection, load_catalog

from .demo_package import write_demo_package


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


@pytest.fixture
def make_package(tmp_path: Path) -> Callable[..., Path]:
    """Return a function that writes the demo detection package and returns its folder.

    The function takes the ``files`` argument of :func:`write_demo_package` and an optional
    root folder.
    """

    def make(files: dict[str, str | None] | None = None, root: Path = tmp_path) -> Path:
        return write_demo_package(root, files)

    return make
