r"""Mapping of Windows process-creation events to Falcon ``ProcessRollup2`` fields.

Sysmon Event ID 1 (channel ``Microsoft-Windows-Sysmon/Operational``) and Security 4688
(channel ``Security``) gain the fields of a Falcon ProcessRollup2 event, so LogScale queries
written for Falcon run over them. Channel names are compared without case, because some
recordings write ``security``. Every other event passes through without Falcon fields. The
source fields stay on the event.

Added fields: ``#event_simpleName`` and ``event_simpleName`` (``ProcessRollup2``),
``event_platform`` (``Win``), ``ImageFileName`` as an NT device path with ``FileName`` and
``FilePath``, ``ParentBaseFileName``, ``ComputerName``, ``UserName``, ``UserSid``,
``AuthenticationId``, ``IntegrityLevel``, ``RawProcessId``, ``ParentRawProcessId``,
``TargetProcessId``, ``ParentProcessId``, ``ProcessStartTime``, ``SessionId``, the hash fields,
and ``aid`` when the event has none.

Name collisions: where a source field has a Falcon name but another meaning, the Falcon
meaning takes the name and the source value moves to the name in DISPLACED_FIELDS. Sysmon's
``ParentProcessId`` (the parent's OS PID) moves to ``ParentRawProcessId``, and Sysmon's
``IntegrityLevel`` (``High``) moves to ``IntegrityLevelName``. Security 4688's ``ProcessId``
(the parent's PID in hex) is not a ProcessRollup2 name, so it stays.

Synthesized values are stable across runs, but they are not what a Falcon sensor reports:

- ``TargetProcessId`` and ``ParentProcessId`` are 63-bit hashes in decimal. Sysmon hashes host
  and ProcessGuid. Security 4688 hashes host, PID and start time, and finds the parent's id
  among the 4688 processes started earlier in the same read (see WindowsEventMapper).
- ``aid`` is a 32-digit hex hash of the lower-case short host name.

``UserName`` is ``DOMAIN\user`` as Sysmon writes it. NOTE: whether Falcon's UserName carries
the domain was not verified.
``ComputerName`` is the host name without its DNS domain, as the aidmaster table stores it
apart from ``MachineDomain``.

``@timestamp`` of every Sysmon event with ``UtcTime`` comes from that field, because an
export's own ``@timestamp`` can be hours off: four hours in the OTRF cmstp recording. A 4688
event has no such field and keeps its record time.
"""

from __future__ import annotations

from cqlkit.sources.values import Event, iso_to_epoch_ms, ms_to_seconds_text
from cqlkit.sources.windows import (
    WELL_KNOWN_ACCOUNTS,
    base_name,
    hex_to_decimal,
    integrity_level_rid,
    join_account,
    mandatory_label_rid,
    parse_hashes,
    short_host_name,
    split_image_path,
    stable_agent_id,
    stable_id,
    to_device_path,
)

SYSMON_CHANNEL = "microsoft-windows-sysmon/operational"
SECURITY_CHANNEL = "security"
PROCESS_ROLLUP = "ProcessRollup2"

#: The NULL SID. 4688 writes it as TargetUserSid even when it names a target account, so it
#: gives no information about the process token and is not copied to UserSid.
NULL_SID = "S-1-0-0"

#: Sysmon fields whose names Falcon uses for something else, and where their values move.
DISPLACED_FIELDS: dict[str, str] = {
    "ParentProcessId": "ParentRawProcessId",
    "IntegrityLevel": "IntegrityLevelName",
}

#: Sysmon fields copied unchanged to a Falcon name.
SYSMON_RENAMES: dict[str, str] = {
    "User": "UserName",
    "ProcessId": "RawProcessId",
    "TerminalSessionId": "SessionId",
}


