"""The fixture runner: the bundled CMSTP fixtures, and failures on the demo package."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from cqlkit.detections import Detection, DetectionError, load_detection
from cqlkit.plan.planner import plan_query
from cqlkit.testing import FixtureRun, run_fixture_tests
from cqlkit.testing.engines import defines_order
from detections.demo_package import DEMO_FIXTURE, DEMO_QUERY, DEMO_TOML, write_demo_package

FIXTURE_FILE = "fixtures/demo-case/fixture.toml"


def demo(tmp_path: Path, files: dict[str, str | None] | None = None) -> Detection:
    return load_detection(write_demo_package(tmp_path, files))


def problems_of(run: FixtureRun) -> dict[str, tuple[str, ...]]:
    return {result.case.name: result.problems for result in run.failures}


def test_cmstp_fixtures_pass(cmstp_run: FixtureRun) -> None:
    assert problems_of(cmstp_run) == {}


def test_cmstp_case_count(cmstp_run: FixtureRun) -> None:
    # 14 fixtures in two formats and one in FDR only, 3 queries, 2 engines.
    assert len(cmstp_run.results) == (14 * 2 + 1) * 3 * 2


def test_cmstp_cases_unique(cmstp_run: FixtureRun) -> None:
    counts = Counter(result.case for result in cmstp_run.results)

    assert max(counts.values()) == 1


def test_cmstp_case_order_and_names(cmstp_run: FixtureRun) -> None:
    names = [result.case.name for result in cmstp_run.results[:7]]

    fixture = "art-t1218-003-test-1-remote-scriptlet"
    assert names == [
        f"T1218.003-cmstp {fixture} published reference fdr",
        f"T1218.003-cmstp {fixture} logscale reference fdr",
        f"T1218.003-cmstp {fixture} tuned reference fdr",
        f"T1218.003-cmstp {fixture} published duckdb fdr",
        f"T1218.003-cmstp {fixture} logscale duckdb fdr",
        f"T1218.003-cmstp {fixture} tuned duckdb fdr",
        f"T1218.003-cmstp {fixture} published reference winlogbeat",
    ]


def test_cmstp_engines_and_formats_agree(cmstp_run: FixtureRun) -> None:
    """Both engines give the same rows, and both formats too apart from format-only fields."""
    by_case = {result.case: result.actual for result in cmstp_run.results}
    for case, rows in by_case.items():
        other_engine = case.__class__(
            case.detection, case.fixture, case.query, "duckdb", case.event_format
        )
        assert by_case[other_engine] == rows, case.name
        if case.event_format == "winlogbeat":
            fdr = case.__class__(case.detection, case.fixture, case.query, case.engine, "fdr")
            stripped = [
                {k: v for k, v in row.items() if k not in ("UserName", "ParentCommandLine")}
                for row in rows
            ]
            assert stripped == list(by_case[fdr]), case.name


def test_published_and_logscale_give_same_rows(cmstp_run: FixtureRun) -> None:
    by_case = {result.case: result.actual for result in cmstp_run.results}
    for case, rows in by_case.items():
        if case.query == "published":
            logscale = case.__class__(
                case.detection, case.fixture, "logscale", case.engine, case.event_format
            )
            assert by_case[logscale] == rows, case.name


def test_demo_passes(tmp_path: Path) -> None:
    run = run_fixture_tests([demo(tmp_path)])

    assert problems_of(run) == {}
    assert [result.case.name for result in run.results] == [
        "T1059.001-demo demo-case logscale reference fdr",
        "T1059.001-demo demo-case logscale duckdb fdr",
    ]


def test_failure_lists_differences(tmp_path: Path) -> None:
    fixture = DEMO_FIXTURE.replace('Flag = "1"', 'Flag = "0"').replace('Score = "2"', 'Score = "1"')
    fixture = fixture.replace('indicators = ["Flag"]', "indicators = []").replace(
        "score = 2", "score = 1"
    )

    run = run_fixture_tests([demo(tmp_path, {FIXTURE_FILE: fixture})], engines=["reference"])

    label = "row 1 (CommandLine='demo.exe /x')"
    assert problems_of(run) == {
        "T1059.001-demo demo-case logscale reference fdr": (
            f"{label}: Flag: expected '0', got '1'",
            f"{label}: Score: expected '1', got '2'",
        )
    }


def test_row_matching_exclusion_fails(tmp_path: Path) -> None:
    fixture = DEMO_FIXTURE.replace(
        "[expect.logscale]",
        '[[must_not_match]]\nreason = "demo.exe must stay quiet."\n'
        'fields = { CommandLine = "demo.exe /x" }\n\n[expect.logscale]',
    )

    run = run_fixture_tests([demo(tmp_path, {FIXTURE_FILE: fixture})], engines=["duckdb"])

    assert problems_of(run) == {
        "T1059.001-demo demo-case logscale duckdb fdr": (
            "row 1 matches must_not_match entry 2: demo.exe must stay quiet.",
        )
    }


def test_exclusion_matching_no_event_fails(tmp_path: Path) -> None:
    fixture = DEMO_FIXTURE.replace('CommandLine = "other.exe /x demo.exe"', 'CommandLine = "x"')

    run = run_fixture_tests([demo(tmp_path, {FIXTURE_FILE: fixture})], engines=["reference"])

    assert problems_of(run) == {
        "T1059.001-demo demo-case logscale reference fdr": (
            "must_not_match entry 1 matches no event of the fdr events, so it checks nothing",
        )
    }


# The published CMSTP query's mistake: LogScale has no = ~/regex/ and needs then= and else=.
PUBLISHED_STYLE_QUERY = DEMO_QUERY.replace(
    '| Flag := if(regex("(?i)(^|\\\\s)/x(\\\\s|$)", field=CommandLine), then="1", else="0")',
    '| Flag := if(CommandLine = ~/\\/x/, "1", "0")',
)


def test_unplannable_query_fails_its_cases(tmp_path: Path) -> None:
    assert PUBLISHED_STYLE_QUERY != DEMO_QUERY, "test setup: the replacement did not apply"

    run = run_fixture_tests([demo(tmp_path, {"query.cql": PUBLISHED_STYLE_QUERY})])

    expected = (
        "cannot plan query logscale: if() has no parameter CommandLine: inside an argument "
        "list, 'CommandLine = ...' names a parameter (and 2 more; run cqlkit check to list them)",
    )
    assert problems_of(run) == {
        "T1059.001-demo demo-case logscale reference fdr": expected,
        "T1059.001-demo demo-case logscale duckdb fdr": expected,
    }


def test_lenient_query_plans_leniently(tmp_path: Path) -> None:
    query = PUBLISHED_STYLE_QUERY
    toml = DEMO_TOML.replace(
        'score_field = "Score"', 'score_field = "Score"\nlenient_queries = ["logscale"]'
    )

    run = run_fixture_tests([demo(tmp_path, {"query.cql": query, "detection.toml": toml})])

    assert problems_of(run) == {}


def test_unreadable_events_fail_cases(tmp_path: Path) -> None:
    files = {"fixtures/demo-case/fdr.ndjson": '{"event_simpleName": "ProcessRollup2"\n'}

    run = run_fixture_tests([demo(tmp_path, files)], engines=["reference"])

    (problems,) = problems_of(run).values()
    assert len(problems) == 1
    assert problems[0].startswith("cannot read the fdr events of ")


def test_tuning_suppresses_fixture(tmp_path: Path) -> None:
    run = run_fixture_tests([demo(tmp_path)], engines=["reference"], tuning=["cmd_parent"])

    (result,) = run.results
    assert result.passed
    assert result.expected == ()
    assert result.actual == ()
    assert len(result.untuned_expected) == 1
    assert run.tuning == ("cmd_parent",)


def test_tuning_that_hides_an_attack_fails(tmp_path: Path) -> None:
    fixture = DEMO_FIXTURE.replace('suppressed_by = ["cmd_parent"]\n', "")

    run = run_fixture_tests(
        [demo(tmp_path, {FIXTURE_FILE: fixture})], engines=["reference"], tuning=["cmd_parent"]
    )

    assert problems_of(run) == {
        "T1059.001-demo demo-case logscale reference fdr": (
            "missing row 1: @timestamp='1000', CommandLine='demo.exe /x', "
            "ParentBaseFileName='cmd.exe', Flag='1', Score='2'",
        )
    }


def test_unknown_tuning_set_raises(tmp_path: Path) -> None:
    with pytest.raises(DetectionError, match="has no tuning set named 'sccm'"):
        run_fixture_tests([demo(tmp_path)], tuning=["sccm"])


def test_query_selection(cmstp: Detection) -> None:
    run = run_fixture_tests([cmstp], engines=["reference"], queries=["tuned"])

    assert {result.case.query for result in run.results} == {"tuned"}
    assert {result.case.engine for result in run.results} == {"reference"}


@pytest.mark.parametrize(
    ("query", "ordered"),
    [
        ("a=1", True),
        ("a=1 | sort(b)", True),
        ("a=1 | groupBy(b)", False),
        ("groupBy(b) | sort(_count)", True),
        ("a=1 | head(5)", True),
        ("count()", False),
    ],
)
def test_defines_order(query: str, ordered: bool) -> None:
    assert defines_order(plan_query(query)) is ordered
