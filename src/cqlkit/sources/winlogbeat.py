"""Windows event logs shipped as JSON: OTRF flattened exports and Winlogbeat documents.

OTRF recordings carry every field at the top level (``EventID``, ``Channel``, ``Hostname``,
``Image``). Winlogbeat nests them (``winlog.event_data.Image``, ``winlog.event_id``). After
flattening, the nested values are also copied to the top-level names where those are absent,
so one set of field names serves both shapes.
"""

from __future__ import annotations

from cqlkit.sources.report import InvalidRecord
from cqlkit.sources.values import Event, flatten_object, timestamp_to_epoch_ms

#: Winlogbeat fields copied to the top-level name on their right when that name is absent.
#: An earlier row wins over a later row for the same top-level name.
WINLOG_FIELD_COPIES: tuple[tuple[str, str], ...] = (
    ("winlog.event_id", "EventID"),
    ("winlog.channel", "Channel"),
    ("winlog.computer_name", "Computer"),
    ("winlog.computer_name", "Hostname"),
    ("host.name", "Hostname"),
    ("host.name", "Computer"),
    ("winlog.provider_name", "SourceName"),
    ("winlog.provider_guid", "ProviderGuid"),
    ("winlog.record_id", "EventRecordID"),
)

#: Prefixes whose fields are copied without the prefix (``winlog.event_data.Image`` to ``Image``).
WINLOG_DATA_PREFIXES: tuple[str, ...] = ("winlog.event_data.", "winlog.user_data.")

#: Fields that contain the event time, in order of preference.
TIME_FIELDS: tuple[str, ...] = ("@timestamp", "TimeCreated", "winlog.time_created", "event.created")


def winlogbeat_event(record: dict[str, object], raw: str) -> Event:
    """Convert one Windows event log record, raising InvalidRecord when it has no usable time."""
    event = flatten_object(record)
    if isinstance(record.get("winlog"), dict):
        _copy_winlog_fields(event)
    event["@timestamp"] = str(_event_time_ms(event))
    event["@rawstring"] = raw
    event["#type"] = "winlogbeat"
    return event


def _copy_winlog_fields(event: Event) -> None:
    for nested_name, flat_name in WINLOG_FIELD_COPIES:
        if nested_name in event and flat_name not in event:
            event[flat_name] = event[nested_name]
    for key, value in list(event.items()):
        for prefix in WINLOG_DATA_PREFIXES:
            if key.startswith(prefix):
                event.setdefault(key[len(prefix) :], value)


def _event_time_ms(event: Event) -> int:
    for name in TIME_FIELDS:
        text = event.get(name)
        if text:
            try:
                return timestamp_to_epoch_ms(text)
            except ValueError as exc:
                raise InvalidRecord(f"invalid {name} {text!r}: {exc}") from exc
    raise InvalidRecord(f"missing event time: none of {', '.join(TIME_FIELDS)} is present")
