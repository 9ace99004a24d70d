"""Character-level reading of LogScale regexes: escapes, predefined classes and
bracketed character classes.

Classes are read into :class:`CharSet` values, which each dialect renders in its own
syntax. The renderers here produce text for the ``regex`` package in V0 mode. They always
escape literal punctuation, spaces and control characters, so no translated class can
trigger the set operations or nested-set warnings of the ``regex`` package.
"""

from __future__ import annotations

import string
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from cqlkit.errors import RegexTranslationError

Ranges = tuple[tuple[int, int], ...]
"""Inclusive code point ranges, sorted and not overlapping."""

MAX_CODE_POINT = 0x10FFFF

_DIGITS: Ranges = ((0x30, 0x39),)
_ASCII_LETTERS: Ranges = ((0x41, 0x5A), (0x61, 0x7A))
_WORD: Ranges = ((0x30, 0x39), (0x41, 0x5A), (0x5F, 0x5F), (0x61, 0x7A))
# Tab, line feed, vertical tab, form feed and carriage return, then space.
_SPACES: Ranges = ((0x09, 0x0D), (0x20, 0x20))

_SINGLE_CHARACTER_ESCAPES = {"t": "\t", "n": "\n", "r": "\r", "f": "\f", "a": "\a"}

# Escapes that LogScale lists as unsupported, from
# https://library.humio.com/data-analysis/syntax-regex-unsupported.html
_UNSUPPORTED_ESCAPES = {
    "h": "horizontal whitespace classes are not supported. Write [ \\t] instead",
    "H": "horizontal whitespace classes are not supported. Write [^ \\t] instead",
    "v": "vertical whitespace classes are not supported. Write [\\n\\x0B\\f\\r] instead",
    "V": "vertical whitespace classes are not supported. Write [^\\n\\x0B\\f\\r] instead",
    "R": "linebreak sequences are not supported. Write (?:\\r\\n|[\\n\\x0B\\f\\r]) instead",
    "X": "extended grapheme clusters are not supported",
    "G": "the end-of-previous-match anchor is not supported",
    "e": "\\e (the escape character) is not supported. Write \\x1B instead",
    "C": "single-byte matching is not supported",
    "N": "named characters are not supported. Write \\uhhhh instead",
    "p": "Unicode and POSIX property classes are not supported. List the characters in [...]",
    "P": "Unicode and POSIX property classes are not supported. List the characters in [^...]",
    "k": "named backreferences are not supported",
    "E": "\\E ends a \\Q quote, but no quote is open. Remove it",
}

# Letters whose unsupported form is named with the bracket that follows, such as \p{ or \k<.
_CONSTRUCT_OPENERS = {"p": "{", "P": "{", "N": "{", "k": "<", "u": "{", "b": "{", "B": "{"}


@dataclass(frozen=True)
class CharSet:
    """The characters that one position of a pattern may match, before case folding.

    ``items`` keeps the members as written, one range tuple per character, range or
    predefined class, so that a renderer can reproduce the written order.
    """

    items: tuple[Ranges, ...]
    negated: bool = False

    @classmethod
    def single(cls, char: str) -> CharSet:
        """Return the set that contains only ``char``."""
        code = ord(char)
        return cls((((code, code),),))

    @property
    def ranges(self) -> Ranges:
        """The union of the items, sorted and merged, without applying ``negated``."""
        return merge_ranges(pair for item in self.items for pair in item)

    def matched_ranges(self) -> Ranges:
        """Return the code points the set matches when case is not ignored."""
        return complement(self.ranges) if self.negated else self.ranges

    def matches(self, code: int) -> bool:
        """Return whether the set matches code point ``code`` when case is not ignored."""
        inside = any(low <= code <= high for low, high in self.ranges)
        return inside != self.negated


