"""Tests for the CQL lexer: comments, strings, regexes, names and operators."""

from __future__ import annotations

import pytest

from cqlkit.errors import LexError
from cqlkit.language.lexer import Lexer
from cqlkit.language.tokens import Mode, Token, TokenKind

K = TokenKind


def scan_all(text: str, mode: Mode = Mode.FILTER) -> list[Token]:
    """Return every token of ``text`` in one mode, without the final EOF."""
    lexer = Lexer(text)
    tokens = []
    position = 0
    while True:
        token = lexer.scan(position, mode)
        if token.kind is K.EOF:
            return tokens
        tokens.append(token)
        position = token.span.end


def values(text: str, mode: Mode = Mode.FILTER) -> list[str]:
    return [token.value for token in scan_all(text, mode)]


def kinds(text: str, mode: Mode = Mode.FILTER) -> list[TokenKind]:
    return [token.kind for token in scan_all(text, mode)]


# --- comments and whitespace ----------------------------------------------------------

COMMENT_CASES = [
    pytest.param("a // note\nb", ["a", "b"], id="line-comment"),
    pytest.param("a // note", ["a"], id="line-comment-at-end"),
    pytest.param("a /* x */ b", ["a", "b"], id="block-comment"),
    pytest.param("a /* one\ntwo */ b", ["a", "b"], id="block-comment-over-lines"),
    pytest.param("a | // note\nb", ["a", "|", "b"], id="comment-between-pipes"),
    pytest.param("a=/x/ // /y/", ["a", "=", "x"], id="double-slash-is-no-regex"),
    pytest.param("a /* | b */ | c", ["a", "|", "c"], id="pipe-inside-block-comment"),
    pytest.param("/* lead */ a", ["a"], id="block-comment-first"),
    pytest.param("https: //www.example.com/", ["https:"], id="comment-after-space"),
]


@pytest.mark.parametrize(("text", "expected"), COMMENT_CASES)
def test_comments_are_skipped(text: str, expected: list[str]) -> None:
    assert values(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param("a\nb", True, id="newline"),
        pytest.param("a b", False, id="space"),
        pytest.param("a /* x\ny */ b", True, id="newline-inside-block-comment"),
        pytest.param("a /* x */ b", False, id="block-comment-on-one-line"),
        pytest.param("a // x\nb", True, id="line-comment"),
    ],
)
def test_newline_before_is_recorded(text: str, expected: bool) -> None:
    second = scan_all(text)[1]
    assert second.newline_before is expected


# --- words, patterns and field names --------------------------------------------------

WORD_CASES = [
    pytest.param("https://www.example.com/", id="url-free-text"),
    pytest.param("http://x.y/z", id="url-value"),
    pytest.param("m/fisk/i", id="slash-after-text-is-no-regex"),
    pytest.param("*\\cmd.exe", id="glob-with-backslash"),
    pytest.param("@timestamp", id="metadata-field"),
    pytest.param("#event_simpleName", id="tag-field"),
    pytest.param("a.b.c", id="dotted-field"),
    pytest.param("host[0]", id="array-index"),
    pytest.param("a.b[1].e", id="index-inside-path"),
    pytest.param("values[]", id="empty-index"),
    pytest.param("12ab", id="digits-then-letters"),
]


@pytest.mark.parametrize("text", WORD_CASES)
def test_filter_word_is_one_token(text: str) -> None:
    tokens = scan_all(text)
    assert [(token.kind, token.text) for token in tokens] == [(K.WORD, text)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param(
            "url=http://x.y/z // tail", ["url", "=", "http://x.y/z"], id="comment-after-url"
        ),
        pytest.param("name:=1", ["name", ":=", "1"], id="assignment-ends-word"),
        pytest.param('a="b"', ["a", "=", "b"], id="equals-ends-word"),
        pytest.param("f(x)", ["f", "(", "x", ")"], id="parenthesis-ends-word"),
        pytest.param("a[x]", ["a", "[", "x", "]"], id="non-numeric-index-is-array"),
    ],
)
def test_filter_word_boundaries(text: str, expected: list[str]) -> None:
    assert values(text) == expected


def test_keyword_match_ignores_case() -> None:
    and_token, or_token, not_token = scan_all("AND Or not")
    assert and_token.is_keyword("and")
    assert or_token.is_keyword("or")
    assert not_token.is_keyword("not")


