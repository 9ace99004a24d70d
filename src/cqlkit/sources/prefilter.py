"""Skipping of NDJSON lines that cannot contain a required literal, before JSON parsing.

:class:`LineFilter` takes the literal requirements of one or more queries
(:mod:`cqlkit.plan.requirements`) and keeps each line that may contain one alternative of
any of them. It must be sound: it never skips a line whose event a query could match. It
follows these rules:

1. Lines are searched as raw UTF-8 bytes, and nothing is decoded. A line ends after
   ``b"\\n"``, or at the end of the chunk when the last line has no newline, and is kept or
   skipped whole.
2. A value appears JSON-escaped in the line: ``"`` as ``\\"``, ``\\`` as ``\\\\``, control
   characters as ``\\n`` or ``\\u000a``, ``/`` possibly as ``\\/``, and any character
   possibly as ``\\uXXXX``. So the filter searches the longest run of the literal that
   contains no ``"``, ``\\``, control character or surrogate. An encoder writes such a
   run unchanged, apart from ``\\u`` and ``\\/`` escapes, and the same run is in the
   decoded value, so also in ``@rawstring`` and free text. A line with a ``\\u`` escape
   is always kept. A line with a ``\\/`` escape is kept when the run contains ``/``. A
   backslash starts an escape when an even number of backslashes precede it, so
   ``\\\\users`` (an escaped backslash, then ``users``) is not a ``\\u`` escape.
3. A case-insensitive literal is compared ASCII case-insensitively, and its run stops at
   non-ASCII characters, whose case variants have other UTF-8 bytes. A line is also kept
   when it contains a non-ASCII character that case-insensitive matching can equate with
   an ASCII letter of the run, such as U+017F (long s) for ``s``
   (:data:`~cqlkit.sources.casefold_table.CASE_PARTNERS`).
4. The reader (:mod:`cqlkit.sources.jsonrecords`) parses JSON numbers with orjson and
   writes them back as text, so ``1e3`` becomes ``1000.0``, ``-0`` becomes ``0`` and a
   30-digit integer becomes ``1.2345678901234568e+29``.
   A literal made only of the characters ``0-9 . e E + -`` may come from such a number
   and not be in the line, so it keeps every line.

Callers are responsible for two conditions that the filter cannot see:

- Each literal's field must hold text copied from the line. Fields that a reader
  computes (FDR ``@timestamp``, ``#type``) or joins in (aid master ``ComputerName``) do
  not qualify. ``required_literals(plan, searchable=...)`` drops literals on them.
- The input must be NDJSON that the reader reads line by line. A skipped line that is not
  valid JSON is not counted as a rejected record. A file that starts with ``[`` is read
  as one JSON array, so its lines must not be filtered.

The ``hyperscan`` engine scans a whole chunk with one multi-pattern database. The
``python`` engine, used when ``hyperscan`` cannot be imported, runs ``bytes.find`` loops
over the whole chunk. Both keep the same lines.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Literal as TypingLiteral
from typing import Protocol

from cqlkit.plan.requirements import Literal, LiteralRequirement
from cqlkit.sources.casefold_table import CASE_PARTNERS

try:
    import hyperscan
except ImportError:  # pragma: no cover - depends on the installed packages
    HYPERSCAN_AVAILABLE = False
else:
    HYPERSCAN_AVAILABLE = True

logger = logging.getLogger(__name__)

EngineName = TypingLiteral["hyperscan", "python"]

_BACKSLASH = 0x5C

# Characters that a JSON encoder must escape or may write as a surrogate pair escape.
_NOT_SEARCHABLE = re.compile(r'["\\\x00-\x1f\ud800-\udfff]')
_NOT_SEARCHABLE_IGNORING_CASE = re.compile(r'["\\\x00-\x1f]|[^\x00-\x7f]')

# Every character of orjson's text for a JSON number: 1000.0, -1.5e-07, 1.2345678901234568e+29.
_NUMBER_TEXT = re.compile(r"[0-9.eE+\-]+")


@dataclass(frozen=True)
class SearchTexts:
    """The byte strings whose presence keeps a line."""

    exact: frozenset[bytes] = frozenset()
    """Texts compared byte for byte."""
    ascii_caseless: frozenset[bytes] = frozenset()
    """Lowercase texts compared ASCII case-insensitively."""
    escapes: frozenset[bytes] = frozenset()
    """Characters that keep a line when an unescaped backslash precedes them, as ``u``
    in ``\\u0063``."""
    keep_all: bool = False
    """Whether some literal cannot be searched, so that every line is kept."""


def search_texts(requirements: Sequence[LiteralRequirement]) -> SearchTexts:
    """Return the byte strings that keep a line for ``requirements``, following the
    rules of this module."""
    exact: set[bytes] = set()
    caseless: set[bytes] = set()
    escapes = {b"u"}
    for requirement in requirements:
        for literal in requirement.alternatives:
            run = searchable_run(literal)
            if not run or _NUMBER_TEXT.fullmatch(literal.text):
                return SearchTexts(keep_all=True)
            if "/" in run:
                escapes.add(b"/")
            if not literal.ignore_case:
                exact.add(run.encode("utf-8"))
                continue
            caseless.add(run.lower().encode("ascii"))
            for letter in set(run.lower()):
                exact.update(partner.encode("utf-8") for partner in CASE_PARTNERS.get(letter, ""))
    return SearchTexts(
        exact=frozenset(exact - caseless),
        ascii_caseless=frozenset(caseless),
        escapes=frozenset(escapes),
    )


def searchable_run(literal: Literal) -> str:
    """Return the longest run of ``literal`` that a JSON encoder writes unchanged, apart
    from ``\\u`` and ``\\/`` escapes, the first one on a tie.

    >>> searchable_run(Literal("\\\\cmstp.exe", True, "ImageFileName"))
    'cmstp.exe'
    """
    separators = _NOT_SEARCHABLE_IGNORING_CASE if literal.ignore_case else _NOT_SEARCHABLE
    return max(separators.split(literal.text), key=len)


class _Scanner(Protocol):
    def kept_lines(self, chunk: bytes) -> list[tuple[int, int]]:
        """Return the (start, end) offsets of the kept lines, in order. ``end`` is past
        the line's newline."""


