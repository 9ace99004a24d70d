"""The coverage report of the CMSTP detection: published against tuned, exactly."""

from __future__ import annotations

import pytest

from cqlkit.detections import Detection
from cqlkit.testing.render import (
    Table,
    coverage_table,
    describe_outcome,
    note_lines,
    report_text,
    summary_lines,
    to_markdown,
    to_plain,
    tuning_table,
)
from cqlkit.testing.report import CoverageReport, Outcome, Signal, build_report

PUBLISHED_SCORE_3 = "caught, score 3: AutoClose, HasINF, SuspiciousParent"

# Fixture, verdict, outcome of the published query, outcome of the tuned query.
EXPECTED_COVERAGE = [
    (
        "art-t1218-003-test-1-remote-scriptlet",
        "malicious",
        PUBLISHED_SCORE_3,
        "caught, score 3: AutoClose, HasProfile, SuspiciousParent, CmstpChild",
    ),
    (
        "art-t1218-003-test-2-uac-bypass",
        "malicious",
        PUBLISHED_SCORE_3,
        "caught, score 3: AutoClose, HasProfile, SuspiciousParent, CmstpLuaChild",
    ),
    (
        "cobalt-group-txt-profile",
        "malicious",
        "caught, score 4: AutoClose, NoUI, SuspiciousPath, SuspiciousParent",
        "caught, score 5: AutoClose, NoUI, HasProfile, SuspiciousPath, SuspiciousParent",
    ),
    ("interactive-corp-profile", "benign", "false positive, score 1: HasINF", "quiet"),
    (
        "intune-vpn-rollout",
        "benign",
        "false positive, score 4: AutoClose, NoUI, HasINF, SuspiciousPath",
        "quiet",
    ),
    (
        "lolbas-local-inf",
        "malicious",
        "caught, score 4: AutoClose, NoUI, HasINF, SuspiciousParent",
        "caught, score 4: AutoClose, NoUI, HasProfile, SuspiciousParent",
    ),
    (
        "lolbas-remote-inf",
        "malicious",
        "caught, score 5: AutoClose, NoUI, HasINF, RemoteLoad, SuspiciousParent",
        "caught, score 5: AutoClose, NoUI, HasProfile, RemoteLoad, SuspiciousParent",
    ),
    ("profile-path-with-src", "benign", "false positive, score 2: AutoClose, HasINF", "quiet"),
    ("regsvr32-cmstp-scriptlet", "unrelated", "quiet", "quiet"),
    ("renamed-cmstp", "malicious", "missed", "missed"),
    ("sccm-vpn-rollout", "benign", "false positive, score 3: AutoClose, NoUI, HasINF", "quiet"),
    (
        "synthetic-process-rollup",
        "malicious",
        "missed",
        "caught, score 5: AutoClose, NoUI, HasProfile, SuspiciousPath, SuspiciousParent",
    ),
    (
        "tanium-vpn-rollout",
        "benign",
        "false positive, score 4: AutoClose, NoUI, HasINF, SuspiciousPath",
        "quiet",
    ),
    (
        "uppercase-switches",
        "malicious",
        "caught, score 3: HasINF, SuspiciousPath, SuspiciousParent",
        "caught, score 5: AutoClose, NoUI, HasProfile, SuspiciousPath, SuspiciousParent",
    ),
    (
        "winpwnage-ini-profile",
        "malicious",
        "caught, score 2: AutoClose, SuspiciousPath",
        "caught, score 4: AutoClose, HasProfile, SuspiciousPath, SuspiciousParent, CmstpLuaChild",
    ),
]

EXPECTED_TUNING = [
    ("corp_profiles", "published", "1", "interactive-corp-profile (1)", "0"),
    ("corp_profiles", "tuned", "0", "-", "0"),
    ("intune", "published", "2", "intune-vpn-rollout (2)", "0"),
    ("intune", "tuned", "0", "-", "0"),
    ("sccm", "published", "1", "sccm-vpn-rollout (1)", "0"),
    ("sccm", "tuned", "0", "-", "0"),
    ("tanium", "published", "1", "tanium-vpn-rollout (1)", "0"),
    ("tanium", "tuned", "0", "-", "0"),
]


