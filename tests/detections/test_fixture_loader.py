"""Loading and validation of fixtures, on the demo package that conftest.py writes."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from cqlkit.detections import DetectionError, Problem, load_catalog, load_detection
from cqlkit.detections.fixtures import Exclusion, ExpectedRow

from .demo_package import DEMO_FIXTURE, DEMO_TOML

MakePackage = Callable[..., Path]
FIXTURE_FILE = "fixtures/demo-case/fixture.toml"


def fixture_with(old: str, new: str) -> dict[str, str | None]:
    """Return the files argument that replaces one piece of the demo fixture.toml."""
    assert old in DEMO_FIXTURE, f"test setup: {old!r} is not in DEMO_FIXTURE"
    return {FIXTURE_FILE: DEMO_FIXTURE.replace(old, new, 1)}


def load_problems(folder: Path) -> list[str]:
    with pytest.raises(DetectionError) as caught:
        load_detection(folder)
    return [str(problem) for problem in caught.value.problems]


def test_demo_package_loads(make_package: MakePackage) -> None:
    detection = load_detection(make_package())

    (fixture,) = detection.fixtures
    assert fixture.id == "demo-case"
    assert fixture.verdict == "malicious"
    assert fixture.synthetic is True
    assert fixture.suppressed_by == frozenset({"cmd_parent"})
    assert fixture.events == {"fdr": fixture.path / "fdr.ndjson"}
    assert fixture.aidmaster is None
    assert fixture.must_not_match == (
        Exclusion({"CommandLine": "other.exe /x demo.exe"}, "other.exe is not demo.exe."),
    )
    assert list(detection.tuning_sets) == ["cmd_parent"]
    assert detection.indicators == ("Flag",)
    assert detection.score_field == "Score"


def test_expectation_fields(make_package: MakePackage) -> None:
    (fixture,) = load_detection(make_package()).fixtures
    expectation = fixture.expectations["logscale"]

    assert expectation.indicators == ("Flag",)
    assert expectation.score == 2
    assert expectation.note is None
    assert expectation.rows == (
        ExpectedRow(
            {
                "@timestamp": "1000",
                "CommandLine": "demo.exe /x",
                "ParentBaseFileName": "cmd.exe",
                "Flag": "1",
                "Score": "2",
            }
        ),
    )


def test_expected_rows_per_format_and_tuning(make_package: MakePackage) -> None:
    files = fixture_with('Score = "2"\n', 'Score = "2"\n[expect.logscale.rows.fdr]\naid = "0a1b"\n')
    (fixture,) = load_detection(make_package(files)).fixtures

    assert fixture.expected_rows("logscale", "fdr")[0]["aid"] == "0a1b"
    assert fixture.expected_rows("logscale", "fdr", ["other"]) != []
    assert fixture.expected_rows("logscale", "fdr", ["cmd_parent"]) == []


def test_wrapped_prose_is_one_paragraph(make_package: MakePackage) -> None:
    files = fixture_with(
        'description = "demo.exe runs with /x from cmd.exe."',
        "description = '''\ndemo.exe runs\n  with /x from cmd.exe.'''",
    )
    (fixture,) = load_detection(make_package(files)).fixtures

    assert fixture.description == "demo.exe runs with /x from cmd.exe."


def test_folder_without_fixtures_or_tuning_loads(make_package: MakePackage) -> None:
    folder = make_package(
        {FIXTURE_FILE: None, "fixtures/demo-case/fdr.ndjson": None, "tuning/cmd_parent.cql": None}
    )
    assert not (folder / "fixtures").exists()
    assert not (folder / "tuning").exists()

    detection = load_detection(folder)

    assert detection.fixtures == ()
    assert dict(detection.tuning_sets) == {}


# (files to change, expected problem text) for fixture.toml mistakes. Each problem names the
# file and the key.
FIXTURE_SCHEMA_CASES = [
    pytest.param(
        fixture_with('verdict = "malicious"\n', ""),
        f"{FIXTURE_FILE}: [fixture] verdict: missing required key",
        id="missing-verdict",
    ),
    pytest.param(
        fixture_with('verdict = "malicious"', 'verdict = "evil"'),
        f"{FIXTURE_FILE}: [fixture] verdict: 'evil' is not one of malicious, benign, unrelated",
        id="unknown-verdict",
    ),
    pytest.param(
        fixture_with("synthetic = true", 'synthetic = "yes"'),
        f"{FIXTURE_FILE}: [fixture] synthetic: expected a boolean (true or false), "
        "got string 'yes'",
        id="synthetic-not-boolean",
    ),
    pytest.param(
        fixture_with("synthetic = true", "synthetic = true\nowner = 'me'"),
        f"{FIXTURE_FILE}: [fixture] owner: unknown key (expected one of: description, verdict, "
        "synthetic, emulates, references, events, aidmaster, suppressed_by)",
        id="unknown-key",
    ),
    pytest.param(
        fixture_with('fdr = "fdr.ndjson"', 'json = "fdr.ndjson"'),
        f"{FIXTURE_FILE}: [fixture.events] json: invalid key: 'json' is not one of fdr, logscale, "
        "winlogbeat, evtx",
        id="unknown-event-format",
    ),
    pytest.param(
        fixture_with('fdr = "fdr.ndjson"', 'fdr = "missing.ndjson"'),
        f"{FIXTURE_FILE}: [fixture.events] fdr: file 'missing.ndjson' not found in ",
        id="missing-event-file",
    ),
    pytest.param(
        fixture_with('fdr = "fdr.ndjson"', 'fdr = "../fdr.ndjson"'),
        f"{FIXTURE_FILE}: [fixture.events] fdr: '../fdr.ndjson' is not a file name inside the "
        "detection folder (no path separators)",
        id="event-file-outside-folder",
    ),
    pytest.param(
        fixture_with('suppressed_by = ["cmd_parent"]', 'suppressed_by = ["sccm"]'),
        f"{FIXTURE_FILE}: [fixture] suppressed_by: unknown tuning set 'sccm' (known: cmd_parent)",
        id="unknown-tuning-set",
    ),
    pytest.param(
        {FIXTURE_FILE: DEMO_FIXTURE.replace("expect.logscale", "expect.tuned")},
        f"{FIXTURE_FILE}: [expect] tuned: unknown query 'tuned' (known: logscale)",
        id="unknown-query",
    ),
    pytest.param(
        fixture_with('indicators = ["Flag"]', "indicators = []"),
        f"{FIXTURE_FILE}: [expect.logscale] indicators: states [] "
        "but the expected rows fire [Flag]",
        id="indicators-disagree-with-rows",
    ),
    pytest.param(
        fixture_with('indicators = ["Flag"]', 'indicators = ["Flag", "Other"]'),
        f"{FIXTURE_FILE}: [expect.logscale] indicators: unknown indicator Other (known: Flag)",
        id="unknown-indicator",
    ),
    pytest.param(
        fixture_with('indicators = ["Flag"]\n', ""),
        f"{FIXTURE_FILE}: [expect.logscale] indicators: missing required key (the detection "
        "declares indicators)",
        id="indicators-missing",
    ),
    pytest.param(
        fixture_with("score = 2", "score = 5"),
        f"{FIXTURE_FILE}: [expect.logscale] score: states 5 but the highest Score of the expected "
        "rows is 2",
        id="score-disagrees-with-rows",
    ),
    pytest.param(
        fixture_with("score = 2", 'score = "2"'),
        f"{FIXTURE_FILE}: [expect.logscale] score: expected an integer, got string '2'",
        id="score-not-integer",
    ),
    pytest.param(
        fixture_with('Flag = "1"', "Flag = 1"),
        f"{FIXTURE_FILE}: [expect.logscale.rows] Flag: item 1: expected a string or a table, "
        "got integer 1",
        id="row-value-not-string",
    ),
    pytest.param(
        fixture_with('Score = "2"\n', 'Score = "2"\n[expect.logscale.rows.sysmon]\nUser = "x"\n'),
        f"{FIXTURE_FILE}: [expect.logscale.rows] sysmon: item 1: 'sysmon' contains a table, so it "
        "must name an event format of [fixture.events] (known: fdr)",
        id="row-table-for-unknown-format",
    ),
    pytest.param(
        fixture_with('reason = "other.exe is not demo.exe."\n', ""),
        f"{FIXTURE_FILE}: [must_not_match] reason: item 1: missing required key",
        id="exclusion-without-reason",
    ),
    pytest.param(
        fixture_with(
            "[[expect.logscale.rows]]", "[expect.logscale.extra]\nx = 1\n\n[[expect.logscale.rows]]"
        ),
        f"{FIXTURE_FILE}: [expect.logscale] extra: unknown key (expected one of: indicators, "
        "score, note, rows)",
        id="unknown-expectation-key",
    ),
    pytest.param(
        {FIXTURE_FILE: DEMO_FIXTURE + "this is not TOML\n"},
        f"{FIXTURE_FILE}: cannot read the file as TOML: Expected '=' after a key in a key/value "
        "pair (at line 25, column 6)",
        id="invalid-toml",
    ),
    pytest.param(
        {FIXTURE_FILE: None},
        f"{FIXTURE_FILE}: file not found",
        id="missing-fixture-file",
    ),
]


@pytest.mark.parametrize(("files", "expected"), FIXTURE_SCHEMA_CASES)
def test_fixture_problem_names_file_and_key(
    make_package: MakePackage, files: dict[str, str | None], expected: str
) -> None:
    problems = load_problems(make_package(files))

    assert any(problem.startswith(expected) for problem in problems), problems


def test_score_of_empty_rows_rejected(make_package: MakePackage) -> None:
    start = DEMO_FIXTURE.index("[[expect.logscale.rows]]")
    files = {
        FIXTURE_FILE: DEMO_FIXTURE[:start].replace('indicators = ["Flag"]', "indicators = []")
        + "rows = []\n"
    }

    problems = load_problems(make_package(files))

    assert problems == [
        f"{FIXTURE_FILE}: [expect.logscale] score: a query that returns no rows has no score"
    ]


def test_rows_key_required(make_package: MakePackage) -> None:
    start = DEMO_FIXTURE.index("[[expect.logscale.rows]]")
    files = {FIXTURE_FILE: DEMO_FIXTURE[:start].replace("score = 2\n", "")}

    problems = load_problems(make_package(files))

    assert problems == [f"{FIXTURE_FILE}: [expect.logscale] rows: missing required key"]


def test_invalid_fixture_folder_name(make_package: MakePackage) -> None:
    folder = make_package()
    (folder / "fixtures/demo-case").rename(folder / "fixtures/Demo_Case")

    problems = load_problems(folder)

    assert problems == [
        "fixtures/Demo_Case: invalid folder name: 'Demo_Case' is not a fixture id (lowercase "
        "letters and digits in words joined by hyphens, e.g. art-test-1)"
    ]


def test_hidden_fixture_folders_skipped(make_package: MakePackage) -> None:
    folder = make_package({"fixtures/_draft/fixture.toml": "not toml at all ["})

    assert [fixture.id for fixture in load_detection(folder).fixtures] == ["demo-case"]


def test_detection_toml_lists_checked(make_package: MakePackage) -> None:
    toml = DEMO_TOML.replace(
        'score_field = "Score"',
        'score_field = "Score"\nlenient_queries = ["published"]\nreport_queries = ["nosuch"]',
    )

    problems = load_problems(make_package({"detection.toml": toml}))

    assert problems == [
        "detection.toml: [rule] lenient_queries: 'published' is not a key of [rule.queries] "
        "(known: logscale)",
        "detection.toml: [rule] report_queries: 'nosuch' is not a key of [rule.queries] "
        "(known: logscale)",
    ]


def test_catalog_prefixes_fixture_problems(make_package: MakePackage, tmp_path: Path) -> None:
    make_package(fixture_with("score = 2", "score = 9"))

    with pytest.raises(DetectionError) as caught:
        load_catalog(tmp_path)

    (problem,) = caught.value.problems
    assert problem == Problem(
        f"T1059.001-demo/{FIXTURE_FILE}",
        ("expect", "logscale", "score"),
        "states 9 but the highest Score of the expected rows is 2",
    )


def test_all_fixture_problems_reported_at_once(make_package: MakePackage) -> None:
    text = DEMO_FIXTURE.replace('verdict = "malicious"', 'verdict = "evil"').replace(
        "synthetic = true", "synthetic = 1"
    )
    second = DEMO_FIXTURE.replace("score = 2", "score = 3")

    problems = load_problems(
        make_package(
            {
                FIXTURE_FILE: text,
                "fixtures/second-case/fixture.toml": second,
                "fixtures/second-case/fdr.ndjson": "",
            }
        )
    )

    assert len(problems) == 3
    assert problems[0].startswith(f"{FIXTURE_FILE}: [fixture] verdict:")
    assert problems[1].startswith(f"{FIXTURE_FILE}: [fixture] synthetic:")
    assert problems[2].startswith("fixtures/second-case/fixture.toml: [expect.logscale] score:")