def test_quoted_keyword_is_no_keyword() -> None:
    (token,) = scan_all('"and"')
    assert not token.is_keyword("and")


# --- strings --------------------------------------------------------------------------

STRING_CASES = [
    pytest.param(r'"foo bar"', "foo bar", id="plain"),
    pytest.param(r'"msg: \"welcome\""', 'msg: "welcome"', id="escaped-quote"),
    pytest.param(r'"c:\\temp"', "c:\\temp", id="escaped-backslash"),
    pytest.param(r'"\S+\.page"', r"\S+\.page", id="other-escapes-kept"),
    pytest.param(r'"\\\\(?<f>[^\\\\]+$)"', r"\\(?<f>[^\\]+$)", id="regex-backslash-doubled"),
    pytest.param(r'"a\nb"', r"a\nb", id="backslash-n-kept"),
    pytest.param(r'"*foo*"', "*foo*", id="star-kept"),
    pytest.param('""', "", id="empty"),
]


@pytest.mark.parametrize(("text", "expected"), STRING_CASES)
def test_string_value_is_unescaped(text: str, expected: str) -> None:
    (token,) = scan_all(text)
    assert token.kind is K.STRING
    assert token.value == expected


def test_string_keeps_source_text() -> None:
    (token,) = scan_all(r'"a\"b"')
    assert token.text == r'"a\"b"'


def test_backtick_quotes_field_name() -> None:
    (token,) = scan_all("`filters.not-values`")
    assert token.kind is K.BACKTICK
    assert token.value == "filters.not-values"


def test_single_quote_is_no_delimiter() -> None:
    assert values("'a b'") == ["'a", "b'"]


# --- regex literals -------------------------------------------------------------------

REGEX_CASES = [
    pytest.param(r"/\/.*@/", r"\/.*@", "", id="escaped-slash"),
    pytest.param(r"/\\powershell\.exe/i", r"\\powershell\.exe", "i", id="backslash-and-flag"),
    pytest.param("/a/dgimF", "a", "dgimF", id="all-flags"),
]


@pytest.mark.parametrize(("text", "pattern", "flags"), REGEX_CASES)
def test_regex_literal(text: str, pattern: str, flags: str) -> None:
    (token,) = scan_all(text)
    assert token.kind is K.REGEX
    assert token.value == pattern
    assert token.extra == flags


def test_regex_after_equals() -> None:
    assert kinds("a=/x/") == [K.WORD, K.EQ, K.REGEX]


def test_slash_divides_in_expression() -> None:
    assert kinds("a / b", Mode.EXPRESSION) == [K.WORD, K.SLASH, K.WORD]


# --- operators and punctuation --------------------------------------------------------

OPERATOR_CASES = [
    pytest.param("=~", K.FIELD_OP, id="field-operator"),
    pytest.param("=>", K.ARROW, id="arrow"),
    pytest.param(":=", K.ASSIGN, id="assign"),
    pytest.param("==", K.EQEQ, id="double-equals"),
    pytest.param("!=", K.NEQ, id="not-equals"),
    pytest.param("<=", K.LE, id="less-or-equal"),
    pytest.param(">=", K.GE, id="greater-or-equal"),
    pytest.param("<", K.LT, id="less"),
    pytest.param(">", K.GT, id="greater"),
    pytest.param("=", K.EQ, id="equals"),
    pytest.param("!", K.BANG, id="bang"),
    pytest.param("~", K.TILDE, id="tilde"),
    pytest.param("|", K.PIPE, id="pipe"),
    pytest.param(";", K.SEMI, id="semicolon"),
    pytest.param(",", K.COMMA, id="comma"),
    pytest.param("{", K.LBRACE, id="brace"),
]


@pytest.mark.parametrize(("text", "kind"), OPERATOR_CASES)
def test_operator_kind(text: str, kind: TokenKind) -> None:
    assert kinds(text) == [kind]


def test_space_splits_field_operator() -> None:
    assert kinds("= ~") == [K.EQ, K.TILDE]


