"""Golden files of the catalog's Sigma conversions.

Every detection with a Sigma rule keeps one file per conversion target in
``conversions/<target>.txt``. These tests convert each rule again and compare. After a
deliberate change, such as an edited rule or an upgraded pySigma backend, rewrite the files
with

    CQLKIT_UPDATE_GOLDEN=1 .venv/bin/pytest tests/conversion/test_golden.py

and review the diff before committing it.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from cqlkit.conversion import (
    LOGSCALE_TARGET,
    TARGETS,
    check_logscale_query,
    convert_sigma,
    read_sigma_source,
)
from cqlkit.detections import Detection, load_catalog

UPDATE_GOLDEN = os.environ.get("CQLKIT_UPDATE_GOLDEN") == "1"
CONVERSIONS_FOLDER = "conversions"


@pytest.fixture(scope="module")
def sigma_detections() -> list[Detection]:
    return [detection for detection in load_catalog() if detection.sigma_path is not None]


def golden_path(detection: Detection, target: str) -> Path:
    return detection.path / CONVERSIONS_FOLDER / f"{target}.txt"


def test_catalog_has_sigma_detection(sigma_detections: list[Detection]) -> None:
    assert "T1218.003-cmstp" in [detection.id for detection in sigma_detections]


@pytest.mark.parametrize("target", list(TARGETS))
def test_conversion_matches_golden_file(sigma_detections: list[Detection], target: str) -> None:
    offenders = []
    for detection in sigma_detections:
        text = convert_sigma(read_sigma_source(detection.path), target).text
        path = golden_path(detection, target)
        if UPDATE_GOLDEN:
            path.parent.mkdir(exist_ok=True)
            path.write_text(text, encoding="utf-8")
        elif not path.is_file():
            offenders.append(f"{detection.id}: {path.name} is missing")
        elif path.read_text(encoding="utf-8") != text:
            offenders.append(f"{detection.id}: {path.name} differs from a new conversion")
    assert not offenders, "\n".join([*offenders, "regenerate with CQLKIT_UPDATE_GOLDEN=1"])


def test_conversion_folders_hold_only_targets(sigma_detections: list[Detection]) -> None:
    expected = {f"{target}.txt" for target in TARGETS}
    offenders = []
    for detection in sigma_detections:
        folder = detection.path / CONVERSIONS_FOLDER
        extra = sorted(path.name for path in folder.iterdir()) if folder.is_dir() else []
        offenders += [
            f"{detection.id}: unexpected {name}" for name in extra if name not in expected
        ]
    assert not offenders, "\n".join(offenders)


def test_golden_logscale_queries_pass_check(sigma_detections: list[Detection]) -> None:
    offenders = []
    for detection in sigma_detections:
        conversion = convert_sigma(read_sigma_source(detection.path), LOGSCALE_TARGET)
        golden = golden_path(detection, LOGSCALE_TARGET).read_text(encoding="utf-8")
        for rule in conversion.rules:
            for query in rule.queries:
                check = check_logscale_query(rule, query)
                if query not in golden.splitlines():
                    offenders.append(f"{detection.id}: query not in the golden file: {query}")
                if not check.passed:
                    offenders.append(f"{detection.id}: {query} fails the LogScale check")
    assert not offenders, "\n".join(offenders)
