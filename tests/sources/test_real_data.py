"""The recordings in data/ read with known event counts and known Falcon field values."""

from __future__ import annotations

from collections.abc import Iterator
from functools import cache
from pathlib import Path

import pytest

from cqlkit.sources import Event, ReadReport, read_events

from .conftest import DATA_DIR, EVTX_DIR, OTRF_DIR, read_all

CMSTP_ZIP = OTRF_DIR / "psh_cmstp_execution_bypassuac.zip"
EMPIRE_ZIP = OTRF_DIR / "empire_persistence_registry_modification_run_keys_standard_user.zip"
CMSTP_INI_EVTX = EVTX_DIR / "sysmon_1_13_11_cmstp_ini_uacbypass.evtx"
EDR_SCRIPT_EVTX = EVTX_DIR / "panache_sysmon_vs_EDRTestingScript.evtx"

OTRF_CMSTP_COMMAND = (
    '"C:\\windows\\system32\\cmstp.exe" /s C:\\ProgramData\\T1218.003_uacbypass.inf /au'
)
SYSMON = "Microsoft-Windows-Sysmon/Operational"

# (file under data/, events, events mapped to ProcessRollup2 = Sysmon 1 + Security 4688)
RECORDING_COUNTS = [
    ("OTRF_Security-Datasets/psh_cmstp_execution_bypassuac.zip", 1166, 5 + 5),
    (
        "OTRF_Security-Datasets/empire_persistence_registry_modification_run_keys_standard_user.zip",
        40569,
        120 + 546,
    ),
    ("OTRF_Security-Datasets/metasploit_logonpasswords_lsass_memory_dump.zip", 53698, 269 + 53),
    ("OTRF_Security-Datasets/cmd_dumping_ntds_dit_file_ntdsutil.zip", 11184, 8 + 8),
    ("OTRF_Security-Datasets/aptsimulator_cobaltstrike.zip", 2611, 37 + 36),
    ("sbousseaden_EVTX-ATTACK-SAMPLES/sysmon_1_13_11_cmstp_ini_uacbypass.evtx", 5, 3),
    ("sbousseaden_EVTX-ATTACK-SAMPLES/panache_sysmon_vs_EDRTestingScript.evtx", 122, 96),
    ("sbousseaden_EVTX-ATTACK-SAMPLES/PanacheSysmon_vs_AtomicRedTeam01.evtx", 565, 511),
]


@cache
def small_recording(path: Path) -> list[Event]:
    """Read a small recording once and share it between tests. Large ones are streamed."""
    events, report = read_all([path])
    assert report.rejected == 0
    return events


@cache
def process_events(path: Path) -> list[Event]:
    """Return only the ProcessRollup2 events of a recording, read once."""
    return [event for event in read_events([path]) if _is_process_rollup(event)]


def _is_process_rollup(event: Event) -> bool:
    return event.get("#event_simpleName") == "ProcessRollup2"


def _find(events: list[Event], **fields: str) -> Iterator[Event]:
    return (e for e in events if all(e.get(name) == value for name, value in fields.items()))


def _one(events: list[Event], **fields: str) -> Event:
    matches = list(_find(events, **fields))
    assert len(matches) == 1, f"expected one event with {fields}, found {len(matches)}"
    return matches[0]


@pytest.mark.parametrize(
    ("name", "event_count", "process_count"),
    RECORDING_COUNTS,
    ids=[Path(name).stem for name, _, _ in RECORDING_COUNTS],
)
def test_recording_counts(name: str, event_count: int, process_count: int) -> None:
    report = ReadReport()
    mapped = sum(_is_process_rollup(e) for e in read_events([DATA_DIR / name], report=report))

    assert report.events_read == event_count
    assert report.rejected == 0
    assert mapped == process_count


def test_otrf_sysmon_cmstp_mapped() -> None:
    event = _one(small_recording(CMSTP_ZIP), Channel=SYSMON, CommandLine=OTRF_CMSTP_COMMAND)

    assert event["#event_simpleName"] == "ProcessRollup2"
    assert event["event_simpleName"] == "ProcessRollup2"
    assert event["event_platform"] == "Win"
    assert event["ImageFileName"] == "\\Device\\HarddiskVolume2\\Windows\\System32\\cmstp.exe"
    assert event["FileName"] == "cmstp.exe"
    assert event["FilePath"] == "\\Device\\HarddiskVolume2\\Windows\\System32\\"
    assert event["ParentBaseFileName"] == "powershell.exe"
    assert event["ComputerName"] == "WORKSTATION5"
    assert event["UserName"] == "WORKSTATION5\\wardog"
    assert event["RawProcessId"] == "9456"
    assert event["ParentRawProcessId"] == "6708"
    assert event["AuthenticationId"] == "811481"
    assert event["IntegrityLevel"] == "12288"
    assert event["IntegrityLevelName"] == "High"
    assert event["SessionId"] == "2"
    assert event["SHA256HashData"] == (
        "6391b1b331af29c25dd8e187e08e733746e078108131e3fd44979e0da1ea2ceb"
    )
    assert event["MD5HashData"] == "d57251040fc3db645062fd9166914a85"
    assert event["#type"] == "winlogbeat"


