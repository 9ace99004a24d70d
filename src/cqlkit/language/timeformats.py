"""The format strings of formatTime(): strftime-like ``%`` specifiers.

LogScale formats with Java's ``Formatter`` date/time conversions, so each
specifier means what ``%t<letter>`` means in Java: ``%p`` is lower-case
``am``/``pm``, ``%e`` is the day without a leading zero, ``%Q`` the epoch in
milliseconds. Composite specifiers (``%F``, ``%T``, ``%c``, …) are expanded
when the format is parsed, so engines only handle the single ones.
See https://library.humio.com/data-analysis/functions-formattime.html.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

# The specifiers that print one piece of the date or time.
SINGLE = frozenset("HIklMSLNpzZsQBbhAaCYyjmde")
# The composite ones, as sequences of single ones. "P" is an internal
# specifier: the am/pm marker in upper case, which %r prints.
_COMPOSITE = {
    "R": "%H:%M",
    "T": "%H:%M:%S",
    "r": "%I:%M:%S %P",
    "D": "%m/%d/%y",
    "F": "%Y-%m-%d",
    "c": "%a %b %d %H:%M:%S %Z %Y",
}
MIN_EPOCH_MS = -62135510400000
"""0001-01-02T00:00:00Z: the earliest instant formatTime() prints; one day
after Python's smallest date, so that no time zone moves it out of range."""
MAX_EPOCH_MS = 253402214399999
"""9999-12-30T23:59:59.999Z: the latest instant formatTime() prints."""
SECONDS_LIMIT = 100_000_000_000
"""formatTime(unit=auto) reads a number up to this as seconds, a larger one as milliseconds."""

# Specifiers whose output is a word that depends on the locale.
NAMED = frozenset("BbhAapP")


class TimeFormatError(ValueError):
    """A formatTime() format string with an unknown or unfinished specifier."""


@dataclass(frozen=True)
class Specifier:
    """One ``%`` specifier of a format, such as ``Y`` for ``%Y``."""

    letter: str


Piece = str | Specifier
"""A literal text or a specifier."""


@lru_cache(maxsize=256)
def parse_time_format(text: str) -> tuple[Piece, ...]:
    """Split ``text`` into literal texts and single specifiers.

    Raises :class:`TimeFormatError` on an unknown specifier or a ``%`` at the end.
    """
    pieces: list[Piece] = []
    literal: list[str] = []
    index = 0
    while index < len(text):
        char = text[index]
        if char != "%":
            literal.append(char)
            index += 1
            continue
        if index + 1 >= len(text):
            raise TimeFormatError(f"the format {text!r} ends with a lone %")
        letter = text[index + 1]
        index += 2
        if letter == "%":
            literal.append("%")
        elif letter == "n":
            literal.append("\n")
        elif letter in SINGLE or letter in _COMPOSITE:
            if literal:
                pieces.append("".join(literal))
                literal = []
            pieces.extend(_expand(letter))
        else:
            raise TimeFormatError(
                f"formatTime() does not support the specifier %{letter} in {text!r}"
            )
    if literal:
        pieces.append("".join(literal))
    return tuple(pieces)


def _expand(letter: str) -> list[Piece]:
    if letter in SINGLE:
        return [Specifier(letter)]
    pieces: list[Piece] = []
    composite = _COMPOSITE[letter]
    for index in range(0, len(composite), 1):
        char = composite[index]
        if char == "%":
            continue
        if index > 0 and composite[index - 1] == "%":
            pieces.append(Specifier(char))
        else:
            pieces.append(char)
    return pieces


def uses_names(pieces: tuple[Piece, ...]) -> bool:
    """Tell whether a parsed format prints a month or day name or an am/pm marker."""
    return any(isinstance(piece, Specifier) and piece.letter in NAMED for piece in pieces)