# LogScale's default engine defines these classes over ASCII, and its \W is [^a-zA-Z]
# rather than the complement of \w, so \W also matches digits and "_":
# https://library.humio.com/data-analysis-1.256.0/syntax-regex-diffs.html
# NOTE: the JitRex source (tree/CharSet.java) also counts every Unicode letter as \w and
# no Unicode letter as \W, and its \s lacks \x0B and \f. This table follows the documented
# ASCII definitions instead.
PREDEFINED_CLASSES = {
    "d": CharSet((_DIGITS,)),
    "D": CharSet((_DIGITS,), negated=True),
    "w": CharSet((_WORD,)),
    "W": CharSet((_ASCII_LETTERS,), negated=True),
    "s": CharSet((_SPACES,)),
    "S": CharSet((_SPACES,), negated=True),
}


def merge_ranges(pairs: Iterable[tuple[int, int]]) -> Ranges:
    """Sort inclusive code point ranges and merge the ones that overlap or touch."""
    merged: list[tuple[int, int]] = []
    for low, high in sorted(pairs):
        if merged and low <= merged[-1][1] + 1:
            merged[-1] = (merged[-1][0], max(merged[-1][1], high))
        else:
            merged.append((low, high))
    return tuple(merged)


def complement(ranges: Ranges) -> Ranges:
    """Return the code points from U+0000 to U+10FFFF that ``ranges`` does not contain."""
    result: list[tuple[int, int]] = []
    next_start = 0
    for low, high in ranges:
        if low > next_start:
            result.append((next_start, low - 1))
        next_start = high + 1
    if next_start <= MAX_CODE_POINT:
        result.append((next_start, MAX_CODE_POINT))
    return tuple(result)


def render_ranges(ranges: Ranges, escape: Callable[[str], str]) -> str:
    """Render ranges as the items of a bracketed class, escaping each end with ``escape``."""
    items = []
    for low, high in ranges:
        if low == high:
            items.append(escape(chr(low)))
        else:
            items.append(f"{escape(chr(low))}-{escape(chr(high))}")
    return "".join(items)


def python_set_text(chars: CharSet) -> str:
    """Render a set as a bracketed class for the ``regex`` package, items in written order."""
    prefix = "^" if chars.negated else ""
    body = "".join(render_ranges(item, escape_literal) for item in chars.items)
    return f"[{prefix}{body}]"


def escape_literal(char: str) -> str:
    """Render one character for the ``regex`` package so that it matches itself inside or
    outside ``[...]``."""
    if char.isascii() and (char.isalnum() or char == "_"):
        return char
    if char.isascii() and char.isprintable():
        return "\\" + char
    if char.isprintable() and not char.isspace():
        return char
    code = ord(char)
    if code <= 0xFF:
        return f"\\x{code:02x}"
    if code <= 0xFFFF:
        return f"\\u{code:04x}"
    return f"\\U{code:08x}"


def escape_construct(pattern: str, position: int) -> str:
    """Return the text that names the escape at ``position``, such as ``\\p{``."""
    letter = pattern[position + 1]
    opener = _CONSTRUCT_OPENERS.get(letter)
    if opener is not None and pattern.startswith(opener, position + 2):
        return "\\" + letter + opener
    return "\\" + letter


def reject_escape(pattern: str, position: int) -> RegexTranslationError:
    """Build the error for an escape that LogScale rejects or that has no translation."""
    construct = escape_construct(pattern, position)
    letter = pattern[position + 1]
    if construct == "\\u{":
        reason = "\\u{...} escapes are not supported. Write \\uhhhh or \\x{h...h} instead"
    elif construct in ("\\b{", "\\B{"):
        reason = "Unicode boundary types such as \\b{g} are not supported"
    elif letter in _UNSUPPORTED_ESCAPES:
        reason = _UNSUPPORTED_ESCAPES[letter]
    else:
        reason = "unknown escape. Remove the backslash to match the letter itself"
    return RegexTranslationError(construct, pattern, position, reason)


