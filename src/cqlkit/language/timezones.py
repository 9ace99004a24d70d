"""Time zone names as LogScale's time functions read them.

LogScale runs on the JVM, so a ``timezone=`` argument is a Java zone id: an
IANA region (``Europe/Paris``), ``UTC`` or ``Z``, a fixed offset (``+01:00``,
``UTC+12:30``) or one of Java's three-letter short ids (``PST``, ``IST``).
:func:`resolve_zone` turns such a name into a :class:`Zone` that the
reference engine (through :mod:`zoneinfo`) and DuckDB (through ICU) both read.
"""

from __future__ import annotations

import re
import zoneinfo
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, timezone, tzinfo
from functools import lru_cache

# Java's ZoneId.SHORT_IDS (JDK 8 to 21): the three-letter ids it accepts in
# place of a region. EST, MST and HST are fixed offsets there.
SHORT_IDS = {
    "ACT": "Australia/Darwin",
    "AET": "Australia/Sydney",
    "AGT": "America/Argentina/Buenos_Aires",
    "ART": "Africa/Cairo",
    "AST": "America/Anchorage",
    "BET": "America/Sao_Paulo",
    "BST": "Asia/Dhaka",
    "CAT": "Africa/Harare",
    "CNT": "America/St_Johns",
    "CST": "America/Chicago",
    "CTT": "Asia/Shanghai",
    "EAT": "Africa/Addis_Ababa",
    "ECT": "Europe/Paris",
    "IET": "America/Indiana/Indianapolis",
    "IST": "Asia/Kolkata",
    "JST": "Asia/Tokyo",
    "MIT": "Pacific/Apia",
    "NET": "Asia/Yerevan",
    "NST": "Pacific/Auckland",
    "PLT": "Asia/Karachi",
    "PNT": "America/Phoenix",
    "PRT": "America/Puerto_Rico",
    "PST": "America/Los_Angeles",
    "SST": "Pacific/Guadalcanal",
    "VST": "Asia/Ho_Chi_Minh",
}
SHORT_OFFSETS = {"EST": -5 * 3600, "MST": -7 * 3600, "HST": -10 * 3600}
UTC_NAMES = frozenset({"UTC", "GMT", "UT", "Z"})
_OFFSET = re.compile(r"(UTC|GMT|UT)?([+-])(\d{1,2})(?::?(\d{2}))?(?::?(\d{2}))?")
# IANA names: letters, digits and _+- in parts separated by slashes. This also
# keeps path tricks ("../", absolute paths) away from zoneinfo's file lookup.
REGION = re.compile(r"[A-Za-z][A-Za-z0-9_+-]*(?:/[A-Za-z0-9_+-]+)*")
_MAX_OFFSET = 18 * 3600


class TimeZoneError(ValueError):
    """A time zone name that neither Java nor the IANA database contains."""


@dataclass(frozen=True)
class Zone:
    """A resolved time zone.

    ``region`` is an IANA name whose offset depends on the date; otherwise the
    zone is the fixed ``offset`` in seconds east of UTC. ``label`` is the id
    that Java prints for the zone (``Z``, ``+01:00``, ``Europe/Paris``).
    """

    label: str
    region: str | None = None
    offset: int = 0

    def tzinfo(self) -> tzinfo:
        """Return the zone as a Python ``tzinfo``."""
        if self.region is not None:
            return zoneinfo.ZoneInfo(self.region)
        if self.offset == 0:
            return UTC
        return timezone(timedelta(seconds=self.offset))

    def offset_at(self, instant: datetime) -> int:
        """Return the offset from UTC in seconds at ``instant`` (an aware datetime)."""
        delta = instant.astimezone(self.tzinfo()).utcoffset()
        return 0 if delta is None else int(delta.total_seconds())


UTC_ZONE = Zone("UTC", offset=0)


@lru_cache(maxsize=256)
def resolve_zone(name: str) -> Zone:
    """Resolve a ``timezone=`` argument, or raise :class:`TimeZoneError`."""
    text = name.strip()
    if text in UTC_NAMES:
        return Zone(text, offset=0)
    match = _OFFSET.fullmatch(text)
    if match is not None:
        return _fixed_offset(text, match)
    if text in SHORT_OFFSETS:
        # Java maps these ids to fixed offsets, whose id it then prints.
        return Zone(offset_id(SHORT_OFFSETS[text]), offset=SHORT_OFFSETS[text])
    region = SHORT_IDS.get(text, text)
    if REGION.fullmatch(region) is None:
        raise TimeZoneError(f"unknown time zone {name!r}")
    try:
        zoneinfo.ZoneInfo(region)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError) as exc:
        raise TimeZoneError(f"unknown time zone {name!r}") from exc
    return Zone(region, region=region)


def _fixed_offset(text: str, match: re.Match[str]) -> Zone:
    prefix, sign, hours, minutes, seconds = match.groups()
    total = int(hours) * 3600 + int(minutes or 0) * 60 + int(seconds or 0)
    if total > _MAX_OFFSET or int(minutes or 0) > 59 or int(seconds or 0) > 59:
        raise TimeZoneError(f"time zone offset {text!r} is out of range (at most 18 hours)")
    offset = -total if sign == "-" else total
    label = offset_id(offset)
    if prefix is not None:
        label = prefix if offset == 0 else prefix + label
    return Zone(label, offset=offset)


def offset_id(offset: int) -> str:
    """Return Java's id of a fixed offset in seconds: ``Z``, ``+01:00`` or ``-03:30:15``."""
    if offset == 0:
        return "Z"
    sign = "-" if offset < 0 else "+"
    hours, rest = divmod(abs(offset), 3600)
    minutes, seconds = divmod(rest, 60)
    text = f"{sign}{hours:02d}:{minutes:02d}"
    return f"{text}:{seconds:02d}" if seconds else text
