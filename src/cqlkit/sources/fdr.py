"""Falcon Data Replicator (FDR) events: NDJSON in which every value is already a string.

The fields LogScale adds when it ingests FDR data are added here too: ``@timestamp`` from the
``timestamp`` field (epoch ms), the tags ``#event_simpleName`` and ``#cid``, and ``FileName``
and ``FilePath`` split from ``ImageFileName`` on process events.
"""

from __future__ import annotations

from cqlkit.sources.report import InvalidRecord
from cqlkit.sources.values import Event, flatten_object, seconds_text_to_ms
from cqlkit.sources.windows import split_image_path

#: Event types that describe a process start and carry ``ImageFileName``.
PROCESS_EVENT_NAMES = frozenset({"ProcessRollup2", "SyntheticProcessRollup2"})


def fdr_event(record: dict[str, object], raw: str) -> Event:
    """Convert one FDR record to an event, raising InvalidRecord when it has no usable time."""
    event = flatten_object(record)
    event["@timestamp"] = str(_event_time_ms(event))

    simple_name = event.get("event_simpleName")
    if simple_name is not None:
        event["#event_simpleName"] = simple_name
    if "cid" in event:
        event["#cid"] = event["cid"]
    if simple_name in PROCESS_EVENT_NAMES and "ImageFileName" in event:
        _add_file_name_and_path(event)

    event["@rawstring"] = raw
    event["#type"] = "fdr"
    return event


def _event_time_ms(event: Event) -> int:
    # `timestamp` is the time the cloud received the event, in ms. Records without it use
    # ContextTimeStamp, the host's time in seconds.
    received = event.get("timestamp", "")
    if received.isdigit():
        return int(received)
    context_time = event.get("ContextTimeStamp")
    if context_time:
        try:
            return seconds_text_to_ms(context_time)
        except ValueError as exc:
            raise InvalidRecord(f"invalid ContextTimeStamp: {exc}") from exc
    if received:
        raise InvalidRecord(f"invalid timestamp {received!r}: expected epoch milliseconds")
    raise InvalidRecord("missing field timestamp (epoch milliseconds)")


def _add_file_name_and_path(event: Event) -> None:
    file_path, file_name = split_image_path(event["ImageFileName"])
    event.setdefault("FilePath", file_path)
    event.setdefault("FileName", file_name)