def read_character_escape(pattern: str, position: int) -> tuple[str, int] | None:
    """Read the escape that starts at ``pattern[position] == "\\"`` if it stands for
    one character.

    Returns the character and the offset after the escape, or ``None`` when the escape is
    a letter or digit with another meaning (a class, an anchor, a backreference, a quote
    or an unsupported escape). Raises RegexTranslationError for a malformed escape.
    """
    letter = pattern[position + 1]
    if letter in _SINGLE_CHARACTER_ESCAPES:
        return _SINGLE_CHARACTER_ESCAPES[letter], position + 2
    if letter == "x":
        return _read_hex_escape(pattern, position)
    if letter == "u" and not pattern.startswith("{", position + 2):
        return _read_unicode_escape(pattern, position)
    if letter == "0":
        return _read_octal_escape(pattern, position)
    if letter == "c":
        return _read_control_escape(pattern, position)
    if letter.isascii() and letter.isalnum():
        return None
    # Java and JitRex read any other escaped character, such as \. or \/, as itself.
    return letter, position + 2


def _read_hex_escape(pattern: str, position: int) -> tuple[str, int]:
    """Read ``\\xhh`` or ``\\x{h...h}``."""
    if pattern.startswith("{", position + 2):
        close = pattern.find("}", position + 3)
        digits = pattern[position + 3 : close] if close != -1 else ""
        if not _is_hex(digits) or int(digits, 16) > MAX_CODE_POINT:
            reason = "\\x{...} needs 1 or more hex digits up to 10FFFF and a closing '}'"
            raise RegexTranslationError("\\x{", pattern, position, reason)
        return chr(int(digits, 16)), close + 1
    digits = pattern[position + 2 : position + 4]
    if len(digits) != 2 or not _is_hex(digits):
        raise RegexTranslationError("\\x", pattern, position, "\\x needs exactly 2 hex digits")
    return chr(int(digits, 16)), position + 4


def _read_unicode_escape(pattern: str, position: int) -> tuple[str, int]:
    """Read ``\\uhhhh``, joining a UTF-16 surrogate pair written as two escapes."""
    code = _unicode_escape_value(pattern, position)
    end = position + 6
    if 0xD800 <= code <= 0xDBFF and pattern.startswith("\\u", end):
        low = _unicode_escape_value(pattern, end)
        if 0xDC00 <= low <= 0xDFFF:
            code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00)
            end += 6
    return chr(code), end


def _unicode_escape_value(pattern: str, position: int) -> int:
    digits = pattern[position + 2 : position + 6]
    if len(digits) != 4 or not _is_hex(digits):
        raise RegexTranslationError("\\u", pattern, position, "\\u needs exactly 4 hex digits")
    return int(digits, 16)


def _read_octal_escape(pattern: str, position: int) -> tuple[str, int]:
    """Read ``\\0n``, ``\\0nn`` or ``\\0mnn`` where m is at most 3, as in Java."""
    start = position + 2
    max_digits = 3 if pattern[start : start + 1] in ("0", "1", "2", "3") else 2
    end = start
    while end < len(pattern) and end - start < max_digits and pattern[end] in "01234567":
        end += 1
    if end == start:
        reason = "\\0 needs 1 to 3 octal digits, for example \\011 for a tab"
        raise RegexTranslationError("\\0", pattern, position, reason)
    return chr(int(pattern[start:end], 8)), end


def _read_control_escape(pattern: str, position: int) -> tuple[str, int]:
    """Read ``\\cX``, where JitRex accepts X from ``@`` to ``_`` only."""
    target = pattern[position + 2 : position + 3]
    if not target or not "@" <= target <= "_":
        reason = "\\c needs an uppercase letter or one of @[\\]^_, for example \\cM"
        raise RegexTranslationError("\\c", pattern, position, reason)
    return chr(ord(target) - 0x40), position + 3


def _is_hex(text: str) -> bool:
    return bool(text) and all(char in string.hexdigits for char in text)


