"""Literal text and event types that every event matched by a plan must contain.

A reader can skip raw input that cannot contain a required literal before parsing it.
Each result here is a necessary condition: an event without any alternative of a
:class:`LiteralRequirement` cannot match the plan. No result is required to be
sufficient.

Only the stages that see events as they were read are examined: the plan's leading
``Filter`` stages, up to the first stage that may change fields (``Assign``, ``Apply``,
``ExtractRegex``, ``case`` or ``match``). An ``ExtractRegex`` stage there still counts
when it drops non-matching events (``strict``, not negated), because it tests its input
field before it sets any field.

Predicates give literals as follows:

- ``f = value``: the value, case-sensitive, unless it may be a number, because ``404``
  also equals ``404.0``.
- ``f = *glob*``: the longest text between ``*`` wildcards (``\\*`` is a literal star).
- ``f = /regex/`` and ``regex()``: the best set of texts one of which every match must
  contain. See :func:`regex_requirement`.
- ``in()``: one alternative for each value, and nothing when a value gives no literal.
- ``wildcard()``: the glob's literal in each of its fields, or in free text.
- Free text (a bare word, a quoted string, ``/regex/``): as the glob or regex, with field
  None.
- ``and``: the best conjunct. ``or``: the alternatives of every part, or nothing if a part
  has none. ``not``, ``test()``, ``f = *`` and comparisons: nothing.

Texts shorter than :data:`MIN_LITERAL_LENGTH` are not used.
"""

from __future__ import annotations

import functools
import math
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

from cqlkit.errors import RegexTranslationError
from cqlkit.language.regex_syntax import PREDEFINED_CLASSES, read_character_escape, read_class
from cqlkit.language.regex_translator import InlineFlags
from cqlkit.language.regexes import LogScaleRegex
from cqlkit.plan import nodes
from cqlkit.plan.subqueries import needs_whole_input

MIN_LITERAL_LENGTH = 3
"""Shorter texts occur in too many events to be worth a search."""

_MAX_TEXT_SET = 64
"""Limit on the size of a set of alternative texts built while reading a regex, so that
patterns such as ``(a|b)(c|d)(e|f)...`` cannot make the sets grow exponentially."""

_MAX_TEXT_LENGTH = 256
"""Limit on the length of one text built while reading a regex, so that ``a{1000}``
stays cheap."""

FieldCheck = Callable[[str | None], bool]
"""Tells whether a literal on a field (None: free text) can be searched in raw input."""


@dataclass(frozen=True)
class Literal:
    """Text that an event must contain in a field's value, or in any free-text value when
    ``field`` is None. With ``ignore_case``, case-insensitive matching found it."""

    text: str
    ignore_case: bool
    field: str | None


@dataclass(frozen=True)
class LiteralRequirement:
    """A set of literals of which every matching event contains at least one."""

    alternatives: tuple[Literal, ...]


def required_literals(
    plan: nodes.Plan, *, searchable: FieldCheck | None = None
) -> LiteralRequirement | None:
    """Return the literals one of which every event that ``plan`` matches must contain.

    Returns None when no literal is required. ``searchable`` rejects literals on fields
    whose values the reader does not copy from the raw input, such as fields it computes
    (FDR ``@timestamp``) or joins in (aid master ``ComputerName``). Free-text literals are
    passed to it with field None, because free text also searches such fields.

    >>> from cqlkit.plan.planner import plan_query
    >>> required_literals(plan_query("ImageFileName = *cmd.exe* | count()")).alternatives
    (Literal(text='cmd.exe', ignore_case=False, field='ImageFileName'),)
    """
    accept = searchable if searchable is not None else _any_field
    candidates = [
        requirement
        for predicate in input_predicates(plan)
        if (requirement := _requirement(predicate, accept)) is not None
    ]
    return _best(candidates)


