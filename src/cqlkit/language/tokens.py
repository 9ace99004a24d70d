"""Token kinds and the token record produced by the lexer."""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum, auto

from cqlkit.language.span import Span


class TokenKind(Enum):
    """Kinds of CQL tokens. Which kinds can appear depends on the lexer mode."""

    PIPE = auto()
    LPAREN = auto()
    RPAREN = auto()
    LBRACKET = auto()
    RBRACKET = auto()
    LBRACE = auto()
    RBRACE = auto()
    COMMA = auto()
    SEMI = auto()
    EQ = auto()  # =
    NEQ = auto()  # !=
    EQEQ = auto()  # ==
    LT = auto()
    LE = auto()
    GT = auto()
    GE = auto()
    ASSIGN = auto()  # :=
    FIELD_OP = auto()  # =~
    ARROW = auto()  # =>
    BANG = auto()  # !
    TILDE = auto()  # ~
    PLUS = auto()
    MINUS = auto()
    STAR = auto()
    SLASH = auto()
    PERCENT = auto()
    STRING = auto()  # "..." (value is unescaped)
    BACKTICK = auto()  # `...` quoted field name
    REGEX = auto()  # /pattern/flags
    NUMBER = auto()  # expression mode only
    WORD = auto()  # an unquoted name, keyword or pattern
    PARAM = auto()  # ?name, ?"name", ?{name=default}
    SAVED = auto()  # $name or $"name" (saved-search call)
    EOF = auto()


class Mode(Enum):
    """Lexer modes. CQL is context-sensitive: ``/`` starts a regex in a filter
    but divides in an expression, and ``*`` is a glob in a filter value but a
    multiplication in an expression."""

    FILTER = auto()
    EXPRESSION = auto()


KEYWORDS = frozenset({"and", "or", "not", "like", "case", "match", "in"})


@dataclass(frozen=True, slots=True)
class Token:
    """One token with its source span.

    ``value`` is the token's meaning: the unescaped text of a string, the
    pattern of a regex, the name of a parameter. ``extra`` contains regex flags
    or a parameter's default. ``newline_before`` records whether a line break
    separates this token from the previous one, because a newline between two
    complete steps acts as a pipe.
    """

    kind: TokenKind
    text: str
    value: str
    span: Span
    newline_before: bool = False
    extra: str | None = None

    def is_keyword(self, word: str) -> bool:
        """Return True when the token is the (case-insensitive) keyword ``word``."""
        return self.kind is TokenKind.WORD and self.text.lower() == word
