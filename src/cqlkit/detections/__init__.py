"""Detections as code: validated detection folders with CQL queries, Sigma rules, test
fixtures and tuning sets."""

from __future__ import annotations

from cqlkit.detections.catalog import (
    BUNDLED_CATALOG,
    Detection,
    DetectionError,
    find_detections,
    load_catalog,
    load_detection,
)
from cqlkit.detections.fixtures import Exclusion, Expectation, ExpectedRow, Fixture
from cqlkit.detections.schema import Problem
from cqlkit.detections.tuning import TuningSet, apply_tuning

__all__ = [
    "BUNDLED_CATALOG",
    "Detection",
    "DetectionError",
    "Exclusion",
    "Expectation",
    "ExpectedRow",
    "Fixture",
    "Problem",
    "TuningSet",
    "apply_tuning",
    "find_detections",
    "load_catalog",
    "load_detection",
]
