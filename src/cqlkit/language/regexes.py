"""LogScale regexes, translated to and run with the ``regex`` package.

LogScale's default engine is JitRex, a Java-like backtracking engine
(https://github.com/humio/jitrex). :func:`translate` rewrites a LogScale pattern into an
equivalent ``regex`` pattern in V0 mode, and :class:`LogScaleRegex` runs it with a time
limit per call. The translation follows LogScale's documented behaviour:

- Named groups ``(?<name>...)`` become ``g0``, ``g1``, ... because LogScale names may
  contain ``@``, ``#``, ``.``, ``[`` and ``]``. A repeated name is allowed, because
  JitRex does not check for one, and the field takes the value of the last group with
  that name that took part in the match. Java rejects repeated names.
- Inline ``(?flags)`` apply up to the end of the current alternative, and ``(?s)`` is
  LogScale's flag ``d``.
- ``\\d``, ``\\w`` and ``\\s`` are ASCII, and ``\\W`` is ``[^a-zA-Z]``. ``\\b`` treats
  any Unicode letter or digit, or ``_``, as a word character.
- ``.``, ``^`` and ``$`` use Java's line terminators (LF, CR, CR LF, U+0085, U+2028,
  U+2029), not just LF. ``\\z`` is the absolute end, and ``\\Z`` also matches before a
  final line terminator.
- Case-insensitive matching uses Unicode simple case folding.
- A ``{`` with no ``}`` after it is a literal, as in JitRex. Any other ``{...}`` that is
  not ``{n}``, ``{n,}`` or ``{n,m}`` is an error, as in JitRex and Java.
- Constructs that LogScale lists as unsupported are rejected with
  :class:`~cqlkit.errors.RegexTranslationError`: lookbehind, possessive quantifiers,
  ``(?P<``, ``\\k<``, ``\\p{``, class union and intersection, POSIX classes, ``\\h``,
  ``\\v``, ``\\R``, ``\\X``, ``\\G``, ``\\e``, ``\\C``, ``\\N{``, ``\\u{`` and ``\\b{``.
  So are unknown escaped letters, which Java also rejects.
"""

from __future__ import annotations

import functools
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import regex

from cqlkit.errors import ExecutionError, RegexTranslationError
from cqlkit.language.regex_translator import InlineFlags, PatternTranslator, Translation

MATCH_TIMEOUT_SECONDS: float = 1.0
"""Time limit in seconds for one search() or finditer() call, so that a pattern with
catastrophic backtracking cannot stall a query. A fixed bound, not a measured figure."""

_FLAG_LETTERS = frozenset("idmgF")


@dataclass(frozen=True)
class LogScaleRegex:
    """A LogScale regex with its translation for the ``regex`` package.

    The constructor compiles ``python_pattern``. Use :func:`translate` to build one from
    LogScale pattern text.
    """

    pattern: str
    """The LogScale pattern text as written, without slashes."""
    flags: str
    """The LogScale flag letters as given, for example ``"im"``."""
    python_pattern: str
    python_flags: int
    group_fields: tuple[tuple[str, str], ...]
    """(Python group name, LogScale field name) for each named group, in pattern order."""
    plain_groups: tuple[int, ...] = ()
    """The Python group number of each plain ``( )`` group, which ``$1``, ``$2`` ... name."""
    optional_groups: frozenset[str] = frozenset()
    """The Python names of named groups that a successful match may leave unset: groups in
    an alternative, under a quantifier with minimum 0, or in a negative lookahead."""
    _compiled: Any = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        compiled = regex.compile(self.python_pattern, self.python_flags)
        object.__setattr__(self, "_compiled", compiled)

    @property
    def global_flag(self) -> bool:
        """Whether the flag ``g`` (repeat the match within one value) was given."""
        return "g" in self.flags

    def search(self, value: str, pos: int = 0) -> regex.Match[str] | None:
        """Return the first match in ``value`` at or after ``pos``, or None.

        Raises ExecutionError when the search exceeds MATCH_TIMEOUT_SECONDS.
        """
        return self._search(value, pos, MATCH_TIMEOUT_SECONDS)

    def finditer(self, value: str) -> Iterator[regex.Match[str]]:
        """Yield successive matches in ``value`` as JitRex finds them for the flag ``g``.

        After an empty match, or a match that ends at the end of ``value``, the next
        search starts one character later, so ``a*`` on ``"aa"`` yields only ``"aa"``.
        Raises ExecutionError when all searches together exceed MATCH_TIMEOUT_SECONDS.
        """
        deadline = time.monotonic() + MATCH_TIMEOUT_SECONDS
        position = 0
        while position <= len(value):
            match = self._search(value, position, deadline - time.monotonic())
            if match is None:
                return
            yield match
            start, end = match.span()
            position = end if start < end < len(value) else end + 1

    def fields(self, match: regex.Match[str]) -> dict[str, str]:
        """Return the field values of the named groups that took part in ``match``."""
        values: dict[str, str] = {}
        for python_name, field_name in self.group_fields:
            if match.start(python_name) != -1:
                values[field_name] = match.group(python_name)
        return values

    def sub(self, replacement: str, value: str) -> str:
        """Replace every match in ``value``, as LogScale's replace() does.

        In ``replacement``, ``$n`` is the text of the n-th plain ``( )`` group (empty
        when the group took no part in the match) and a backslash makes the next
        character literal. Raises ExecutionError when the time limit is exceeded.
        """
        template = _parse_replacement(replacement)

        def expand(match: regex.Match[str]) -> str:
            parts = []
            for literal, group in template:
                if group is None:
                    parts.append(literal)
                elif group <= len(self.plain_groups):
                    parts.append(match.group(self.plain_groups[group - 1]) or "")
            return "".join(parts)

        try:
            result: str = self._compiled.sub(expand, value, timeout=MATCH_TIMEOUT_SECONDS)
        except TimeoutError as error:
            raise self._timeout_error() from error
        return result

    def _search(self, value: str, pos: int, timeout: float) -> regex.Match[str] | None:
        if timeout <= 0:
            raise self._timeout_error()
        try:
            return self._compiled.search(value, pos, timeout=timeout)
        except TimeoutError as error:
            raise self._timeout_error() from error

    def _timeout_error(self) -> ExecutionError:
        return ExecutionError(
            f"regex /{self.pattern}/ took longer than {MATCH_TIMEOUT_SECONDS:g} s to match, "
            "probably because of catastrophic backtracking",
            hint="simplify the regex, for example by removing nested quantifiers such as (a+)+",
        )