def required_event_types(plan: nodes.Plan, tag: str = "#event_simpleName") -> frozenset[str] | None:
    """Return the values that field ``tag`` must have for ``plan`` to match, or None for any.

    The values come from ``tag = value``, ``in(tag, values=[...])``, and regexes anchored
    at both ends whose every match is a known text, such as
    ``/^(ProcessRollup2|SyntheticProcessRollup2)$/``.

    NOTE: ``$`` also matches before one final line terminator, so a value such as
    ``"ProcessRollup2\\n"`` matches that regex but is not in the returned set.

    >>> from cqlkit.plan.planner import plan_query
    >>> sorted(required_event_types(plan_query("#event_simpleName = /^(A|B)$/")))
    ['A', 'B']
    """
    allowed: frozenset[str] | None = None
    for predicate in input_predicates(plan):
        values = _tag_values(predicate, tag)
        if values is not None:
            allowed = values if allowed is None else allowed & values
    return allowed


def input_predicates(plan: nodes.Plan) -> Iterator[nodes.Predicate]:
    """Yield the predicates of ``plan`` that test events as they were read.

    A strict, non-negated ``ExtractRegex`` is yielded as the regex test it performs.
    A plan with a join() or defineTable() has none: their sub-queries read every event.
    """
    if needs_whole_input(plan):
        return
    for stage in plan.stages:
        if isinstance(stage, nodes.Filter):
            yield stage.predicate
            continue
        if isinstance(stage, nodes.ExtractRegex) and stage.strict and not stage.negated:
            if stage.field is None:
                yield nodes.FreeText(stage.span, None, stage.regex)
            else:
                yield nodes.RegexMatch(stage.span, stage.field, stage.regex)
        return


# --- literals of predicates -------------------------------------------------------


def _any_field(field: str | None) -> bool:
    return True


def _requirement(predicate: nodes.Predicate, accept: FieldCheck) -> LiteralRequirement | None:
    if isinstance(predicate, nodes.AllOf):
        return _best(
            requirement
            for part in predicate.parts
            if (requirement := _requirement(part, accept)) is not None
        )
    if isinstance(predicate, nodes.AnyOf):
        return _union(_requirement(part, accept) for part in predicate.parts)
    if isinstance(predicate, nodes.Equals):
        return _equals_requirement(predicate.field, predicate.value, accept)
    if isinstance(predicate, nodes.GlobMatch):
        return _glob_requirement(predicate.pattern, predicate.ignore_case, predicate.field, accept)
    if isinstance(predicate, nodes.RegexMatch):
        return _regex_literals(predicate.regex, predicate.field, accept)
    if isinstance(predicate, nodes.FreeText):
        if predicate.regex is not None:
            return _regex_literals(predicate.regex, None, accept)
        return _glob_requirement(predicate.pattern or "*", False, None, accept)
    if isinstance(predicate, nodes.CallPredicate) and not predicate.call.negated:
        return _call_requirement(predicate.call, accept)
    # Negation, Exists, NumericCompare, Everything and test() require no text.
    return None


def _call_requirement(call: nodes.BoundCall, accept: FieldCheck) -> LiteralRequirement | None:
    if call.name == "in":
        return _in_requirement(call, accept)
    if call.name == "wildcard":
        return _wildcard_requirement(call, accept)
    if call.name == "regex":
        regex = call.get("regex")
        if isinstance(regex, LogScaleRegex):
            return _regex_literals(regex, str(call.get("field")), accept)
    return None


def _in_requirement(call: nodes.BoundCall, accept: FieldCheck) -> LiteralRequirement | None:
    """Return one alternative per value of ``in()``, which tests each value as ``f = v``,
    or as a glob when the value has ``*`` or ``ignoreCase`` is set."""
    field = str(call.get("field"))
    ignore_case = bool(call.get("ignoreCase"))
    values = call.get("values")
    if not isinstance(values, tuple) or not values:
        return None
    parts = []
    for value in values:
        text = str(value)
        if "*" in text or ignore_case:
            parts.append(_glob_requirement(text, ignore_case, field, accept))
        else:
            parts.append(_equals_requirement(field, text, accept))
    return _union(parts)


def _wildcard_requirement(call: nodes.BoundCall, accept: FieldCheck) -> LiteralRequirement | None:
    pattern = str(call.get("pattern"))
    ignore_case = bool(call.get("ignoreCase"))
    fields = call.get("field")
    if not fields:
        # Without fields, wildcard() searches free text for *pattern*.
        return _glob_requirement(pattern, ignore_case, None, accept)
    if not isinstance(fields, tuple):
        return None
    return _union(_glob_requirement(pattern, ignore_case, str(field), accept) for field in fields)


