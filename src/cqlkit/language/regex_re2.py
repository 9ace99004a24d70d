"""LogScale regexes in RE2 syntax, for DuckDB's regexp_matches, regexp_extract and
regexp_replace.

:func:`to_re2` runs the scanner of :mod:`cqlkit.language.regex_translator` with
:class:`Re2Dialect`. The result matches the same values as the ``regex`` translation of
:mod:`cqlkit.language.regexes`. RE2 has no lookaround and no backreferences, so the
constructs for which that translation uses one are handled as follows:

- ``^`` without ``m``, ``\\A`` and ``\\z`` use RE2's own ``\\A`` and ``\\z``.
- ``$`` without ``m`` and ``\\Z``, where nothing follows them, consume the final line
  terminator: ``(?:\\r\\n|[\\n\\r\\x{85}\\x{2028}\\x{2029}])?\\z``.
- ``$`` with ``m``, where nothing follows it, consumes the line terminator after it, or
  meets ``\\z``.
- ``^`` with ``m``, where nothing comes before it, consumes the line terminator before it,
  or meets ``\\A``. What follows must consume a character, and not a line feed.
- ``\\b`` and ``\\B`` with a word character or non-word character known on both sides
  from the pattern become nothing or a never-matching class. With one side known, they
  consume the character on the other side, at the start or end of the pattern only.
- ``(?=...)`` where nothing follows it becomes ``(?:...)``.
- Backreferences and ``(?!...)`` are rejected.

Every translation gives the same match result (whether a value matches) as the ``regex``
translation. Two flags of :class:`Re2Regex` tell what else agrees:

- ``span_exact`` is False when a consuming form changes the span of the match, or when a
  group may get another value (below). replace() must not use such a pattern.
- ``groups_exact`` is False when a named group may get another value: when a consuming
  form sits inside the group, or through the repetition rules below. regex() extraction
  must not use such a pattern.

RE2 handles empty iterations of a repetition with a maximum above 1 differently from the
``regex`` package. RE2 skips a last iteration that matches empty, so on ``ab`` the pattern
``(a*)+b`` leaves group 1 as ``a`` in RE2 and ``""`` in the ``regex`` package. RE2 also
avoids an empty iteration that the body prefers, so ``^(?:x??i*)*`` matches ``ixi`` in
RE2 but only ``i`` in the ``regex`` package. An empty iteration never moves the match
position, so the match result stays the same, and only the flags are cleared.

Every rejection raises UnsupportedFeatureError with engine ``"re2"`` and the construct as
written as ``feature``.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, replace

import regex

from cqlkit.errors import UnsupportedFeatureError
from cqlkit.language.regex_syntax import CharSet, Ranges, complement, merge_ranges, render_ranges
from cqlkit.language.regex_translator import (
    AnchorKind,
    AnchorNode,
    BackreferenceNode,
    CharacterNode,
    GroupNode,
    InlineFlags,
    Node,
    PatternTranslator,
    RegexDialect,
    RepeatNode,
    walk_nodes,
)
from cqlkit.language.regexes import LogScaleRegex, parse_flags

ENGINE = "re2"

MAX_REPEAT = 1000
"""RE2's limit on a counted repetition such as ``a{1000}``. RE2 in DuckDB 2.0.1 also
applies it to the product of nested counts: it rejects ``(?:a{100}){100}`` but runs
``(?:a{10}){100}``."""


@dataclass(frozen=True)
class Re2Regex:
    """A LogScale regex in RE2 syntax, for DuckDB's regexp functions."""

    pattern: str
    """The RE2 pattern. Named groups are ``(?P<g0>...)``, ``(?P<g1>...)`` ..., as in
    LogScaleRegex."""
    group_fields: tuple[tuple[str, str], ...]
    """(RE2 group name, LogScale field name) for each named group, in pattern order."""
    plain_groups: tuple[int, ...]
    """The RE2 group number of each plain ``( )`` group, which ``$1``, ``$2`` ... name."""
    optional_groups: frozenset[str]
    """The RE2 names of named groups that a successful match may leave unset. DuckDB's
    regexp_extract returns '' for such a group, where LogScale leaves the field unset."""
    span_exact: bool
    """Whether each match, and each group in it, has the same span as with the ``regex``
    translation. When False, replace() must not use the pattern."""
    groups_exact: bool = True
    """Whether each named group gets the same contents as with the ``regex`` translation.
    When False, only the match result agrees, and extraction must not use the pattern."""
    group_numbers: tuple[int, ...] = ()
    """The RE2 group number of each named group, in the order of group_fields."""

    def positional_group_names(self) -> tuple[str, ...]:
        """Return a label for each group from 1 up to the last named group.

        DuckDB's ``regexp_extract(value, pattern, name_list)`` labels groups 1, 2, ... by
        position and ignores RE2 group names, so a name list must also cover the plain
        groups before a named group. Named groups get their RE2 name and plain groups
        ``_1``, ``_2`` ... after their number.

        >>> from cqlkit.language.regexes import translate
        >>> to_re2(translate("(a)(?<user>b)")).positional_group_names()
        ('_1', 'g0')
        """
        names = {
            number: name
            for number, (name, _) in zip(self.group_numbers, self.group_fields, strict=True)
        }
        last = max(self.group_numbers, default=0)
        return tuple(names.get(number, f"_{number}") for number in range(1, last + 1))


