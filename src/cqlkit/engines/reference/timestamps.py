"""Reading and writing instants for the reference engine's time functions.

:func:`format_epoch` prints an instant with a formatTime() format, and
:func:`parse_with_pattern` reads text with a compiled Java pattern. Both work
in epoch milliseconds and use exact integer arithmetic, so that the SQL
engine, which computes the same steps in SQL, gets the same digits.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta

from cqlkit.language.javatime import MONTHS, WEEKDAYS, JavaPattern
from cqlkit.language.timeformats import MAX_EPOCH_MS, MIN_EPOCH_MS, Piece, Specifier
from cqlkit.language.timezones import TimeZoneError, Zone, offset_id, resolve_zone

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_EPOCH_ORDINAL = date(1970, 1, 1).toordinal()
_ONE_DAY_MS = 86_400_000
# Java's zone abbreviations that parseTimestamp()'s z letter reads, by the zone
# they name. Java resolves the daylight-saving names to the same regions.
_ABBREVIATIONS = {
    "PST": "America/Los_Angeles",
    "PDT": "America/Los_Angeles",
    "MDT": "America/Denver",
    "CDT": "America/Chicago",
    "EDT": "America/New_York",
    "CET": "Europe/Paris",
    "CEST": "Europe/Paris",
    "WET": "Europe/Lisbon",
    "WEST": "Europe/Lisbon",
    "EET": "Europe/Athens",
    "EEST": "Europe/Athens",
    "BST": "Europe/London",
    "IST": "Asia/Kolkata",
    "JST": "Asia/Tokyo",
}


# --- formatTime() ------------------------------------------------------------------


def format_epoch(pieces: tuple[Piece, ...], epoch_ms: int, zone: Zone) -> str | None:
    """Print ``epoch_ms`` in ``zone`` with a parsed format; None when the
    instant is outside years 1 to 9999."""
    if not MIN_EPOCH_MS <= epoch_ms <= MAX_EPOCH_MS:
        return None
    local = (_EPOCH + timedelta(milliseconds=epoch_ms)).astimezone(zone.tzinfo())
    parts = []
    for piece in pieces:
        if isinstance(piece, Specifier):
            parts.append(_specifier(piece.letter, local, epoch_ms, zone))
        else:
            parts.append(piece)
    return "".join(parts)


def _specifier(letter: str, local: datetime, epoch_ms: int, zone: Zone) -> str:
    simple = _SIMPLE.get(letter)
    if simple is not None:
        return local.strftime(simple)
    unpadded = {"k": local.hour, "l": _hour12(local), "e": local.day}.get(letter)
    if unpadded is not None:
        return str(unpadded)
    if letter == "C":
        return f"{local.year // 100:02d}"
    if letter == "I":
        return f"{_hour12(local):02d}"
    if letter == "Y":
        return f"{local.year:04d}"
    if letter == "L":
        return f"{local.microsecond // 1000:03d}"
    if letter == "N":
        return f"{local.microsecond // 1000 * 1_000_000:09d}"
    if letter in "pP":
        marker = "am" if local.hour < 12 else "pm"
        return marker if letter == "p" else marker.upper()
    if letter == "s":
        return str(epoch_ms // 1000)
    if letter == "Q":
        return str(epoch_ms)
    if letter == "z":
        return _rfc822_offset(zone.offset_at(local))
    return _zone_name(local, zone)


# strftime codes whose output Python and Java share in an English locale.
_SIMPLE = {
    "H": "%H",
    "M": "%M",
    "S": "%S",
    "m": "%m",
    "d": "%d",
    "j": "%j",
    "y": "%y",
    "B": "%B",
    "b": "%b",
    "h": "%b",
    "A": "%A",
    "a": "%a",
}


def _hour12(local: datetime) -> int:
    return local.hour % 12 or 12


def _rfc822_offset(offset: int) -> str:
    """Return ``+hhmm`` as Java's ``%tz`` prints an offset in seconds."""
    sign = "-" if offset < 0 else "+"
    hours, rest = divmod(abs(offset), 3600)
    return f"{sign}{hours:02d}{rest // 60:02d}"


def _zone_name(local: datetime, zone: Zone) -> str:
    """Return ``%Z``: the region's abbreviation, or the id of a fixed zone.

    NOTE: Java takes abbreviations from its own locale data and Python from the
    IANA database. They differ for zones that the IANA database names by
    offset (``+03`` where Java may print ``TRT``).
    """
    if zone.region is None:
        return zone.label
    return local.tzname() or zone.label


