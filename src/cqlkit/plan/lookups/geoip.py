"""MaxMind-format databases (``.mmdb``) for ipLocation() and asn().

LogScale reads MaxMind's GeoLite2 City and ASN databases
(https://library.humio.com/data-analysis/functions-iplocation.html). cqlkit
reads the local copies that ``--geoip-db`` and ``--asn-db`` name, with the
``maxminddb`` package. Any database in the same format and with the same
record layout works, such as DB-IP's lite databases.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import maxminddb

from cqlkit.plan.lookups.addresses import parse_address


class DatabaseError(Exception):
    """A database file that cannot be opened as a MaxMind database."""


@dataclass(frozen=True, eq=False)
class MaxMindDatabase:
    """An open MaxMind database, shared by every call that names the same file."""

    path: Path
    reader: maxminddb.Reader

    def __repr__(self) -> str:
        return f"<maxmind {self.path.name}>"

    def record(self, text: str) -> Mapping[str, object] | None:
        """Return the database record of the address ``text``, or None when
        ``text`` is no IP address or the database has no record for it."""
        address = parse_address(text)
        if address is None:
            return None
        try:
            record = self.reader.get(address)
        except ValueError:
            # An IPv6 address looked up in an IPv4-only database.
            return None
        return record if isinstance(record, Mapping) else None


def open_database(path: Path) -> MaxMindDatabase:
    """Open the database at ``path``, once per file version for the whole process.

    Raises DatabaseError when the file is missing or not a MaxMind database.
    """
    try:
        stat = path.stat()
    except OSError as exc:
        raise DatabaseError(f"cannot read {path}: {exc.strerror}") from None
    return _open(path.resolve(), stat.st_mtime_ns, stat.st_size)


@functools.lru_cache(maxsize=8)
def _open(path: Path, mtime_ns: int, size: int) -> MaxMindDatabase:
    # mtime_ns and size are part of the cache key: a replaced file is opened anew.
    try:
        reader = maxminddb.open_database(str(path))
    except (OSError, maxminddb.InvalidDatabaseError, ValueError) as exc:
        raise DatabaseError(f"{path} is not a MaxMind database: {exc}") from None
    return MaxMindDatabase(path, reader)


def location_fields(record: Mapping[str, object], prefix: str) -> dict[str, str]:
    """Return the fields ipLocation() sets from a City or Country record.

    ``country`` is the ISO 3166 code, ``city`` the English city name, ``lat``
    and ``lon`` the coordinates; a part the record lacks sets no field. These
    are the four fields of the documented example output, which has no state
    field even for a city whose record has a subdivision
    (https://library.humio.com/examples/examples-iplocation-addgeolocation-data.html).
    """
    fields: dict[str, str] = {}
    country = _text(record, "country", "iso_code")
    if country is not None:
        fields[f"{prefix}.country"] = country
    city = _text(record, "city", "names", "en")
    if city is not None:
        fields[f"{prefix}.city"] = city
    for name, key in (("lat", "latitude"), ("lon", "longitude")):
        number = _number(record, "location", key)
        if number is not None:
            fields[f"{prefix}.{name}"] = number
    return fields


def asn_fields(record: Mapping[str, object], prefix: str) -> dict[str, str]:
    """Return the fields asn() sets from an ASN record: ``asn`` and ``org``."""
    fields: dict[str, str] = {}
    number = record.get("autonomous_system_number")
    if isinstance(number, int) and not isinstance(number, bool):
        fields[f"{prefix}.asn"] = str(number)
    organization = record.get("autonomous_system_organization")
    if isinstance(organization, str):
        fields[f"{prefix}.org"] = organization
    return fields


def _nested(record: Mapping[str, object], path: tuple[str, ...]) -> object:
    """Return the value at ``path`` in nested mappings, None where a step is missing."""
    value: object = record
    for key in path:
        if not isinstance(value, Mapping):
            return None
        value = value.get(key)
    return value


def _text(record: Mapping[str, object], *path: str) -> str | None:
    value = _nested(record, path)
    return value if isinstance(value, str) else None


def _number(record: Mapping[str, object], *path: str) -> str | None:
    value = _nested(record, path)
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    # Coordinates print as a decimal with at least one fraction digit (37.751, 51.0), as
    # Java prints a double in the usual range of coordinates.
    return repr(float(value))