def test_otrf_sysmon_time_from_utctime() -> None:
    event = _one(small_recording(CMSTP_ZIP), Channel=SYSMON, CommandLine=OTRF_CMSTP_COMMAND)

    # UtcTime 2020-10-22 05:54:23.975 is 1603346063975 ms. The export's own @timestamp,
    # 01:54:23.985Z, is four hours behind it.
    assert event["UtcTime"] == "2020-10-22 05:54:23.975"
    assert event["@timestamp"] == "1603346063975"
    assert event["ProcessStartTime"] == "1603346063.975"


def test_otrf_security_cmstp_mapped() -> None:
    event = _one(small_recording(CMSTP_ZIP), Channel="Security", CommandLine=OTRF_CMSTP_COMMAND)

    assert event["#event_simpleName"] == "ProcessRollup2"
    assert event["ImageFileName"] == "\\Device\\HarddiskVolume2\\Windows\\System32\\cmstp.exe"
    assert event["ParentBaseFileName"] == "powershell.exe"
    assert event["ComputerName"] == "WORKSTATION5"
    assert event["UserName"] == "WORKSTATION5\\wardog"
    assert event["UserSid"] == "S-1-5-21-3940915590-64593676-1414006259-500"
    assert event["RawProcessId"] == "9456"
    assert event["ParentRawProcessId"] == "6708"
    assert event["AuthenticationId"] == "811481"
    assert event["IntegrityLevel"] == "12288"


def test_otrf_security_keeps_record_time() -> None:
    event = _one(small_recording(CMSTP_ZIP), Channel="Security", CommandLine=OTRF_CMSTP_COMMAND)

    # 4688 has no UtcTime, so the export's @timestamp (2020-10-22T01:54:23.975Z) stays, four
    # hours behind the Sysmon record of the same process start.
    assert event["@timestamp"] == "1603331663975"


def test_otrf_security_target_account() -> None:
    # svchost (as SYSTEM) starts DllHost for the user: 4688 names the user as Target*.
    event = _one(small_recording(CMSTP_ZIP), Channel="Security", FileName="dllhost.exe")

    assert event["UserName"] == "WORKSTATION5\\wardog"
    assert event["AuthenticationId"] == "811481"
    assert "UserSid" not in event  # TargetUserSid is the NULL SID S-1-0-0


def test_otrf_sysmon_parent_link() -> None:
    events = small_recording(CMSTP_ZIP)
    dllhost = _one(events, Channel=SYSMON, FileName="dllhost.exe")
    cmd = _one(events, Channel=SYSMON, FileName="cmd.exe")

    assert cmd["ParentBaseFileName"] == "dllhost.exe"
    assert cmd["ParentProcessId"] == dllhost["TargetProcessId"]
    assert cmd["IntegrityLevel"] == "12288"


def test_otrf_security_parent_link() -> None:
    events = small_recording(CMSTP_ZIP)
    dllhost = _one(events, Channel="Security", FileName="dllhost.exe")
    cmd = _one(events, Channel="Security", FileName="cmd.exe")

    assert cmd["ParentProcessId"] == dllhost["TargetProcessId"]


def test_otrf_other_events_unmapped() -> None:
    events = small_recording(CMSTP_ZIP)
    image_loads = list(_find(events, Channel=SYSMON, EventID="7"))

    assert len(image_loads) == 185
    assert all("#event_simpleName" not in e for e in image_loads)
    assert all("ImageFileName" not in e for e in image_loads)


def test_evtx_cmstp_ini_events() -> None:
    events = small_recording(CMSTP_INI_EVTX)
    cmstp = _one(events, FileName="cmstp.exe")

    assert len(events) == 5
    assert cmstp["ParentBaseFileName"] == "python.exe"
    assert cmstp["ComputerName"] == "IEWIN7"
    assert cmstp["IntegrityLevel"] == "8192"
    assert cmstp["CommandLine"] == (
        '"C:\\Windows\\System32\\cmstp.exe" /au c:\\users\\ieuser\\appdata\\local\\temp\\tmp.ini'
    )
    assert cmstp["@timestamp"] == "1557595699442"  # UtcTime 2019-05-11 17:28:19.442
    assert cmstp["#type"] == "evtx"