def to_re2(logscale_regex: LogScaleRegex) -> Re2Regex:
    """Translate a LogScale regex into RE2 syntax with the same matching semantics.

    Raises UnsupportedFeatureError with engine ``"re2"`` for a construct that RE2 cannot
    express with the same results. Its ``feature`` is the construct as written, such as
    ``\\1`` or ``(?!``.

    >>> from cqlkit.language.regexes import translate
    >>> print(to_re2(translate("(?<user>[a-z]+)@")).pattern)
    (?P<g0>[a-z]+)\\@
    """
    return _translate(logscale_regex.pattern, logscale_regex.flags)


@functools.lru_cache(maxsize=1024)
def _translate(pattern: str, flags: str) -> Re2Regex:
    initial_flags = parse_flags(pattern, flags)
    dialect = Re2Dialect(pattern)
    translation = PatternTranslator(pattern, initial_flags, dialect).translate()
    # The flag i goes into the pattern, so callers need no regexp options argument.
    prefix = "(?i)" if initial_flags.ignore_case else ""
    return Re2Regex(
        pattern=prefix + translation.pattern,
        group_fields=translation.group_fields,
        plain_groups=translation.plain_groups,
        optional_groups=translation.optional_groups,
        span_exact=dialect.span_exact,
        groups_exact=dialect.groups_exact,
        group_numbers=translation.group_numbers,
    )


# -- rendering characters and sets

_TERMINATOR = r"[\n\r\x{85}\x{2028}\x{2029}]"
_ANY_BUT_TERMINATOR = r"[^\n\r\x{85}\x{2028}\x{2029}]"
_ANY_CHARACTER = r"(?s:.)"
_NEVER = r"[^\x{0}-\x{10ffff}]"

_END_BEFORE_FINAL_TERMINATOR = rf"(?:\r\n|{_TERMINATOR})?\z"
_LINE_END = rf"(?:{_TERMINATOR}|\z)"
_LINE_START = rf"(?:\A|\r\n|{_TERMINATOR})"

# LogScale's word characters for \b, as in the regex translation. The (?-i:...) scope
# keeps RE2 from case folding \p{L}, which would add U+0345, a combining mark.
# NOTE: RE2 in DuckDB 2.0.1 has older Unicode tables than the regex package, so letters
# assigned in recent Unicode versions, such as U+105C0, are word characters only there.
_WORD = r"(?-i:[\p{L}\p{Nd}_])"
_NON_WORD = r"(?-i:[^\p{L}\p{Nd}_])"

# The characters that each of i, I, U+0131 and U+0130 matches in the regex package with
# IGNORECASE. RE2 folds only i with I, so a case-insensitive set that contains one of these
# four lists them case-sensitively.
_TURKIC_I_MATCHES = {
    "I": "Ii\u0131",
    "i": "Ii\u0130",
    "\u0130": "i\u0130",
    "\u0131": "I\u0131",
}
_TURKIC_I_RANGES = merge_ranges((ord(char), ord(char)) for char in _TURKIC_I_MATCHES)


