"""Shared paths and stores of the store tests."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from cqlkit.sources import Event
from cqlkit.store import IngestResult, ingest

REPO_ROOT = Path(__file__).resolve().parents[2]
DATA_DIR = REPO_ROOT / "data"
OTRF_DIR = DATA_DIR / "OTRF_Security-Datasets"
EVTX_DIR = DATA_DIR / "sbousseaden_EVTX-ATTACK-SAMPLES"
FIXTURES_DIR = REPO_ROOT / "tests" / "sources" / "fixtures"

CMSTP_INI_EVTX = EVTX_DIR / "sysmon_1_13_11_cmstp_ini_uacbypass.evtx"
EDR_SCRIPT_EVTX = EVTX_DIR / "panache_sysmon_vs_EDRTestingScript.evtx"
OTRF_CMSTP_ZIP = OTRF_DIR / "psh_cmstp_execution_bypassuac.zip"


def event_key(event: Event) -> tuple[str, str]:
    """Return a sort key that orders events the same way whatever store file they came from."""
    return event["@timestamp"], event["@rawstring"]


def partition_rows(result: IngestResult) -> Counter[tuple[str | None, str | None]]:
    """Count the rows written per (day, event type) partition."""
    rows: Counter[tuple[str | None, str | None]] = Counter()
    for part in result.parts:
        rows[part.day, part.event_type] += part.rows
    return rows


@pytest.fixture(scope="session")
def data_store(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, IngestResult]:
    """A store of every bundled recording, shared by tests that only read it."""
    store = tmp_path_factory.mktemp("data_store")
    return store, ingest([DATA_DIR], store)
