"""JUnit XML output, parsed back with xml.etree."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

from cqlkit.detections import load_detection
from cqlkit.testing import FixtureRun, run_fixture_tests
from cqlkit.testing.junit import FAILURE_TYPE, write_junit
from detections.demo_package import DEMO_FIXTURE, write_demo_package


def written(run: FixtureRun, tmp_path: Path) -> ET.Element:
    path = tmp_path / "results.xml"
    write_junit(run, path)
    assert path.read_bytes().startswith(b"<?xml version='1.0' encoding='utf-8'?>")
    return ET.parse(path).getroot()


def test_cmstp_document_shape(cmstp_run: FixtureRun, tmp_path: Path) -> None:
    root = written(cmstp_run, tmp_path)

    assert root.tag == "testsuites"
    assert root.get("tests") == "174"
    assert root.get("failures") == "0"
    (suite,) = root.findall("testsuite")
    assert suite.get("name") == "T1218.003-cmstp"
    assert suite.get("tests") == "174"
    assert len(suite.findall("testcase")) == 174
    assert suite.find("properties") is None


def test_cmstp_testcase_names(cmstp_run: FixtureRun, tmp_path: Path) -> None:
    cases = written(cmstp_run, tmp_path).findall("testsuite/testcase")

    first = cases[0]
    assert first.get("classname") == "T1218.003-cmstp.art-t1218-003-test-1-remote-scriptlet"
    assert first.get("name") == "published[reference, fdr]"
    assert float(first.get("time", "x")) >= 0
    names = {(case.get("classname"), case.get("name")) for case in cases}
    assert len(names) == len(cases)


def test_failure_element(tmp_path: Path) -> None:
    fixture = DEMO_FIXTURE.replace('CommandLine = "demo.exe /x"', 'CommandLine = "demo.exe /y"')
    folder = write_demo_package(tmp_path / "catalog", {"fixtures/demo-case/fixture.toml": fixture})
    run = run_fixture_tests([load_detection(folder)], engines=["reference"])

    root = written(run, tmp_path)

    assert root.get("failures") == "1"
    (case,) = root.findall("testsuite/testcase")
    failure = case.find("failure")
    assert failure is not None
    assert failure.get("type") == FAILURE_TYPE
    message = (
        "row 1 (CommandLine='demo.exe /y'): CommandLine: expected 'demo.exe /y', got 'demo.exe /x'"
    )
    assert failure.get("message") == f"1 problem: {message}"
    assert failure.text == message


def test_tuning_property(tmp_path: Path) -> None:
    folder = write_demo_package(tmp_path / "catalog")
    run = run_fixture_tests([load_detection(folder)], tuning=["cmd_parent"])

    root = written(run, tmp_path)

    properties = root.findall("testsuite/properties/property")
    assert [(p.get("name"), p.get("value")) for p in properties] == [("tuning", "cmd_parent")]
    assert root.get("failures") == "0"
