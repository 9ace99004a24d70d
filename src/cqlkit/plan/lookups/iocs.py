"""The local indicator file that ioc:lookup() reads in place of CrowdStrike's
IOC database (``--ioc-file``). Its format is described in docs/ioc-file.md."""

from __future__ import annotations

import functools
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from cqlkit.plan.lookups.addresses import parse_address
from cqlkit.plan.lookups.tables import LookupFileError, parse_csv_table

IOC_TYPES = ("ip_address", "domain", "url")
"""The indicator types ioc:lookup(type=...) accepts."""

CONFIDENCE_LEVELS = ("unverified", "low", "medium", "high")
"""Confidence levels from lowest to highest."""

IOC_COLUMNS = (
    "indicator",
    "labels",
    "last_updated",
    "malicious_confidence",
    "published_date",
    "type",
)
"""The columns ioc:lookup() can copy into events (its include= values)."""

_REQUIRED = ("indicator", "type", "malicious_confidence")


@dataclass(frozen=True, eq=False)
class IocDatabase:
    """Indicators by type and normalised value. Each entry contains the
    columns of its row that :data:`IOC_COLUMNS` names."""

    path: Path
    entries: Mapping[tuple[str, str], Mapping[str, str]]

    def __repr__(self) -> str:
        return f"<iocs {self.path.name}: {len(self.entries)} indicators>"

    def find(self, ioc_type: str, value: str, threshold: str) -> Mapping[str, str] | None:
        """Return the indicator ``value`` of type ``ioc_type`` when its confidence
        is at least ``threshold``, else None."""
        key = normalise_indicator(ioc_type, value)
        entry = None if key is None else self.entries.get((ioc_type, key))
        if entry is None:
            return None
        level = CONFIDENCE_LEVELS.index(entry["malicious_confidence"])
        return entry if level >= CONFIDENCE_LEVELS.index(threshold) else None


def normalise_indicator(ioc_type: str, value: str) -> str | None:
    """Return the form in which indicators of ``ioc_type`` compare, or None
    when ``value`` cannot be one: the canonical text of an IP address, a domain
    in lower case without a trailing dot, a URL exactly as written."""
    if ioc_type == "ip_address":
        address = parse_address(value)
        return None if address is None else str(address)
    if ioc_type == "domain":
        return value.lower().rstrip(".") or None
    return value


def load_iocs(path: Path) -> IocDatabase:
    """Read the indicator file at ``path``, once per file version.

    Raises LookupFileError for a file that breaks the format and OSError for
    one that cannot be read.
    """
    stat = path.stat()
    return _load(path.resolve(), stat.st_mtime_ns, stat.st_size)


@functools.lru_cache(maxsize=4)
def _load(path: Path, mtime_ns: int, size: int) -> IocDatabase:
    # mtime_ns and size are part of the cache key: a changed file is read anew.
    table = parse_csv_table(path.read_text(encoding="utf-8-sig"), path.name)
    missing = [name for name in _REQUIRED if name not in table.columns]
    if missing:
        raise LookupFileError(f"the header lacks the column(s) {', '.join(missing)}")
    entries: dict[tuple[str, str], Mapping[str, str]] = {}
    for line, row in enumerate(table.rows, start=2):
        entry = {
            name: value
            for name, value in zip(table.columns, row, strict=True)
            if name in IOC_COLUMNS and value is not None
        }
        _check_entry(entry, line)
        key = normalise_indicator(entry["type"], entry["indicator"])
        if key is None:
            raise LookupFileError(
                f"row {line}: {entry['indicator']!r} is not a valid {entry['type']} indicator"
            )
        # A later row of the same indicator replaces an earlier one.
        entries[(entry["type"], key)] = entry
    return IocDatabase(path, entries)


def _check_entry(entry: Mapping[str, str], line: int) -> None:
    confidence = entry["malicious_confidence"]
    if confidence not in CONFIDENCE_LEVELS:
        allowed = ", ".join(CONFIDENCE_LEVELS)
        raise LookupFileError(
            f"row {line}: malicious_confidence is {confidence!r}, not one of {allowed}"
        )
    if not entry["indicator"]:
        raise LookupFileError(f"row {line}: the indicator is empty")
