"""The cqlkit test command, run through click's test runner, and check --strict."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from cqlkit.cli.test_command import ENGINE_CHOICES, check_strict_exit
from cqlkit.cli.test_command import test_command as command
from cqlkit.detections import Detection, catalog
from cqlkit.language.diagnostics import Diagnostic
from cqlkit.plan.planner import check_query
from cqlkit.testing import ENGINE_NAMES
from cqlkit.testing.readme import REPORT_END, REPORT_START
from cqlkit.testing.render import report_markdown
from cqlkit.testing.report import build_report
from detections.demo_package import DEMO_FIXTURE, write_demo_package


def invoke(*arguments: str) -> Result:
    return CliRunner().invoke(command, list(arguments))


@pytest.fixture
def demo_catalog(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Make the demo package the whole catalog, and return its folder."""
    root = tmp_path / "catalog"
    folder = write_demo_package(root)
    monkeypatch.setattr(catalog, "BUNDLED_CATALOG", root)
    return folder


def test_engine_choices_match_engines() -> None:
    assert ENGINE_CHOICES == ENGINE_NAMES


def test_passing_run(demo_catalog: Path) -> None:
    result = invoke()

    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0] == "Fixture tests"
    assert lines[1].split() == [
        "Detection",
        "Fixture",
        "Query",
        "reference",
        "fdr",
        "duckdb",
        "fdr",
        "Rows",
    ]
    assert lines[3].split() == ["T1059.001-demo", "demo-case", "logscale", "pass", "pass", "1"]
    assert lines[-1] == "2 passed, 0 failed"


def test_failing_run_lists_differences(demo_catalog: Path) -> None:
    fixture = DEMO_FIXTURE.replace('ParentBaseFileName = "cmd.exe"', 'ParentBaseFileName = "x.exe"')
    (demo_catalog / "fixtures/demo-case/fixture.toml").write_text(fixture, encoding="utf-8")

    result = invoke("--engine", "reference")

    assert result.exit_code == 1
    assert (
        "FAIL T1059.001-demo demo-case logscale reference fdr\n"
        "  row 1 (CommandLine='demo.exe /x'): ParentBaseFileName: expected 'x.exe', got 'cmd.exe'\n"
    ) in result.output
    assert result.output.splitlines()[-1] == "0 passed, 1 failed"


def test_junit_file(demo_catalog: Path, tmp_path: Path) -> None:
    path = tmp_path / "junit.xml"

    result = invoke("--junit", str(path))

    assert result.exit_code == 0, result.output
    root = ET.parse(path).getroot()
    assert root.get("tests") == "2"
    assert [case.get("name") for case in root.iter("testcase")] == [
        "logscale[reference, fdr]",
        "logscale[duckdb, fdr]",
    ]


def test_tuning_effect_shown(demo_catalog: Path) -> None:
    result = invoke("--tuning", "cmd_parent", "--engine", "reference")

    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[0] == "Fixture tests with tuning cmd_parent"
    assert "0 (untuned 1)" in result.output
    assert "tuning cmd_parent: removes 1 row of logscale on demo-case (T1059.001-demo)" in (
        result.output
    )


def test_unknown_detection_exits_3(demo_catalog: Path) -> None:
    result = invoke("T9999-nothing")

    assert result.exit_code == 3
    assert "error[detection]: unknown detection id: T9999-nothing" in result.output


def test_unknown_tuning_set_exits_3(demo_catalog: Path) -> None:
    result = invoke("--tuning", "sccm")

    assert result.exit_code == 3
    assert "has no tuning set named 'sccm'" in result.output


@pytest.mark.parametrize("flag", ["--markdown", "--update-readme"])
def test_report_flags_need_report(flag: str) -> None:
    result = invoke(flag)

    assert result.exit_code == 2
    assert "--markdown and --update-readme need --report" in result.output


def test_markdown_report(cmstp: Detection) -> None:
    result = invoke("T1218.003-cmstp", "--engine", "reference", "--report", "--markdown")

    assert result.exit_code == 0, result.output
    assert report_markdown(build_report(cmstp)) in result.output


def test_text_report(cmstp: Detection) -> None:
    result = invoke("T1218.003-cmstp", "--engine", "reference", "--query", "tuned", "--report")

    assert result.exit_code == 0, result.output
    assert "Coverage of T1218.003-cmstp (reference engine)" in result.output
    assert "tuned: caught 8 of 9 malicious fixtures" in result.output
    assert "Tuning sets of T1218.003-cmstp, each applied alone" in result.output


def test_update_readme(demo_catalog: Path) -> None:
    readme = demo_catalog / "README.md"
    readme.write_text(f"# Demo\n\n{REPORT_START}\nold\n{REPORT_END}\n\nEnd.\n", encoding="utf-8")

    result = invoke("--report", "--update-readme")

    assert result.exit_code == 0, result.output
    text = readme.read_text(encoding="utf-8")
    assert text.startswith(f"# Demo\n\n{REPORT_START}\n\nGenerated by `cqlkit test T1059.001-demo")
    assert "| demo-case | malicious | caught, score 2: Flag |" in text
    assert text.endswith(f"\n\n{REPORT_END}\n\nEnd.\n")


def test_update_readme_without_markers_exits_3(demo_catalog: Path) -> None:
    (demo_catalog / "README.md").write_text("# Demo\n", encoding="utf-8")

    result = invoke("--report", "--update-readme")

    assert result.exit_code == 3
    assert "README.md has no coverage report block" in result.output


def diagnostic(severity: str) -> Diagnostic:
    return Diagnostic(severity, "code", "message", None)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("severities", "strict", "status"),
    [
        ((), False, 0),
        ((), True, 0),
        (("warning",), False, 0),
        (("warning",), True, 1),
        (("error",), False, 1),
        (("error", "warning"), True, 1),
    ],
)
def test_check_strict_exit(severities: tuple[str, ...], strict: bool, status: int) -> None:
    diagnostics = [diagnostic(severity) for severity in severities]

    assert check_strict_exit(diagnostics, strict=strict) == status


def test_strict_check_of_cmstp_queries(cmstp: Detection) -> None:
    _, published = check_query(cmstp.query("published"), lenient=True)
    _, tuned = check_query(cmstp.query("tuned"))

    assert check_strict_exit(published, strict=False) == 0
    assert check_strict_exit(published, strict=True) == 1
    assert check_strict_exit(tuned, strict=True) == 0
