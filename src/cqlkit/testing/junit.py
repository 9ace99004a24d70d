"""JUnit XML output of a test run, the report format that CI systems read.

One ``<testsuite>`` per detection, and one ``<testcase>`` per fixture, query, engine and
event format: ``classname`` is ``<detection>.<fixture>`` and ``name`` is
``<query>[<engine>, <event format>]``. A failed case has one ``<failure>`` element whose
text lists every difference.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

from cqlkit.testing.runner import CaseResult, FixtureRun

FAILURE_TYPE = "FixtureMismatch"


def junit_tree(run: FixtureRun) -> ET.Element:
    """Build the root element of the JUnit XML document of ``run``."""
    suites: dict[str, list[CaseResult]] = {}
    for result in run.results:
        suites.setdefault(result.case.detection, []).append(result)

    root = ET.Element("testsuites", name="cqlkit test")
    _set_counts(root, run.results)
    for detection, results in suites.items():
        suite = ET.SubElement(root, "testsuite", name=detection)
        _set_counts(suite, results)
        if run.tuning:
            properties = ET.SubElement(suite, "properties")
            ET.SubElement(properties, "property", name="tuning", value=",".join(run.tuning))
        for result in results:
            suite.append(_testcase(result))
    ET.indent(root)
    return root


def write_junit(run: FixtureRun, path: Path) -> None:
    """Write the JUnit XML document of ``run`` to ``path`` in UTF-8."""
    ET.ElementTree(junit_tree(run)).write(path, encoding="utf-8", xml_declaration=True)


def _testcase(result: CaseResult) -> ET.Element:
    case = result.case
    element = ET.Element(
        "testcase",
        classname=f"{case.detection}.{case.fixture}",
        name=f"{case.query}[{case.engine}, {case.event_format}]",
        time=f"{result.seconds:.3f}",
    )
    if not result.passed:
        count = len(result.problems)
        failure = ET.SubElement(
            element,
            "failure",
            message=f"{count} problem{'' if count == 1 else 's'}: {result.problems[0]}",
            type=FAILURE_TYPE,
        )
        failure.text = "\n".join(result.problems)
    return element


def _set_counts(element: ET.Element, results: list[CaseResult] | tuple[CaseResult, ...]) -> None:
    element.set("tests", str(len(results)))
    element.set("failures", str(sum(1 for result in results if not result.passed)))
    element.set("errors", "0")
    element.set("skipped", "0")
    element.set("time", f"{sum(result.seconds for result in results):.3f}")
