"""Readers of Windows and Falcon telemetry files, producing flat LogScale-style events.

An event is a ``dict`` of field name to text. Each one carries ``@timestamp`` (epoch
milliseconds as decimal text), ``@rawstring`` (the source line, or the JSON text of an EVTX
record) and the tag ``#type`` naming its input format. Sysmon process creations and Security
4688 events also carry Falcon ProcessRollup2 fields (see :mod:`cqlkit.sources.mapping`).

Formats (:data:`FORMATS`):

- ``fdr``: Falcon Data Replicator NDJSON, plain or gzip.
- ``logscale``: LogScale exports, NDJSON or one JSON array.
- ``winlogbeat``: Windows events as JSON, OTRF-flattened or Winlogbeat-nested, plain, gzip or
  in a zip.
- ``evtx``: Windows event log files.
- ``parquet``: Parquet files, such as the part files of a cqlkit store (see
  :mod:`cqlkit.sources.parquet`).
- ``ndjson``: plain NDJSON queried exactly as given, with no field mapping (see
  :mod:`cqlkit.sources.plainjson`). Never detected: choose it with ``--input-format``.

A JSON ``null`` becomes the text ``null``, as LogScale ``parseJson()`` does by default. A
Parquet null is no field at all.
"""

from __future__ import annotations

from cqlkit.sources.detect import FORMATS
from cqlkit.sources.reader import (
    InputFile,
    expand_paths,
    raw_line_field,
    read_events,
    read_input_files,
)
from cqlkit.sources.report import ReadReport, RejectedRecord
from cqlkit.sources.values import Event

__all__ = [
    "FORMATS",
    "Event",
    "InputFile",
    "ReadReport",
    "RejectedRecord",
    "expand_paths",
    "raw_line_field",
    "read_events",
    "read_input_files",
]