class WindowsEventMapper:
    """Adds Falcon ProcessRollup2 fields to Sysmon 1 and Security 4688 events.

    One mapper serves one read. It remembers the process id of each 4688 process start, by
    host and PID, so that a later 4688 child gets its parent's ``TargetProcessId`` as
    ``ParentProcessId``. NOTE: this needs parents to come before their children in the input.
    A parent that was not seen gets an id hashed from host and PID alone.
    """

    def __init__(self) -> None:
        self._security_processes: dict[tuple[str, str], str] = {}

    def apply(self, event: Event) -> None:
        """Add the Falcon fields to ``event`` in place if it is a process-creation event."""
        channel = event.get("Channel", "").lower()
        if channel == SYSMON_CHANNEL:
            _use_sysmon_time(event)
            if event.get("EventID") == "1":
                map_sysmon_process(event)
        elif channel == SECURITY_CHANNEL and event.get("EventID") == "4688":
            self._map_security_process(event)

    def _map_security_process(self, event: Event) -> None:
        host = _add_process_fields(
            event, event.get("NewProcessName"), event.get("ParentProcessName")
        )

        parent_pid = hex_to_decimal(event.get("ProcessId", ""))
        if parent_pid is not None:
            event["ParentRawProcessId"] = parent_pid
            known_parent = self._security_processes.get((host, parent_pid))
            event["ParentProcessId"] = known_parent or stable_id(host, parent_pid)

        pid = hex_to_decimal(event.get("NewProcessId", ""))
        if pid is not None:
            event["RawProcessId"] = pid
            process_id = stable_id(host, pid, event["@timestamp"])
            event["TargetProcessId"] = process_id
            self._security_processes[(host, pid)] = process_id

        _add_security_account(event)
        rid = mandatory_label_rid(event.get("MandatoryLabel", ""))
        if rid is not None:
            event["IntegrityLevel"] = rid


def map_sysmon_process(event: Event) -> None:
    """Add ProcessRollup2 fields to a Sysmon Event ID 1 event in place."""
    for source_name, kept_name in DISPLACED_FIELDS.items():
        if source_name in event:
            event[kept_name] = event.pop(source_name)
    host = _add_process_fields(event, event.get("Image"), event.get("ParentImage"))

    for source_name, falcon_name in SYSMON_RENAMES.items():
        if source_name in event:
            event[falcon_name] = event[source_name]
    if event.get("ProcessGuid"):
        event["TargetProcessId"] = stable_id(host, _guid_key(event["ProcessGuid"]))
    if event.get("ParentProcessGuid"):
        event["ParentProcessId"] = stable_id(host, _guid_key(event["ParentProcessGuid"]))

    logon_id = hex_to_decimal(event.get("LogonId", ""))
    if logon_id is not None:
        event["AuthenticationId"] = logon_id
    rid = integrity_level_rid(event.get("IntegrityLevelName", ""))
    if rid is not None:
        event["IntegrityLevel"] = rid
    event.update(parse_hashes(event.get("Hashes", "")))


def _add_process_fields(event: Event, image: str | None, parent_image: str | None) -> str:
    """Add the fields both sources share; return the host key used in synthesized ids."""
    event["#event_simpleName"] = PROCESS_ROLLUP
    event["event_simpleName"] = PROCESS_ROLLUP
    event["event_platform"] = "Win"
    event["ProcessStartTime"] = ms_to_seconds_text(int(event["@timestamp"]))
    if image:
        image_file_name = to_device_path(image)
        event["ImageFileName"] = image_file_name
        event["FilePath"], event["FileName"] = split_image_path(image_file_name)
    if parent_image:
        event["ParentBaseFileName"] = base_name(parent_image)

    computer_name = short_host_name(event.get("Computer") or event.get("Hostname") or "")
    host = computer_name.lower()
    if computer_name:
        event["ComputerName"] = computer_name
        event.setdefault("aid", stable_agent_id(host))
    return host


def _add_security_account(event: Event) -> None:
    # The new process runs as the Target account when 4688 names one, else as the Subject.
    target_name = event.get("TargetUserName", "")
    prefix = "Target" if target_name not in ("", "-") else "Subject"
    sid = event.get(f"{prefix}UserSid", "")
    user_name = WELL_KNOWN_ACCOUNTS.get(sid) or join_account(
        event.get(f"{prefix}DomainName"), event.get(f"{prefix}UserName")
    )
    if user_name:
        event["UserName"] = user_name
    if sid and sid != NULL_SID:
        event["UserSid"] = sid
    logon_id = hex_to_decimal(event.get(f"{prefix}LogonId", ""))
    if logon_id is not None:
        event["AuthenticationId"] = logon_id


def _use_sysmon_time(event: Event) -> None:
    utc_time = event.get("UtcTime")
    if not utc_time:
        return
    try:
        event["@timestamp"] = str(iso_to_epoch_ms(utc_time))
    except ValueError:
        # A malformed UtcTime leaves the record's own time in place.
        return


def _guid_key(guid: str) -> str:
    # OTRF writes a GUID as {39e4a257-...} and the evtx package as 39E4A257-..., so braces and
    # case are dropped before hashing.
    return guid.strip("{} ").lower()
