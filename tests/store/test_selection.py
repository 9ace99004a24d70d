"""select_files: pruning by time range and event type from the manifest alone."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from cqlkit.errors import SourceError
from cqlkit.store import IngestResult, ingest, select_files

from .conftest import CMSTP_INI_EVTX, EDR_SCRIPT_EVTX, OTRF_CMSTP_ZIP


def _day_ms(day: str) -> int:
    return int(datetime.fromisoformat(day).replace(tzinfo=UTC).timestamp() * 1000)


@pytest.fixture(scope="module")
def three_day_store(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, IngestResult]:
    """Six part files: ProcessRollup2 and others on 2019-05-11, 2019-07-29 and 2020-10-22."""
    store = tmp_path_factory.mktemp("three_days")
    return store, ingest([CMSTP_INI_EVTX, EDR_SCRIPT_EVTX, OTRF_CMSTP_ZIP], store)


def test_everything_selected(three_day_store: tuple[Path, IngestResult]) -> None:
    store, result = three_day_store
    selection = select_files(store)

    assert selection.total == 6
    assert selection.pruned == 0
    assert selection.files == sorted(store.resolve() / part.path for part in result.parts)
    assert selection.columns == tuple(
        sorted({name for part in result.parts for name in part.columns})
    )


DAY_CASES = [
    ("one-day", "2019-07-29", "2019-07-30", {"2019-07-29"}),
    ("two-days", "2019-05-11", "2019-07-30", {"2019-05-11", "2019-07-29"}),
    ("no-day", "2019-08-01", "2020-10-01", set()),
    ("open-end", "2020-01-01", None, {"2020-10-22"}),
    ("open-start", None, "2019-05-12", {"2019-05-11"}),
]


@pytest.mark.parametrize(
    ("start", "end", "days"),
    [case[1:] for case in DAY_CASES],
    ids=[case[0] for case in DAY_CASES],
)
def test_pruning_by_day(
    three_day_store: tuple[Path, IngestResult],
    start: str | None,
    end: str | None,
    days: set[str],
) -> None:
    store, _ = three_day_store
    selection = select_files(
        store,
        start_ms=None if start is None else _day_ms(start),
        end_ms=None if end is None else _day_ms(end),
    )
    selected_days = {path.parent.parent.name.removeprefix("day=") for path in selection.files}

    assert selected_days == days
    assert len(selection.files) == 2 * len(days)
    assert selection.pruned == 6 - 2 * len(days)
    assert selection.total == 6


def test_pruning_by_event_type(three_day_store: tuple[Path, IngestResult]) -> None:
    store, _ = three_day_store
    selection = select_files(store, event_types={"ProcessRollup2"})

    assert len(selection.files) == 3
    assert selection.pruned == 3
    assert all(path.parent.name == "event=ProcessRollup2" for path in selection.files)
    assert "CommandLine" in selection.columns


def test_unknown_event_type_selects_nothing(three_day_store: tuple[Path, IngestResult]) -> None:
    store, _ = three_day_store
    selection = select_files(store, event_types=["DnsRequest"])

    assert selection.files == []
    assert selection.columns == ()
    assert selection.pruned == 6


def test_pruning_by_day_and_event_type(three_day_store: tuple[Path, IngestResult]) -> None:
    store, _ = three_day_store
    selection = select_files(
        store,
        start_ms=_day_ms("2020-10-22"),
        end_ms=_day_ms("2020-10-23"),
        event_types=("ProcessRollup2",),
    )

    assert [path.parent.as_posix().split("/")[-2:] for path in selection.files] == [
        ["day=2020-10-22", "event=ProcessRollup2"]
    ]
    assert selection.pruned == 5


def test_range_bounds_use_part_times(three_day_store: tuple[Path, IngestResult]) -> None:
    store, result = three_day_store
    part = next(
        part
        for part in result.parts
        if part.day == "2019-05-11" and part.event_type == "ProcessRollup2"
    )
    assert part.min_time is not None
    assert part.max_time is not None
    same_type = {"ProcessRollup2"}

    # The range is [start, end): a part that ends at start is kept, one that begins at end is not.
    assert len(select_files(store, start_ms=part.max_time, event_types=same_type).files) == 3
    assert len(select_files(store, start_ms=part.max_time + 1, event_types=same_type).files) == 2
    assert len(select_files(store, end_ms=part.min_time, event_types=same_type).files) == 0
    assert len(select_files(store, end_ms=part.min_time + 1, event_types=same_type).files) == 1


def test_selection_reads_no_parquet(
    three_day_store: tuple[Path, IngestResult], monkeypatch: pytest.MonkeyPatch
) -> None:
    store, _ = three_day_store

    def fail(*args: object, **kwargs: object) -> None:
        raise AssertionError("select_files opened a Parquet file")

    monkeypatch.setattr(pq, "ParquetFile", fail)
    monkeypatch.setattr(pq, "read_table", fail)
    monkeypatch.setattr(pq, "read_metadata", fail)
    monkeypatch.setattr(pq, "read_schema", fail)

    assert select_files(store, event_types={"ProcessRollup2"}).pruned == 3


def test_missing_part_file_error(tmp_path: Path) -> None:
    store = tmp_path / "store"
    result = ingest([CMSTP_INI_EVTX], store)
    missing = store / result.parts[0].path
    missing.unlink()

    with pytest.raises(SourceError) as caught:
        select_files(store)

    assert str(missing.resolve()) in caught.value.description
    assert caught.value.hint is not None
    assert "ingest" in caught.value.hint


def test_missing_store_error(tmp_path: Path) -> None:
    with pytest.raises(SourceError) as caught:
        select_files(tmp_path / "nowhere")

    assert "no store at" in caught.value.description
    assert "manifest.json not found" in caught.value.description
