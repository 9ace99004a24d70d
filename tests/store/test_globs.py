"""Glob patterns as input paths, for read_events and for ingest."""

from __future__ import annotations

from pathlib import Path

import pytest

from cqlkit.errors import SourceError
from cqlkit.sources import ReadReport, expand_paths, read_events
from cqlkit.store import ingest

from .conftest import DATA_DIR, EVTX_DIR

LINE = '{"@timestamp":"2020-10-22T01:54:23.975Z","EventID":4663,"Channel":"Security"}\n'


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    """a.json, b.ndjson, notes.txt, sub/c.json, sub/deeper/d.json and .hidden/e.json."""
    for name in ("a.json", "b.ndjson", "sub/c.json", "sub/deeper/d.json", ".hidden/e.json"):
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(LINE)
    (tmp_path / "notes.txt").write_text("not telemetry\n")
    return tmp_path


def _names(tree: Path, paths: list[str]) -> list[str]:
    return [Path(path).relative_to(tree).as_posix() for path in paths]


GLOB_CASES = [
    ("star", "*.json", ["a.json"]),
    ("question-mark", "?.*json", ["a.json", "b.ndjson"]),
    ("recursive", "**/*.json", ["a.json", "sub/c.json", "sub/deeper/d.json"]),
    ("folder-match", "su*", ["sub/c.json", "sub/deeper/d.json"]),
    ("recursive-folder", "sub/**", ["sub/c.json", "sub/deeper/d.json"]),
]


@pytest.mark.parametrize(
    ("pattern", "expected"),
    [case[1:] for case in GLOB_CASES],
    ids=[case[0] for case in GLOB_CASES],
)
def test_glob_expansion(tree: Path, pattern: str, expected: list[str]) -> None:
    report = ReadReport()
    events = list(read_events(str(tree / pattern), report=report))

    assert _names(tree, report.files) == expected
    assert len(events) == len(expected)


def test_glob_matches_sorted_and_deduplicated(tree: Path) -> None:
    inputs = expand_paths([str(tree / "**/*.json"), str(tree / "sub/*.json"), tree / "a.json"])

    assert _names(tree, [found.path for found in inputs]) == [
        "a.json",
        "sub/c.json",
        "sub/deeper/d.json",
    ]
    assert not any(found.named for found in inputs)


def test_glob_skips_unknown_files(tree: Path) -> None:
    report = ReadReport()
    events = list(read_events(str(tree / "*"), report=report))

    assert len(events) == 4
    assert _names(tree, report.skipped_files) == ["notes.txt"]


def test_glob_matching_nothing(tree: Path) -> None:
    pattern = str(tree / "**/*.evtx")

    with pytest.raises(SourceError) as caught:
        read_events(pattern)

    assert caught.value.description == f"no file matches the glob pattern {pattern}"
    assert caught.value.hint is not None
    assert "**" in caught.value.hint


def test_existing_path_with_glob_character(tmp_path: Path) -> None:
    path = tmp_path / "events[*].json"
    path.write_text(LINE)

    assert len(list(read_events(path))) == 1


def test_ingest_glob(tmp_path: Path) -> None:
    result = ingest(str(DATA_DIR / "**" / "*.evtx"), tmp_path / "store")

    assert sorted(Path(record.path).name for record in result.inputs) == sorted(
        path.name for path in EVTX_DIR.glob("*.evtx")
    )
    assert result.events == 5 + 122 + 565


def test_ingest_glob_matching_nothing(tmp_path: Path) -> None:
    with pytest.raises(SourceError, match="no file matches the glob pattern"):
        ingest(str(tmp_path / "*.evtx"), tmp_path / "store")

    assert not (tmp_path / "store").exists()
