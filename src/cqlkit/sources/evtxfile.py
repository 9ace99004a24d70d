"""Windows event log files (``.evtx``), parsed with the ``evtx`` package.

The package renders each record as JSON shaped like the event XML. Its ``Event.System``
elements become top-level fields named as in the OTRF exports (``EventID``, ``Channel``,
``Hostname``, ``SourceName``, ``TimeCreated``), and every ``EventData`` item becomes a field
named after its ``Name`` attribute. A data item whose name is already taken by a System field
is stored as ``EventData.<Name>`` (``UserData.<Name>`` for UserData items).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import IO

import orjson
from evtx import PyEvtxParser, PyRecordsIterator

from cqlkit.sources.jsonrecords import BadRecord
from cqlkit.sources.report import InvalidRecord
from cqlkit.sources.values import Event, flatten_value, iso_to_epoch_ms, scalar_text

#: The evtx package renders an empty XML element (``<Data Name="X" />``) as JSON null, so null
#: becomes the empty string here, as Windows shows it.
EMPTY_ELEMENT_TEXT = ""

#: System elements copied under their own name when present.
SYSTEM_TEXT_FIELDS: tuple[str, ...] = (
    "EventID",
    "Version",
    "Level",
    "Task",
    "Opcode",
    "Keywords",
    "EventRecordID",
    "Channel",
    "Computer",
)

#: Attributes of System elements: (element, attribute, field name).
SYSTEM_ATTRIBUTE_FIELDS: tuple[tuple[str, str, str], ...] = (
    ("Provider", "Name", "SourceName"),
    ("Provider", "Guid", "ProviderGuid"),
    ("TimeCreated", "SystemTime", "TimeCreated"),
    ("Execution", "ProcessID", "ExecutionProcessID"),
    ("Execution", "ThreadID", "ThreadID"),
    ("Security", "UserID", "UserID"),
    ("Correlation", "ActivityID", "ActivityID"),
    ("Correlation", "RelatedActivityID", "RelatedActivityID"),
)


def open_evtx_records(source: str | IO[bytes]) -> Iterator[tuple[str, str, str] | BadRecord]:
    """Open an EVTX file or stream and return an iterator of its records.

    Each record comes as ``(location, json_text, header_time)``. Opening raises OSError when
    the source is not an EVTX file. A record the parser rejects is yielded as a BadRecord, and
    reading goes on with the next record.
    """
    records = PyEvtxParser(source).records_json()
    return _iter_records(records)


def _iter_records(records: PyRecordsIterator) -> Iterator[tuple[str, str, str] | BadRecord]:
    number = 0
    while True:
        number += 1
        location = f"record {number}"
        try:
            record = next(records)
        except StopIteration:
            return
        except RuntimeError as exc:
            yield BadRecord(location, str(exc))
            continue
        if record is None:
            return
        yield location, str(record["data"]), str(record["timestamp"])


def evtx_event(json_text: str, header_time: str) -> Event:
    """Convert the JSON text of one EVTX record to an event, raising InvalidRecord if malformed."""
    try:
        document = orjson.loads(json_text)
    except orjson.JSONDecodeError as exc:
        raise InvalidRecord(f"the evtx package returned invalid JSON: {exc.msg}") from exc
    node = document.get("Event") if isinstance(document, dict) else None
    system = node.get("System") if isinstance(node, dict) else None
    if not isinstance(node, dict) or not isinstance(system, dict):
        raise InvalidRecord("record has no Event/System element")

    event: Event = {}
    _add_system_fields(event, system)
    _add_event_data(event, node.get("EventData"))
    _add_user_data(event, node.get("UserData"))

    time_text = event.get("TimeCreated") or header_time
    try:
        event["@timestamp"] = str(iso_to_epoch_ms(time_text))
    except ValueError as exc:
        raise InvalidRecord(f"invalid TimeCreated {time_text!r}") from exc
    event["@rawstring"] = json_text
    event["#type"] = "evtx"
    return event


def _add_system_fields(event: Event, system: dict[str, object]) -> None:
    for name in SYSTEM_TEXT_FIELDS:
        value = _element_text(system.get(name))
        if value is not None:
            event[name] = scalar_text(value, EMPTY_ELEMENT_TEXT)
    for element, attribute, name in SYSTEM_ATTRIBUTE_FIELDS:
        value = _attributes(system.get(element)).get(attribute)
        if value is not None:
            event[name] = scalar_text(value, EMPTY_ELEMENT_TEXT)
    if "ProviderGuid" in event and not event["ProviderGuid"].startswith("{"):
        event["ProviderGuid"] = "{" + event["ProviderGuid"] + "}"
    if "Computer" in event:
        event["Hostname"] = event["Computer"]


def _add_event_data(event: Event, data: object) -> None:
    if isinstance(data, dict):
        for name, value in data.items():
            if name != "#attributes":
                _put_data_item(event, name, value, "EventData")
    elif data is not None:
        _put_data_item(event, "EventData", data, "EventData")


def _add_user_data(event: Event, data: object) -> None:
    # UserData contains one provider-defined element, such as {"LogFileCleared": {...}}, and
    # the children of that element become fields.
    if not isinstance(data, dict):
        return
    for element_name, element in data.items():
        if isinstance(element, dict):
            for name, value in element.items():
                if name != "#attributes":
                    _put_data_item(event, name, value, "UserData")
        elif element_name != "#attributes":
            _put_data_item(event, element_name, element, "UserData")


def _put_data_item(event: Event, name: str, value: object, group: str) -> None:
    key = f"{group}.{name}" if name in event else name
    value = _element_text(value)
    if isinstance(value, dict | list):
        flatten_value(event, key, value, EMPTY_ELEMENT_TEXT)
    else:
        event[key] = scalar_text(value, EMPTY_ELEMENT_TEXT)


def _element_text(value: object) -> object:
    # An element with attributes is rendered as {"#attributes": {...}, "#text": value}.
    if isinstance(value, dict) and "#text" in value:
        return value["#text"]
    return value


def _attributes(element: object) -> dict[str, object]:
    if isinstance(element, dict):
        attributes = element.get("#attributes")
        if isinstance(attributes, dict):
            return attributes
    return {}