class LineFilter:
    """Keeps the NDJSON lines on which any of several queries may match.

    Each requirement belongs to one query, and a line is kept when it may contain an
    alternative of any of them. ``engine`` chooses the search engine. By default it is
    ``hyperscan`` when that package imports and compiles the patterns, else ``python``.

    NOTE: a filter with the ``hyperscan`` engine uses one scratch space, so one filter
    must not scan from several threads at once.
    """

    engine: EngineName
    """The engine in use: ``"hyperscan"`` or ``"python"``."""

    def __init__(
        self, requirements: Sequence[LiteralRequirement], *, engine: EngineName | None = None
    ) -> None:
        _check_requirements(requirements)
        self.texts = search_texts(requirements)
        self.engine, self._scanner = _make_scanner(self.texts, engine)

    def keep(self, line: bytes) -> bool:
        """Return whether ``line`` may match, with or without its newline."""
        return bool(self._scanner.kept_lines(line))

    def filter_chunk(self, chunk: bytes) -> Iterator[bytes]:
        """Yield the kept lines of ``chunk``, which contains whole lines. The last line may
        lack its newline at the end of a file."""
        for start, end in self._scanner.kept_lines(chunk):
            yield chunk[start:end]


def _check_requirements(requirements: Sequence[LiteralRequirement]) -> None:
    if not requirements:
        raise ValueError(
            "LineFilter needs at least one literal requirement. Read without a filter "
            "when no query requires a literal"
        )
    for index, requirement in enumerate(requirements):
        if not isinstance(requirement, LiteralRequirement) or not requirement.alternatives:
            raise ValueError(
                f"requirement {index} is {requirement!r}, expected a LiteralRequirement with "
                "at least one alternative. Read without a filter when a query requires "
                "no literal"
            )


