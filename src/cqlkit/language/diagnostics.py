"""Diagnostics: problems found in a query, each with a place and a fix."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from cqlkit.language.span import Span, render_excerpt

Severity = Literal["error", "warning"]


@dataclass(frozen=True, slots=True)
class Diagnostic:
    """One problem in a query.

    ``code`` is a stable identifier such as ``if-positional-branch``. ``fix``
    is corrected text that replaces ``fix_span`` (or ``span`` when
    ``fix_span`` is None).
    """

    severity: Severity
    code: str
    message: str
    span: Span | None
    hint: str | None = None
    fix: str | None = None
    fix_span: Span | None = None

    def render(self, source: str) -> str:
        """Format the diagnostic as plain text with a caret excerpt."""
        lines = [f"{self.severity}[{self.code}]: {self.message}"]
        if self.span is not None:
            lines.append(f"  at line {self.span.line}, column {self.span.col}:")
            lines.extend("  " + line for line in render_excerpt(source, self.span).splitlines())
        if self.hint:
            lines.append(f"  hint: {self.hint}")
        if self.fix is not None:
            lines.append(f"  fix: {self.fix}")
        return "\n".join(lines)
