"""Recognition of the input format from a file name or from the first JSON record."""

from __future__ import annotations

from collections.abc import Mapping

from cqlkit.errors import SourceError

#: Input formats, in the order the ``--input-format`` help lists them.
FORMATS: tuple[str, ...] = ("fdr", "logscale", "winlogbeat", "evtx", "parquet", "ndjson")

#: Formats stored as JSON, one object per line or one array of objects.
JSON_FORMATS: tuple[str, ...] = ("fdr", "logscale", "winlogbeat", "ndjson")

#: The four bytes that open (and close) every Parquet file.
PARQUET_MAGIC = b"PAR1"

#: Number of leading JSON lines (or array elements) examined before a file counts as unknown.
SNIFF_RECORD_LIMIT = 100


def detect_record_format(record: Mapping[str, object]) -> str | None:
    """Return the format whose field names ``record`` carries, or None.

    - LogScale export: ``@timestamp`` together with ``@rawstring`` or a ``#`` tag field.
    - Falcon Data Replicator: ``event_simpleName`` together with ``aid`` or ``timestamp``.
    - Winlogbeat or OTRF: ``EventID`` with ``Channel`` or ``Hostname``, or a ``winlog`` object.
    """
    if "@timestamp" in record and (
        "@rawstring" in record or any(key.startswith("#") for key in record)
    ):
        return "logscale"
    if "event_simpleName" in record and ("aid" in record or "timestamp" in record):
        return "fdr"
    if "EventID" in record and ("Channel" in record or "Hostname" in record):
        return "winlogbeat"
    if isinstance(record.get("winlog"), dict):
        return "winlogbeat"
    return None


def is_evtx_name(name: str) -> bool:
    """Return True when a file or zip member name ends in ``.evtx`` (any case)."""
    return name.lower().endswith(".evtx")


def is_parquet_name(name: str) -> bool:
    """Return True when a file or zip member name ends in ``.parquet`` (any case)."""
    return name.lower().endswith(".parquet")


def has_parquet_magic(path: str) -> bool:
    """Return True when the file at ``path`` starts with the Parquet magic bytes ``PAR1``.

    A file that cannot be opened returns False, so the error surfaces when it is read.
    """
    try:
        with open(path, "rb") as stream:
            return stream.read(len(PARQUET_MAGIC)) == PARQUET_MAGIC
    except OSError:
        return False


def check_format_name(input_format: str | None) -> None:
    """Raise SourceError unless ``input_format`` is None or one of FORMATS."""
    if input_format is None or input_format in FORMATS:
        return
    raise SourceError(
        f"unknown input format {input_format!r}. Known formats: {', '.join(FORMATS)}",
        hint="pass one of those names to --input-format, or leave it out to detect the format",
    )


def unknown_format_error(path: str) -> SourceError:
    """Build the error for a file whose format could not be detected."""
    return SourceError(
        f"cannot detect the input format of {path}. Known formats: {', '.join(FORMATS)}",
        hint="choose the format with --input-format "
        f"({'|'.join(FORMATS)}) if the file holds one of them;"
        " --input-format ndjson reads any NDJSON exactly as given",
    )
