"""Pivot files: their header, the check against the query, ordering and selection."""

from __future__ import annotations

from pathlib import Path

import pytest

from cqlkit.detections import Detection, load_catalog
from cqlkit.investigation import (
    INVESTIGATIONS_FOLDER,
    InvestigationError,
    Pivot,
    load_pivots,
    query_parameters,
    read_pivot,
    select_pivots,
)
from cqlkit.plan.planner import check_query

TREE = """\
// Tree: a process and its children.
// Parameters: ?aid, ?TargetProcessId
aid=?aid TargetProcessId=?TargetProcessId or ParentProcessId=?TargetProcessId
"""
STEP_ONE = """\
// Step one: hosts.
// Parameters: ?aid
aid=?aid | Host := aid
"""
STEP_TWO = """\
// Step two: runs on the hosts.
// Parameters: ?Host
// Runs once per row of: one.cql
aid=?Host
"""


def write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def test_header_is_read(tmp_path: Path) -> None:
    pivot = read_pivot(write(tmp_path, "tree.cql", TREE))
    assert pivot.name == "tree"
    assert pivot.title == "Tree: a process and its children."
    assert pivot.parameters == ("aid", "TargetProcessId")
    assert pivot.source is None


def test_follow_up_names_source(tmp_path: Path) -> None:
    pivot = read_pivot(write(tmp_path, "two.cql", STEP_TWO))
    assert pivot.source == "one"
    assert pivot.parameters == ("Host",)


def test_parameters_may_be_space_separated(tmp_path: Path) -> None:
    text = TREE.replace("?aid, ?TargetProcessId", "?TargetProcessId ?aid")
    assert read_pivot(write(tmp_path, "tree.cql", text)).parameters == ("TargetProcessId", "aid")


@pytest.mark.parametrize(
    ("text", "message"),
    [
        pytest.param("aid=?aid\n", "does not open with a // comment", id="no-header"),
        pytest.param("//\naid=?aid\n", "does not open with a // comment", id="empty-title"),
        pytest.param("// Tree\naid=?aid\n", "has no '// Parameters:' line", id="no-parameters"),
        pytest.param(
            "// Tree\n// Parameters: ?aid\naid=?aid x=?x\n",
            "declares the parameters ?aid but its query uses ?aid, ?x",
            id="undeclared-parameter",
        ),
        pytest.param(
            "// Tree\n// Parameters: ?aid, ?x\naid=?aid\n",
            "declares the parameters ?aid, ?x but its query uses ?aid",
            id="unused-parameter",
        ),
        pytest.param(
            "// Tree\n// Parameters: aid\naid=?aid\n", "lists 'aid' as a parameter", id="no-mark"
        ),
        pytest.param(
            "// Tree\n// Parameters: ?aid\n// Runs once per row of: tree.cql\naid=?aid\n",
            "runs once per row of itself",
            id="own-source",
        ),
    ],
)
def test_invalid_header_fails(tmp_path: Path, text: str, message: str) -> None:
    with pytest.raises(InvestigationError, match=message.replace("?", r"\?")):
        read_pivot(write(tmp_path, "tree.cql", text))


def test_steps_follow_their_source(tmp_path: Path) -> None:
    write(tmp_path, "a-two.cql", STEP_TWO.replace("one.cql", "z-one.cql"))
    write(tmp_path, "z-one.cql", STEP_ONE)
    write(tmp_path, "m-tree.cql", TREE)
    assert [pivot.name for pivot in load_pivots(tmp_path)] == ["z-one", "a-two", "m-tree"]


def test_missing_source_fails(tmp_path: Path) -> None:
    write(tmp_path, "two.cql", STEP_TWO)
    with pytest.raises(InvestigationError, match=r"runs on the rows of one\.cql"):
        load_pivots(tmp_path)


def test_cycle_fails(tmp_path: Path) -> None:
    write(
        tmp_path,
        "one.cql",
        STEP_ONE.replace("?aid\n", "?aid\n// Runs once per row of: two.cql\n", 1),
    )
    write(tmp_path, "two.cql", STEP_TWO)
    with pytest.raises(InvestigationError, match="cycle: one -> two -> one"):
        load_pivots(tmp_path)


def test_missing_folder_has_no_pivots(tmp_path: Path) -> None:
    assert load_pivots(tmp_path / INVESTIGATIONS_FOLDER) == []


def test_select_adds_source_step(tmp_path: Path) -> None:
    write(tmp_path, "one.cql", STEP_ONE)
    write(tmp_path, "two.cql", STEP_TWO)
    write(tmp_path, "tree.cql", TREE)
    pivots = load_pivots(tmp_path)
    assert [pivot.name for pivot in select_pivots(pivots, ["two"])] == ["one", "two"]
    assert [pivot.name for pivot in select_pivots(pivots, ["tree"])] == ["tree"]
    assert select_pivots(pivots, []) == pivots


def test_select_unknown_pivot_fails(tmp_path: Path) -> None:
    write(tmp_path, "tree.cql", TREE)
    with pytest.raises(InvestigationError, match="unknown pivot: nope") as caught:
        select_pivots(load_pivots(tmp_path), ["nope"])
    assert caught.value.hint == "known pivots: tree"


def test_query_parameters_in_order() -> None:
    text = "a=?x | case { b=?y | c := 1; * } | d=?x"
    assert query_parameters(text) == ("x", "y")


def test_cmstp_pivots_present(cmstp_pivots: list[Pivot]) -> None:
    assert [pivot.name for pivot in cmstp_pivots] == [
        "cmstplua-dllhost",
        "cmstplua-children",
        "inf-writes-falcon",
        "inf-writes-sysmon",
        "process-tree",
    ]


def test_catalog_pivots_plan_without_errors() -> None:
    """Every pivot of every detection plans once its parameters have values."""
    offenders = []
    detections: list[Detection] = load_catalog()
    for detection in detections:
        try:
            pivots = load_pivots(detection.path / INVESTIGATIONS_FOLDER)
        except InvestigationError as exc:
            offenders.append(f"{detection.id}: {exc}")
            continue
        for pivot in pivots:
            values = {name: "1" for name in pivot.parameters}
            _, diagnostics = check_query(pivot.text, parameters=values)
            offenders += [
                f"{detection.id} {pivot.name}: {d.severity}[{d.code}] {d.message}"
                for d in diagnostics
            ]
    assert not offenders, "\n".join(offenders)
