"""Source positions of tokens and syntax nodes."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Span:
    """A half-open character range ``[start, end)`` of the query text, with the
    1-based line and column of ``start``."""

    start: int
    end: int
    line: int
    col: int

    def cover(self, other: Span) -> Span:
        """Return the smallest span that contains both spans."""
        first = self if self.start <= other.start else other
        return Span(first.start, max(self.end, other.end), first.line, first.col)


def span_at(text: str, start: int, end: int) -> Span:
    """Build a span for ``text[start:end]``, computing its line and column."""
    line = text.count("\n", 0, start) + 1
    line_start = text.rfind("\n", 0, start) + 1
    return Span(start, end, line, start - line_start + 1)


def render_excerpt(text: str, span: Span) -> str:
    """Return the query line that contains ``span`` with a run of carets under it.

    Only the first line of a multi-line span is underlined, because a caret run
    cannot point across lines.
    """
    line_start = text.rfind("\n", 0, span.start) + 1
    line_end = text.find("\n", span.start)
    if line_end == -1:
        line_end = len(text)
    source_line = text[line_start:line_end].replace("\t", " ")
    width = max(1, min(span.end, line_end) - span.start)
    caret = " " * (span.start - line_start) + "^" * width
    return f"{source_line}\n{caret}"
