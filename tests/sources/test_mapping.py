"""Mapping of Sysmon 1 and Security 4688 events to Falcon ProcessRollup2 fields."""

from __future__ import annotations

import pytest

from cqlkit.sources.mapping import WindowsEventMapper, map_sysmon_process
from cqlkit.sources.values import Event
from cqlkit.sources.windows import (
    integrity_level_rid,
    mandatory_label_rid,
    parse_hashes,
    split_image_path,
    to_device_path,
)


def sysmon_event(**fields: str) -> Event:
    event = {
        "@timestamp": "1603331663985",
        "Channel": "Microsoft-Windows-Sysmon/Operational",
        "EventID": "1",
        "Hostname": "WORKSTATION5.theshire.local",
        "UtcTime": "2020-10-22 05:54:23.975",
        "ProcessGuid": "{39e4a257-1e8f-5f91-ca12-000000000700}",
        "ProcessId": "9456",
        "Image": "C:\\Windows\\System32\\cmstp.exe",
        "User": "WORKSTATION5\\wardog",
        "LogonId": "0xc61d9",
        "IntegrityLevel": "High",
        "ParentProcessGuid": "{39e4a257-1e6c-5f91-c712-000000000700}",
        "ParentProcessId": "6708",
        "ParentImage": "C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe",
    }
    event.update(fields)
    return event


def security_event(**fields: str) -> Event:
    event = {
        "@timestamp": "1603331663975",
        "Channel": "security",
        "EventID": "4688",
        "Hostname": "WORKSTATION5",
        "NewProcessId": "0x24f0",
        "NewProcessName": "C:\\Windows\\System32\\cmstp.exe",
        "ProcessId": "0x1a34",
        "ParentProcessName": "C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe",
        "SubjectUserSid": "S-1-5-21-3940915590-64593676-1414006259-500",
        "SubjectUserName": "wardog",
        "SubjectDomainName": "WORKSTATION5",
        "SubjectLogonId": "0xc61d9",
        "TargetUserSid": "S-1-0-0",
        "TargetUserName": "-",
        "TargetDomainName": "-",
        "TargetLogonId": "0x0",
        "MandatoryLabel": "S-1-16-12288",
    }
    event.update(fields)
    return event


def mapped(event: Event, mapper: WindowsEventMapper | None = None) -> Event:
    (mapper or WindowsEventMapper()).apply(event)
    return event


@pytest.mark.parametrize(
    ("path", "device_path"),
    [
        (
            "C:\\Windows\\System32\\cmstp.exe",
            "\\Device\\HarddiskVolume2\\Windows\\System32\\cmstp.exe",
        ),
        ("c:\\python27\\python.exe", "\\Device\\HarddiskVolume2\\python27\\python.exe"),
        ("D:\\tools\\a.exe", "\\Device\\HarddiskVolume3\\tools\\a.exe"),
        ("\\\\?\\C:\\Windows\\x.exe", "\\Device\\HarddiskVolume2\\Windows\\x.exe"),
        ("\\??\\C:\\Windows\\x.exe", "\\Device\\HarddiskVolume2\\Windows\\x.exe"),
        ("\\\\fileserver\\share\\a.exe", "\\Device\\Mup\\fileserver\\share\\a.exe"),
        ("\\Device\\HarddiskVolume4\\a.exe", "\\Device\\HarddiskVolume4\\a.exe"),
        ("System", "System"),
        ("Registry", "Registry"),
    ],
    ids=[
        "system32",
        "lower",
        "drive-d",
        "long-path",
        "nt-prefix",
        "unc",
        "device",
        "system",
        "registry",
    ],
)
def test_to_device_path(path: str, device_path: str) -> None:
    assert to_device_path(path) == device_path


def test_split_image_path() -> None:
    assert split_image_path("\\Device\\HarddiskVolume2\\Windows\\cmd.exe") == (
        "\\Device\\HarddiskVolume2\\Windows\\",
        "cmd.exe",
    )
    assert split_image_path("System") == ("", "System")


@pytest.mark.parametrize(
    ("name", "rid"),
    [
        ("Low", "4096"),
        ("AppContainer", "4096"),
        ("Medium", "8192"),
        ("MediumPlus", "8448"),
        ("High", "12288"),
        ("System", "16384"),
        ("Protected", "20480"),
        ("Unknown", None),
    ],
)
def test_integrity_level_rid(name: str, rid: str | None) -> None:
    assert integrity_level_rid(name) == rid


def test_mandatory_label_rid() -> None:
    assert mandatory_label_rid("S-1-16-12288") == "12288"
    assert mandatory_label_rid("s-1-16-4096") == "4096"
    assert mandatory_label_rid("S-1-5-18") is None
    assert mandatory_label_rid("Mandatory Label\\High Mandatory Level") is None


def test_parse_hashes() -> None:
    hashes = parse_hashes("SHA1=C19C,MD5=D572,SHA256=6391B1,IMPHASH=109B")

    assert hashes == {"SHA1HashData": "c19c", "MD5HashData": "d572", "SHA256HashData": "6391b1"}


