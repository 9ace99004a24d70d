"""A mode-driven lexer for CQL.

The parser requests one token at a time in a given mode, because the same
characters mean different things in filters and in expressions (see
:class:`~cqlkit.language.tokens.Mode`).
"""

from __future__ import annotations

from cqlkit.errors import LexError
from cqlkit.language.span import span_at
from cqlkit.language.tokens import Mode, Token, TokenKind

_SINGLE = {
    "|": TokenKind.PIPE,
    "(": TokenKind.LPAREN,
    ")": TokenKind.RPAREN,
    "[": TokenKind.LBRACKET,
    "]": TokenKind.RBRACKET,
    "{": TokenKind.LBRACE,
    "}": TokenKind.RBRACE,
    ",": TokenKind.COMMA,
    ";": TokenKind.SEMI,
    "~": TokenKind.TILDE,
}

_OPERATORS = (
    ("==", TokenKind.EQEQ),
    ("=~", TokenKind.FIELD_OP),
    ("=>", TokenKind.ARROW),
    ("!=", TokenKind.NEQ),
    ("<=", TokenKind.LE),
    (">=", TokenKind.GE),
    (":=", TokenKind.ASSIGN),
    ("=", TokenKind.EQ),
    ("!", TokenKind.BANG),
    ("<", TokenKind.LT),
    (">", TokenKind.GT),
)

_ARITHMETIC = {
    "+": TokenKind.PLUS,
    "-": TokenKind.MINUS,
    "*": TokenKind.STAR,
    "/": TokenKind.SLASH,
    "%": TokenKind.PERCENT,
}

# Characters that end an unquoted word in a filter. Everything else, including
# "*", "/", ":", "\\" and ".", may appear inside a word such as *\cmd.exe or
# https://example.com/.
_FILTER_STOP = frozenset(' \t\r\n|()[]{},";=!<>`')
_EXPR_NAME_START = frozenset("_@#")
_EXPR_NAME_PART = frozenset("_@#.:")