def _make_scanner(texts: SearchTexts, requested: EngineName | None) -> tuple[EngineName, _Scanner]:
    """Return the engine name and scanner for ``texts``.

    Without a requested engine, a hyperscan compile error falls back to the python
    engine with a warning, because hyperscan rejects some CPUs and platforms.
    """
    if requested not in (None, "hyperscan", "python"):
        raise ValueError(
            f"unknown prefilter engine {requested!r}, expected 'hyperscan' or 'python'"
        )
    if requested == "hyperscan" and not HYPERSCAN_AVAILABLE:
        raise ValueError(
            "the hyperscan engine was requested but the hyperscan package is not installed. "
            "Install it with 'pip install hyperscan' or choose the python engine"
        )
    engine: EngineName = requested or ("hyperscan" if HYPERSCAN_AVAILABLE else "python")
    if texts.keep_all:
        return engine, _AllLines()
    if engine == "python":
        return engine, PythonScanner(texts)
    try:
        return engine, HyperscanScanner(texts)
    except hyperscan.error as error:
        if requested is not None:
            raise
        logger.warning(
            "hyperscan cannot compile the prefilter (%s), so the python engine is used", error
        )
        return "python", PythonScanner(texts)


class _AllLines:
    """Keeps every line, for literals that cannot be searched."""

    def kept_lines(self, chunk: bytes) -> list[tuple[int, int]]:
        return _all_lines(chunk)


def _all_lines(chunk: bytes) -> list[tuple[int, int]]:
    spans = []
    start = 0
    while start < len(chunk):
        end = _line_end(chunk, start)
        spans.append((start, end))
        start = end
    return spans


def _line_end(chunk: bytes, position: int) -> int:
    """Return the offset past the newline that ends the line at ``position``."""
    newline = chunk.find(b"\n", position)
    return len(chunk) if newline == -1 else newline + 1


class PythonScanner:
    """Finds lines with ``bytes.find`` loops over the whole chunk: one pass per ASCII
    search text, one ``bytes.lower()`` copy for the case-insensitive ones, and one pass per
    escape. Texts with non-ASCII bytes are searched only near blocks of the chunk that are
    not all ASCII, which ``bytes.isascii()`` finds quickly."""

    def __init__(self, texts: SearchTexts) -> None:
        self._texts = texts
        self._ascii_texts = sorted(text for text in texts.exact if text.isascii())
        self._non_ascii_texts = sorted(text for text in texts.exact if not text.isascii())

    def kept_lines(self, chunk: bytes) -> list[tuple[int, int]]:
        """Return the (start, end) offsets of the kept lines of ``chunk``, in order."""
        kept: dict[int, int] = {}
        for text in self._ascii_texts:
            _mark_lines(chunk, chunk, text, kept)
        if self._texts.ascii_caseless:
            lowered = chunk.lower()
            for text in self._texts.ascii_caseless:
                _mark_lines(chunk, lowered, text, kept)
        if self._non_ascii_texts:
            for low, high in _non_ascii_blocks(chunk):
                for text in self._non_ascii_texts:
                    # Also find occurrences that start before the block or end after it.
                    reach = len(text) - 1
                    _mark_lines(chunk, chunk, text, kept, max(low - reach, 0), high + reach)
        for escaped in self._texts.escapes:
            _mark_escape_lines(chunk, escaped, kept)
        return sorted(kept.items())


_BLOCK_SIZE = 1 << 16
"""Bytes per block in the search for non-ASCII bytes. A fixed choice, not tuned: small
enough that a rare non-ASCII line leaves most blocks ASCII, large enough that the Python
loop over blocks costs little."""


def _non_ascii_blocks(chunk: bytes) -> Iterator[tuple[int, int]]:
    """Yield the (start, end) offsets of the blocks of ``chunk`` that have a byte >= 0x80."""
    if chunk.isascii():
        return
    for low in range(0, len(chunk), _BLOCK_SIZE):
        high = min(low + _BLOCK_SIZE, len(chunk))
        if not chunk[low:high].isascii():
            yield low, high