EXPRESSION_CASES = [
    pytest.param("x + 1", [K.WORD, K.PLUS, K.NUMBER], id="addition"),
    pytest.param("1.5e3 - y", [K.NUMBER, K.MINUS, K.WORD], id="exponent"),
    pytest.param(
        "a * 2 % 3", [K.WORD, K.STAR, K.NUMBER, K.PERCENT, K.NUMBER], id="multiply-modulo"
    ),
    pytest.param("#t == @t", [K.WORD, K.EQEQ, K.WORD], id="tag-and-metadata-names"),
    pytest.param(
        "text:contains(x)", [K.WORD, K.LPAREN, K.WORD, K.RPAREN], id="namespaced-function"
    ),
    pytest.param("a:=b", [K.WORD, K.ASSIGN, K.WORD], id="assign-ends-name"),
    pytest.param("a.b[0]", [K.WORD], id="indexed-field"),
    pytest.param("12ab", [K.WORD], id="digits-then-letters"),
]


@pytest.mark.parametrize(("text", "expected"), EXPRESSION_CASES)
def test_expression_tokens(text: str, expected: list[TokenKind]) -> None:
    assert kinds(text, Mode.EXPRESSION) == expected


def test_number_text_is_kept() -> None:
    (token,) = scan_all("1.50", Mode.EXPRESSION)
    assert token.kind is K.NUMBER
    assert token.text == "1.50"


# --- parameters and saved searches ----------------------------------------------------

PARAM_CASES = [
    pytest.param("?host", "host", None, id="bare"),
    pytest.param('?"my param"', "my param", None, id="quoted"),
    pytest.param('?{x="*"}', "x", "*", id="default-quoted"),
    pytest.param("?{x=abc}", "x", "abc", id="default-bare"),
    pytest.param("?{ x = abc }", "x", "abc", id="default-with-spaces"),
]


@pytest.mark.parametrize(("text", "name", "default"), PARAM_CASES)
def test_parameter_token(text: str, name: str, default: str | None) -> None:
    (token,) = scan_all(text)
    assert token.kind is K.PARAM
    assert token.value == name
    assert token.extra == default


@pytest.mark.parametrize(
    ("text", "name"),
    [
        pytest.param("$mySearch", "mySearch", id="bare"),
        pytest.param('$"Saved Query Name"', "Saved Query Name", id="quoted"),
    ],
)
def test_saved_search_token(text: str, name: str) -> None:
    token = scan_all(text)[0]
    assert token.kind is K.SAVED
    assert token.value == name


# --- spans ----------------------------------------------------------------------------


def test_span_on_second_line() -> None:
    token = scan_all("a=1\n  | count()")[4]
    assert token.text == "count"
    assert (token.span.line, token.span.col) == (2, 5)
    assert (token.span.start, token.span.end) == (8, 13)


def test_span_covers_whole_string() -> None:
    (token,) = scan_all('  "ab"')
    assert (token.span.start, token.span.end) == (2, 6)
    assert token.span.col == 3


# --- errors ---------------------------------------------------------------------------

LEX_ERROR_CASES = [
    pytest.param('a="abc', Mode.FILTER, "unterminated string", 1, 3, id="string"),
    pytest.param("a=`abc", Mode.FILTER, "unterminated quoted field name", 1, 3, id="backtick"),
    pytest.param("a /* x", Mode.FILTER, "unterminated block comment", 1, 3, id="block-comment"),
    pytest.param("a=/x\n/", Mode.FILTER, "unterminated regex", 1, 3, id="regex-stops-at-newline"),
    pytest.param("?", Mode.FILTER, "a parameter name must follow ?", 1, 1, id="parameter-name"),
    pytest.param("?{x=1", Mode.FILTER, "unterminated parameter", 1, 1, id="parameter-brace"),
    pytest.param("$ x", Mode.FILTER, "a saved-search name must follow $", 1, 1, id="saved-name"),
    pytest.param("'a'", Mode.EXPRESSION, "unexpected character", 1, 1, id="quote-in-expression"),
]


@pytest.mark.parametrize(("text", "mode", "message", "line", "col"), LEX_ERROR_CASES)
def test_lex_error_position(text: str, mode: Mode, message: str, line: int, col: int) -> None:
    with pytest.raises(LexError) as caught:
        scan_all(text, mode)
    assert message in caught.value.description
    assert caught.value.span is not None
    assert (caught.value.span.line, caught.value.span.col) == (line, col)


def test_lex_error_shows_caret_and_hint() -> None:
    with pytest.raises(LexError) as caught:
        scan_all('a="abc')
    assert str(caught.value) == (
        "unterminated string\n"
        "at line 1, column 3:\n"
        'a="abc\n'
        "  ^^^^\n"
        'hint: close it with "; write \\" for a " inside it'
    )