# --- parseTimestamp() ------------------------------------------------------------


class TimestampError(ValueError):
    """A text that the pattern does not match, or that names no valid instant."""


def parse_epoch_number(text: str, unit: str) -> int:
    """Read an epoch number of ``unit`` (seconds, milliseconds or nanoseconds)
    and return milliseconds. Seconds may carry a fraction, whose digits past
    milliseconds are dropped."""
    pattern = r"([+-]?)(\d{1,19})(?:\.(\d+))?" if unit == "seconds" else r"([+-]?)(\d{1,19})"
    match = re.fullmatch(pattern, text)
    if match is None:
        raise TimestampError(f"not an epoch time in {unit}")
    sign = -1 if match.group(1) == "-" else 1
    whole = int(match.group(2))
    if unit == "seconds":
        fraction = int(((match.group(3) or "") + "000")[:3])
        return sign * (whole * 1000 + fraction)
    if unit == "nanoseconds":
        return (sign * whole) // 1_000_000
    return sign * whole


def parse_with_pattern(
    pattern: JavaPattern, text: str, default_zone: Zone | None, query_time: int | None
) -> tuple[int, str]:
    """Read ``text`` with a compiled Java pattern and return the epoch in
    milliseconds and the id of the zone it was read in.

    Raises :class:`TimestampError` when the text does not match, names an
    invalid date, or has no zone while ``default_zone`` is None.
    """
    match = pattern.compiled().fullmatch(text)
    if match is None:
        raise TimestampError("the text does not match the format")
    values: dict[str, str] = {}
    zone_text: tuple[str, str] | None = None
    for field, value in zip(pattern.fields, match.groups(), strict=True):
        if value is None:
            continue
        if field.kind in ("offset", "gmt_offset", "zone_name"):
            zone_text = (field.kind, value)
        else:
            values[field.kind] = value
    zone = _zone(zone_text) if zone_text is not None else default_zone
    if zone is None:
        raise TimestampError("the text has no time zone and timezone= is not set")
    year = _year(values)
    if year is not None:
        local = _local_fields(values, year)
    elif query_time is not None:
        local = _guess_year(values, zone, query_time)
    else:
        # The year sits in an optional section that the text left out.
        raise TimestampError("the text has no year")
    return _epoch_ms(local, zone), zone.label


def _year(values: dict[str, str]) -> int | None:
    if "year" in values:
        return int(values["year"])
    if "year2" in values:
        return 2000 + int(values["year2"])
    return None


def _guess_year(values: dict[str, str], zone: Zone, query_time: int) -> _Local:
    """Pick the year of a year-less timestamp (syslog's ``Mar 15 07:48:13``):
    the query time's year, or the year before when that would put the
    timestamp more than a day after the query time."""
    year = (_EPOCH + timedelta(milliseconds=query_time)).year
    local = _local_fields(values, year)
    if _epoch_ms(local, zone) > query_time + _ONE_DAY_MS:
        local = _local_fields(values, year - 1)
    return local


class _Local:
    """A local date and time: a proleptic Gregorian date, seconds of the day
    and nanoseconds."""

    __slots__ = ("day", "nanos", "seconds")

    def __init__(self, day: date, seconds: int, nanos: int) -> None:
        self.day = day
        self.seconds = seconds
        self.nanos = nanos


def _local_fields(values: dict[str, str], year: int) -> _Local:
    if not 1 <= year <= 9999:
        raise TimestampError(f"the year {year} is out of range")
    day = _date(values, year)
    weekday = values.get("weekday")
    if weekday is not None and WEEKDAYS[day.weekday()][:3].lower() != weekday[:3].lower():
        raise TimestampError(f"{weekday} does not match the date {day.isoformat()}")
    hour = _hour(values)
    minute = int(values.get("minute", "0"))
    second = int(values.get("second", "0"))
    if not (0 <= hour <= 23 and 0 <= minute <= 59 and 0 <= second <= 59):
        raise TimestampError("the time is out of range")
    return _Local(day, hour * 3600 + minute * 60 + second, _nanos(values))


