"""The scanner that rewrites a LogScale regex into a pattern for the ``regex`` package.

It walks the pattern once, tracking groups, inline flags and the last quantifiable atom,
and emits pieces of Python pattern text, each tagged with its source offset.
"""

from __future__ import annotations

import bisect
from collections.abc import Callable
from dataclasses import dataclass

from cqlkit.errors import RegexTranslationError
from cqlkit.language.regex_syntax import (
    PREDEFINED_CLASSES,
    escape_literal,
    read_character_escape,
    reject_escape,
    translate_class,
)

_TERMINATOR = r"[\n\r\x85\u2028\u2029]"
"""Java's line terminators: LF, CR, NEL, LINE SEPARATOR and PARAGRAPH SEPARATOR."""

_NOT_INSIDE_CRLF = r"(?<!\r(?=\n))"

# Java's anchors treat every line terminator, and CR LF as one, as a line end.
_LINE_START = rf"(?:\A|(?<={_TERMINATOR}){_NOT_INSIDE_CRLF}(?!\Z))"
_LINE_END = rf"(?:(?={_TERMINATOR}|\Z){_NOT_INSIDE_CRLF})"
_END_BEFORE_FINAL_TERMINATOR = rf"(?:(?=(?:\r\n|{_TERMINATOR})?\Z){_NOT_INSIDE_CRLF})"

_ANY_BUT_TERMINATOR = r"[^\n\r\x85\u2028\u2029]"
_ANY_CHARACTER = r"(?s:.)"

# LogScale's default engine counts any Unicode letter or digit, and "_", as a word
# character for \b and \B, unlike its ASCII \w:
# https://library.humio.com/data-analysis/syntax-regex-engines.html
_WORD_CHARACTER = r"[\p{L}\p{Nd}_]"
_AFTER_WORD = rf"(?<={_WORD_CHARACTER})"
_AFTER_NON_WORD = rf"(?<!{_WORD_CHARACTER})"
_BEFORE_WORD = rf"(?={_WORD_CHARACTER})"
_BEFORE_NON_WORD = rf"(?!{_WORD_CHARACTER})"
_WORD_BOUNDARY = rf"(?:{_AFTER_WORD}{_BEFORE_NON_WORD}|{_AFTER_NON_WORD}{_BEFORE_WORD})"
_NOT_WORD_BOUNDARY = rf"(?:{_AFTER_WORD}{_BEFORE_WORD}|{_AFTER_NON_WORD}{_BEFORE_NON_WORD})"

# Characters that JitRex accepts in a group name besides Unicode letters and digits.
_GROUP_NAME_PUNCTUATION = frozenset("_-#@.[]")


@dataclass(frozen=True)
class InlineFlags:
    """The LogScale matching flags in effect at one point of a pattern."""

    ignore_case: bool = False
    multiline: bool = False
    dotall: bool = False

    def apply(self, letters: str) -> InlineFlags:
        """Return the flags after an inline ``(?letters)`` such as ``i-m``.

        A letter on both sides of the ``-`` ends up off, as in JitRex.
        """
        enabled, _, disabled = letters.partition("-")

        def state(letter: str, current: bool) -> bool:
            if letter in disabled:
                return False
            return True if letter in enabled else current

        return InlineFlags(
            ignore_case=state("i", self.ignore_case),
            multiline=state("m", self.multiline),
            dotall=state("s", self.dotall),
        )


@dataclass
class _Group:
    """An open group of the LogScale pattern, or the whole pattern."""

    start: int
    """Source offset of the opening ``(``."""
    piece_index: int
    """Index of the group's opening text among the emitted pieces."""
    entry_flags: InlineFlags
    """Flags at the start of each alternative."""
    flags: InlineFlags
    """Flags in effect at the current position."""
    open_scopes: int = 0
    """Scoped ``(?i:`` groups, opened for inline flags, to close at ``|`` or ``)``."""


@dataclass(frozen=True)
class Translation:
    """A translated pattern with its named groups and a map back to the source."""

    python_pattern: str
    group_fields: tuple[tuple[str, str], ...]
    offsets: tuple[tuple[int, int], ...]
    """(offset in python_pattern, offset in the LogScale pattern) where each piece starts."""
    plain_groups: tuple[int, ...] = ()
    """The Python group number of each plain ``( )`` group, in pattern order."""

    def source_offset(self, python_offset: int) -> int:
        """Return the LogScale pattern offset that produced ``python_offset``."""
        index = bisect.bisect_right(self.offsets, python_offset, key=lambda pair: pair[0]) - 1
        return self.offsets[max(index, 0)][1] if self.offsets else 0


