"""The exception hierarchy of cqlkit.

Each stage raises its own subclass of :class:`CqlError`. Exceptions carry
structured fields; ``__str__`` only formats them, so tests can assert on the
fields and the CLI can colour the output.
"""

from __future__ import annotations

from cqlkit.language.span import Span, render_excerpt


class CqlError(Exception):
    """Root of every error that cqlkit raises on purpose."""

    kind = "error"

    def __init__(
        self,
        description: str,
        *,
        span: Span | None = None,
        source: str | None = None,
        hint: str | None = None,
    ) -> None:
        super().__init__(description)
        self.description = description
        self.span = span
        self.source = source
        self.hint = hint

    def __str__(self) -> str:
        parts = [self.description]
        if self.span is not None:
            parts.append(f"at line {self.span.line}, column {self.span.col}:")
            if self.source is not None:
                parts.append(render_excerpt(self.source, self.span))
        if self.hint:
            parts.append(f"hint: {self.hint}")
        return "\n".join(parts)


class LexError(CqlError):
    """The query text contains a character sequence that is not a token."""

    kind = "syntax"


class ParseError(CqlError):
    """The tokens do not form a valid query."""

    kind = "syntax"


class SemanticError(CqlError):
    """The query parses but LogScale would not compile it, for example an
    unknown function or a missing required argument."""

    kind = "semantic"


class UnsupportedFeatureError(CqlError):
    """A construct that LogScale accepts but an engine of cqlkit cannot run."""

    kind = "unsupported"

    def __init__(self, feature: str, description: str, *, engine: str = "cqlkit", **kwargs: object):
        super().__init__(description, **kwargs)  # type: ignore[arg-type]
        self.feature = feature
        self.engine = engine


class RegexTranslationError(UnsupportedFeatureError):
    """A LogScale regex uses a construct that cannot be translated, or that
    LogScale itself rejects."""

    kind = "regex"

    def __init__(self, construct: str, pattern: str, position: int, reason: str) -> None:
        description = f"regex construct {construct!r} at offset {position} of /{pattern}/: {reason}"
        super().__init__(construct, description)
        self.construct = construct
        self.pattern = pattern
        self.position = position
        self.reason = reason


class ExecutionError(CqlError):
    """A query failed while it ran."""

    kind = "runtime"


class SourceError(CqlError):
    """An input file cannot be read at all (as opposed to one bad record)."""

    kind = "input"
