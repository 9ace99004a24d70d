"""Plain NDJSON: events queried exactly as given, with no field mapping.

A LogScale query over exported events reads the fields the export holds. This
reader keeps every field and value as written (nested objects and arrays
become ``a.b`` and ``a[0]`` fields, as LogScale names them), adds no tag
such as ``#type``, and never renames. Two things are filled in only when the
record lacks them: ``@rawstring`` becomes the line itself, which LogScale
would have stored for a JSON event, and a ``@timestamp`` in ISO 8601 becomes
epoch milliseconds, the unit LogScale keeps it in.
"""

from __future__ import annotations

import contextlib

from cqlkit.sources.values import Event, flatten_object, timestamp_to_epoch_ms


def plain_event(record: dict[str, object], raw: str) -> Event:
    """Convert one NDJSON record, keeping its fields as they are."""
    event = flatten_object(record)
    event.setdefault("@rawstring", raw)
    stamp = record.get("@timestamp")
    if stamp is not None:
        # An unreadable time stays as given: the query gets what the file holds.
        with contextlib.suppress(ValueError):
            event["@timestamp"] = str(timestamp_to_epoch_ms(stamp))
    return event