def escape_re2(char: str) -> str:
    """Render one character for RE2 so that it matches itself inside or outside ``[...]``."""
    if char.isascii() and (char.isalnum() or char == "_"):
        return char
    if char.isascii() and char.isprintable():
        return "\\" + char
    if char.isprintable() and not char.isspace():
        return char
    return f"\\x{{{ord(char):x}}}"


def _set_text(ranges: Ranges, negated: bool) -> str:
    if not ranges:
        # RE2 rejects "[]" and "[^]".
        return _ANY_CHARACTER if negated else _NEVER
    prefix = "^" if negated else ""
    return f"[{prefix}{render_ranges(ranges, escape_re2)}]"


def _case_sensitive_text(chars: str) -> str:
    return "(?-i:[" + "".join(escape_re2(char) for char in sorted(chars)) + "])"


def _folded_set_text(chars: CharSet) -> str:
    """Render a set for matching with case folding, as the regex package folds it."""
    ranges = chars.ranges
    if not _intersect(ranges, _TURKIC_I_RANGES):
        return _set_text(ranges, chars.negated)
    accepted = "".join(
        char
        for char, matches in _TURKIC_I_MATCHES.items()
        if any(_contains(ranges, ord(match)) for match in matches) != chars.negated
    )
    if chars.negated:
        core = _set_text(merge_ranges(ranges + _TURKIC_I_RANGES), negated=True)
    else:
        core_ranges = _intersect(ranges, complement(_TURKIC_I_RANGES))
        core = _set_text(core_ranges, negated=False) if core_ranges else ""
    parts = [part for part in (core, _case_sensitive_text(accepted) if accepted else "") if part]
    return parts[0] if len(parts) == 1 else "(?:" + "|".join(parts) + ")"


def _contains(ranges: Ranges, code: int) -> bool:
    return any(low <= code <= high for low, high in ranges)


def _intersect(first: Ranges, second: Ranges) -> Ranges:
    result = []
    for low, high in first:
        for other_low, other_high in second:
            start, end = max(low, other_low), min(high, other_high)
            if start <= end:
                result.append((start, end))
    return merge_ranges(result)


class Re2Dialect(RegexDialect):
    """RE2 syntax as DuckDB runs it. Use each instance for one translation."""

    name = "re2"

    def __init__(self, pattern: str) -> None:
        self._pattern = pattern
        self.span_exact = True
        """Whether match and group spans agree with the regex package, valid after the scan."""
        self.groups_exact = True
        """Whether named-group contents agree with the regex package, valid after the scan."""

    def inexact_groups(self) -> None:
        """Record that a named group may get another value, and so may its span."""
        self.groups_exact = False
        self.span_exact = False

    def literal(self, char: str, flags: InlineFlags) -> str:
        """Escape the character, listing the case variants of the four Turkic i letters."""
        if flags.ignore_case and char in _TURKIC_I_MATCHES:
            return _case_sensitive_text(_TURKIC_I_MATCHES[char])
        return escape_re2(char)

    def character_set(self, chars: CharSet, flags: InlineFlags) -> str:
        """Render the set with its ranges merged."""
        if flags.ignore_case:
            return _folded_set_text(chars)
        return _set_text(chars.ranges, chars.negated)

    def dot(self, flags: InlineFlags) -> str:
        """Render ``.`` with Java's line terminators."""
        return _ANY_CHARACTER if flags.dotall else _ANY_BUT_TERMINATOR

    def anchor(self, kind: AnchorKind, flags: InlineFlags) -> str:
        """Render RE2's own anchors now, and leave the others empty for finish()."""
        if kind == "\\A" or (kind == "^" and not flags.multiline):
            return r"\A"
        if kind == "\\z":
            return r"\z"
        return ""

    def backreference(self, group: int, construct: str, position: int) -> str:
        """Raise UnsupportedFeatureError, because RE2 has no backreferences."""
        raise self.unsupported(construct, position, "RE2 has no backreferences")

    def lookahead(self, negative: bool, position: int) -> str:
        """Open ``(?=`` as ``(?:``, which finish() accepts only where nothing follows."""
        if negative:
            reason = "RE2 has no lookahead, and a negative lookahead cannot consume the text"
            raise self.unsupported("(?!", position, reason)
        return "(?:"

    def finish(self, structure: GroupNode) -> None:
        """Check repetition counts and choose the RE2 form of each anchor and lookahead."""
        _check_repeat_counts(self, structure, 1)
        _check_empty_iterations(self, structure)
        _Placement(self).visit(structure, _PATTERN_EDGES)

    def unsupported(self, construct: str, position: int, reason: str) -> UnsupportedFeatureError:
        """Build the error for a construct that has no RE2 form at ``position``."""
        description = (
            f"regex construct {construct!r} at offset {position} of /{self._pattern}/ "
            f"has no RE2 translation: {reason}"
        )
        return UnsupportedFeatureError(construct, description, engine=ENGINE)


