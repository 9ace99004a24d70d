"""Java ``DateTimeFormatter`` patterns, as parseTimestamp() reads them.

A pattern such as ``dd/MMM/yyyy:HH:mm:ss Z`` compiles to a regular
expression with one capturing group per date or time field, in pattern
order, plus the list of those fields. The regex uses only bounded
repetitions, alternations of literal words and character classes, so both
Python's ``re`` and RE2 (DuckDB) run it in linear time and agree on every
group. The engines turn the groups into an instant; see
:mod:`cqlkit.engines.reference.functions_parsing_time` and
:mod:`cqlkit.engines.sql.functions_parsing_time`.

Parsing is strict, as Java's default: the whole text must match, ``MM`` takes
exactly two digits and ``SSS`` exactly three.
See https://docs.oracle.com/javase/8/docs/api/java/time/format/DateTimeFormatter.html.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")

# Letters that Java accepts but cqlkit does not parse: eras, quarters, week-based
# fields, day-of-week numbers, milli/nano-of-day, generic zone names, padding.
_UNSUPPORTED = frozenset("GQqwWYecFANBvpg")
_RESERVED = frozenset("#{}")
# Numeric fields whose count 1 reads one or two digits and count 2 exactly two.
_TWO_DIGIT = {
    "d": "day",
    "H": "hour",
    "k": "clock_hour",
    "K": "hour_of_ampm",
    "h": "clock_hour_of_ampm",
    "m": "minute",
    "s": "second",
}
_OFFSET_X = {
    1: r"[+-]\d{2}(?:\d{2})?",
    2: r"[+-]\d{4}",
    3: r"[+-]\d{2}:\d{2}",
    4: r"[+-]\d{4}(?:\d{2})?",
    5: r"[+-]\d{2}:\d{2}(?::\d{2})?",
}
_ZONE_NAME = r"[A-Za-z][A-Za-z0-9_/+-]{0,63}"


class JavaPatternError(ValueError):
    """A parseTimestamp() format that is not a valid or supported Java pattern."""


@dataclass(frozen=True)
class PatternField:
    """One date or time field of a pattern: its kind and its letter count.

    Kinds: ``year``, ``year2`` (two-digit, 2000-2099), ``month``,
    ``month_name``, ``day``, ``day_of_year``, ``hour``, ``clock_hour`` (k, 1-24),
    ``hour_of_ampm`` (K), ``clock_hour_of_ampm`` (h), ``minute``, ``second``,
    ``fraction`` (S, ``count`` digits), ``nano`` (n), ``ampm``, ``weekday``,
    ``offset`` (X, x, Z: a numeric offset, ``Z`` allowed when ``zulu``),
    ``gmt_offset`` (O, ZZZZ: ``GMT+02:00``), ``zone_name`` (z, VV: an id or an
    abbreviation).
    """

    kind: str
    count: int
    zulu: bool = False


@dataclass(frozen=True)
class JavaPattern:
    """A compiled pattern: ``regex`` has one group per field, in order."""

    text: str
    regex: str
    fields: tuple[PatternField, ...]
    case_sensitive: bool

    def compiled(self) -> re.Pattern[str]:
        """Return the regex compiled for Python's ``re``."""
        return _compile(self.regex, self.case_sensitive)

    def has(self, *kinds: str) -> bool:
        """Tell whether the pattern has a field of any of ``kinds``."""
        return any(field.kind in kinds for field in self.fields)

    @property
    def has_zone(self) -> bool:
        """True when the text itself names its zone or offset."""
        return self.has("offset", "gmt_offset", "zone_name")

    @property
    def has_year(self) -> bool:
        """True when the pattern reads a year (without one, the year is guessed)."""
        return self.has("year", "year2")


@lru_cache(maxsize=256)
def _compile(regex: str, case_sensitive: bool) -> re.Pattern[str]:
    return re.compile(regex, 0 if case_sensitive else re.IGNORECASE)


