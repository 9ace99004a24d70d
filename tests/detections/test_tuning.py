"""Tuning sets: loading, and their insertion into query texts by apply_tuning."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from cqlkit.detections import DetectionError, apply_tuning, find_detections, load_detection
from cqlkit.engines.reference.context import RunContext
from cqlkit.engines.reference.interpreter import run_plan
from cqlkit.errors import ParseError
from cqlkit.plan.planner import plan_query

MakePackage = Callable[..., Path]


def test_tuning_set_fields(make_package: MakePackage) -> None:
    folder = make_package()

    tuning_set = load_detection(folder).tuning_sets["cmd_parent"]

    assert tuning_set.name == "cmd_parent"
    assert tuning_set.path == folder / "tuning/cmd_parent.cql"
    assert tuning_set.description == "Drops demo.exe when cmd.exe starts it."
    assert tuning_set.text.endswith('ParentBaseFileName != "cmd.exe"\n')


def test_other_files_in_tuning_folder_ignored(make_package: MakePackage) -> None:
    detection = load_detection(make_package({"tuning/README.md": "# notes\n"}))

    assert list(detection.tuning_sets) == ["cmd_parent"]


@pytest.mark.parametrize(
    ("name", "text", "expected"),
    [
        pytest.param(
            "Cmd-Parent.cql",
            "x != 1\n",
            "tuning/Cmd-Parent.cql: invalid file name: 'Cmd-Parent' is not a tuning set name "
            "(lowercase letters, digits and underscores, e.g. sccm)",
            id="invalid-name",
        ),
        pytest.param(
            "empty.cql",
            "// only a comment\n\n",
            "tuning/empty.cql: contains no filter, only comments or blank lines",
            id="only-comments",
        ),
    ],
)
def test_tuning_file_problems(
    make_package: MakePackage, name: str, text: str, expected: str
) -> None:
    with pytest.raises(DetectionError) as caught:
        load_detection(make_package({f"tuning/{name}": text}))

    assert [str(problem) for problem in caught.value.problems] == [expected]


def test_filter_goes_before_select(make_package: MakePackage) -> None:
    detection = load_detection(make_package())

    tuned = apply_tuning(detection, detection.query(), ["cmd_parent"])

    assert tuned.splitlines()[2:6] == [
        "| Score := Flag + 1",
        "// tuning set cmd_parent (tuning/cmd_parent.cql)",
        '| ParentBaseFileName != "cmd.exe"',
        "| select([@timestamp, CommandLine, ParentBaseFileName, Flag, Score])",
    ]


def test_tuned_query_drops_events(make_package: MakePackage) -> None:
    detection = load_detection(make_package())
    event = {
        "#event_simpleName": "ProcessRollup2",
        "@timestamp": "1000",
        "ImageFileName": "\\Device\\HarddiskVolume2\\demo.exe",
        "CommandLine": "demo.exe /x",
    }
    events = [{**event, "ParentBaseFileName": "cmd.exe"}, {**event, "ParentBaseFileName": "x.exe"}]

    plain = run_plan(plan_query(detection.query()), events, RunContext())
    tuned_plan = plan_query(apply_tuning(detection, detection.query(), ["cmd_parent"]))
    tuned = run_plan(tuned_plan, events, RunContext())

    assert [row["ParentBaseFileName"] for row in plain] == ["cmd.exe", "x.exe"]
    assert [row["ParentBaseFileName"] for row in tuned] == ["x.exe"]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        pytest.param(
            "#event_simpleName=ProcessRollup2\n",
            "#event_simpleName=ProcessRollup2\n"
            "// tuning set cmd_parent (tuning/cmd_parent.cql)\n"
            '| ParentBaseFileName != "cmd.exe"\n',
            id="no-output-step-appends",
        ),
        pytest.param(
            "groupBy(ParentBaseFileName)",
            "// tuning set cmd_parent (tuning/cmd_parent.cql)\n"
            'ParentBaseFileName != "cmd.exe"\n'
            "| groupBy(ParentBaseFileName)",
            id="aggregate-first-prepends",
        ),
        pytest.param(
            "a=1 | b := 2 | drop([c]) | sort(b)",
            "a=1 | b := 2\n"
            "// tuning set cmd_parent (tuning/cmd_parent.cql)\n"
            '| ParentBaseFileName != "cmd.exe" | drop([c]) | sort(b)',
            id="before-drop",
        ),
        pytest.param(
            "a=1 | [count(), max(b)]",
            "a=1\n"
            "// tuning set cmd_parent (tuning/cmd_parent.cql)\n"
            '| ParentBaseFileName != "cmd.exe" | [count(), max(b)]',
            id="before-aggregate-list",
        ),
    ],
)
def test_insertion_point(make_package: MakePackage, query: str, expected: str) -> None:
    detection = load_detection(make_package())

    tuned = apply_tuning(detection, query, ["cmd_parent"])

    assert tuned == expected
    plan_query(tuned)


def test_no_names_returns_text_unchanged(make_package: MakePackage) -> None:
    detection = load_detection(make_package())

    assert apply_tuning(detection, detection.query(), []) == detection.query()


def test_sets_applied_in_order_once(make_package: MakePackage) -> None:
    folder = make_package({"tuning/aaa.cql": "CommandLine != /x/\n"})
    detection = load_detection(folder)

    tuned = apply_tuning(detection, "a=1", ["cmd_parent", "aaa", "cmd_parent"])

    comments = [line for line in tuned.splitlines() if line.startswith("// tuning set")]
    assert comments == [
        "// tuning set cmd_parent (tuning/cmd_parent.cql)",
        "// tuning set aaa (tuning/aaa.cql)",
    ]


def test_unknown_tuning_set_names_known_sets(make_package: MakePackage) -> None:
    detection = load_detection(make_package())

    with pytest.raises(DetectionError) as caught:
        apply_tuning(detection, detection.query(), ["sccm"])

    assert caught.value.description == "detection T1059.001-demo has no tuning set named 'sccm'"
    assert caught.value.hint == "known tuning sets: cmd_parent"


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        pytest.param("x := 1\n", "it has an assignment (:=) step", id="assignment"),
        pytest.param("groupBy(x)\n", "groupBy() is an aggregate function", id="aggregate"),
        pytest.param("x != 1 | select([x])\n", "select() is a transform function", id="transform"),
    ],
)
def test_non_filter_tuning_rejected(make_package: MakePackage, text: str, reason: str) -> None:
    detection = load_detection(make_package({"tuning/cmd_parent.cql": text}))

    with pytest.raises(DetectionError) as caught:
        apply_tuning(detection, detection.query(), ["cmd_parent"])

    assert caught.value.description == (
        f"tuning set cmd_parent of detection T1059.001-demo is not a filter: {reason}"
    )


def test_invalid_tuning_cql_raises_parse_error(make_package: MakePackage) -> None:
    detection = load_detection(make_package({"tuning/cmd_parent.cql": "x != (\n"}))

    with pytest.raises(ParseError):
        apply_tuning(detection, detection.query(), ["cmd_parent"])


# Tuning sets of the CMSTP detection, with the parent or command line each one drops.
CMSTP_TUNING_CASES = [
    ("sccm", {"ParentBaseFileName": "CcmExec.exe"}),
    ("intune", {"ParentBaseFileName": "IntuneManagementExtension.exe"}),
    ("intune", {"ParentBaseFileName": "AgentExecutor.exe"}),
    ("tanium", {"ParentBaseFileName": "TaniumClient.exe"}),
    ("corp_profiles", {"CommandLine": "cmstp.exe C:\\Corp\\Profiles\\CorpVPN.inf"}),
    (
        "corp_profiles",
        {"CommandLine": '"C:\\Windows\\System32\\cmstp.exe" "C:\\Corp\\Profiles\\a b.inf"'},
    ),
]


@pytest.mark.parametrize(("name", "fields"), CMSTP_TUNING_CASES)
def test_cmstp_tuning_sets_drop_their_events(name: str, fields: dict[str, str]) -> None:
    (detection,) = find_detections(["T1218.003-cmstp"])
    plan = plan_query(apply_tuning(detection, "*", [name]))
    event = {
        "@timestamp": "1",
        "ParentBaseFileName": "cmd.exe",
        "CommandLine": "cmstp.exe /s x.inf",
    }

    kept = run_plan(plan, [{**event, **fields}, event], RunContext())

    assert [dict(row) for row in kept] == [event]


def test_corp_profiles_keeps_switches() -> None:
    (detection,) = find_detections(["T1218.003-cmstp"])
    plan = plan_query(apply_tuning(detection, "*", ["corp_profiles"]))
    event = {"@timestamp": "1", "CommandLine": "cmstp.exe /s C:\\Corp\\Profiles\\CorpVPN.inf"}

    assert len(run_plan(plan, [event], RunContext())) == 1