def _equals_requirement(field: str, value: str, accept: FieldCheck) -> LiteralRequirement | None:
    if may_be_number(value):
        return None
    return _single(Literal(value, False, field), accept)


def _glob_requirement(
    pattern: str, ignore_case: bool, field: str | None, accept: FieldCheck
) -> LiteralRequirement | None:
    pieces = glob_pieces(pattern)
    longest = max(pieces, key=len)
    return _single(Literal(longest, ignore_case, field), accept)


def _regex_literals(
    regex: LogScaleRegex, field: str | None, accept: FieldCheck
) -> LiteralRequirement | None:
    texts = regex_requirement(regex)
    if texts is None or not accept(field):
        return None
    ordered = sorted(texts)
    return _valid(LiteralRequirement(tuple(Literal(text, case, field) for text, case in ordered)))


def _single(literal: Literal, accept: FieldCheck) -> LiteralRequirement | None:
    if not accept(literal.field):
        return None
    return _valid(LiteralRequirement((literal,)))


def _valid(requirement: LiteralRequirement) -> LiteralRequirement | None:
    """Return ``requirement`` unless an alternative is too short to search for."""
    if all(len(literal.text) >= MIN_LITERAL_LENGTH for literal in requirement.alternatives):
        return requirement
    return None


def _union(parts: Iterable[LiteralRequirement | None]) -> LiteralRequirement | None:
    """Join the alternatives of predicates of which one must hold, or return None when
    one of them has none."""
    alternatives: dict[Literal, None] = {}
    for part in parts:
        if part is None:
            return None
        alternatives.update(dict.fromkeys(part.alternatives))
    if not alternatives:
        return None
    return LiteralRequirement(tuple(alternatives))


def _best(candidates: Iterable[LiteralRequirement]) -> LiteralRequirement | None:
    """Return the candidate that should skip the most input, the first on a tie."""
    return max(candidates, key=_selectivity, default=None)


def _selectivity(requirement: LiteralRequirement) -> tuple[bool, float, int, int]:
    """Rank a requirement: higher should skip more input.

    Tag fields such as ``#event_simpleName`` take few distinct values, each shared by
    many events, so a literal on a tag ranks below any other.
    """
    alternatives = requirement.alternatives
    on_tags = any(_is_tag(literal.field) for literal in alternatives)
    lengths = [len(literal.text) for literal in alternatives]
    case_insensitive = sum(literal.ignore_case for literal in alternatives)
    return (not on_tags, *_text_rank(lengths, case_insensitive))


def _text_rank(lengths: list[int], case_insensitive: int) -> tuple[float, int, int]:
    """Rank alternatives of the given lengths: higher should skip more input.

    A heuristic, not a measured model: the shortest alternative counts up to 10
    characters, and each doubling of the number of alternatives costs one character,
    because every alternative adds matches and search work. Ties go to fewer
    alternatives, then to fewer case-insensitive ones.
    """
    score = min(min(lengths), 10) - math.log2(len(lengths))
    return (score, -len(lengths), -case_insensitive)


def _is_tag(field: str | None) -> bool:
    return field is not None and field.startswith("#")


def glob_pieces(pattern: str) -> list[str]:
    """Split a LogScale glob at its ``*`` wildcards. ``\\*`` is a literal star.

    >>> glob_pieces(r"*\\cmstp.exe*a\\*b")
    ['', '\\\\cmstp.exe', 'a*b']
    """
    pieces = [""]
    index = 0
    while index < len(pattern):
        if pattern.startswith("\\*", index):
            pieces[-1] += "*"
            index += 2
        elif pattern[index] == "*":
            pieces.append("")
            index += 1
        else:
            pieces[-1] += pattern[index]
            index += 1
    return pieces


_NUMBER_CHARACTERS = re.compile(r"[0-9.eE+\-\s]*[0-9][0-9.eE+\-\s]*")


def may_be_number(text: str) -> bool:
    """Return whether ``text`` might read as a number, in which case ``f = text`` also
    matches other spellings of it (``404`` equals ``404.0`` and ``4.04e2``).

    This is a superset of the decimal number syntax the engines accept.
    """
    return _NUMBER_CHARACTERS.fullmatch(text) is not None


# --- event types ------------------------------------------------------------------