def _check_repeat_counts(dialect: Re2Dialect, node: Node, product: int) -> None:
    """Raise for counted repetitions that RE2 rejects, alone or nested.

    ``product`` multiplies the enclosing counts, each the maximum, or the minimum for
    ``{n,}``. The quantifiers ``*``, ``+`` and ``?`` do not count, and neither does 0.
    """
    if isinstance(node, RepeatNode):
        if node.counted:
            count = node.maximum if node.maximum is not None else node.minimum
            if count > MAX_REPEAT or node.minimum > MAX_REPEAT:
                reason = f"RE2 allows at most {MAX_REPEAT} repetitions"
                raise dialect.unsupported(node.text, node.source, reason)
            product *= max(count, 1)
            if product > MAX_REPEAT:
                reason = f"nested repetition counts multiply to more than {MAX_REPEAT}"
                raise dialect.unsupported(node.text, node.source, reason)
        _check_repeat_counts(dialect, node.child, product)
    elif isinstance(node, GroupNode):
        for branch in node.branches:
            for child in branch:
                _check_repeat_counts(dialect, child, product)


def _check_empty_iterations(dialect: Re2Dialect, structure: GroupNode) -> None:
    """Clear the exactness flags where RE2 treats an empty iteration differently.

    The checks cover every repetition with a maximum above 1 whose body can match empty.
    """
    has_named_group = any(_is_group(node, "named") for node in walk_nodes(structure))
    for node in walk_nodes(structure):
        if not isinstance(node, RepeatNode):
            continue
        if node.maximum is not None and node.maximum <= 1:
            continue
        if not _shape(node.child).nullable:
            continue
        if _may_prefer_empty(node.child):
            dialect.span_exact = False
            if has_named_group:
                dialect.inexact_groups()
        for inner in walk_nodes(node.child):
            if not isinstance(inner, GroupNode) or not _shape(inner).nullable:
                continue
            if inner.kind == "named":
                dialect.inexact_groups()
            elif inner.kind == "capture":
                dialect.span_exact = False


def _is_group(node: Node, kind: str) -> bool:
    return isinstance(node, GroupNode) and node.kind == kind


def _may_prefer_empty(node: Node) -> bool:
    """Return whether ``node`` may try an empty match before a longer one.

    A lazy quantifier does, and so does an alternative that can match empty with another
    alternative after it.
    """
    for inner in walk_nodes(node):
        if isinstance(inner, RepeatNode) and inner.lazy:
            return True
        if isinstance(inner, GroupNode):
            earlier_branches = inner.branches[:-1]
            if any(_sequence_shape(branch).nullable for branch in earlier_branches):
                return True
    return False


# -- the characters around a position, as far as the pattern determines them


@dataclass(frozen=True)
class _Kinds:
    """Kinds of character possible at one position. Each flag means "may"."""

    word: bool = False
    non_word: bool = False
    carriage_return: bool = False
    line_feed: bool = False

    def __or__(self, other: _Kinds) -> _Kinds:
        return _Kinds(
            self.word or other.word,
            self.non_word or other.non_word,
            self.carriage_return or other.carriage_return,
            self.line_feed or other.line_feed,
        )


_NO_KINDS = _Kinds()
_ALL_KINDS = _Kinds(True, True, True, True)