@lru_cache(maxsize=256)
def compile_java_pattern(text: str, case_sensitive: bool = True) -> JavaPattern:
    """Compile a Java date-time pattern, or raise :class:`JavaPatternError`."""
    fields: list[PatternField] = []
    regex = _Compiler(text, fields).sequence(top=True)
    pattern = JavaPattern(text, regex, tuple(fields), case_sensitive)
    _check_fields(pattern)
    return pattern


@lru_cache(maxsize=4)
def iso_pattern(text: str, case_sensitive: bool = True) -> JavaPattern:
    """Compile parseTimestamp()'s default format ``text`` as lenient ISO 8601.

    The default ``yyyy-MM-dd'T'HH:mm:ss[.SSSSSSSSS]XXXXX`` would take exactly
    nine fraction digits if read strictly; LogScale documents it as ISO 8601,
    so cqlkit takes one to nine (``2017-12-18T20:39:35.123Z``).
    """
    strict = compile_java_pattern(text, case_sensitive)
    fields = tuple(
        PatternField("fraction", 0) if field.kind == "fraction" else field
        for field in strict.fields
    )
    regex = strict.regex.replace(r"(\d{9})", r"(\d{1,9})")
    return JavaPattern(text, regex, fields, case_sensitive)


def escape(text: str) -> str:
    """Escape literal text for both Python's ``re`` and RE2: ASCII punctuation
    gets a backslash, control characters a ``\\xhh`` escape."""
    out: list[str] = []
    for char in text:
        if char.isalnum() or char == " " or not char.isascii():
            out.append(char)
        elif char.isprintable():
            out.append("\\" + char)
        else:
            out.append(f"\\x{ord(char):02x}")
    return "".join(out)


def _check_fields(pattern: JavaPattern) -> None:
    if not pattern.has("month", "month_name", "day", "day_of_year"):
        raise JavaPatternError(
            f"the pattern {pattern.text!r} has no date:"
            " it needs a month and a day, or a day of year"
        )
    has_month = pattern.has("month", "month_name")
    if has_month != pattern.has("day") and not pattern.has("day_of_year"):
        raise JavaPatternError(f"the pattern {pattern.text!r} needs both a month and a day")


class _Compiler:
    """A cursor over the pattern text that emits the regex piece by piece."""

    def __init__(self, text: str, fields: list[PatternField]) -> None:
        self.text = text
        self.index = 0
        self.fields = fields

    def sequence(self, *, top: bool) -> str:
        parts: list[str] = []
        while self.index < len(self.text):
            char = self.text[self.index]
            if char == "]":
                if top:
                    raise JavaPatternError(f"the pattern {self.text!r} has an unmatched ]")
                self.index += 1
                return "".join(parts)
            if char == "[":
                self.index += 1
                parts.append(f"(?:{self.sequence(top=False)})?")
            elif char == "'":
                parts.append(escape(self._quoted()))
            elif char.isascii() and char.isalpha():
                parts.append(self._letters(char))
            elif char in _RESERVED:
                raise JavaPatternError(f"the character {char!r} is reserved in Java patterns")
            else:
                parts.append(escape(char))
                self.index += 1
        if not top:
            raise JavaPatternError(f"the pattern {self.text!r} has an unclosed [")
        return "".join(parts)

    def _quoted(self) -> str:
        """Read ``'text'`` (where ``''`` is one quote) and return the text."""
        self.index += 1
        if self.text.startswith("'", self.index):
            self.index += 1
            return "'"
        out: list[str] = []
        while self.index < len(self.text):
            char = self.text[self.index]
            if char == "'":
                if self.text.startswith("''", self.index):
                    out.append("'")
                    self.index += 2
                    continue
                self.index += 1
                return "".join(out)
            out.append(char)
            self.index += 1
        raise JavaPatternError(f"the pattern {self.text!r} has an unclosed quote")

    def _letters(self, letter: str) -> str:
        count = 1
        while self.text.startswith(letter, self.index + count):
            count += 1
        self.index += count
        if letter in _UNSUPPORTED:
            raise JavaPatternError(
                f"the pattern letter {letter} is not supported by cqlkit's parseTimestamp()"
            )
        piece = _field_regex(letter, count)
        if piece is None:
            raise JavaPatternError(
                f"unknown pattern letter {letter} in {self.text!r}; quote literal text, as in 'T'"
            )
        kind, regex, zulu = piece
        self.fields.append(PatternField(kind, count, zulu))
        return f"({regex})"