def _tag_values(predicate: nodes.Predicate, tag: str) -> frozenset[str] | None:
    if isinstance(predicate, nodes.AllOf):
        allowed: frozenset[str] | None = None
        for part in predicate.parts:
            values = _tag_values(part, tag)
            if values is not None:
                allowed = values if allowed is None else allowed & values
        return allowed
    if isinstance(predicate, nodes.AnyOf):
        union: set[str] = set()
        for part in predicate.parts:
            values = _tag_values(part, tag)
            if values is None:
                return None
            union |= values
        return frozenset(union)
    if isinstance(predicate, nodes.Equals) and predicate.field == tag:
        return None if may_be_number(predicate.value) else frozenset([predicate.value])
    if isinstance(predicate, nodes.GlobMatch) and predicate.field == tag:
        pieces = glob_pieces(predicate.pattern)
        return frozenset(pieces) if len(pieces) == 1 and not predicate.ignore_case else None
    if isinstance(predicate, nodes.RegexMatch) and predicate.field == tag:
        return regex_whole_values(predicate.regex)
    if isinstance(predicate, nodes.CallPredicate) and not predicate.call.negated:
        return _call_tag_values(predicate.call, tag)
    return None


def _call_tag_values(call: nodes.BoundCall, tag: str) -> frozenset[str] | None:
    if str(call.get("field")) != tag:
        return None
    if call.name == "regex":
        regex = call.get("regex")
        return regex_whole_values(regex) if isinstance(regex, LogScaleRegex) else None
    if call.name != "in" or call.get("ignoreCase"):
        return None
    values = call.get("values")
    if not isinstance(values, tuple):
        return None
    texts = [str(value) for value in values]
    if any("*" in text or may_be_number(text) for text in texts):
        return None
    return frozenset(texts)


# --- regexes ----------------------------------------------------------------------

Text = tuple[str, bool]
"""A text and whether case-insensitive matching applies to any character of it."""

TextSet = frozenset[Text]

_EMPTY_TEXTS: TextSet = frozenset([("", False)])


def regex_requirement(regex: LogScaleRegex) -> TextSet | None:
    """Return texts one of which every match of ``regex`` contains, or None.

    Each text is at least :data:`MIN_LITERAL_LENGTH` characters. Parts of the pattern
    inside an alternation contribute one text per branch, and optional or repeated parts
    only their known prefixes and suffixes. A text is case-insensitive when any of its
    characters was read under the ``i`` flag.

    >>> from cqlkit.language.regexes import translate
    >>> sorted(regex_requirement(translate(r"(?i)\\\\(cmd|pwsh)\\.exe")))
    [('\\\\cmd.exe', True), ('\\\\pwsh.exe', True)]
    """
    return _regex_facts(regex.pattern, regex.flags).required


def regex_whole_values(regex: LogScaleRegex) -> frozenset[str] | None:
    """Return every value that ``regex`` matches in full, or None when they are not a
    small known set of case-sensitive texts. Only ``^...$`` patterns without the ``m``
    flag qualify."""
    whole = _regex_facts(regex.pattern, regex.flags).whole
    if whole is None or any(ignore_case for _, ignore_case in whole):
        return None
    return frozenset(text for text, _ in whole)


@dataclass(frozen=True)
class _Facts:
    """Known facts about the text that a part of a regex matches.

    ``exact`` is every text the part can match. When it is None, ``prefix`` and ``suffix``
    are texts that every match starts or ends with. ``required`` is a set of texts, each
    long enough to search, one of which every match contains. ``whole`` is set on a
    sequence anchored at both ends of the value, to its ``exact``.
    """

    exact: TextSet | None
    prefix: TextSet | None = None
    suffix: TextSet | None = None
    required: TextSet | None = None
    whole: TextSet | None = None
    anchor: str | None = None
    """``"start"`` or ``"end"`` for an anchor at the start or end of the value."""


_UNKNOWN = _Facts(exact=None)
_ZERO_WIDTH = _Facts(exact=_EMPTY_TEXTS)


class _NotAnalysed(Exception):
    """The pattern has a construct this module does not read."""


@functools.lru_cache(maxsize=1024)
def _regex_facts(pattern: str, flags: str) -> _Facts:
    initial = InlineFlags(ignore_case="i" in flags, multiline="m" in flags, dotall="d" in flags)
    try:
        return _RegexReader(pattern).read(initial)
    except (_NotAnalysed, RegexTranslationError, IndexError, ValueError):
        return _UNKNOWN


