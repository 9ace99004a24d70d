"""The scanner that rewrites a LogScale regex into the pattern syntax of one dialect.

It walks the pattern once, tracking groups, inline flags and the last quantifiable atom.
It emits pieces of pattern text, each tagged with its source offset, and builds a small
structure tree of the pattern alongside. A :class:`RegexDialect` renders characters, sets
and anchors. :class:`PythonDialect` writes the ``regex`` package syntax, and
``regex_re2.Re2Dialect`` writes RE2 syntax, where some anchors depend on the tree.
"""

from __future__ import annotations

import bisect
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import ClassVar, Literal

from cqlkit.errors import RegexTranslationError
from cqlkit.language.regex_syntax import (
    PREDEFINED_CLASSES,
    CharSet,
    escape_literal,
    python_set_text,
    read_character_escape,
    read_class,
    reject_escape,
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

TERMINATORS = CharSet((((0x0A, 0x0A), (0x0D, 0x0D), (0x85, 0x85), (0x2028, 0x2029)),))
"""Java's line terminators as a set."""
_ANY_BUT_TERMINATOR_SET = CharSet(TERMINATORS.items, negated=True)
_ANY_CHARACTER_SET = CharSet((), negated=True)

# LogScale's default engine counts any Unicode letter or digit, and "_", as a word
# character for \b and \B, unlike its ASCII \w:
# https://library.humio.com/data-analysis/syntax-regex-engines.html
# The (?-i:...) scope keeps the class the same under the flag i. With IGNORECASE the
# regex package would also match U+0345, a combining mark that folds to a Greek letter.
_WORD_CHARACTER = r"(?-i:[\p{L}\p{Nd}_])"
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
class Piece:
    """One piece of emitted pattern text and the source offset that produced it.

    A dialect may rewrite ``text`` after the scan, for an anchor whose form depends on
    the rest of the pattern.
    """

    text: str
    source: int


AnchorKind = Literal["^", "$", "\\A", "\\z", "\\Z", "\\b", "\\B"]
GroupKind = Literal[
    "pattern", "capture", "named", "non-capturing", "lookahead", "negative-lookahead"
]


@dataclass(frozen=True)
class CharacterNode:
    """One character from ``chars``, compared ignoring case when ``ignore_case`` is set."""

    chars: CharSet
    ignore_case: bool


@dataclass(frozen=True)
class AnchorNode:
    """A zero-width assertion, written ``kind`` in the LogScale pattern."""

    kind: AnchorKind
    multiline: bool
    piece: Piece


@dataclass(frozen=True)
class BackreferenceNode:
    """A backreference ``\\n`` to the group numbered ``group`` in the translation."""

    group: int
    source: int


@dataclass(frozen=True)
class RepeatNode:
    """A quantified node. ``maximum`` is None for no upper bound."""

    child: Node
    minimum: int
    maximum: int | None
    lazy: bool
    counted: bool
    """Whether the quantifier was written with braces, such as ``{2,5}``."""
    text: str
    source: int


@dataclass
class GroupNode:
    """A group, or the whole pattern, as a list of alternatives of node sequences."""

    kind: GroupKind
    source: int
    name: str | None = None
    """The translated name (``g0``, ``g1``, ...) of a named group."""
    branches: list[list[Node]] = field(default_factory=lambda: [[]])


Node = CharacterNode | AnchorNode | BackreferenceNode | RepeatNode | GroupNode


def walk_nodes(node: Node) -> Iterator[Node]:
    """Yield ``node`` and every node inside it, in pattern order."""
    yield node
    if isinstance(node, RepeatNode):
        yield from walk_nodes(node.child)
    elif isinstance(node, GroupNode):
        for branch in node.branches:
            for child in branch:
                yield from walk_nodes(child)


def optional_group_names(node: Node, optional: bool = False) -> frozenset[str]:
    """Return the names of named groups that a successful match may leave unset.

    A group is optional inside an alternative of a group with 2 or more alternatives,
    inside a quantifier with minimum 0, and inside a negative lookahead.
    """
    if isinstance(node, RepeatNode):
        return optional_group_names(node.child, optional or node.minimum == 0)
    if not isinstance(node, GroupNode):
        return frozenset()
    names: set[str] = set()
    if node.name is not None and optional:
        names.add(node.name)
    inner_optional = optional or len(node.branches) > 1 or node.kind == "negative-lookahead"
    for branch in node.branches:
        for child in branch:
            names |= optional_group_names(child, inner_optional)
    return frozenset(names)


class RegexDialect(ABC):
    """The pattern syntax that a translation is written in.

    The scanner calls these methods for each construct it meets. A dialect raises
    UnsupportedFeatureError for a construct it cannot express.
    """

    name: ClassVar[str]

    @abstractmethod
    def literal(self, char: str, flags: InlineFlags) -> str:
        """Render a literal character."""

    @abstractmethod
    def character_set(self, chars: CharSet, flags: InlineFlags) -> str:
        """Render a bracketed or predefined class as one atom."""

    @abstractmethod
    def dot(self, flags: InlineFlags) -> str:
        """Render ``.``, which matches line terminators only when ``flags.dotall`` is set."""

    @abstractmethod
    def anchor(self, kind: AnchorKind, flags: InlineFlags) -> str:
        """Render an anchor, or return a placeholder that finish() replaces."""

    @abstractmethod
    def backreference(self, group: int, construct: str, position: int) -> str:
        """Render a backreference to translated group number ``group``."""

    @abstractmethod
    def lookahead(self, negative: bool, position: int) -> str:
        """Return the opening text of a lookahead group."""

    @abstractmethod
    def finish(self, structure: GroupNode) -> None:
        """Complete the translation once the whole pattern is scanned."""


class PythonDialect(RegexDialect):
    """The syntax of the ``regex`` package in V0 mode, where lookarounds express every anchor."""

    name = "python"

    def literal(self, char: str, flags: InlineFlags) -> str:
        """Escape the character, because case folding comes from scoped flags."""
        return escape_literal(char)

    def character_set(self, chars: CharSet, flags: InlineFlags) -> str:
        """Render the set with its items in written order."""
        return python_set_text(chars)

    def dot(self, flags: InlineFlags) -> str:
        """Render ``.`` with Java's line terminators."""
        # Java's "." excludes every line terminator unless DOTALL is on, while Python's
        # excludes only "\n".
        # NOTE: JitRex matches UTF-16 code units, so there "." matches half of a character
        # above U+FFFF such as an emoji. Python matches whole code points, and cqlkit does
        # not emulate the difference.
        return _ANY_CHARACTER if flags.dotall else _ANY_BUT_TERMINATOR

    def anchor(self, kind: AnchorKind, flags: InlineFlags) -> str:
        """Render the anchor with lookarounds over Java's line terminators."""
        if kind == "^":
            return _LINE_START if flags.multiline else r"\A"
        if kind == "$":
            return _LINE_END if flags.multiline else _END_BEFORE_FINAL_TERMINATOR
        return _ESCAPE_ANCHORS[kind]

    def backreference(self, group: int, construct: str, position: int) -> str:
        """Render ``\\g<n>``, which cannot run into a following digit."""
        return f"\\g<{group}>"

    def lookahead(self, negative: bool, position: int) -> str:
        """Return ``(?!`` or ``(?=``."""
        return "(?!" if negative else "(?="

    def finish(self, structure: GroupNode) -> None:
        """Do nothing, because every construct was rendered during the scan."""


PYTHON_DIALECT = PythonDialect()


@dataclass
class _Group:
    """An open group of the LogScale pattern, or the whole pattern."""

    start: int
    """Source offset of the opening ``(``."""
    piece_index: int
    """Index of the group's opening text among the emitted pieces."""
    node: GroupNode
    entry_flags: InlineFlags
    """Flags at the start of each alternative."""
    flags: InlineFlags
    """Flags in effect at the current position."""
    open_scopes: int = 0
    """Scoped ``(?i:`` groups, opened for inline flags, to close at ``|`` or ``)``."""


@dataclass(frozen=True)
class Translation:
    """A translated pattern with its named groups and a map back to the source."""

    pattern: str
    """The pattern text in the dialect's syntax."""
    group_fields: tuple[tuple[str, str], ...]
    offsets: tuple[tuple[int, int], ...]
    """(offset in pattern, offset in the LogScale pattern) where each piece starts."""
    plain_groups: tuple[int, ...] = ()
    """The translated group number of each plain ``( )`` group, in pattern order."""
    optional_groups: frozenset[str] = frozenset()
    """The translated names of named groups that a successful match may leave unset."""
    group_numbers: tuple[int, ...] = ()
    """The translated group number of each named group, in the order of group_fields."""

    def source_offset(self, offset: int) -> int:
        """Return the LogScale pattern offset that produced ``offset`` of the translation."""
        index = bisect.bisect_right(self.offsets, offset, key=lambda pair: pair[0]) - 1
        return self.offsets[max(index, 0)][1] if self.offsets else 0


class PatternTranslator:
    """Translate one LogScale pattern. Use each instance once, through translate()."""

    def __init__(
        self, pattern: str, flags: InlineFlags, dialect: RegexDialect = PYTHON_DIALECT
    ) -> None:
        self._pattern = pattern
        self._dialect = dialect
        self._position = 0
        self._pieces: list[Piece] = []
        self._structure = GroupNode("pattern", 0)
        self._groups = [_Group(0, 0, self._structure, flags, flags)]
        self._python_group_count = 0
        self._plain_group_numbers: list[int] = []
        self._named_group_numbers: list[int] = []
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
        self._dialect.finish(self._structure)
        return self._result()

    # -- emitting

    def _emit(self, text: str, source: int) -> Piece:
        piece = Piece(text, source)
        self._pieces.append(piece)
        return piece

    def _add_node(self, node: Node) -> None:
        self._groups[-1].node.branches[-1].append(node)

    def _emit_atom(self, text: str, source: int, end: int, node: Node) -> None:
        """Emit text that a following quantifier may repeat, and move to ``end``."""
        self._atom_index = len(self._pieces)
        self._quantified = False
        self._emit(text, source)
        self._add_node(node)
        self._position = end

    def _emit_character(self, text: str, chars: CharSet, source: int, end: int) -> None:
        ignore_case = self._groups[-1].flags.ignore_case
        self._emit_atom(text, source, end, CharacterNode(chars, ignore_case))

    def _emit_anchor(self, kind: AnchorKind, source: int, end: int) -> None:
        """Emit a zero-width assertion, which a quantifier may not follow, as in Java."""
        flags = self._groups[-1].flags
        self._atom_index = None
        piece = self._emit(self._dialect.anchor(kind, flags), source)
        self._add_node(AnchorNode(kind, flags.multiline, piece))
        self._position = end

    def _close_scopes(self, group: _Group, source: int) -> None:
        if group.open_scopes:
            self._emit(")" * group.open_scopes, source)
            group.open_scopes = 0

    def _result(self) -> Translation:
        offsets = []
        offset = 0
        for piece in self._pieces:
            offsets.append((offset, piece.source))
            offset += len(piece.text)
        return Translation(
            "".join(piece.text for piece in self._pieces),
            tuple(self._group_fields),
            tuple(offsets),
            tuple(self._plain_group_numbers),
            optional_group_names(self._structure),
            tuple(self._named_group_numbers),
        )

    def _error(self, construct: str, position: int, reason: str) -> RegexTranslationError:
        return RegexTranslationError(construct, self._pattern, position, reason)

    # -- single characters, classes and anchors

    def _literal(self, start: int) -> None:
        self._emit_literal(self._pattern[start], start, start + 1)

    def _emit_literal(self, char: str, start: int, end: int) -> None:
        text = self._dialect.literal(char, self._groups[-1].flags)
        self._emit_character(text, CharSet.single(char), start, end)

    def _character_class(self, start: int) -> None:
        chars, end = read_class(self._pattern, start)
        self._emit_set(chars, start, end)

    def _emit_set(self, chars: CharSet, start: int, end: int) -> None:
        text = self._dialect.character_set(chars, self._groups[-1].flags)
        self._emit_character(text, chars, start, end)

    def _dot(self, start: int) -> None:
        flags = self._groups[-1].flags
        chars = _ANY_CHARACTER_SET if flags.dotall else _ANY_BUT_TERMINATOR_SET
        self._emit_character(self._dialect.dot(flags), chars, start, start + 1)

    def _caret(self, start: int) -> None:
        self._emit_anchor("^", start, start + 1)

    def _dollar(self, start: int) -> None:
        self._emit_anchor("$", start, start + 1)

    # -- escapes

    def _escape(self, start: int) -> None:
        if start + 1 >= len(self._pattern):
            reason = "the pattern ends with a lone backslash. Write \\\\ to match a backslash"
            raise self._error("\\", start, reason)
        letter = self._pattern[start + 1]
        if letter in PREDEFINED_CLASSES:
            self._emit_set(PREDEFINED_CLASSES[letter], start, start + 2)
        elif letter in "AzZ" or (letter in "bB" and not self._pattern.startswith("{", start + 2)):
            self._emit_anchor(_ESCAPE_ANCHOR_KINDS[letter], start, start + 2)
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
        char, end = character
        self._emit_literal(char, start, end)

    def _quote(self, start: int) -> None:
        """Emit ``\\Q...\\E`` as literal characters. Without ``\\E`` the quote runs to the end."""
        body_start = start + 2
        close = self._pattern.find("\\E", body_start)
        body_end = len(self._pattern) if close == -1 else close
        for offset in range(body_start, body_end):
            self._emit_literal(self._pattern[offset], offset, offset + 1)
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
        group = self._plain_group_numbers[number - 1]
        text = self._dialect.backreference(group, self._pattern[start:end], start)
        self._emit_atom(text, start, end, BackreferenceNode(group, start))

    # -- quantifiers

    def _quantifier(self, start: int) -> None:
        text = self._pattern[start]
        minimum, maximum = _SIMPLE_QUANTIFIERS[text]
        self._apply_quantifier(_Quantifier(text, minimum, maximum, counted=False), start, start + 1)

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
        self._apply_quantifier(self._counted_quantifier(bounds, start), start, close + 1)

    def _counted_quantifier(self, bounds: str, start: int) -> _Quantifier:
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
        minimum = int(low_text)
        maximum: int | None = minimum
        if high_text:
            maximum = int(high_text)
        elif comma:
            maximum = None
        text = "{" + str(minimum) + comma + (str(maximum) if high_text else "") + "}"
        return _Quantifier(text, minimum, maximum, counted=True)

    def _apply_quantifier(self, quantifier: _Quantifier, start: int, end: int) -> None:
        text = quantifier.text
        if self._atom_index is None:
            reason = "nothing to repeat. A quantifier must follow a character, class or group"
            raise self._error(text, start, reason)
        following = self._pattern[end : end + 1]
        if following == "+":
            reason = "possessive quantifiers are not supported by LogScale. Drop the last '+'"
            raise self._error(text + "+", start, reason)

        lazy = following == "?"
        if lazy:
            text += "?"
            end += 1
        if self._quantified:
            # JitRex repeats an already quantified atom, as in a{2}{3}, while Python's
            # regex and RE2 reject a second quantifier, so the first one goes into a group.
            self._pieces.insert(self._atom_index, Piece("(?:", start))
            self._emit(")", start)
        self._emit(text, start)

        branch = self._groups[-1].node.branches[-1]
        repeat = RepeatNode(
            branch[-1],
            quantifier.minimum,
            quantifier.maximum,
            lazy,
            quantifier.counted,
            text,
            start,
        )
        branch[-1] = repeat
        self._quantified = True
        self._position = end

    # -- groups and alternation

    def _open_group(self, start: int) -> None:
        if not self._pattern.startswith("?", start + 1):
            self._python_group_count += 1
            self._plain_group_numbers.append(self._python_group_count)
            self._push_group("(", GroupNode("capture", start), start + 1)
            return
        kind = self._pattern[start + 2 : start + 3]
        if kind == ":":
            self._push_group("(?:", GroupNode("non-capturing", start), start + 3)
        elif kind in ("=", "!"):
            negative = kind == "!"
            text = self._dialect.lookahead(negative, start)
            node = GroupNode("negative-lookahead" if negative else "lookahead", start)
            self._push_group(text, node, start + 3)
        elif kind == "<":
            self._named_group(start)
        elif kind != "" and kind in "ism-":
            self._inline_flags(start)
        else:
            raise self._unsupported_group(start, kind)

    def _push_group(
        self, text: str, node: GroupNode, end: int, flags: InlineFlags | None = None
    ) -> None:
        start = node.source
        current = self._groups[-1].flags
        entry_flags = current if flags is None else flags
        self._groups.append(_Group(start, len(self._pieces), node, entry_flags, entry_flags))
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
        self._named_group_numbers.append(self._python_group_count)
        node = GroupNode("named", start, python_name)
        self._push_group(f"(?P<{python_name}>", node, name_end + 1)

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
            self._push_group(scope or "(?:", GroupNode("non-capturing", start), end + 1, flags)
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
        self._add_node(group.node)
        self._atom_index = group.piece_index
        self._quantified = False
        self._position = start + 1

    def _alternation(self, start: int) -> None:
        group = self._groups[-1]
        self._close_scopes(group, start)
        group.flags = group.entry_flags
        group.node.branches.append([])
        self._emit("|", start)
        self._atom_index = None
        self._position = start + 1

    def _finish(self) -> None:
        if len(self._groups) > 1:
            group = self._groups[-1]
            raise self._error("(", group.start, "group is missing its ')'")
        self._close_scopes(self._groups[0], len(self._pattern))


@dataclass(frozen=True)
class _Quantifier:
    text: str
    minimum: int
    maximum: int | None
    counted: bool


_SIMPLE_QUANTIFIERS: dict[str, tuple[int, int | None]] = {
    "*": (0, None),
    "+": (1, None),
    "?": (0, 1),
}

_ESCAPE_ANCHOR_KINDS: dict[str, AnchorKind] = {
    "A": "\\A",
    "z": "\\z",
    "Z": "\\Z",
    "b": "\\b",
    "B": "\\B",
}

_ESCAPE_ANCHORS: dict[AnchorKind, str] = {
    "\\A": r"\A",
    # Java's \z is the absolute end, which Python writes \Z.
    "\\z": r"\Z",
    # Java's \Z also matches before a final line terminator.
    "\\Z": _END_BEFORE_FINAL_TERMINATOR,
    "\\b": _WORD_BOUNDARY,
    "\\B": _NOT_WORD_BOUNDARY,
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
