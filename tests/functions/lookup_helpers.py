"""Helpers of the lookup tests: lookup folders written by the test itself."""

from __future__ import annotations

from pathlib import Path

from cqlkit.plan.resources import Resources


def lookup_folder(folder: Path, files: dict[str, str]) -> Resources:
    """Write ``files`` (name to text) into ``folder`` and return resources that
    point --lookup-dir at it."""
    for name, text in files.items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return Resources(lookup_dir=folder)