class _RegexReader:
    """A recursive-descent reader of one LogScale pattern that computes its :class:`_Facts`.

    Inline flags follow LogScale: ``(?i)`` applies to the end of the current alternative.
    """

    def __init__(self, pattern: str) -> None:
        self._pattern = pattern
        self._position = 0

    def read(self, flags: InlineFlags) -> _Facts:
        facts = self._alternation(flags)
        if self._position != len(self._pattern):
            raise _NotAnalysed(self._position)
        return facts

    def _peek(self) -> str:
        return self._pattern[self._position : self._position + 1]

    def _alternation(self, flags: InlineFlags) -> _Facts:
        branches = [self._sequence(flags)]
        while self._peek() == "|":
            self._position += 1
            branches.append(self._sequence(flags))
        return _branch_facts(branches) if len(branches) > 1 else branches[0]

    def _sequence(self, flags: InlineFlags) -> _Facts:
        parts: list[_Facts] = []
        while self._peek() not in ("", "|", ")"):
            changed = self._inline_flags(flags)
            if changed is not None:
                flags = changed
                continue
            if self._pattern.startswith("\\Q", self._position):
                quoted = self._quote()
                if not quoted:
                    continue
                # A quantifier after \Q...\E repeats only the last quoted character.
                parts.extend(_character(char, flags) for char in quoted[:-1])
                atom = _character(quoted[-1], flags)
            else:
                atom = self._atom(flags)
            parts.append(self._quantified(atom))
        return _sequence_facts(parts)

    def _inline_flags(self, flags: InlineFlags) -> InlineFlags | None:
        """Read ``(?flags)`` and return the new flags, or None at anything else."""
        match = re.compile(r"\(\?([ism-]*)\)").match(self._pattern, self._position)
        if match is None:
            return None
        self._position = match.end()
        return flags.apply(match.group(1))

    def _atom(self, flags: InlineFlags) -> _Facts:
        char = self._pattern[self._position]
        if char == "(":
            return self._group(flags)
        if char == "[":
            return self._character_class(flags)
        if char == "\\":
            return self._escape(flags)
        if char == ".":
            self._position += 1
            return _UNKNOWN
        if char in "^$":
            self._position += 1
            if flags.multiline:
                return _ZERO_WIDTH
            return _Facts(exact=_EMPTY_TEXTS, anchor="start" if char == "^" else "end")
        if char in "*+?" or (char == "{" and self._pattern.find("}", self._position) != -1):
            raise _NotAnalysed(self._position)
        self._position += 1
        return _character(char, flags)

    def _group(self, flags: InlineFlags) -> _Facts:
        match = re.compile(r"\(\?([ism-]*):|\(\?<([=!]?)|\(\?([:=!])|\(").match(
            self._pattern, self._position
        )
        assert match is not None  # the last branch matches any "("
        scoped_letters, behind, kind = match.group(1), match.group(2), match.group(3)
        if behind:
            raise _NotAnalysed(self._position)
        if match.group(0) == "(?<":
            # A named group: skip the name up to ">".
            name_end = self._pattern.index(">", match.end())
            self._position = name_end + 1
        else:
            self._position = match.end()
        inner_flags = flags.apply(scoped_letters) if scoped_letters is not None else flags
        inner = self._alternation(inner_flags)
        if self._peek() != ")":
            raise _NotAnalysed(self._position)
        self._position += 1
        if kind in ("=", "!"):
            # A lookahead matches no characters of its own.
            return _ZERO_WIDTH
        return _Facts(
            exact=inner.exact, prefix=inner.prefix, suffix=inner.suffix, required=inner.required
        )

    def _character_class(self, flags: InlineFlags) -> _Facts:
        """Read ``[...]`` as a character when it matches one, as in ``[.]``, or one letter
        in either case, as in ``[cC]``."""
        chars, self._position = read_class(self._pattern, self._position)
        if chars.negated:
            return _UNKNOWN
        ranges = chars.matched_ranges()
        if sum(high - low + 1 for low, high in ranges) > 2:
            return _UNKNOWN
        members = "".join(chr(code) for low, high in ranges for code in range(low, high + 1))
        if len(members) == 1:
            return _character(members, flags)
        if members.isascii() and members.isalpha() and members[0].swapcase() == members[1]:
            return _character(members[1], InlineFlags(ignore_case=True))
        return _UNKNOWN

    def _escape(self, flags: InlineFlags) -> _Facts:
        start = self._position
        letter = self._pattern[start + 1]
        if letter in PREDEFINED_CLASSES or letter in "123456789":
            self._position = start + 2
            while letter in "123456789" and self._peek().isdigit():
                self._position += 1
            return _UNKNOWN
        if letter in "AzZbB":
            self._position = start + 2
            if letter == "A":
                return _Facts(exact=_EMPTY_TEXTS, anchor="start")
            if letter in "zZ":
                return _Facts(exact=_EMPTY_TEXTS, anchor="end")
            return _ZERO_WIDTH
        escaped = read_character_escape(self._pattern, start)
        if escaped is None:
            raise _NotAnalysed(start)
        char, self._position = escaped
        return _character(char, flags)

    def _quote(self) -> str:
        """Read ``\\Q...\\E`` and return the quoted text. Without ``\\E`` it runs to the end."""
        body_start = self._position + 2
        close = self._pattern.find("\\E", body_start)
        body_end = len(self._pattern) if close == -1 else close
        self._position = body_end if close == -1 else close + 2
        return self._pattern[body_start:body_end]

    def _quantified(self, atom: _Facts) -> _Facts:
        while True:
            bounds = self._quantifier()
            if bounds is None:
                return atom
            atom = _repeat_facts(atom, *bounds)

    def _quantifier(self) -> tuple[int, int | None] | None:
        """Read a quantifier and its lazy ``?``, and return (minimum, maximum or None)."""
        char = self._peek()
        bounds: tuple[int, int | None]
        if char == "*":
            bounds, end = (0, None), self._position + 1
        elif char == "+":
            bounds, end = (1, None), self._position + 1
        elif char == "?":
            bounds, end = (0, 1), self._position + 1
        elif char == "{":
            match = re.compile(r"\{(\d+)(,?)(\d*)\}").match(self._pattern, self._position)
            if match is None:
                return None
            low = int(match.group(1))
            high: int | None = low
            if match.group(3):
                high = int(match.group(3))
            elif match.group(2):
                high = None
            bounds, end = (low, high), match.end()
        else:
            return None
        self._position = end + 1 if self._pattern.startswith("?", end) else end
        return bounds


