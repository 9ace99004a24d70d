"""LogScale exports: NDJSON or a JSON array of events, with fields as LogScale stored them."""

from __future__ import annotations

from cqlkit.sources.report import InvalidRecord
from cqlkit.sources.values import Event, flatten_object, timestamp_to_epoch_ms


def logscale_event(record: dict[str, object], raw: str) -> Event:
    """Convert one exported LogScale event, raising InvalidRecord without a valid ``@timestamp``.

    ``@timestamp`` may be epoch ms (a number or digits) or ISO-8601 text. An exported
    ``@rawstring`` is kept, else the record's own JSON text becomes ``@rawstring``. An exported
    ``#type`` (the LogScale parser name) is kept because queries filter on it; ``logscale``
    fills it only when it is absent.
    """
    stamp = record.get("@timestamp")
    if stamp is None:
        raise InvalidRecord("missing field @timestamp")
    try:
        epoch_ms = timestamp_to_epoch_ms(stamp)
    except ValueError as exc:
        raise InvalidRecord(f"invalid @timestamp {stamp!r}: {exc}") from exc

    event = flatten_object(record)
    event["@timestamp"] = str(epoch_ms)
    event.setdefault("@rawstring", raw)
    event.setdefault("#type", "logscale")
    return event
