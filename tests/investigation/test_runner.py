"""Investigations on the bundled OTRF CMSTP UAC-bypass recording, on both engines.

The recording contains one run of cmstp.exe twice: as Sysmon Event ID 1 (hit 1, with Sysmon's
own time) and as Security 4688 (hit 2, four hours earlier because of the export's time
skew). cqlkit synthesizes TargetProcessId and ParentProcessId for both, so each copy has its
own process tree.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from cqlkit.detections import Detection
from cqlkit.investigation import (
    Investigation,
    InvestigationError,
    Pivot,
    PivotRun,
    investigate,
    keep_all_fields,
    run_pivots,
    select_pivots,
)
from cqlkit.plan.nodes import Apply
from cqlkit.plan.planner import plan_query
from cqlkit.sources import read_events
from cqlkit.sources.values import Event

EVTX_SAMPLES = Path(__file__).resolve().parents[2] / "data" / "sbousseaden_EVTX-ATTACK-SAMPLES"
ENGINES = ["duckdb", "reference"]
HIGH_INTEGRITY = 12288


def run_named(result: Investigation, name: str) -> PivotRun:
    (run,) = [run for run in result.runs if run.pivot.name == name]
    return run


@pytest.fixture(scope="module", params=ENGINES)
def first_hit(
    request: pytest.FixtureRequest,
    cmstp: Detection,
    cmstp_pivots: list[Pivot],
    otrf_events: list[Event],
) -> Investigation:
    return investigate(cmstp, cmstp_pivots, otrf_events, engine=request.param)


def test_hit_is_sysmon_cmstp_start(first_hit: Investigation) -> None:
    hit = first_hit.hit
    assert (hit.number, hit.total) == (1, 2)
    assert hit.event["EventID"] == "1"
    assert hit.event["CommandLine"].endswith(
        r'cmstp.exe" /s C:\ProgramData\T1218.003_uacbypass.inf /au'
    )
    assert hit.fields[-3:] == ("aid", "TargetProcessId", "ParentProcessId")
    assert list(hit.shown())[:2] == ["@timestamp", "ComputerName"]


def test_process_tree_shows_powershell_parent(first_hit: Investigation) -> None:
    run = run_named(first_hit, "process-tree")
    assert run.skipped is None
    (row,) = run.result.rows
    assert row["Relation"] == "process"
    assert row["ImageFileName"].endswith(r"\cmstp.exe")
    assert row["ParentBaseFileName"] == "powershell.exe"
    assert row["TargetProcessId"] == first_hit.hit.event["TargetProcessId"]


def test_cmstplua_children_is_elevated_cmd(first_hit: Investigation) -> None:
    hosts = run_named(first_hit, "cmstplua-dllhost").result.rows
    assert [row["ParentBaseFileName"] for row in hosts] == ["svchost.exe", "svchost.exe"]
    assert all("{3E5FC7F9-9A51-4367-9063-A120244FBEC7}" in row["CommandLine"] for row in hosts)

    run = run_named(first_hit, "cmstplua-children")
    assert [values["DllHostProcessId"] for values in run.parameters] == [
        row["DllHostProcessId"] for row in hosts
    ]
    assert len(run.result.rows) == 2
    for row in run.result.rows:
        assert row["ImageFileName"].endswith(r"\cmd.exe")
        assert row["ParentBaseFileName"] == "dllhost.exe"
        assert int(row["IntegrityLevel"]) >= HIGH_INTEGRITY
    parents = {row["ParentProcessId"] for row in run.result.rows}
    assert parents == {row["DllHostProcessId"] for row in hosts}


def test_inf_write_by_powershell(first_hit: Investigation) -> None:
    (row,) = run_named(first_hit, "inf-writes-sysmon").result.rows
    assert row["TargetFilename"] == r"C:\ProgramData\T1218.003_uacbypass.inf"
    assert row["Image"].endswith(r"\powershell.exe")


def test_falcon_inf_pivot_finds_nothing_in_sysmon(first_hit: Investigation) -> None:
    run = run_named(first_hit, "inf-writes-falcon")
    assert run.skipped is None
    assert run.result.rows == []


def test_security_hit_has_own_tree(
    cmstp: Detection, cmstp_pivots: list[Pivot], otrf_events: list[Event]
) -> None:
    pivots = select_pivots(cmstp_pivots, ["process-tree", "inf-writes-sysmon"])
    result = investigate(cmstp, pivots, otrf_events, hit_number=2)
    assert result.hit.event["EventID"] == "4688"
    (row,) = run_named(result, "process-tree").result.rows
    assert row["ParentBaseFileName"] == "powershell.exe"
    assert row["TargetProcessId"] == result.hit.event["TargetProcessId"]
    assert len(run_named(result, "inf-writes-sysmon").result.rows) == 1


def test_start_from_process_id(
    cmstp: Detection, cmstp_pivots: list[Pivot], otrf_events: list[Event], first_hit: Investigation
) -> None:
    host = run_named(first_hit, "cmstplua-dllhost").result.rows[-1]
    pivots = select_pivots(cmstp_pivots, ["process-tree"])
    process = (host["aid"], host["DllHostProcessId"])
    result = investigate(cmstp, pivots, otrf_events, process=process)
    assert result.hit.event["FileName"] == "dllhost.exe"
    rows = run_named(result, "process-tree").result.rows
    assert [(row["Relation"], row["ImageFileName"].rsplit("\\", 1)[1]) for row in rows] == [
        ("process", "dllhost.exe"),
        ("child", "cmd.exe"),
    ]


def test_unknown_process_fails(
    cmstp: Detection, cmstp_pivots: list[Pivot], otrf_events: list[Event]
) -> None:
    with pytest.raises(InvestigationError, match="no ProcessRollup2 or SyntheticProcessRollup2"):
        investigate(cmstp, cmstp_pivots, otrf_events, process=("0" * 32, "1"))


def test_hit_out_of_range_fails(
    cmstp: Detection, cmstp_pivots: list[Pivot], otrf_events: list[Event]
) -> None:
    with pytest.raises(InvestigationError, match="found 2 hits, so there is no hit 3"):
        investigate(cmstp, cmstp_pivots, otrf_events, hit_number=3)


def test_no_hits_fails(cmstp: Detection, cmstp_pivots: list[Pivot]) -> None:
    with pytest.raises(InvestigationError, match="found no hits"):
        investigate(cmstp, cmstp_pivots, [{"@timestamp": "1", "x": "y"}])


def test_missing_parameter_skips_pivot(cmstp_pivots: list[Pivot]) -> None:
    pivots = select_pivots(cmstp_pivots, ["inf-writes-sysmon"])
    (run,) = run_pivots(pivots, {"aid": "a"}, [])
    assert run.missing == ("Hostname",)
    assert run.skipped == "the hit has no field Hostname for ?Hostname"


def test_override_wins_over_hit(cmstp_pivots: list[Pivot], otrf_events: list[Event]) -> None:
    pivots = select_pivots(cmstp_pivots, ["inf-writes-sysmon"])
    (run,) = run_pivots(
        pivots, {"Hostname": "OTHER"}, otrf_events, overrides={"Hostname": "WORKSTATION5"}
    )
    assert run.parameters == [{"Hostname": "WORKSTATION5"}]
    assert len(run.result.rows) == 1


def test_step_needs_source_rows(cmstp_pivots: list[Pivot]) -> None:
    pivots = select_pivots(cmstp_pivots, ["cmstplua-children"])
    dllhost, children = run_pivots(pivots, {"aid": "a"}, [])
    assert dllhost.result.rows == []
    assert children.skipped == "cmstplua-dllhost found no rows"
    assert children.missing == ()


def file_event(time: str, event_type: str, aid: str, file_name: str, process: str) -> Event:
    """Return a Falcon event of a written file, with the fields the INF pivot reads."""
    return {
        "@timestamp": time,
        "#event_simpleName": event_type,
        "aid": aid,
        "TargetFileName": file_name,
        "ContextProcessId": process,
    }


@pytest.mark.parametrize("engine", ENGINES)
def test_falcon_inf_pivot_on_fdr_events(cmstp_pivots: list[Pivot], engine: str) -> None:
    aid = "a" * 32
    volume = "\\Device\\HarddiskVolume3\\ProgramData\\"
    events = [
        file_event("1000", "NewScriptWritten", aid, volume + "profile.INF", "7"),
        file_event("2000", "PeFileWritten", aid, volume + "tool.exe", "7"),
        file_event("3000", "NewScriptWritten", "b" * 32, volume + "other.inf", "8"),
        file_event("4000", "DnsRequest", aid, "x.inf", "9"),
    ]
    pivots = select_pivots(cmstp_pivots, ["inf-writes-falcon"])
    (run,) = run_pivots(pivots, {"aid": aid}, events, engine=engine)
    assert [row["TargetFileName"] for row in run.result.rows] == [volume + "profile.INF"]
    assert run.result.rows[0]["ContextProcessId"] == "7"


def test_evtx_parent_is_in_tree(cmstp: Detection, cmstp_pivots: list[Pivot]) -> None:
    """In this recording the parent's start is logged, so the tree has a parent row."""
    events = list(read_events(EVTX_SAMPLES / "sysmon_1_13_11_cmstp_ini_uacbypass.evtx"))
    result = investigate(cmstp, select_pivots(cmstp_pivots, ["process-tree"]), events)
    rows = run_named(result, "process-tree").result.rows
    assert [(row["Relation"], row["ImageFileName"].rsplit("\\", 1)[1]) for row in rows] == [
        ("parent", "python.exe"),
        ("process", "cmstp.exe"),
    ]


def test_keep_all_fields_drops_trailing_select(cmstp: Detection) -> None:
    plan, selected = keep_all_fields(plan_query(cmstp.query()))
    last = plan.stages[-1]
    assert isinstance(last, Apply)
    assert last.call.name == "sort"
    assert selected[:3] == ("@timestamp", "ComputerName", "UserName")


def test_keep_all_fields_keeps_inner_select() -> None:
    plan = plan_query("select([a]) | a=1 | drop([b]) | head(5)")
    kept, selected = keep_all_fields(plan)
    assert [type(stage).__name__ for stage in kept.stages] == ["Apply", "Filter", "Apply"]
    assert selected == ()