def test_evtx_system_fields() -> None:
    cmstp = _one(small_recording(CMSTP_INI_EVTX), FileName="cmstp.exe")

    assert cmstp["EventID"] == "1"
    assert cmstp["EventRecordID"] == "16038"
    assert cmstp["Channel"] == SYSMON
    assert cmstp["Computer"] == "IEWIN7"
    assert cmstp["Hostname"] == "IEWIN7"
    assert cmstp["SourceName"] == "Microsoft-Windows-Sysmon"
    assert cmstp["ProviderGuid"] == "{5770385F-C22A-43E0-BF4C-06F5698FFBD9}"
    assert cmstp["TimeCreated"] == "2019-05-11T17:28:19.567055Z"


def test_evtx_rawstring_is_record_json() -> None:
    cmstp = _one(small_recording(CMSTP_INI_EVTX), FileName="cmstp.exe")

    assert cmstp["@rawstring"].startswith('{"Event":')
    assert '"EventRecordID":16038' in cmstp["@rawstring"]


def test_evtx_file_create_unmapped() -> None:
    file_create = _one(small_recording(CMSTP_INI_EVTX), EventID="11")

    assert "#event_simpleName" not in file_create
    assert file_create["TargetFilename"] == "C:\\Users\\IEUser\\AppData\\Local\\Temp\\tmp.ini"
    assert file_create["@timestamp"] == "1557595697363"  # UtcTime 2019-05-11 17:28:17.363


def test_evtx_edr_script_cmstp() -> None:
    events = small_recording(EDR_SCRIPT_EVTX)
    cmstp = _one(events, FileName="cmstp.exe")

    assert len(events) == 122
    assert cmstp["ParentBaseFileName"] == "cmd.exe"
    assert cmstp["CommandLine"].startswith("cmstp.exe  /ni /s https://raw.githubusercontent.com/")
    assert cmstp["ComputerName"] == "MSEDGEWIN10"


def test_empire_lowercase_security_channel() -> None:
    security = [e for e in process_events(EMPIRE_ZIP) if e["Channel"].lower() == "security"]
    lowercase = [e for e in security if e["Channel"] == "security"]

    assert len(security) == 546
    assert len(lowercase) == 540
    assert all(e["EventID"] == "4688" for e in security)


def test_empire_short_computer_name() -> None:
    events = process_events(EMPIRE_ZIP)

    # WORKSTATION6, the third host of the recording, logged no process creation.
    assert {e["ComputerName"] for e in events} == {"WORKSTATION5", "MORDORDC"}
    assert {e["Hostname"] for e in events} == {
        "WORKSTATION5.theshire.local",
        "MORDORDC.theshire.local",
    }


def test_empire_security_parent_link() -> None:
    events = process_events(EMPIRE_ZIP)
    logman = _one(events, Channel="security", CommandLine='"logman.exe" stop GAEvents')
    children = [e for e in events if e.get("ParentProcessId") == logman["TargetProcessId"]]

    assert [e["FileName"] for e in children] == ["conhost.exe"]
    assert children[0]["ParentRawProcessId"] == logman["RawProcessId"]


def test_otrf_list_values() -> None:
    first = next(read_events([EMPIRE_ZIP]))

    assert first["tags[0]"] == "mordorDataset"
    assert "tags" not in first


def test_otrf_bool_values() -> None:
    unresolved = [e for e in read_events([EMPIRE_ZIP]) if "ERROR_EVT_UNRESOLVED" in e]

    assert len(unresolved) == 563
    assert {e["ERROR_EVT_UNRESOLVED"] for e in unresolved} == {"true"}


def test_otrf_null_values() -> None:
    ntds = OTRF_DIR / "cmd_dumping_ntds_dit_file_ntdsutil.zip"
    shares = list(_find(list(read_events([ntds])), EventID="5140"))

    # One of the two share-access records has "ShareLocalPath": null in the JSON.
    assert {e["ShareLocalPath"] for e in shares} == {"\\??\\C:\\Windows\\SYSVOL\\sysvol", "null"}


def test_folder_of_evtx_files() -> None:
    events, report = read_all([EVTX_DIR])

    assert report.events_read == 565 + 122 + 5
    assert [Path(name).name for name in report.files] == [
        "PanacheSysmon_vs_AtomicRedTeam01.evtx",
        "panache_sysmon_vs_EDRTestingScript.evtx",
        "sysmon_1_13_11_cmstp_ini_uacbypass.evtx",
    ]
    assert len(events) == report.events_read