def _field_regex(letter: str, count: int) -> tuple[str, str, bool] | None:
    """Return the field kind, its regex and whether it accepts ``Z``; None for
    a letter Java rejects."""
    if letter in "yu":
        if count == 2:
            return "year2", r"\d{2}", False
        return "year", (r"\d{1,9}" if count == 1 else rf"\d{{{count}}}"), False
    if letter in "ML":
        if count > 4:
            raise _too_many(letter)
        if count >= 3:
            names = MONTHS if count == 4 else tuple(name[:3] for name in MONTHS)
            return "month_name", "|".join(names), False
        return "month", _digits(count), False
    if letter in _TWO_DIGIT:
        if count > 2:
            raise _too_many(letter)
        return _TWO_DIGIT[letter], _digits(count), False
    return _other_field_regex(letter, count)


def _other_field_regex(letter: str, count: int) -> tuple[str, str, bool] | None:
    if letter == "D":
        if count > 3:
            raise _too_many(letter)
        return "day_of_year", (r"\d{1,3}", r"\d{2,3}", r"\d{3}")[count - 1], False
    if letter == "S":
        if count > 9:
            raise _too_many(letter)
        return "fraction", rf"\d{{{count}}}", False
    if letter == "n":
        return "nano", r"\d{1,9}" if count == 1 else rf"\d{{{count},9}}", False
    if letter == "a":
        if count > 1:
            raise _too_many(letter)
        return "ampm", "AM|PM", False
    if letter == "E":
        if count > 4:
            raise _too_many(letter)
        names = WEEKDAYS if count == 4 else tuple(name[:3] for name in WEEKDAYS)
        return "weekday", "|".join(names), False
    return _zone_field_regex(letter, count)


def _zone_field_regex(letter: str, count: int) -> tuple[str, str, bool] | None:
    if letter in "Xx":
        if count > 5:
            raise _too_many(letter)
        offset = _OFFSET_X[count]
        return ("offset", f"Z|{offset}", True) if letter == "X" else ("offset", offset, False)
    if letter == "Z":
        if count > 5:
            raise _too_many(letter)
        if count == 4:
            return "gmt_offset", r"GMT(?:[+-]\d{2}:\d{2}(?::\d{2})?)?", False
        if count == 5:
            return "offset", f"Z|{_OFFSET_X[5]}", True
        return "offset", r"[+-]\d{4}", False
    if letter == "O":
        if count not in (1, 4):
            raise JavaPatternError("the pattern letter O takes a count of 1 or 4")
        if count == 1:
            return "gmt_offset", r"GMT(?:[+-]\d{1,2}(?::\d{2})?)?", False
        return "gmt_offset", r"GMT(?:[+-]\d{2}:\d{2})?", False
    if letter == "z":
        if count > 4:
            raise _too_many(letter)
        return "zone_name", _ZONE_NAME, False
    if letter == "V":
        if count != 2:
            raise JavaPatternError("the pattern letter V must be written VV")
        return "zone_name", rf"Z|[+-]\d{{2}}:\d{{2}}|{_ZONE_NAME}", False
    return None


def _digits(count: int) -> str:
    return r"\d{1,2}" if count == 1 else r"\d{2}"


def _too_many(letter: str) -> JavaPatternError:
    return JavaPatternError(f"too many pattern letters: {letter}")
