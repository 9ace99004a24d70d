"""Shared paths and helpers of the sources tests."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import pytest

from cqlkit.sources import Event, ReadReport, read_events

REPO_ROOT = Path(__file__).resolve().parents[2]
DATA_DIR = REPO_ROOT / "data"
OTRF_DIR = DATA_DIR / "OTRF_Security-Datasets"
EVTX_DIR = DATA_DIR / "sbousseaden_EVTX-ATTACK-SAMPLES"
FIXTURES_DIR = Path(__file__).resolve().parent / "fixtures"


def read_all(
    paths: Iterable[Path | str], *, input_format: str | None = None
) -> tuple[list[Event], ReadReport]:
    """Read every event of ``paths`` into a list, returning it with the filled report."""
    report = ReadReport()
    events = list(read_events(list(paths), input_format=input_format, report=report))
    return events, report


def write_lines(path: Path, lines: Iterable[str]) -> Path:
    """Write text lines to ``path`` with newline endings and return the path."""
    path.write_text("".join(f"{line}\n" for line in lines), encoding="utf-8")
    return path


@pytest.fixture
def fdr_sample() -> Path:
    return FIXTURES_DIR / "fdr_cmstp_sample.ndjson"


@pytest.fixture
def aidmaster_sample() -> Path:
    return FIXTURES_DIR / "aidmaster_sample.csv"
