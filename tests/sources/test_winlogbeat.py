"""Winlogbeat documents with nested winlog fields, and their mapping to ProcessRollup2."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

import orjson

from .conftest import read_all, write_lines

# Sysmon Event ID 1 in the nested Winlogbeat layout, with values from the OTRF cmstp recording.
NESTED_SYSMON = {
    "@timestamp": "2020-10-22T05:54:23.975Z",
    "event": {"code": "1", "provider": "Microsoft-Windows-Sysmon"},
    "host": {"name": "workstation5.theshire.local"},
    "winlog": {
        "channel": "Microsoft-Windows-Sysmon/Operational",
        "event_id": "1",
        "computer_name": "WORKSTATION5.theshire.local",
        "record_id": 251763,
        "provider_name": "Microsoft-Windows-Sysmon",
        "event_data": {
            "UtcTime": "2020-10-22 05:54:23.975",
            "ProcessGuid": "{39e4a257-1e8f-5f91-ca12-000000000700}",
            "ProcessId": "9456",
            "Image": "C:\\Windows\\System32\\cmstp.exe",
            "CommandLine": '"C:\\windows\\system32\\cmstp.exe" /s C:\\ProgramData\\x.inf /au',
            "User": "WORKSTATION5\\wardog",
            "IntegrityLevel": "High",
            "ParentProcessId": "6708",
            "ParentImage": "C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe",
        },
    },
}

NESTED_SECURITY = {
    "@timestamp": "2020-10-22T05:54:24.137Z",
    "winlog": {
        "channel": "Security",
        "event_id": 4688,
        "computer_name": "WORKSTATION5",
        "event_data": {
            "NewProcessId": "0x297c",
            "NewProcessName": "C:\\Windows\\System32\\dllhost.exe",
            "ProcessId": "0x3b0",
            "ParentProcessName": "C:\\Windows\\System32\\svchost.exe",
            "SubjectUserSid": "S-1-5-18",
            "SubjectUserName": "WORKSTATION5$",
            "SubjectDomainName": "WORKGROUP",
            "SubjectLogonId": "0x3e7",
            "TargetUserName": "-",
            "MandatoryLabel": "S-1-16-16384",
        },
    },
}


def _read_one(tmp_path: Path, document: Mapping[str, object]) -> dict[str, str]:
    path = write_lines(tmp_path / "winlogbeat.ndjson", [orjson.dumps(document).decode()])
    (event,), report = read_all([path])
    assert report.rejected == 0
    return event


def test_nested_fields_copied(tmp_path: Path) -> None:
    event = _read_one(tmp_path, NESTED_SYSMON)

    assert event["winlog.event_data.Image"] == "C:\\Windows\\System32\\cmstp.exe"
    assert event["Image"] == "C:\\Windows\\System32\\cmstp.exe"
    assert event["EventID"] == "1"
    assert event["Channel"] == "Microsoft-Windows-Sysmon/Operational"
    assert event["Computer"] == "WORKSTATION5.theshire.local"
    assert event["Hostname"] == "WORKSTATION5.theshire.local"
    assert event["EventRecordID"] == "251763"
    assert event["#type"] == "winlogbeat"


def test_nested_sysmon_mapped(tmp_path: Path) -> None:
    event = _read_one(tmp_path, NESTED_SYSMON)

    assert event["#event_simpleName"] == "ProcessRollup2"
    assert event["ParentBaseFileName"] == "powershell.exe"
    assert event["ComputerName"] == "WORKSTATION5"
    assert event["IntegrityLevel"] == "12288"
    assert event["ParentRawProcessId"] == "6708"
    assert event["@timestamp"] == "1603346063975"


def test_nested_security_mapped(tmp_path: Path) -> None:
    event = _read_one(tmp_path, NESTED_SECURITY)

    assert event["#event_simpleName"] == "ProcessRollup2"
    assert event["FileName"] == "dllhost.exe"
    assert event["RawProcessId"] == "10620"
    assert event["ParentRawProcessId"] == "944"
    assert event["UserName"] == "NT AUTHORITY\\SYSTEM"
    assert event["UserSid"] == "S-1-5-18"
    assert event["AuthenticationId"] == "999"
    assert event["IntegrityLevel"] == "16384"


def test_flat_name_wins_over_nested(tmp_path: Path) -> None:
    document = {**NESTED_SECURITY, "Channel": "ForwardedEvents", "Hostname": "collector01"}
    event = _read_one(tmp_path, document)

    assert event["Channel"] == "ForwardedEvents"
    assert event["Hostname"] == "collector01"
    assert "#event_simpleName" not in event


def test_time_created_fallback(tmp_path: Path) -> None:
    event = _read_one(
        tmp_path,
        {"TimeCreated": "2020-10-22T01:54:23.975Z", "EventID": 4663, "Channel": "Security"},
    )

    assert event["@timestamp"] == "1603331663975"