def _date(values: dict[str, str], year: int) -> date:
    if "day" not in values:
        if "day_of_year" not in values:
            raise TimestampError("the text has no date")
        number = int(values["day_of_year"])
        last = 366 if _is_leap(year) else 365
        if not 1 <= number <= last:
            raise TimestampError(f"day {number} of the year is out of range")
        return date(year, 1, 1) + timedelta(days=number - 1)
    month = _month(values)
    day = int(values["day"])
    if not (1 <= month <= 12 and 1 <= day <= 31):
        raise TimestampError("the date is out of range")
    # Java's default (smart) resolution moves the 29th to 31st of a shorter
    # month to its last day: 2023-02-30 reads as 2023-02-28.
    return date(year, month, min(day, _month_length(year, month)))


def _month(values: dict[str, str]) -> int:
    if "month_name" in values:
        prefix = values["month_name"][:3].lower()
        return next(i for i, name in enumerate(MONTHS, 1) if name[:3].lower() == prefix)
    if "month" not in values:
        raise TimestampError("the text has no month")
    return int(values["month"])


def _hour(values: dict[str, str]) -> int:
    if "hour" in values:
        return int(values["hour"])
    if "clock_hour" in values:
        hour = int(values["clock_hour"])
        if not 1 <= hour <= 24:
            raise TimestampError("the hour is out of range")
        return hour % 24
    if "clock_hour_of_ampm" in values or "hour_of_ampm" in values:
        if "ampm" not in values:
            raise TimestampError("an hour of am/pm needs the am/pm marker")
        afternoon = values["ampm"].upper() == "PM"
        if "clock_hour_of_ampm" in values:
            hour = int(values["clock_hour_of_ampm"])
            if not 1 <= hour <= 12:
                raise TimestampError("the hour is out of range")
            return hour % 12 + 12 * afternoon
        hour = int(values["hour_of_ampm"])
        if not 0 <= hour <= 11:
            raise TimestampError("the hour is out of range")
        return hour + 12 * afternoon
    return 0


def _nanos(values: dict[str, str]) -> int:
    if "fraction" in values:
        return int(values["fraction"].ljust(9, "0"))
    return int(values.get("nano", "0"))


def _is_leap(year: int) -> bool:
    return year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)


def _month_length(year: int, month: int) -> int:
    if month == 2:
        return 29 if _is_leap(year) else 28
    return 30 if month in (4, 6, 9, 11) else 31


def _zone(zone_text: tuple[str, str]) -> Zone:
    kind, text = zone_text
    if kind in ("offset", "gmt_offset"):
        offset = parse_offset(text)
        return Zone(offset_id(offset), offset=offset)
    region = _ABBREVIATIONS.get(text.upper() if text.isupper() else text)
    try:
        return resolve_zone(region or text)
    except TimeZoneError as exc:
        raise TimestampError(f"unknown time zone {text!r}") from exc


def parse_offset(text: str) -> int:
    """Read an offset as the X, x, Z and O letters print it (``Z``, ``+02``,
    ``+0530``, ``-03:00``, ``GMT+2``) and return seconds east of UTC."""
    body = text[3:] if text.startswith("GMT") else text
    if body in ("", "Z"):
        return 0
    sign = -1 if body[0] == "-" else 1
    parts = body[1:].split(":") if ":" in body else _split_digits(body[1:])
    hours, minutes, seconds = (int(part) for part in (*parts, "0", "0")[:3])
    if hours > 18 or minutes > 59 or seconds > 59:
        raise TimestampError(f"the offset {text} is out of range")
    return sign * (hours * 3600 + minutes * 60 + seconds)


def _split_digits(digits: str) -> list[str]:
    if len(digits) <= 2:
        return [digits]
    return [digits[index : index + 2] for index in range(0, len(digits), 2)]


def _epoch_ms(local: _Local, zone: Zone) -> int:
    offset = zone.offset
    if zone.region is not None:
        wall = datetime.combine(local.day, datetime.min.time()) + timedelta(seconds=local.seconds)
        # fold=0 takes the earlier offset in an overlap and moves a time in a
        # gap forward, as Java's ZonedDateTime.ofLocal does.
        delta = wall.replace(tzinfo=zone.tzinfo()).utcoffset()
        offset = 0 if delta is None else int(delta.total_seconds())
    days = local.day.toordinal() - _EPOCH_ORDINAL
    seconds = days * 86_400 + local.seconds - offset
    return seconds * 1000 + local.nanos // 1_000_000
