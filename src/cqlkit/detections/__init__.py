"""Detections as code: validated detection folders with CQL queries and Sigma rules."""

from __future__ import annotations

from cqlkit.detections.catalog import (
    BUNDLED_CATALOG,
    Detection,
    DetectionError,
    find_detections,
    load_catalog,
    load_detection,
)
from cqlkit.detections.schema import Problem

__all__ = [
    "BUNDLED_CATALOG",
    "Detection",
    "DetectionError",
    "Problem",
    "find_detections",
    "load_catalog",
    "load_detection",
]