class Lexer:
    """Scans tokens from query text on demand, one mode per call."""

    def __init__(self, text: str) -> None:
        self.text = text

    def scan(self, pos: int, mode: Mode) -> Token:
        """Return the token that starts at or after ``pos`` in ``mode``."""
        start, newline = self._skip_trivia(pos)
        text = self.text
        if start >= len(text):
            return self._token(TokenKind.EOF, start, start, newline)
        char = text[start]
        if char == '"':
            return self._scan_string(start, newline)
        if char == "`":
            return self._scan_backtick(start, newline)
        if char == "?":
            return self._scan_param(start, newline)
        if char == "$":
            return self._scan_saved(start, newline)
        if char in _SINGLE:
            return self._token(_SINGLE[char], start, start + 1, newline)
        for op, kind in _OPERATORS:
            if text.startswith(op, start):
                return self._token(kind, start, start + len(op), newline)
        if mode is Mode.FILTER:
            return self._scan_filter_start(start, newline)
        return self._scan_expression_start(start, newline)

    def _skip_trivia(self, pos: int) -> tuple[int, bool]:
        text = self.text
        newline = False
        while pos < len(text):
            char = text[pos]
            if char in " \t\r\n\f":
                newline = newline or char == "\n"
                pos += 1
            elif text.startswith("//", pos):
                end = text.find("\n", pos)
                pos = len(text) if end == -1 else end
            elif text.startswith("/*", pos):
                end = text.find("*/", pos + 2)
                if end == -1:
                    raise LexError(
                        "unterminated block comment",
                        span=span_at(text, pos, pos + 2),
                        source=text,
                        hint="close the comment with */",
                    )
                newline = newline or "\n" in text[pos:end]
                pos = end + 2
            else:
                break
        return pos, newline

    def _token(
        self,
        kind: TokenKind,
        start: int,
        end: int,
        newline: bool,
        value: str | None = None,
        extra: str | None = None,
    ) -> Token:
        text = self.text[start:end]
        span = span_at(self.text, start, end)
        return Token(kind, text, text if value is None else value, span, newline, extra)

    def _error(self, message: str, start: int, end: int, hint: str | None = None) -> LexError:
        return LexError(message, span=span_at(self.text, start, end), source=self.text, hint=hint)

    def _scan_string(self, start: int, newline: bool) -> Token:
        value, end = self._read_quoted(start, '"')
        return self._token(TokenKind.STRING, start, end, newline, value)

    def _scan_backtick(self, start: int, newline: bool) -> Token:
        value, end = self._read_quoted(start, "`")
        return self._token(TokenKind.BACKTICK, start, end, newline, value)

    def _read_quoted(self, start: int, quote: str) -> tuple[str, int]:
        """Read a quoted text. ``\\"`` gives a quote and ``\\\\`` a backslash.

        Any other backslash pair is kept as both characters, as LogScale does, so
        regexes written inside strings keep escapes such as ``\\S``.
        """
        text = self.text
        out: list[str] = []
        pos = start + 1
        while pos < len(text):
            char = text[pos]
            if char == "\\" and pos + 1 < len(text):
                following = text[pos + 1]
                out.append(following if following in (quote, "\\") else char + following)
                pos += 2
            elif char == quote:
                return "".join(out), pos + 1
            else:
                out.append(char)
                pos += 1
        what = "string" if quote == '"' else "quoted field name"
        raise self._error(
            f"unterminated {what}",
            start,
            len(text),
            hint=f"close it with {quote}; write \\{quote} for a {quote} inside it",
        )

    def _scan_regex(self, start: int, newline: bool) -> Token:
        text = self.text
        pos = start + 1
        while pos < len(text):
            char = text[pos]
            if char == "\\":
                pos += 2
                continue
            if char == "/":
                flags_end = pos + 1
                while flags_end < len(text) and text[flags_end].isalpha():
                    flags_end += 1
                pattern = text[start + 1 : pos]
                flags = text[pos + 1 : flags_end]
                return self._token(TokenKind.REGEX, start, flags_end, newline, pattern, flags)
            if char == "\n":
                break
            pos += 1
        raise self._error(
            "unterminated regex",
            start,
            min(pos, len(text)),
            hint="end the regex with /, and write \\/ for a slash inside it",
        )

    def _scan_param(self, start: int, newline: bool) -> Token:
        text = self.text
        pos = start + 1
        if text.startswith('"', pos):
            name, end = self._read_quoted(pos, '"')
            return self._token(TokenKind.PARAM, start, end, newline, name)
        if text.startswith("{", pos):
            end = text.find("}", pos)
            if end == -1:
                raise self._error(
                    "unterminated parameter ?{...}", start, len(text), "close it with }"
                )
            body = text[pos + 1 : end]
            name, _, default = body.partition("=")
            default = default.strip()
            if len(default) >= 2 and default[0] == default[-1] == '"':
                default = default[1:-1]
            return self._token(TokenKind.PARAM, start, end + 1, newline, name.strip(), default)
        end = self._word_end(pos, _FILTER_STOP)
        if end == pos:
            raise self._error("a parameter name must follow ?", start, start + 1)
        return self._token(TokenKind.PARAM, start, end, newline, text[pos:end])

    def _scan_saved(self, start: int, newline: bool) -> Token:
        pos = start + 1
        if self.text.startswith('"', pos):
            name, end = self._read_quoted(pos, '"')
        else:
            end = self._word_end(pos, _FILTER_STOP | {"("})
            name = self.text[pos:end]
        if not name:
            raise self._error("a saved-search name must follow $", start, start + 1)
        return self._token(TokenKind.SAVED, start, end, newline, name)

    def _scan_filter_start(self, start: int, newline: bool) -> Token:
        if self.text[start] == "/":
            return self._scan_regex(start, newline)
        end = self._word_end(start, _FILTER_STOP)
        if end == start:
            raise self._error(f"unexpected character {self.text[start]!r}", start, start + 1)
        return self._token(TokenKind.WORD, start, end, newline)

    def _word_end(self, pos: int, stop: frozenset[str]) -> int:
        """Return the end of an unquoted word. A ``:`` followed by ``=`` ends it
        (``name:=``), and ``[n]`` or ``[]`` right after word text is an index suffix."""
        text = self.text
        start = pos
        while pos < len(text):
            char = text[pos]
            if char == "[" and pos > start:
                close = text.find("]", pos)
                if (close != -1 and text[pos + 1 : close].isdigit()) or text.startswith("[]", pos):
                    pos = (close if close != -1 else pos + 1) + 1
                    continue
                break
            if char in stop or (char == ":" and text.startswith(":=", pos)):
                break
            pos += 1
        return pos

    def _scan_expression_start(self, start: int, newline: bool) -> Token:
        text = self.text
        char = text[start]
        if char.isdigit() or (char == "." and text[start + 1 : start + 2].isdigit()):
            end = self._number_end(start)
            word_end = self._word_end(start, _FILTER_STOP | frozenset("+-*/%~"))
            if word_end > end:
                return self._token(TokenKind.WORD, start, word_end, newline)
            return self._token(TokenKind.NUMBER, start, end, newline)
        if char in _ARITHMETIC:
            return self._token(_ARITHMETIC[char], start, start + 1, newline)
        if char.isalpha() or char in _EXPR_NAME_START or ord(char) > 0xA0:
            return self._token(TokenKind.WORD, start, self._name_end(start), newline)
        raise self._error(f"unexpected character {char!r} in an expression", start, start + 1)

    def _number_end(self, pos: int) -> int:
        text = self.text
        while pos < len(text) and text[pos].isdigit():
            pos += 1
        if text.startswith(".", pos) and text[pos + 1 : pos + 2].isdigit():
            pos += 1
            while pos < len(text) and text[pos].isdigit():
                pos += 1
        if pos < len(text) and text[pos] in "eE":
            exp = pos + 1
            if exp < len(text) and text[exp] in "+-":
                exp += 1
            if exp < len(text) and text[exp].isdigit():
                pos = exp
                while pos < len(text) and text[pos].isdigit():
                    pos += 1
        return pos

    def _name_end(self, pos: int) -> int:
        """Return the end of a field or function name in an expression."""
        text = self.text
        start = pos
        while pos < len(text):
            char = text[pos]
            if char.isalnum() or char in _EXPR_NAME_PART or ord(char) > 0xA0:
                if char == ":" and text.startswith(":=", pos):
                    break
                pos += 1
            elif char == "[" and pos > start:
                close = text.find("]", pos)
                if close == -1 or not (text[pos + 1 : close].isdigit() or close == pos + 1):
                    break
                pos = close + 1
            else:
                break
        return pos
