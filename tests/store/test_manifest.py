"""The store manifest: atomic writes and clear errors for missing or corrupt manifests."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import orjson
import pytest

from cqlkit.errors import SourceError
from cqlkit.store import MANIFEST_NAME, ingest, load_manifest, select_files
from cqlkit.store.layout import Partition, escape_value
from cqlkit.store.manifest import save_manifest

from .conftest import CMSTP_INI_EVTX


@pytest.fixture
def store(tmp_path: Path) -> Path:
    path = tmp_path / "store"
    ingest([CMSTP_INI_EVTX], path)
    return path


def _edit_manifest(store: Path, edit: Callable[[dict[str, Any]], None]) -> None:
    path = store / MANIFEST_NAME
    document = orjson.loads(path.read_bytes())
    edit(document)
    path.write_bytes(orjson.dumps(document))


def test_manifest_document(store: Path) -> None:
    document = orjson.loads((store / MANIFEST_NAME).read_bytes())

    assert document["format"] == "cqlkit-store"
    assert document["version"] == 1
    assert set(document["inputs"][0]) == {
        "path",
        "size",
        "mtime",
        "sha256",
        "events",
        "ingested_at",
    }
    assert set(document["parts"][0]) == {
        "path",
        "day",
        "event_type",
        "rows",
        "min_time",
        "max_time",
        "columns",
        "bytes",
        "inputs",
    }


def test_save_and_load_roundtrip(store: Path) -> None:
    manifest = load_manifest(store)
    save_manifest(store, manifest)

    assert load_manifest(store) == manifest
    assert sorted(path.name for path in store.iterdir() if path.is_file()) == [
        ".ingest.lock",
        MANIFEST_NAME,
    ]


def test_invalid_json_error(store: Path) -> None:
    (store / MANIFEST_NAME).write_text('{"format": "cqlkit-store", "version": 1, "inputs": [')

    with pytest.raises(SourceError) as caught:
        select_files(store)

    assert f"invalid store manifest {store.resolve() / MANIFEST_NAME}" in caught.value.description
    assert "invalid JSON at line 1" in caught.value.description
    assert caught.value.hint is not None
    assert "ingest the input files again" in caught.value.hint


def test_corrupt_manifest_blocks_ingest(store: Path) -> None:
    (store / MANIFEST_NAME).write_text("")

    with pytest.raises(SourceError, match="invalid store manifest"):
        ingest([CMSTP_INI_EVTX], store)


CORRUPTION_CASES: list[tuple[str, Callable[[dict[str, Any]], None], str]] = [
    ("not-a-store", lambda d: d.update(format="other"), "'format' is missing or not"),
    ("parts-not-array", lambda d: d.update(parts={}), "parts must be a JSON array"),
    ("part-not-object", lambda d: d["parts"].append(3), "parts[2] must be a JSON object"),
    ("rows-text", lambda d: d["parts"][0].update(rows="3"), "parts[0].rows must be"),
    ("rows-negative", lambda d: d["parts"][1].update(rows=-1), "parts[1].rows must be"),
    ("time-float", lambda d: d["parts"][0].update(min_time=1.5), "parts[0].min_time must be"),
    ("columns-mixed", lambda d: d["parts"][0].update(columns=["a", 1]), "parts[0].columns"),
    ("path-escapes", lambda d: d["parts"][0].update(path="../x.parquet"), "parts[0].path"),
    ("path-absolute", lambda d: d["parts"][0].update(path="/tmp/x.parquet"), "parts[0].path"),
    ("sha-short", lambda d: d["inputs"][0].update(sha256="abc"), "inputs[0].sha256"),
    ("input-missing-key", lambda d: d["inputs"][0].pop("size"), "inputs[0].size"),
    ("part-inputs", lambda d: d["parts"][0].update(inputs=["x"]), "parts[0].inputs"),
]


@pytest.mark.parametrize(
    ("edit", "expected"),
    [case[1:] for case in CORRUPTION_CASES],
    ids=[case[0] for case in CORRUPTION_CASES],
)
def test_corrupt_manifest_error(
    store: Path, edit: Callable[[dict[str, Any]], None], expected: str
) -> None:
    _edit_manifest(store, edit)

    with pytest.raises(SourceError) as caught:
        load_manifest(store)

    assert str(store / MANIFEST_NAME) in caught.value.description
    assert expected in caught.value.description


def test_newer_version_error(store: Path) -> None:
    _edit_manifest(store, lambda document: document.update(version=2))

    with pytest.raises(SourceError) as caught:
        load_manifest(store)

    assert "format version 2" in caught.value.description
    assert "reads version 1" in caught.value.description


def test_missing_manifest_error(tmp_path: Path) -> None:
    with pytest.raises(SourceError) as caught:
        load_manifest(tmp_path)

    assert caught.value.description == (
        f"no store at {tmp_path}: {tmp_path / MANIFEST_NAME} not found"
    )


def test_failed_save_keeps_old_manifest(store: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    before = (store / MANIFEST_NAME).read_bytes()

    def fail_replace(source: str, target: Path) -> None:
        raise OSError("disk full")

    monkeypatch.setattr("cqlkit.store.manifest.os.replace", fail_replace)
    with pytest.raises(OSError, match="disk full"):
        save_manifest(store, load_manifest(store))

    assert (store / MANIFEST_NAME).read_bytes() == before
    assert not list(store.glob(".manifest-*"))


ESCAPE_CASES = [
    ("ProcessRollup2", "ProcessRollup2"),
    ("a/b", "a%2Fb"),
    ("..", "%2E%2E"),
    ("x=y z", "x%3Dy%20z"),
    ("é", "%C3%A9"),
]


@pytest.mark.parametrize(("value", "expected"), ESCAPE_CASES, ids=[c[1] for c in ESCAPE_CASES])
def test_escape_value(value: str, expected: str) -> None:
    assert escape_value(value) == expected


def test_partition_folder_of_missing_values() -> None:
    assert Partition(None, None).folder() == "day=__none__/event=__none__"
    assert Partition("2020-10-22", "").folder() == "day=2020-10-22/event=__none__"