def _character(char: str, flags: InlineFlags) -> _Facts:
    return _Facts(exact=frozenset([(char, flags.ignore_case)]))


def _concat(left: TextSet, right: TextSet) -> TextSet | None:
    """Return every text of ``left`` followed by one of ``right``, or None if too many."""
    if len(left) * len(right) > _MAX_TEXT_SET:
        return None
    joined = frozenset(
        (left_text + right_text, left_case or right_case)
        for left_text, left_case in left
        for right_text, right_case in right
    )
    if any(len(text) > _MAX_TEXT_LENGTH for text, _ in joined):
        return None
    return joined


def _searchable(texts: TextSet | None) -> bool:
    return texts is not None and all(len(text) >= MIN_LITERAL_LENGTH for text, _ in texts)


def _best_texts(candidates: Iterable[TextSet | None]) -> TextSet | None:
    """Return the searchable candidate that should skip the most input."""
    usable = [_drop_implied(texts) for texts in candidates if _searchable(texts)]
    return max(usable, key=_text_set_rank, default=None)


def _drop_implied(texts: TextSet | None) -> TextSet:
    """Drop each text whose presence implies the presence of another text of the set,
    such as ``cmd.exe`` next to ``cmd``. Shorter and case-insensitive texts are kept."""
    assert texts is not None
    minimal: list[Text] = []
    for text, ignore_case in sorted(texts, key=lambda item: (len(item[0]), not item[1], item)):
        implied = (_implies(text, ignore_case, other, case) for other, case in minimal)
        if not any(implied):
            minimal.append((text, ignore_case))
    return frozenset(minimal)