class PatternTranslator:
    """Translate one LogScale pattern. Use each instance once, through translate()."""

    def __init__(self, pattern: str, flags: InlineFlags) -> None:
        self._pattern = pattern
        self._position = 0
        self._pieces: list[str] = []
        self._sources: list[int] = []
        self._groups = [_Group(0, 0, flags, flags)]
        self._python_group_count = 0
        self._plain_group_numbers: list[int] = []
        self._group_fields: list[tuple[str, str]] = []
        self._atom_index: int | None = None
        self._quantified = False
        self._steps: dict[str, Callable[[int], None]] = {
            "\\": self._escape,
            "[": self._character_class,
            "(": self._open_group,
            ")": self._close_group,
            "|": self._alternation,
            "*": self._quantifier,
            "+": self._quantifier,
            "?": self._quantifier,
            "{": self._brace,
            ".": self._dot,
            "^": self._caret,
            "$": self._dollar,
        }

    def translate(self) -> Translation:
        """Translate the whole pattern, raising RegexTranslationError on the first problem."""
        while self._position < len(self._pattern):
            char = self._pattern[self._position]
            self._steps.get(char, self._literal)(self._position)
        self._finish()
        return self._result()

    # -- emitting

    def _emit(self, text: str, source: int) -> None:
        self._pieces.append(text)
        self._sources.append(source)

    def _emit_atom(self, text: str, source: int, end: int) -> None:
        """Emit text that a following quantifier may repeat, and move to ``end``."""
        self._atom_index = len(self._pieces)
        self._quantified = False
        self._emit(text, source)
        self._position = end

    def _emit_anchor(self, text: str, source: int, end: int) -> None:
        """Emit a zero-width assertion, which a quantifier may not follow, as in Java."""
        self._atom_index = None
        self._emit(text, source)
        self._position = end

    def _close_scopes(self, group: _Group, source: int) -> None:
        if group.open_scopes:
            self._emit(")" * group.open_scopes, source)
            group.open_scopes = 0

    def _result(self) -> Translation:
        offsets = []
        python_offset = 0
        for piece, source in zip(self._pieces, self._sources, strict=True):
            offsets.append((python_offset, source))
            python_offset += len(piece)
        return Translation(
            "".join(self._pieces),
            tuple(self._group_fields),
            tuple(offsets),
            tuple(self._plain_group_numbers),
        )

    def _error(self, construct: str, position: int, reason: str) -> RegexTranslationError:
        return RegexTranslationError(construct, self._pattern, position, reason)

    # -- single characters, classes and anchors

    def _literal(self, start: int) -> None:
        self._emit_atom(escape_literal(self._pattern[start]), start, start + 1)

    def _character_class(self, start: int) -> None:
        text, end = translate_class(self._pattern, start)
        self._emit_atom(text, start, end)

    def _dot(self, start: int) -> None:
        # Java's "." excludes every line terminator unless DOTALL is on, while Python's
        # excludes only "\n".
        # NOTE: JitRex matches UTF-16 code units, so there "." matches half of a character
        # above U+FFFF such as an emoji. Python matches whole code points, and cqlkit does
        # not emulate the difference.
        dotall = self._groups[-1].flags.dotall
        self._emit_atom(_ANY_CHARACTER if dotall else _ANY_BUT_TERMINATOR, start, start + 1)

    def _caret(self, start: int) -> None:
        multiline = self._groups[-1].flags.multiline
        self._emit_anchor(_LINE_START if multiline else r"\A", start, start + 1)

    def _dollar(self, start: int) -> None:
        multiline = self._groups[-1].flags.multiline
        anchor = _LINE_END if multiline else _END_BEFORE_FINAL_TERMINATOR
        self._emit_anchor(anchor, start, start + 1)

    # -- escapes

    def _escape(self, start: int) -> None:
        if start + 1 >= len(self._pattern):
            reason = "the pattern ends with a lone backslash. Write \\\\ to match a backslash"
            raise self._error("\\", start, reason)
        letter = self._pattern[start + 1]
        if letter in PREDEFINED_CLASSES:
            self._emit_atom(PREDEFINED_CLASSES[letter].as_atom(), start, start + 2)
        elif letter in "AzZ" or (letter in "bB" and not self._pattern.startswith("{", start + 2)):
            self._emit_anchor(_ESCAPE_ANCHORS[letter], start, start + 2)
        elif letter == "Q":
            self._quote(start)
        elif letter in "123456789":
            self._backreference(start)
        else:
            self._character_escape(start)

    def _character_escape(self, start: int) -> None:
        character = read_character_escape(self._pattern, start)
        if character is None:
            raise reject_escape(self._pattern, start)
        text, end = character
        self._emit_atom(escape_literal(text), start, end)

    def _quote(self, start: int) -> None:
        """Emit ``\\Q...\\E`` as literal characters. Without ``\\E`` the quote runs to the end."""
        body_start = start + 2
        close = self._pattern.find("\\E", body_start)
        body_end = len(self._pattern) if close == -1 else close
        for offset in range(body_start, body_end):
            self._emit_atom(escape_literal(self._pattern[offset]), offset, offset + 1)
        self._position = body_end if close == -1 else close + 2

    def _backreference(self, start: int) -> None:
        """Emit ``\\n``, which in JitRex counts only plain ``( )`` groups, not named ones."""
        end = start + 1
        while end < len(self._pattern) and self._pattern[end] in "0123456789":
            end += 1
        number = int(self._pattern[start + 1 : end])
        opened = len(self._plain_group_numbers)
        if number > opened:
            reason = (
                f"backreference to plain group {number}, but the pattern opens only "
                f"{opened} plain ( ) groups before it. Write octal escapes as \\0n"
            )
            raise self._error(self._pattern[start:end], start, reason)
        python_number = self._plain_group_numbers[number - 1]
        self._emit_atom(f"\\g<{python_number}>", start, end)

    # -- quantifiers

    def _quantifier(self, start: int) -> None:
        self._apply_quantifier(self._pattern[start], start, start + 1)

    def _brace(self, start: int) -> None:
        """Emit ``{n}``, ``{n,}`` or ``{n,m}``.

        Like JitRex, a ``{`` with no ``}`` anywhere after it is a literal brace, and any
        other text between the braces is an error.
        """
        close = self._pattern.find("}", start + 1)
        if close == -1:
            self._literal(start)
            return
        bounds = self._pattern[start + 1 : close]
        self._apply_quantifier(self._quantifier_text(bounds, start), start, close + 1)

    def _quantifier_text(self, bounds: str, start: int) -> str:
        low_text, comma, high_text = bounds.partition(",")
        valid = _is_ascii_number(low_text) and (not high_text or _is_ascii_number(high_text))
        if not valid:
            reason = (
                "invalid quantifier. LogScale accepts {n}, {n,} and {n,m}, "
                "and a literal brace is written \\{"
            )
            raise self._error("{" + bounds + "}", start, reason)
        if high_text and int(high_text) < int(low_text):
            reason = f"quantifier minimum {low_text} is greater than its maximum {high_text}"
            raise self._error("{" + bounds + "}", start, reason)
        return "{" + str(int(low_text)) + comma + (str(int(high_text)) if high_text else "") + "}"

    def _apply_quantifier(self, text: str, start: int, end: int) -> None:
        if self._atom_index is None:
            reason = "nothing to repeat. A quantifier must follow a character, class or group"
            raise self._error(text, start, reason)
        following = self._pattern[end : end + 1]
        if following == "+":
            reason = "possessive quantifiers are not supported by LogScale. Drop the last '+'"
            raise self._error(text + "+", start, reason)
        if following == "?":
            text += "?"
            end += 1
        if self._quantified:
            # JitRex repeats an already quantified atom, as in a{2}{3}, while Python's
            # regex rejects a second quantifier, so the first one goes into a group.
            self._pieces.insert(self._atom_index, "(?:")
            self._sources.insert(self._atom_index, start)
            self._emit(")", start)
        self._emit(text, start)
        self._quantified = True
        self._position = end

    # -- groups and alternation

    def _open_group(self, start: int) -> None:
        if not self._pattern.startswith("?", start + 1):
            self._python_group_count += 1
            self._plain_group_numbers.append(self._python_group_count)
            self._push_group("(", start, start + 1)
            return
        kind = self._pattern[start + 2 : start + 3]
        if kind in (":", "=", "!"):
            self._push_group("(?" + kind, start, start + 3)
        elif kind == "<":
            self._named_group(start)
        elif kind != "" and kind in "ism-":
            self._inline_flags(start)
        else:
            raise self._unsupported_group(start, kind)

    def _push_group(
        self, text: str, start: int, end: int, flags: InlineFlags | None = None
    ) -> None:
        current = self._groups[-1].flags
        entry_flags = current if flags is None else flags
        self._groups.append(_Group(start, len(self._pieces), entry_flags, entry_flags))
        self._emit(text, start)
        self._atom_index = None
        self._position = end

    def _unsupported_group(self, start: int, kind: str) -> RegexTranslationError:
        if kind == "":
            return self._error("(?", start, "the pattern ends inside a group construct")
        if kind == "P":
            construct = "(?P<" if self._pattern.startswith("<", start + 3) else "(?P"
            reason = "Python-style named groups are not supported. Write (?<name>...) instead"
            return self._error(construct, start, reason)
        reason = (
            "unsupported group construct. LogScale supports (?:...), (?=...), (?!...), "
            "(?<name>...) and the inline flags i, m and s"
        )
        return self._error("(?" + kind, start, reason)

    def _named_group(self, start: int) -> None:
        name_start = start + 3
        following = self._pattern[name_start : name_start + 1]
        if following in ("=", "!"):
            reason = "lookbehind is not supported by LogScale. Rewrite the pattern without it"
            raise self._error("(?<" + following, start, reason)
        name_end = name_start
        while name_end < len(self._pattern) and _is_group_name_character(self._pattern[name_end]):
            name_end += 1
        if name_end == name_start or not self._pattern.startswith(">", name_end):
            reason = (
                "invalid group name. A name is 1 or more letters, digits or characters "
                "from _-#@.[] followed by '>'"
            )
            raise self._error("(?<", start, reason)
        python_name = f"g{len(self._group_fields)}"
        self._group_fields.append((python_name, self._pattern[name_start:name_end]))
        self._python_group_count += 1
        self._push_group(f"(?P<{python_name}>", start, name_end + 1)

    def _inline_flags(self, start: int) -> None:
        """Handle ``(?flags)`` and ``(?flags:...)``.

        In LogScale's default engine, ``(?flags)`` applies from its position to the end
        of the current alternative, so ``(?i)a|b`` matches ``A`` but not ``B``
        (https://library.humio.com/data-analysis/syntax-regex-engines.html).
        Python's regex rejects global flags after the start of the pattern. So the change
        becomes a scoped group that closes at the next ``|`` or ``)`` of the enclosing
        group.
        """
        letters_start = start + 2
        end = letters_start
        while end < len(self._pattern) and self._pattern[end] not in ":)":
            end += 1
        letters = self._pattern[letters_start:end]
        self._check_flag_letters(letters, start, end)
        group = self._groups[-1]
        flags = group.flags.apply(letters)
        scope = _case_scope(group.flags, flags)
        if self._pattern[end] == ":":
            self._push_group(scope or "(?:", start, end + 1, flags)
            return
        if scope:
            self._emit(scope, start)
            group.open_scopes += 1
        group.flags = flags
        self._atom_index = None
        self._position = end + 1

    def _check_flag_letters(self, letters: str, start: int, end: int) -> None:
        if end >= len(self._pattern):
            raise self._error("(?" + letters, start, "inline flags are missing ')' or ':'")
        for index, letter in enumerate(letters):
            repeated_minus = letter == "-" and "-" in letters[:index]
            if letter not in "ism-" or repeated_minus:
                reason = "invalid inline flag. LogScale accepts i, m and s, with one '-'"
                raise self._error("(?" + letters[: index + 1], start, reason)

    def _close_group(self, start: int) -> None:
        if len(self._groups) == 1:
            raise self._error(")", start, "unmatched ')'. Write \\) to match a parenthesis")
        group = self._groups.pop()
        self._close_scopes(group, start)
        self._emit(")", start)
        self._atom_index = group.piece_index
        self._quantified = False
        self._position = start + 1

    def _alternation(self, start: int) -> None:
        group = self._groups[-1]
        self._close_scopes(group, start)
        group.flags = group.entry_flags
        self._emit("|", start)
        self._atom_index = None
        self._position = start + 1

    def _finish(self) -> None:
        if len(self._groups) > 1:
            group = self._groups[-1]
            raise self._error("(", group.start, "group is missing its ')'")
        self._close_scopes(self._groups[0], len(self._pattern))


_ESCAPE_ANCHORS = {
    "A": r"\A",
    # Java's \z is the absolute end, which Python writes \Z.
    "z": r"\Z",
    # Java's \Z also matches before a final line terminator.
    "Z": _END_BEFORE_FINAL_TERMINATOR,
    "b": _WORD_BOUNDARY,
    "B": _NOT_WORD_BOUNDARY,
}


def _case_scope(before: InlineFlags, after: InlineFlags) -> str:
    """Return the scoped group that switches case folding, or "" if it does not change.

    Only ``i`` needs a Python flag, because the translator writes ``.``, ``^`` and ``$``
    out for the tracked multiline and dotall state.
    """
    if before.ignore_case == after.ignore_case:
        return ""
    return "(?i:" if after.ignore_case else "(?-i:"


def _is_ascii_number(text: str) -> bool:
    return text.isascii() and text.isdigit()


def _is_group_name_character(char: str) -> bool:
    # JitRex uses Java's Character.isLetterOrDigit: letter categories (Python's isalpha)
    # or decimal digits (Python's isdecimal).
    return char.isalpha() or char.isdecimal() or char in _GROUP_NAME_PUNCTUATION