_WORD_CHARACTER = regex.compile(r"[\p{L}\p{Nd}_]")
# U+0345 is a combining mark whose case variants U+0399, U+03B9 and U+1FBE are letters.
# No other case variants differ in being word characters.
_WORD_CHANGING_CASE_ORBIT = merge_ranges((code, code) for code in (0x345, 0x399, 0x3B9, 0x1FBE))
# Sets up to this many code points are classified one by one. Larger ones are taken to
# hold both word and non-word characters, which only makes \b rejections more likely.
_CLASSIFY_LIMIT = 512


@functools.lru_cache(maxsize=4096)
def _kinds_of(chars: CharSet, ignore_case: bool) -> _Kinds:
    # Case folding never adds CR or LF. For a negated set it only removes characters, so
    # the ranges without folding are a safe superset.
    matched = chars.matched_ranges()
    carriage_return = chars.matches(0x0D)
    line_feed = chars.matches(0x0A)
    size = sum(high - low + 1 for low, high in matched)
    crosses = ignore_case and bool(_intersect(matched, _WORD_CHANGING_CASE_ORBIT))
    if size > _CLASSIFY_LIMIT or crosses:
        return _Kinds(size > 0, size > 0, carriage_return, line_feed)
    word = non_word = False
    for low, high in matched:
        for code in range(low, high + 1):
            if _WORD_CHARACTER.match(chr(code)):
                word = True
            else:
                non_word = True
    return _Kinds(word, non_word, carriage_return, line_feed)


@dataclass(frozen=True)
class _Shape:
    """The outside view of a node: whether it can match empty, and its first and last
    characters."""

    nullable: bool
    first: _Kinds
    """Kinds of the first character the node consumes."""
    last: _Kinds
    """Kinds of the last character the node consumes."""
    last_extendable: bool
    """Whether every way to end on a CR could also consume one more LF and end at the
    same place in the pattern. True when the node cannot end on a CR."""
    has_anchor: bool
    has_content: bool


_ANCHOR_SHAPE = _Shape(True, _NO_KINDS, _NO_KINDS, True, True, True)
_UNKNOWN_SHAPE = _Shape(True, _ALL_KINDS, _ALL_KINDS, False, True, True)


@functools.lru_cache(maxsize=4096)
def _character_shape(node: CharacterNode) -> _Shape:
    kinds = _kinds_of(node.chars, node.ignore_case)
    return _Shape(False, kinds, kinds, not kinds.carriage_return, False, True)


def _shape(node: Node) -> _Shape:
    if isinstance(node, CharacterNode):
        return _character_shape(node)
    if isinstance(node, AnchorNode):
        return _ANCHOR_SHAPE
    if isinstance(node, BackreferenceNode):
        return _UNKNOWN_SHAPE
    if isinstance(node, RepeatNode):
        return _repeat_shape(node)
    return _union_shape([_sequence_shape(branch) for branch in node.branches])


def _repeat_shape(node: RepeatNode) -> _Shape:
    child = _shape(node.child)
    # A greedy repetition of one character that can be a LF takes one more LF after a
    # CR when it can. A lazy one would stop at the CR first.
    takes_line_feed = (
        isinstance(node.child, CharacterNode)
        and node.maximum is None
        and not node.lazy
        and child.last.line_feed
    )
    return replace(
        child,
        nullable=child.nullable or node.minimum == 0,
        last_extendable=child.last_extendable or takes_line_feed,
    )


def _sequence_shape(nodes: list[Node]) -> _Shape:
    shapes = [_shape(node) for node in nodes]
    before = _left_edge(_EMPTY_EDGE, shapes)
    after = _right_edge(_EMPTY_EDGE, shapes)
    return _Shape(
        nullable=all(shape.nullable for shape in shapes),
        first=after.kinds,
        last=before.kinds,
        last_extendable=before.extendable,
        has_anchor=any(shape.has_anchor for shape in shapes),
        has_content=any(shape.has_content for shape in shapes),
    )


def _union_shape(shapes: list[_Shape]) -> _Shape:
    first = last = _NO_KINDS
    for shape in shapes:
        first |= shape.first
        last |= shape.last
    return _Shape(
        nullable=any(shape.nullable for shape in shapes),
        first=first,
        last=last,
        last_extendable=all(shape.last_extendable for shape in shapes),
        has_anchor=any(shape.has_anchor for shape in shapes),
        has_content=any(shape.has_content for shape in shapes),
    )