@pytest.fixture(scope="module")
def report(cmstp: Detection) -> CoverageReport:
    return build_report(cmstp)


def test_report_compares_published_and_tuned(report: CoverageReport) -> None:
    assert report.queries == ("published", "tuned")
    assert report.engine == "reference"


@pytest.mark.parametrize(
    ("fixture", "verdict", "published", "tuned"),
    EXPECTED_COVERAGE,
    ids=[row[0] for row in EXPECTED_COVERAGE],
)
def test_coverage_row(
    report: CoverageReport, fixture: str, verdict: str, published: str, tuned: str
) -> None:
    rows = {row[0]: row for row in coverage_table(report).rows}

    assert rows[fixture] == (fixture, verdict, published, tuned)


def test_coverage_rows_complete(report: CoverageReport) -> None:
    assert [row[0] for row in coverage_table(report).rows] == [row[0] for row in EXPECTED_COVERAGE]


def test_published_gaps_shown(report: CoverageReport) -> None:
    """Each gap of the published query that the fixtures exist for shows in the report."""
    outcomes = {entry.fixture.id: entry.outcomes[0] for entry in report.fixtures}

    assert outcomes["synthetic-process-rollup"].status == "missed"
    assert "AutoClose" in outcomes["profile-path-with-src"].signals[0][1].indicators
    assert "HasINF" not in outcomes["cobalt-group-txt-profile"].signals[0][1].indicators
    assert "HasINF" not in outcomes["winpwnage-ini-profile"].signals[0][1].indicators
    assert "DllHost.exe" in (outcomes["art-t1218-003-test-2-uac-bypass"].note or "")
    for fixture_id in ("sccm-vpn-rollout", "intune-vpn-rollout", "tanium-vpn-rollout"):
        signal = outcomes[fixture_id].signals[0][1]
        assert "HasINF" in signal.indicators, fixture_id
        assert signal.score is not None and signal.score >= 1, fixture_id


def test_summary_lines(report: CoverageReport) -> None:
    assert summary_lines(report) == [
        "published: caught 7 of 9 malicious fixtures; "
        "false positives on 5 of 6 benign or unrelated fixtures",
        "tuned: caught 8 of 9 malicious fixtures; "
        "false positives on 0 of 6 benign or unrelated fixtures",
    ]


def test_tuning_rows(report: CoverageReport) -> None:
    assert list(tuning_table(report).rows) == EXPECTED_TUNING


def test_notes_name_fixture_and_query(report: CoverageReport) -> None:
    notes = note_lines(report)

    assert (
        "synthetic-process-rollup, published: Missed: the query searches ProcessRollup2 only "
        "and never reads SyntheticProcessRollup2." in notes
    )
    assert all(", published: " in note or ", tuned: " in note for note in notes)


def test_text_report_sections(report: CoverageReport) -> None:
    text = report_text(report)

    assert text.startswith("Coverage of T1218.003-cmstp (reference engine)\nFixture")
    assert "\nNotes:\n  art-t1218-003-test-1-remote-scriptlet, tuned: " in text
    assert "Tuning sets of T1218.003-cmstp, each applied alone" in text


def test_outcome_per_format_when_formats_disagree() -> None:
    outcome = Outcome(
        "published",
        "caught",
        (("fdr", Signal(0, (), None)), ("winlogbeat", Signal(1, ("HasINF",), 1))),
        None,
    )

    assert not outcome.formats_agree
    assert describe_outcome(outcome) == "fdr: missed; winlogbeat: caught, score 1: HasINF"


def test_table_layouts() -> None:
    table = Table("Title", ("A", "Long header"), (("x|y", "1"), ("longer cell", "")))

    assert to_plain(table) == (
        "Title\nA            Long header\n-----------  -----------\nx|y          1\nlonger cell"
    )
    assert to_markdown(table) == (
        "| A | Long header |\n|---|---|\n| x\\|y | 1 |\n| longer cell |  |"
    )