def read_class(pattern: str, start: int) -> tuple[CharSet, int]:
    """Read the bracketed class that opens at ``pattern[start] == "["``.

    Returns the class and the offset after its closing ``]``. As in Java and JitRex, a
    ``]`` right after ``[`` or ``[^`` is a literal.
    """
    position = start + 1
    negated = pattern.startswith("^", position)
    if negated:
        position += 1
    items: list[Ranges] = []
    first = True
    while True:
        if position >= len(pattern):
            raise RegexTranslationError("[", pattern, start, "character class is missing its ']'")
        if pattern[position] == "]" and not first:
            break
        item, position = _read_class_item(pattern, position)
        items.append(item)
        first = False
    return CharSet(tuple(items), negated), position + 1


def _read_class_item(pattern: str, position: int) -> tuple[Ranges, int]:
    """Read one character, range or predefined class inside ``[...]``."""
    low, position = _read_class_member(pattern, position)
    if isinstance(low, CharSet):
        return low.matched_ranges(), position
    if not _starts_range(pattern, position):
        return ((ord(low), ord(low)),), position
    high, end = _read_class_member(pattern, position + 1)
    if isinstance(high, CharSet):
        reason = "a range cannot end with a predefined class. Put '-' last to match it"
        raise RegexTranslationError("-", pattern, position, reason)
    if ord(high) < ord(low):
        reason = f"range start {low!r} is greater than range end {high!r}"
        raise RegexTranslationError("-", pattern, position, reason)
    return ((ord(low), ord(high)),), end


def _starts_range(pattern: str, position: int) -> bool:
    """Return whether a ``-`` at ``position`` joins two members, as opposed to ``[a-]``."""
    return pattern.startswith("-", position) and pattern[position + 1 : position + 2] not in (
        "]",
        "",
    )


def _read_class_member(pattern: str, position: int) -> tuple[str | CharSet, int]:
    """Read one character or predefined class inside ``[...]``."""
    char = pattern[position]
    if char == "[":
        raise _nested_class_error(pattern, position)
    if char == "&" and pattern.startswith("&&", position):
        reason = "class intersection is not supported. List the characters instead"
        raise RegexTranslationError("&&", pattern, position, reason)
    if char == "\\":
        return _read_class_escape(pattern, position)
    return char, position + 1


def _nested_class_error(pattern: str, position: int) -> RegexTranslationError:
    """Build the error for ``[`` inside a class: a POSIX class or a class union."""
    if pattern.startswith("[:", position):
        close = pattern.find(":]", position + 2)
        construct = pattern[position : close + 2] if close != -1 else "[:"
        reason = "POSIX classes such as [[:alpha:]] are not supported. Write [a-zA-Z] instead"
        return RegexTranslationError(construct, pattern, position, reason)
    reason = (
        "a '[' inside a character class starts a class union such as [a-d[m-p]], "
        "which LogScale does not support. Write \\[ to match a literal '['"
    )
    return RegexTranslationError("[", pattern, position, reason)


def _read_class_escape(pattern: str, position: int) -> tuple[str | CharSet, int]:
    """Read an escape inside ``[...]``."""
    if position + 1 >= len(pattern):
        raise RegexTranslationError("[", pattern, position, "character class is missing its ']'")
    letter = pattern[position + 1]
    if letter in PREDEFINED_CLASSES:
        return PREDEFINED_CLASSES[letter], position + 2
    if letter == "b" and not pattern.startswith("{", position + 2):
        # Inside a class, JitRex reads \b as the backspace character.
        return "\b", position + 2
    character = read_character_escape(pattern, position)
    if character is not None:
        return character
    if letter in "123456789":
        reason = "backreferences cannot appear inside a character class"
        raise RegexTranslationError("\\" + letter, pattern, position, reason)
    if letter in "AzZBQ":
        reason = "this escape has no meaning inside a character class"
        raise RegexTranslationError("\\" + letter, pattern, position, reason)
    raise reject_escape(pattern, position)