@dataclass(frozen=True)
class _Edge:
    """The characters next to a position on one side, within the match."""

    kinds: _Kinds
    """Kinds of the nearest consumed character on this side."""
    open: bool
    """Whether the match may have consumed nothing on this side, so that the neighbour is
    outside the match and unknown."""
    extendable: bool = True
    """For the left side: whether every way to end on a CR could take one more LF."""


_EMPTY_EDGE = _Edge(_NO_KINDS, open=True)


def _left_edge(edge: _Edge, shapes: list[_Shape]) -> _Edge:
    """Return the left edge after the nodes of ``shapes``, starting from ``edge``."""
    for shape in shapes:
        if not shape.nullable:
            edge = _Edge(shape.last, False, shape.last_extendable)
            continue
        # An anchor between a CR and the position may fail after one more LF.
        earlier_extendable = edge.extendable and not (
            shape.has_anchor and edge.kinds.carriage_return
        )
        edge = _Edge(
            edge.kinds | shape.last, edge.open, shape.last_extendable and earlier_extendable
        )
    return edge


def _right_edge(edge: _Edge, shapes: list[_Shape]) -> _Edge:
    """Return the right edge before the nodes of ``shapes``, starting from ``edge``."""
    for shape in reversed(shapes):
        if shape.nullable:
            edge = _Edge(edge.kinds | shape.first, edge.open)
        else:
            edge = _Edge(shape.first, False)
    return edge


@dataclass(frozen=True)
class _Surroundings:
    """Context of one node: the characters and nodes the pattern allows next to it."""

    before: _Edge
    after: _Edge
    preceded: bool
    """Whether some node may come before this one within the match."""
    followed: bool
    """Whether some node may come after this one within the match."""
    in_named_group: bool = False


_PATTERN_EDGES = _Surroundings(_EMPTY_EDGE, _EMPTY_EDGE, preceded=False, followed=False)