def _mark_lines(
    chunk: bytes,
    haystack: bytes,
    text: bytes,
    kept: dict[int, int],
    low: int = 0,
    high: int | None = None,
) -> None:
    """Add to ``kept`` each line of ``chunk`` in which ``haystack`` (``chunk`` or a copy of
    the same length) contains ``text`` within offsets ``low`` to ``high``."""
    position = haystack.find(text, low, high)
    while position != -1:
        start = chunk.rfind(b"\n", 0, position) + 1
        end = _line_end(chunk, position)
        kept[start] = end
        position = haystack.find(text, end, high)


def _mark_escape_lines(chunk: bytes, escaped: bytes, kept: dict[int, int]) -> None:
    """Add to ``kept`` each line with a JSON escape of ``escaped``: a backslash and that
    character, after an even number of other backslashes."""
    pair = b"\\" + escaped
    position = chunk.find(pair)
    while position != -1:
        run_start = position
        while run_start > 0 and chunk[run_start - 1] == _BACKSLASH:
            run_start -= 1
        if (position - run_start) % 2 == 1:
            # The backslash at ``position`` is itself escaped.
            position = chunk.find(pair, position + 1)
            continue
        start = chunk.rfind(b"\n", 0, position) + 1
        end = _line_end(chunk, position)
        kept[start] = end
        position = chunk.find(pair, end)


@dataclass
class _MatchedLines:
    """The lines that hyperscan matches fell in, collected by its match callback."""

    chunk: bytes
    kept: dict[int, int] = field(default_factory=dict)
    last_start: int = 0
    last_end: int = 0

    def add(self, pattern_id: int, start: int, end: int, flags: int, context: object) -> None:
        # ``end`` is past the last matched byte, which is never a newline.
        last_byte = end - 1
        if self.last_start <= last_byte < self.last_end:
            return
        self.last_start = self.chunk.rfind(b"\n", 0, last_byte) + 1
        self.last_end = _line_end(self.chunk, last_byte)
        self.kept[self.last_start] = self.last_end


class HyperscanScanner:
    """Finds lines with one hyperscan block-mode database holding every search text.

    Search texts are compiled as patterns of ``\\xHH`` byte escapes, case-insensitive ones
    with ``HS_FLAG_CASELESS``, which folds ASCII letters only, as ``bytes.lower()`` does.
    A chunk must be shorter than 4 GiB, the limit of one hyperscan block scan.
    """

    def __init__(self, texts: SearchTexts) -> None:
        patterns: list[bytes] = []
        flags: list[int] = []
        for text in sorted(texts.exact):
            patterns.append(_byte_pattern(text))
            flags.append(0)
        for text in sorted(texts.ascii_caseless):
            patterns.append(_byte_pattern(text))
            flags.append(hyperscan.HS_FLAG_CASELESS)
        for escaped in sorted(texts.escapes):
            # An odd run of backslashes, at the chunk start or after another byte, then
            # the escaped character.
            patterns.append(rb"(?:^|[^\x5c])(?:\x5c\x5c)*\x5c" + _byte_pattern(escaped))
            flags.append(0)
        self._database = hyperscan.Database(mode=hyperscan.HS_MODE_BLOCK)
        self._database.compile(
            expressions=patterns,
            ids=list(range(len(patterns))),
            elements=len(patterns),
            flags=flags,
        )

    def kept_lines(self, chunk: bytes) -> list[tuple[int, int]]:
        """Return the (start, end) offsets of the kept lines of ``chunk``, in order."""
        matched = _MatchedLines(chunk)
        callback: Callable[[int, int, int, int, object], None] = matched.add
        self._database.scan(chunk, match_event_handler=callback)
        return sorted(matched.kept.items())


def _byte_pattern(text: bytes) -> bytes:
    return b"".join(b"\\x%02x" % byte for byte in text)
