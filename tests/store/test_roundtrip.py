"""Part files read back with read_events give the source events, field for field, as text."""

from __future__ import annotations

from pathlib import Path

import pytest

from cqlkit.sources import read_events
from cqlkit.store import IngestResult, ingest, select_files

from .conftest import CMSTP_INI_EVTX, DATA_DIR, FIXTURES_DIR, event_key


def _assert_same_events(store: Path, sources: list[Path]) -> None:
    stored = sorted(read_events(select_files(store).files), key=event_key)
    expected = sorted(read_events(sources), key=event_key)

    assert len(stored) == len(expected)
    for stored_event, expected_event in zip(stored, expected, strict=True):
        assert stored_event == expected_event


def test_data_folder_roundtrip(data_store: tuple[Path, IngestResult]) -> None:
    store, _ = data_store

    _assert_same_events(store, [DATA_DIR])


@pytest.mark.parametrize(
    "source",
    [CMSTP_INI_EVTX, FIXTURES_DIR / "fdr_cmstp_sample.ndjson"],
    ids=["evtx", "fdr"],
)
def test_single_file_roundtrip(tmp_path: Path, source: Path) -> None:
    store = tmp_path / "store"
    ingest([source], store)

    _assert_same_events(store, [source])


def test_selected_events_only(data_store: tuple[Path, IngestResult]) -> None:
    store, _ = data_store
    selection = select_files(store, event_types={"ProcessRollup2"})
    events = list(read_events(selection.files))

    assert len(events) == 3 + 96 + 511 + 10 + 666 + 73 + 16 + 322
    assert {event["#event_simpleName"] for event in events} == {"ProcessRollup2"}