def _implies(text: str, ignore_case: bool, other: str, other_case: bool) -> bool:
    """Return whether a value that contains ``text`` always contains ``other``.

    Case-insensitive matching folds one character at a time, so the part of a match of
    ``text`` that lines up with ``other`` matches ``other`` case-insensitively.
    """
    if not other_case:
        return not ignore_case and other in text
    if other in text:
        return True
    return text.isascii() and other.isascii() and other.lower() in text.lower()


def _text_set_rank(texts: TextSet) -> tuple[float, int, int]:
    lengths = [len(text) for text, _ in texts]
    return _text_rank(lengths, sum(ignore_case for _, ignore_case in texts))


def _sequence_facts(parts: list[_Facts]) -> _Facts:
    """Combine the facts of consecutive parts.

    ``run`` is the set of texts matched by the parts since the last break. It grows by
    each part with exact texts. A part without exact texts ends the run with the part's
    prefix, and the next run starts with the part's suffix. A run that would grow too
    large also breaks.
    """
    run: TextSet = _EMPTY_TEXTS
    candidates: list[TextSet | None] = []
    # Texts that every match starts with, set at the first break.
    prefix: TextSet | None = None
    for part in parts:
        if part.exact is not None:
            joined = _concat(run, part.exact)
            if joined is not None:
                run = joined
                continue
            candidates.append(run)
            prefix = run if prefix is None else prefix
            run = part.exact
            continue
        head = _concat(run, part.prefix) if part.prefix is not None else None
        closed = head if head is not None else run
        candidates.extend([closed, part.required])
        prefix = closed if prefix is None else prefix
        run = part.suffix if part.suffix is not None else _EMPTY_TEXTS
    candidates.append(run)

    exact = run if prefix is None else None
    anchored = len(parts) >= 2 and parts[0].anchor == "start" and parts[-1].anchor == "end"
    return _Facts(
        exact=exact,
        prefix=prefix,
        suffix=None if exact is not None else run,
        required=_best_texts(candidates),
        whole=exact if anchored else None,
    )


def _branch_facts(branches: list[_Facts]) -> _Facts:
    """Combine the facts of the branches of an alternation: each set is the union of the
    branches' sets, and unknown when a branch lacks it."""
    exact = _union_texts(branch.exact for branch in branches)
    whole = _union_texts(branch.whole for branch in branches)
    if exact is not None:
        return _Facts(exact=exact, required=_best_texts([exact]), whole=whole)
    required = _union_texts(
        branch.required if branch.required is not None else _exact_as_required(branch)
        for branch in branches
    )
    return _Facts(
        exact=None,
        prefix=_union_texts(_first_known(branch.exact, branch.prefix) for branch in branches),
        suffix=_union_texts(_first_known(branch.exact, branch.suffix) for branch in branches),
        required=required if _searchable(required) else None,
        whole=whole,
    )


def _union_texts(sets: Iterable[TextSet | None]) -> TextSet | None:
    combined: set[Text] = set()
    for texts in sets:
        if texts is None:
            return None
        combined |= texts
    return frozenset(combined) if len(combined) <= _MAX_TEXT_SET else None


def _first_known(first: TextSet | None, second: TextSet | None) -> TextSet | None:
    return first if first is not None else second


def _exact_as_required(facts: _Facts) -> TextSet | None:
    return facts.exact if _searchable(facts.exact) else None


def _repeat_facts(atom: _Facts, minimum: int, maximum: int | None) -> _Facts:
    """Return the facts of ``atom`` repeated from ``minimum`` to ``maximum`` times."""
    if maximum == 0:
        return _ZERO_WIDTH
    if minimum == 0:
        if maximum == 1 and atom.exact is not None:
            return _Facts(exact=atom.exact | _EMPTY_TEXTS)
        return _UNKNOWN
    if atom.exact is None:
        return _Facts(exact=None, prefix=atom.prefix, suffix=atom.suffix, required=atom.required)
    repeated: TextSet | None = atom.exact
    for _ in range(minimum - 1):
        if repeated is None:
            break
        repeated = _concat(repeated, atom.exact)
    if maximum == minimum and repeated is not None:
        return _Facts(exact=repeated, required=_best_texts([repeated]))
    return _Facts(
        exact=None,
        prefix=repeated if repeated is not None else atom.exact,
        suffix=atom.exact,
        required=_best_texts([repeated, _exact_as_required(atom)]),
    )