@functools.lru_cache(maxsize=1024)
def translate(pattern: str, flags: str = "") -> LogScaleRegex:
    """Translate a LogScale regex and its flag letters into a compiled LogScaleRegex.

    ``flags`` contains LogScale flag letters: ``i`` (ignore case), ``d`` (``.`` matches
    line terminators), ``m`` (multi-line ``^`` and ``$``), ``g`` (repeat the match, only
    recorded here) and ``F`` (engine V2, accepted and ignored). No flag is on by default.

    Raises RegexTranslationError for a construct that LogScale rejects or that has no
    translation, and for an unknown flag letter. For a flag, ``position`` is the offset
    of the letter in ``/pattern/flags``.

    >>> user = translate("(?<user.name>[a-z]+)@", "i")
    >>> user.fields(user.search("Bob@example.com"))
    {'user.name': 'Bob'}
    """
    initial_flags = parse_flags(pattern, flags)
    translation = PatternTranslator(pattern, initial_flags).translate()
    # NOTE: JitRex lowercases an input character below U+0100 only if it is an ASCII
    # letter (JavaClassRegexStub.lowerCaseCharAt), so Latin-1 letters such as "\u00c9" may
    # match differently there. Python's IGNORECASE folds every character.
    # regex 2026.11.19 and older applied case folding past the end of a scoped group, so
    # (?i:b)?[^A-Za-z] rejected U+0130; pyproject.toml requires a release that fixed it.
    python_flags = regex.V0 | (regex.IGNORECASE if initial_flags.ignore_case else 0)
    _check_compiles(pattern, translation, python_flags)
    return LogScaleRegex(
        pattern=pattern,
        flags=flags,
        python_pattern=translation.pattern,
        python_flags=python_flags,
        group_fields=translation.group_fields,
        plain_groups=translation.plain_groups,
        optional_groups=translation.optional_groups,
    )


def _parse_replacement(text: str) -> list[tuple[str, int | None]]:
    """Split a Java replacement into literal pieces and ``$n`` group numbers."""
    pieces: list[tuple[str, int | None]] = []
    index = 0
    while index < len(text):
        char = text[index]
        if char == "\\" and index + 1 < len(text):
            pieces.append((text[index + 1], None))
            index += 2
        elif char == "$" and text[index + 1 : index + 2].isdigit():
            end = index + 1
            while end < len(text) and text[end].isdigit():
                end += 1
            pieces.append(("", int(text[index + 1 : end])))
            index = end
        else:
            pieces.append((char, None))
            index += 1
    return pieces


def parse_flags(pattern: str, flags: str) -> InlineFlags:
    """Return the matching flags that LogScale flag letters turn on at the pattern start.

    Raises RegexTranslationError for an unknown letter.
    """
    for index, letter in enumerate(flags):
        if letter not in _FLAG_LETTERS:
            reason = "unknown regex flag. LogScale accepts d, F, g, i and m"
            raise RegexTranslationError(letter, pattern, len(pattern) + 2 + index, reason)
    return InlineFlags(ignore_case="i" in flags, multiline="m" in flags, dotall="d" in flags)


def _check_compiles(pattern: str, translation: Translation, python_flags: int) -> None:
    """Compile the translation once, reporting a failure at its LogScale offset."""
    try:
        regex.compile(translation.pattern, python_flags)
    except regex.error as error:
        python_offset = error.pos if error.pos is not None else 0
        position = translation.source_offset(python_offset)
        raise RegexTranslationError(
            pattern[position : position + 1] or pattern,
            pattern,
            position,
            f"the translated pattern does not compile: {error.msg}",
        ) from error
