"""The conversion library: finding a detection's rule, converting it, and its errors."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from cqlkit.conversion import (
    ConversionError,
    convert_sigma,
    find_target,
    read_sigma_source,
)
from cqlkit.detections import BUNDLED_CATALOG, DetectionError
from cqlkit.engines.duckdb.engine import DuckDBEngine
from cqlkit.engines.reference.context import RunContext
from cqlkit.engines.reference.interpreter import run_plan
from cqlkit.plan.planner import plan_query
from cqlkit.sources import read_events

ROOT = Path(__file__).resolve().parents[2]
OTRF_CMSTP = ROOT / "data" / "OTRF_Security-Datasets" / "psh_cmstp_execution_bypassuac.zip"
CMSTP = "T1218.003-cmstp"

CORRELATION_RULES = """\
title: cmstp base
id: 1b2c3d4e-5f60-4a7b-8c9d-0e1f2a3b4c5d
name: cmstp_base
status: experimental
logsource: {product: windows, category: process_creation}
detection:
  selection:
    Image|endswith: '\\\\cmstp.exe'
  condition: selection
---
title: many cmstp starts
id: 2c3d4e5f-6071-4b8c-9d0e-1f2a3b4c5d6e
status: experimental
correlation:
  type: event_count
  rules: [cmstp_base]
  group-by: [ComputerName]
  timespan: 10m
  condition: {gte: 3}
"""


def test_read_by_id_names_detection() -> None:
    source = read_sigma_source(CMSTP)
    assert source.detection is not None
    assert source.detection.id == CMSTP
    assert source.path == source.detection.sigma_path


def test_read_unknown_id_fails() -> None:
    with pytest.raises(DetectionError, match="unknown detection id"):
        read_sigma_source("T9999-none")


def test_detection_without_sigma_fails(tmp_path: Path) -> None:
    folder = tmp_path / CMSTP
    shutil.copytree(BUNDLED_CATALOG / CMSTP, folder)
    toml = (folder / "detection.toml").read_text(encoding="utf-8")
    (folder / "detection.toml").write_text(toml.replace('sigma = "sigma.yml"\n', ""))
    with pytest.raises(ConversionError, match="has no Sigma rule"):
        read_sigma_source(folder)


def test_unknown_target_fails() -> None:
    with pytest.raises(ConversionError, match="unknown conversion target 'kql'") as caught:
        find_target("kql")
    assert caught.value.hint is not None
    assert "logscale" in caught.value.hint


def test_rule_conversion_names_rule() -> None:
    conversion = convert_sigma(read_sigma_source(CMSTP), "logscale")
    (rule,) = conversion.rules
    assert rule.rule_id == "593106c9-a081-4da6-b792-300597c5c36d"
    assert rule.title.startswith("CMSTP Started With")
    assert len(rule.queries) == 1
    assert conversion.text == rule.queries[0] + "\n"


def test_correlation_rule_fails(tmp_path: Path) -> None:
    path = tmp_path / "correlation.yml"
    path.write_text(CORRELATION_RULES, encoding="utf-8")
    with pytest.raises(ConversionError, match="SigmaCorrelationRule"):
        convert_sigma(read_sigma_source(path), "splunk")


@pytest.mark.parametrize("engine", ["duckdb", "reference"])
def test_converted_logscale_finds_detection_hits(engine: str) -> None:
    """The converted rule and the catalog query find the same cmstp.exe starts."""
    source = read_sigma_source(CMSTP)
    assert source.detection is not None
    converted = plan_query(convert_sigma(source, "logscale").text)
    catalog = plan_query(source.detection.query())
    events = list(read_events(OTRF_CMSTP))
    if engine == "duckdb":
        converted_rows, catalog_rows = (
            result.rows for result in DuckDBEngine().run([converted, catalog], events)
        )
    else:
        converted_rows = run_plan(converted, events, RunContext())
        catalog_rows = run_plan(catalog, events, RunContext())
    assert len(catalog_rows) == 2
    assert sorted(row["@timestamp"] for row in converted_rows) == sorted(
        row["@timestamp"] for row in catalog_rows
    )