def test_sysmon_collisions_moved() -> None:
    event = mapped(sysmon_event())

    assert event["ParentRawProcessId"] == "6708"
    assert event["IntegrityLevelName"] == "High"
    assert event["IntegrityLevel"] == "12288"
    assert event["ParentProcessId"] != "6708"
    assert event["ParentProcessId"].isdigit()


def test_sysmon_ids_ignore_guid_form() -> None:
    otrf_form = mapped(sysmon_event())
    evtx_form = mapped(sysmon_event(ProcessGuid="39E4A257-1E8F-5F91-CA12-000000000700"))

    assert otrf_form["TargetProcessId"] == evtx_form["TargetProcessId"]


def test_sysmon_ids_differ_by_host() -> None:
    first = mapped(sysmon_event())
    second = mapped(sysmon_event(Hostname="WORKSTATION6.theshire.local"))

    assert first["TargetProcessId"] != second["TargetProcessId"]
    assert first["aid"] != second["aid"]
    assert len(first["aid"]) == 32


def test_sysmon_parent_id_links_child() -> None:
    parent = mapped(sysmon_event(ProcessGuid="{39e4a257-1e6c-5f91-c712-000000000700}"))
    child = mapped(sysmon_event())

    assert child["ParentProcessId"] == parent["TargetProcessId"]


def test_sysmon_time_from_utctime() -> None:
    event = mapped(sysmon_event())

    assert event["@timestamp"] == "1603346063975"
    assert event["ProcessStartTime"] == "1603346063.975"


def test_sysmon_bad_utctime_keeps_time() -> None:
    event = mapped(sysmon_event(UtcTime="soon"))

    assert event["@timestamp"] == "1603331663985"


def test_sysmon_channel_case() -> None:
    event = mapped(sysmon_event(Channel="microsoft-windows-sysmon/operational"))

    assert event["#event_simpleName"] == "ProcessRollup2"


def test_sysmon_other_event_unmapped() -> None:
    event = sysmon_event(EventID="3")
    before = dict(event)
    mapped(event)

    assert "#event_simpleName" not in event
    assert event["IntegrityLevel"] == "High"
    assert {k for k in event if event[k] != before.get(k)} == {"@timestamp"}


def test_map_sysmon_process_direct() -> None:
    event = sysmon_event()
    map_sysmon_process(event)

    assert event["UserName"] == "WORKSTATION5\\wardog"
    assert event["RawProcessId"] == "9456"
    assert event["AuthenticationId"] == "811481"


def test_security_subject_account() -> None:
    event = mapped(security_event())

    assert event["UserName"] == "WORKSTATION5\\wardog"
    assert event["UserSid"] == "S-1-5-21-3940915590-64593676-1414006259-500"
    assert event["AuthenticationId"] == "811481"


def test_security_target_account() -> None:
    event = mapped(
        security_event(
            SubjectUserSid="S-1-5-18",
            SubjectUserName="WORKSTATION5$",
            SubjectDomainName="WORKGROUP",
            SubjectLogonId="0x3e7",
            TargetUserName="wardog",
            TargetDomainName="WORKSTATION5",
            TargetLogonId="0xc61d9",
        )
    )

    assert event["UserName"] == "WORKSTATION5\\wardog"
    assert event["AuthenticationId"] == "811481"
    assert "UserSid" not in event


def test_security_system_account() -> None:
    event = mapped(
        security_event(
            SubjectUserSid="S-1-5-18", SubjectUserName="WORKSTATION5$", SubjectLogonId="0x3e7"
        )
    )

    assert event["UserName"] == "NT AUTHORITY\\SYSTEM"
    assert event["AuthenticationId"] == "999"


def test_security_hex_ids() -> None:
    event = mapped(security_event())

    assert event["RawProcessId"] == "9456"
    assert event["ParentRawProcessId"] == "6708"
    assert event["ProcessId"] == "0x1a34"
    assert event["IntegrityLevel"] == "12288"


def test_security_parent_found_in_order() -> None:
    mapper = WindowsEventMapper()
    parent = mapped(security_event(NewProcessId="0x1a34", ProcessId="0x3b0"), mapper)
    child = mapped(security_event(), mapper)

    assert child["ParentProcessId"] == parent["TargetProcessId"]


def test_security_unseen_parent_stable() -> None:
    first = mapped(security_event())
    sibling = mapped(security_event(NewProcessId="0x2000", **{"@timestamp": "1603331664000"}))

    assert first["ParentProcessId"] == sibling["ParentProcessId"]
    assert first["TargetProcessId"] != sibling["TargetProcessId"]


def test_security_other_event_unmapped() -> None:
    event = mapped(security_event(EventID="4689"))

    assert "#event_simpleName" not in event
    assert "RawProcessId" not in event


def test_security_bad_hex_skipped() -> None:
    event = mapped(security_event(NewProcessId="n/a"))

    assert event["#event_simpleName"] == "ProcessRollup2"
    assert "RawProcessId" not in event
    assert "TargetProcessId" not in event