class _Placement:
    """Choose the RE2 text of each anchor and check each lookahead, walking the tree."""

    def __init__(self, dialect: Re2Dialect) -> None:
        self._dialect = dialect

    def visit(self, node: Node, around: _Surroundings) -> None:
        if isinstance(node, AnchorNode):
            self._place_anchor(node, around)
        elif isinstance(node, RepeatNode):
            self._visit_repeat(node, around)
        elif isinstance(node, GroupNode):
            self._visit_group(node, around)

    def _visit_group(self, node: GroupNode, around: _Surroundings) -> None:
        if node.kind == "lookahead":
            self._check_consuming_lookahead(node, around)
        if node.kind == "named":
            around = replace(around, in_named_group=True)
        for branch in node.branches:
            self._visit_sequence(branch, around)

    def _visit_sequence(self, nodes: list[Node], around: _Surroundings) -> None:
        shapes = [_shape(node) for node in nodes]
        for index, node in enumerate(nodes):
            earlier, later = shapes[:index], shapes[index + 1 :]
            inner = replace(
                around,
                before=_left_edge(around.before, earlier),
                after=_right_edge(around.after, later),
                preceded=around.preceded or any(shape.has_content for shape in earlier),
                followed=around.followed or any(shape.has_content for shape in later),
            )
            self.visit(node, inner)

    def _visit_repeat(self, node: RepeatNode, around: _Surroundings) -> None:
        if node.maximum is not None and node.maximum <= 1:
            self.visit(node.child, around)
            return
        # A later iteration follows an earlier one, so the child's own first and last
        # characters can also lie next to it.
        child = _shape(node.child)
        before_extendable = around.before.extendable and child.last_extendable
        inner = replace(
            around,
            before=_Edge(around.before.kinds | child.last, around.before.open, before_extendable),
            after=_Edge(around.after.kinds | child.first, around.after.open),
            preceded=around.preceded or child.has_content,
            followed=around.followed or child.has_content,
        )
        self.visit(node.child, inner)

    def _check_consuming_lookahead(self, node: GroupNode, around: _Surroundings) -> None:
        if around.followed:
            reason = (
                "RE2 has no lookahead. A lookahead is translated only where nothing follows "
                "it, as a group that consumes the text it tests"
            )
            raise self._dialect.unsupported("(?=", node.source, reason)
        self._consumes(around)

    def _consumes(self, around: _Surroundings) -> None:
        """Record a consuming form, which a named group around it would also contain."""
        self._dialect.span_exact = False
        if around.in_named_group:
            self._dialect.inexact_groups()

    def _place_anchor(self, node: AnchorNode, around: _Surroundings) -> None:
        if node.kind in ("\\A", "\\z") or (node.kind == "^" and not node.multiline):
            return
        if node.kind == "^":
            text = self._line_start(node, around)
        elif node.kind == "$" and node.multiline:
            text = self._line_end(node, around)
        elif node.kind in ("$", "\\Z"):
            text = self._end_before_final_terminator(node, around)
        else:
            text = self._word_boundary(node, around)
        if text not in ("", _NEVER):
            self._consumes(around)
        node.piece.text = text

    def _end_before_final_terminator(self, node: AnchorNode, around: _Surroundings) -> str:
        self._check_at_end(node, around)
        if around.before.kinds.carriage_return and not around.before.extendable:
            reason = (
                "the text before it may end with a carriage return. Consuming a final line "
                "feed there would match where LogScale does not, because LogScale treats "
                "CR LF as one line terminator"
            )
            raise self._unsupported(node, reason)
        return _END_BEFORE_FINAL_TERMINATOR

    def _line_end(self, node: AnchorNode, around: _Surroundings) -> str:
        self._check_at_end(node, around)
        if around.before.kinds.carriage_return:
            reason = (
                "the text before it may end with a carriage return, and LogScale finds no "
                "line end between CR and LF"
            )
            raise self._unsupported(node, reason)
        return _LINE_END

    def _line_start(self, node: AnchorNode, around: _Surroundings) -> str:
        if around.preceded:
            reason = (
                "RE2 has no lookbehind, so multi-line '^' is translated only at the start "
                "of the pattern, where it can consume the line terminator before it"
            )
            raise self._unsupported(node, reason)
        if around.after.open or around.after.kinds.line_feed:
            reason = (
                "the text after it may be empty or start with a line feed, where LogScale "
                "finds no line start"
            )
            raise self._unsupported(node, reason)
        return _LINE_START

    def _word_boundary(self, node: AnchorNode, around: _Surroundings) -> str:
        """Return the form of ``\\b`` or ``\\B`` from what the pattern shows on each side.

        ``\\b`` is true where exactly one neighbour is a word character, and ``\\B`` where
        both or neither are. The text before the match start and after its end counts as
        non-word.
        """
        boundary = node.kind == "\\b"
        before = _word_side(around.before)
        after = _word_side(around.after)
        if before is not None and after is not None:
            return "" if (before != after) == boundary else _NEVER
        if before is not None and not around.followed:
            return _WORD if before != boundary else rf"(?:{_NON_WORD}|\z)"
        if after is not None and not around.preceded:
            return _WORD if after != boundary else rf"(?:\A|{_NON_WORD})"
        if boundary and not around.preceded and not around.followed:
            # Some position is a boundary exactly when the value contains a word character.
            return _WORD
        raise self._word_boundary_error(node)

    def _word_boundary_error(self, node: AnchorNode) -> UnsupportedFeatureError:
        reason = (
            "RE2's \\b and \\B are ASCII-only and RE2 has no lookaround. Here the pattern "
            "does not show whether the characters on both sides are word characters, and "
            "the unknown side is not at the start or end of the pattern"
        )
        return self._unsupported(node, reason)

    def _check_at_end(self, node: AnchorNode, around: _Surroundings) -> None:
        if around.followed:
            reason = (
                "RE2 has no lookahead, so the anchor is translated only where nothing "
                "follows it, by consuming the line terminator"
            )
            raise self._unsupported(node, reason)

    def _unsupported(self, node: AnchorNode, reason: str) -> UnsupportedFeatureError:
        return self._dialect.unsupported(node.kind, node.piece.source, reason)


def _word_side(edge: _Edge) -> bool | None:
    """Return True for a word character, False for a non-word one, None when unknown."""
    if edge.open:
        return None
    if edge.kinds.word and not edge.kinds.non_word:
        return True
    if edge.kinds.non_word and not edge.kinds.word:
        return False
    return None
