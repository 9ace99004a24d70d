"""Tests for the translation of LogScale regexes to the ``regex`` package."""

from __future__ import annotations

import string

import pytest
import regex

from cqlkit.errors import ExecutionError, RegexTranslationError
from cqlkit.language import regexes
from cqlkit.language.regexes import LogScaleRegex, translate

CMSTP_PATH = "\\Device\\HarddiskVolume2\\Windows\\System32\\CMSTP.EXE"


def first_match(pattern: str, value: str, flags: str = "") -> str | None:
    match = translate(pattern, flags).search(value)
    return None if match is None else match.group()


# (LogScale pattern, flags, value, matched text or None for no match)
MATCH_CASES = [
    # Literals and escapes
    pytest.param(r"(?i)\\cmstp\.exe$", "", CMSTP_PATH, "\\CMSTP.EXE", id="cmstp-detection"),
    pytest.param(r"(?i)\\cmstp\.exe$", "", "\\cmstpXexe", None, id="escaped-dot-is-literal"),
    pytest.param(r"https?:\/\/", "", "load https://x", "https://", id="escaped-slash"),
    pytest.param(r"a\\b", "", "a\\b", "a\\b", id="escaped-backslash"),
    pytest.param(r"\t\n\r\f\a", "", "\t\n\r\f\a", "\t\n\r\f\a", id="control-escapes"),
    pytest.param(r"\x41\x7e", "", "A~", "A~", id="hex-escape"),
    pytest.param(r"\x{263A}", "", "\u263a", "\u263a", id="braced-hex-escape"),
    pytest.param(r"\u00e9", "", "caf\u00e9", "\u00e9", id="unicode-escape"),
    pytest.param(r"\ud83d\ude00", "", "x\U0001f600", "\U0001f600", id="surrogate-pair-escape"),
    pytest.param(r"\07", "", "\x07", "\x07", id="octal-one-digit"),
    pytest.param(r"\011", "", "\t", "\t", id="octal-two-digits"),
    pytest.param(r"\0101", "", "A", "A", id="octal-three-digits"),
    pytest.param(r"\0777", "", "?7", "?7", id="octal-stops-after-two-digits-above-3"),
    pytest.param(r"\cM\cJ", "", "\r\n", "\r\n", id="control-character"),
    pytest.param(r"\Q.*\E", "", "a.*b", ".*", id="quote-metacharacters"),
    pytest.param(r"\Q.*\E", "", "abc", None, id="quote-is-not-a-wildcard"),
    pytest.param(r"\Q(a|b)", "", "x(a|b)", "(a|b)", id="quote-without-end"),
    pytest.param(r"a\Q\E+", "", "aaa", "aaa", id="empty-quote"),
    pytest.param(r"\Qab\E+", "", "abbb", "abbb", id="quantifier-after-quote-repeats-last"),
    pytest.param("{", "", "a{b", "{", id="brace-without-close-is-literal"),
    pytest.param("a{1", "", "a{1", "a{1", id="unclosed-quantifier-is-literal"),
    pytest.param("}", "", "}", "}", id="closing-brace-is-literal"),
    pytest.param("]", "", "]", "]", id="closing-bracket-is-literal"),
    pytest.param(r"\#\-\ \"", "", '#- "', '#- "', id="escaped-punctuation"),
    # Predefined classes
    pytest.param(r"\d+", "", "ab123", "123", id="digit"),
    pytest.param(r"\d", "", "\u0663", None, id="digit-is-ascii"),
    pytest.param(r"\D+", "", "12ab3", "ab", id="non-digit"),
    pytest.param(r"\w+", "", "-ab_9-", "ab_9", id="word"),
    pytest.param(r"\w", "", "\u00e9", None, id="word-is-ascii"),
    pytest.param(r"\W", "", "-", "-", id="non-word-matches-hyphen"),
    pytest.param(r"\W", "", "_", "_", id="non-word-matches-underscore"),
    pytest.param(r"\W", "", "5", "5", id="non-word-matches-digit"),
    pytest.param(r"\W", "", "aZ", None, id="non-word-skips-ascii-letters"),
    pytest.param(r"\s+", "", "a \t\n\x0b\f\rb", " \t\n\x0b\f\r", id="space"),
    pytest.param(r"\s", "", "\u00a0", None, id="space-is-ascii"),
    pytest.param(r"\S+", "", " ab ", "ab", id="non-space"),
    # Character classes
    pytest.param("[abc]+", "", "xcabz", "cab", id="class"),
    pytest.param("[^abc]+", "", "abxyc", "xy", id="negated-class"),
    pytest.param("[a-cx-z]+", "", "dbyq", "by", id="class-ranges"),
    pytest.param(r"[\w-]+", "", " a-b_9 ", "a-b_9", id="class-word-and-hyphen"),
    pytest.param(r"[\d.]+", "", "v10.0.1;", "10.0.1", id="class-digit-and-dot"),
    pytest.param(r"[\D]+", "", "12ab3", "ab", id="class-non-digit"),
    pytest.param(r"[^\D]+", "", "ab12c", "12", id="class-negated-non-digit"),
    pytest.param(r"[\W]+", "", "ab_9-c", "_9-", id="class-non-word"),
    pytest.param(r"[\S]+", "", " ab ", "ab", id="class-non-space"),
    pytest.param("[]a]+", "", "x]a]", "]a]", id="leading-bracket-is-literal"),
    pytest.param("[^]a]+", "", "]xy", "xy", id="negated-leading-bracket"),
    pytest.param("[a-]+", "", "x-a", "-a", id="trailing-hyphen"),
    pytest.param("[-a]+", "", "x-a", "-a", id="leading-hyphen"),
    pytest.param(r"[\d-z]+", "", "x1-z", "1-z", id="hyphen-after-class-is-literal"),
    pytest.param(r"[\[\]]+", "", "a[]b", "[]", id="escaped-brackets-in-class"),
    pytest.param("[&^~|]+", "", "a&^~|b", "&^~|", id="set-operator-characters"),
    pytest.param("[a&]+", "", "x&a", "&a", id="single-ampersand"),
    pytest.param(r"[\b]", "", "\x08", "\x08", id="backspace-in-class"),
    pytest.param(r"[\x41-\x43]+", "", "ABCD", "ABC", id="class-hex-range"),
    pytest.param("[^a]", "", "\n", "\n", id="negated-class-matches-newline"),
    # Dot and line terminators
    pytest.param("a.c", "", "abc", "abc", id="dot"),
    pytest.param("a.c", "", "a\nc", None, id="dot-skips-newline"),
    pytest.param("a.c", "", "a\rc", None, id="dot-skips-carriage-return"),
    pytest.param("a.c", "", "a\u0085c", None, id="dot-skips-next-line"),
    pytest.param("a.c", "", "a\u2028c", None, id="dot-skips-line-separator"),
    pytest.param("a.c", "d", "a\rc", "a\rc", id="dotall-flag"),
    pytest.param("(?s)a.c", "", "a\nc", "a\nc", id="inline-dotall"),
    pytest.param("(?s:a.)c.", "", "a\nc\n", None, id="scoped-dotall-ends"),
    pytest.param("(?s:a.)c.", "", "a\ncd", "a\ncd", id="scoped-dotall"),
    pytest.param("(?-s)a.c", "d", "a\nc", None, id="inline-dotall-off"),
    # Anchors
    pytest.param("^b", "", "a\nb", None, id="caret-without-multiline"),
    pytest.param("^b", "m", "a\nb", "b", id="caret-multiline"),
    pytest.param("^b", "m", "a\rb", "b", id="caret-after-carriage-return"),
    pytest.param("(?m)^b", "", "a\r\nb", "b", id="inline-multiline"),
    pytest.param("a$", "", "a\nb", None, id="dollar-without-multiline"),
    pytest.param("a$", "", "ba\n", "a", id="dollar-before-final-newline"),
    pytest.param("a$", "", "ba\r\n", "a", id="dollar-before-final-crlf"),
    pytest.param("a$", "m", "a\nb", "a", id="dollar-multiline"),
    pytest.param("a$", "m", "a\r\nb", "a", id="dollar-multiline-crlf"),
    pytest.param("\r$", "", "\r\n", None, id="dollar-not-inside-crlf"),
    pytest.param(r"\Aab", "m", "x\nab", None, id="input-start"),
    pytest.param(r"abc\z", "", "abc\n", None, id="absolute-end-rejects-final-newline"),
    pytest.param(r"abc\z", "", "abc", "abc", id="absolute-end"),
    pytest.param(r"abc\Z", "", "abc\n", "abc", id="end-before-final-newline"),
    pytest.param(r"abc\Z", "", "abc\nx", None, id="end-not-before-inner-newline"),
    pytest.param(r"\bcat\b", "", "a cat.", "cat", id="word-boundary"),
    pytest.param(r"\bcat\b", "", "concat", None, id="word-boundary-inside-word"),
    pytest.param(r"\bcat\b", "", "\u00e9cat", None, id="word-boundary-unicode-letter"),
    pytest.param(r"\bcat\b", "", "_cat", None, id="word-boundary-underscore"),
    pytest.param(r"\Bat", "", "cat at", "at", id="not-word-boundary"),
    # Quantifiers
    pytest.param("ab?c", "", "ac", "ac", id="optional"),
    pytest.param("ab*c", "", "abbc", "abbc", id="star"),
    pytest.param("ab+c", "", "ac", None, id="plus-needs-one"),
    pytest.param("a{2}", "", "aaa", "aa", id="exact-count"),
    pytest.param("a{2,}", "", "aaaa", "aaaa", id="min-count"),
    pytest.param("a{1,2}", "", "aaa", "aa", id="count-range"),
    pytest.param("a{02}", "", "aaa", "aa", id="count-leading-zero"),
    pytest.param("a+?", "", "aaa", "a", id="lazy-plus"),
    pytest.param("a*?b", "", "aab", "aab", id="lazy-star"),
    pytest.param("a??", "", "a", "", id="lazy-optional"),
    pytest.param("a{1,3}?", "", "aaa", "a", id="lazy-count"),
    pytest.param("a{2}{2}", "", "aaaa", "aaaa", id="repeated-count"),
    pytest.param("(?:ab)+", "", "ababa", "abab", id="quantified-group"),
    # Groups and backreferences
    pytest.param("(a|b)c", "", "bc", "bc", id="plain-group"),
    pytest.param("(?=ab)a", "", "ab", "a", id="lookahead"),
    pytest.param("(?!ab)a", "", "abac", "a", id="negative-lookahead"),
    pytest.param(r"(a)(b)\2\1", "", "abba", "abba", id="backreferences"),
    pytest.param(r"(?<x>a)(b)\1", "", "abb", "abb", id="backreference-skips-named"),
    pytest.param(r"(?<x>a)(b)\1", "", "aba", None, id="backreference-not-to-named"),
    pytest.param("(a)\\1\u00b2", "", "aa\u00b2", "aa\u00b2", id="backreference-before-superscript"),
    # Case folding and inline flags
    pytest.param("cmd", "i", "CMD.EXE", "CMD", id="ignore-case-flag"),
    pytest.param("(?i)cmd", "", "CmD", "CmD", id="inline-ignore-case"),
    pytest.param("a(?i)b", "", "aB", "aB", id="mid-pattern-ignore-case"),
    pytest.param("a(?i)b", "", "AB", None, id="mid-pattern-ignore-case-starts-late"),
    pytest.param("(a(?i)b)c", "", "aBC", None, id="inline-flag-ends-with-group"),
    pytest.param("(a(?i)b)c", "", "aBc", "aBc", id="inline-flag-inside-group"),
    pytest.param("(?i)a|b", "", "B", None, id="inline-flag-ends-at-alternation"),
    pytest.param("(?i)a|b", "", "A", "A", id="inline-flag-first-alternative"),
    pytest.param("x|(?i)a|b", "", "B", None, id="inline-flag-middle-alternative"),
    pytest.param("(?i)a|(?i)b", "", "B", "B", id="inline-flag-again-after-alternation"),
    pytest.param("(?s)a|.", "", "\n", None, id="inline-dotall-ends-at-alternation"),
    pytest.param("(?m)a|^b", "", "x\nb", None, id="inline-multiline-ends-at-alternation"),
    pytest.param("(?i)(a|b)", "", "B", "B", id="inline-flag-covers-nested-alternation"),
    pytest.param("(?i:a)b", "", "Ab", "Ab", id="scoped-ignore-case"),
    pytest.param("(?i:a)b", "", "AB", None, id="scoped-ignore-case-ends"),
    pytest.param("(?-i)a", "i", "A", None, id="inline-ignore-case-off"),
    pytest.param("a(?-i)b", "i", "Ab", "Ab", id="inline-ignore-case-off-mid-pattern"),
    pytest.param("(?im)^b", "", "a\nB", "B", id="combined-inline-flags"),
    pytest.param("(?i-i)a", "", "A", None, id="flag-set-and-cleared"),
    pytest.param("(?-)a", "", "a", "a", id="empty-flag-change"),
    pytest.param("(?i)\u03c3", "", "\u03a3", "\u03a3", id="ignore-case-unicode"),
    pytest.param("[a-z]+", "i", "ABC", "ABC", id="ignore-case-class"),
    pytest.param("[^a-z]", "i", "A", None, id="ignore-case-negated-class"),
    # Odd but valid
    pytest.param("", "", "abc", "", id="empty-pattern"),
    pytest.param("a||b", "", "b", "", id="empty-alternative"),
    pytest.param("x\U0001f600", "", "x\U0001f600", "x\U0001f600", id="astral-literal"),
]


@pytest.mark.parametrize(("pattern", "flags", "value", "expected"), MATCH_CASES)
def test_search_matches(pattern: str, flags: str, value: str, expected: str | None) -> None:
    assert first_match(pattern, value, flags) == expected


# (LogScale pattern, flags, translated pattern)
TRANSLATION_CASES = [
    pytest.param(r"a\.b", "", r"a\.b", id="literal"),
    pytest.param(r"(?<@timestamp>\d+)", "", r"(?P<g0>[0-9]+)", id="named-group"),
    pytest.param("a(?i)b|c", "", "a(?i:b)|c", id="scoped-inline-flag"),
    pytest.param("(?i)a", "", "(?i:a)", id="leading-inline-flag"),
    pytest.param("(?i)a", "i", "a", id="inline-flag-without-change"),
    pytest.param("(?m)a", "", "a", id="multiline-needs-no-python-flag"),
    pytest.param("(?i:a)", "", "(?i:a)", id="scoped-flag-group"),
    pytest.param("(?m:a)", "", "(?:a)", id="scoped-multiline-group"),
    pytest.param("a{2}{3}", "", "(?:a{2}){3}", id="nested-quantifier"),
    pytest.param(r"[\w-]", "", r"[0-9A-Z_a-z\-]", id="class-word"),
    pytest.param(r"\W", "", "[^A-Za-z]", id="non-word"),
    pytest.param(r"\z", "", r"\Z", id="absolute-end"),
    pytest.param("^", "", r"\A", id="caret"),
    pytest.param(".", "", r"[^\n\r\x85\u2028\u2029]", id="dot"),
    pytest.param(".", "d", "(?s:.)", id="dot-all"),
    pytest.param(r"(a)(?<n>b)\1", "", r"(a)(?P<g0>b)\g<1>", id="backreference-number"),
]


@pytest.mark.parametrize(("pattern", "flags", "expected"), TRANSLATION_CASES)
def test_translate_python_pattern(pattern: str, flags: str, expected: str) -> None:
    assert translate(pattern, flags).python_pattern == expected


# (LogScale pattern, value, expected fields)
FIELD_CASES = [
    pytest.param("(?<user>\\w+)@", "bob@x", {"user": "bob"}, id="simple-name"),
    pytest.param("(?<@host.name>[a-z]+)", "web01", {"@host.name": "web"}, id="at-and-dot"),
    pytest.param("(?<#tag>\\d+)", "x42", {"#tag": "42"}, id="hash"),
    pytest.param("(?<a[0]>\\d)", "7", {"a[0]": "7"}, id="brackets"),
    pytest.param("(?<my-field_1>\\d)", "7", {"my-field_1": "7"}, id="hyphen-underscore"),
    pytest.param("(?<n\u00e4me>x)", "x", {"n\u00e4me": "x"}, id="unicode-letter"),
    pytest.param(
        "^ingest-writer-(?<un>un)?compressed-bytes$",
        "ingest-writer-compressed-bytes",
        {},
        id="optional-group-absent",
    ),
    pytest.param(
        "^ingest-writer-(?<un>un)?compressed-bytes$",
        "ingest-writer-uncompressed-bytes",
        {"un": "un"},
        id="optional-group-present",
    ),
    pytest.param("(?<empty>a*)b", "b", {"empty": ""}, id="empty-group-is-present"),
    pytest.param("(?<x>a)|(?<x>b)", "b", {"x": "b"}, id="repeated-name-alternation"),
    pytest.param("(?<x>a)(?<x>b)", "ab", {"x": "b"}, id="repeated-name-last-wins"),
    pytest.param("(?<x>a)(?<x>b)?", "a", {"x": "a"}, id="repeated-name-absent-second"),
    pytest.param("(a)(?<y>b)", "ab", {"y": "b"}, id="plain-group-is-not-a-field"),
    pytest.param(
        "(?<k>\\w+)=(?<v>\\w+)",
        "user=bob",
        {"k": "user", "v": "bob"},
        id="two-fields",
    ),
]


@pytest.mark.parametrize(("pattern", "value", "expected"), FIELD_CASES)
def test_fields_of_match(pattern: str, value: str, expected: dict[str, str]) -> None:
    compiled = translate(pattern)
    match = compiled.search(value)
    assert match is not None
    assert compiled.fields(match) == expected


def test_group_fields_map_python_names() -> None:
    compiled = translate("(?<a.b>x)(y)(?<@c>z)")
    assert compiled.group_fields == (("g0", "a.b"), ("g1", "@c"))


# (LogScale pattern, flags, expected construct, expected offset)
REJECT_CASES = [
    pytest.param("(?P<n>x)", "", "(?P<", 0, id="python-named-group"),
    pytest.param("(?P=n)", "", "(?P", 0, id="python-group-reference"),
    pytest.param("a(?<=b)", "", "(?<=", 1, id="lookbehind"),
    pytest.param("a(?<!b)", "", "(?<!", 1, id="negative-lookbehind"),
    pytest.param("(?<>x)", "", "(?<", 0, id="empty-group-name"),
    pytest.param("(?<a b>x)", "", "(?<", 0, id="space-in-group-name"),
    pytest.param("(?<{a}>x)", "", "(?<", 0, id="braced-group-name"),
    pytest.param("(?>a)", "", "(?>", 0, id="atomic-group"),
    pytest.param("(?#c)", "", "(?#", 0, id="comment-group"),
    pytest.param("(?x)a", "", "(?x", 0, id="verbose-flag"),
    pytest.param("(?d)a", "", "(?d", 0, id="inline-d-flag"),
    pytest.param("(?ix)a", "", "(?ix", 0, id="unknown-inline-flag"),
    pytest.param("(?i--m)a", "", "(?i--", 0, id="double-minus"),
    pytest.param("(?i", "", "(?i", 0, id="unterminated-inline-flags"),
    pytest.param("a(?", "", "(?", 1, id="unterminated-group-construct"),
    pytest.param("a*+", "", "*+", 1, id="possessive-star"),
    pytest.param("a++", "", "++", 1, id="possessive-plus"),
    pytest.param("a?+", "", "?+", 1, id="possessive-optional"),
    pytest.param("a{2}+", "", "{2}+", 1, id="possessive-count"),
    pytest.param("a{2,}+", "", "{2,}+", 1, id="possessive-min-count"),
    pytest.param("a{2,3}+", "", "{2,3}+", 1, id="possessive-count-range"),
    pytest.param("*a", "", "*", 0, id="nothing-to-repeat"),
    pytest.param("a|*", "", "*", 2, id="quantifier-after-alternation"),
    pytest.param("(*)", "", "*", 1, id="quantifier-at-group-start"),
    pytest.param("(?i)*", "", "*", 4, id="quantifier-after-inline-flags"),
    pytest.param("^*", "", "*", 1, id="quantifier-after-anchor"),
    pytest.param(r"\b+", "", "+", 2, id="quantifier-after-boundary"),
    pytest.param("{2}", "", "{2}", 0, id="count-without-atom"),
    pytest.param("a{,2}", "", "{,2}", 1, id="count-without-minimum"),
    pytest.param("a{x}", "", "{x}", 1, id="count-not-a-number"),
    pytest.param('{"a":1}', "", '{"a":1}', 0, id="json-like-braces"),
    pytest.param("a{3,2}", "", "{3,2}", 1, id="count-minimum-above-maximum"),
    pytest.param("a{ 2}", "", "{ 2}", 1, id="count-with-space"),
    pytest.param(r"\p{L}", "", "\\p{", 0, id="property-class"),
    pytest.param(r"\pL", "", "\\p", 0, id="short-property-class"),
    pytest.param(r"\P{L}", "", "\\P{", 0, id="negated-property-class"),
    pytest.param(r"(?<n>a)\k<n>", "", "\\k<", 7, id="named-backreference"),
    pytest.param("[[:alpha:]]", "", "[:alpha:]", 1, id="posix-class"),
    pytest.param("[a[:digit:]]", "", "[:digit:]", 2, id="posix-class-after-item"),
    pytest.param("[a-d[m-p]]", "", "[", 4, id="class-union"),
    pytest.param("[[]", "", "[", 1, id="unescaped-bracket-in-class"),
    pytest.param("[a-z&&[^x]]", "", "&&", 4, id="class-intersection"),
    pytest.param(r"\h", "", "\\h", 0, id="horizontal-space"),
    pytest.param(r"\H", "", "\\H", 0, id="non-horizontal-space"),
    pytest.param(r"\v", "", "\\v", 0, id="vertical-space"),
    pytest.param(r"\V", "", "\\V", 0, id="non-vertical-space"),
    pytest.param(r"\R", "", "\\R", 0, id="linebreak"),
    pytest.param(r"\X", "", "\\X", 0, id="grapheme-cluster"),
    pytest.param(r"\G", "", "\\G", 0, id="previous-match-end"),
    pytest.param(r"\e", "", "\\e", 0, id="escape-character"),
    pytest.param(r"\C", "", "\\C", 0, id="single-byte"),
    pytest.param(r"\N{SPACE}", "", "\\N{", 0, id="named-character"),
    pytest.param(r"\u{41}", "", "\\u{", 0, id="braced-unicode-escape"),
    pytest.param(r"\b{g}", "", "\\b{", 0, id="unicode-boundary"),
    pytest.param(r"[\h]", "", "\\h", 1, id="horizontal-space-in-class"),
    pytest.param(r"[\p{L}]", "", "\\p{", 1, id="property-class-in-class"),
    pytest.param(r"\y", "", "\\y", 0, id="unknown-letter-escape"),
    pytest.param(r"a\E", "", "\\E", 1, id="quote-end-without-start"),
    pytest.param("a\\", "", "\\", 1, id="trailing-backslash"),
    pytest.param(r"\x4", "", "\\x", 0, id="short-hex-escape"),
    pytest.param(r"\xzz", "", "\\x", 0, id="invalid-hex-escape"),
    pytest.param(r"\x{110000}", "", "\\x{", 0, id="hex-escape-above-max"),
    pytest.param(r"\x{41", "", "\\x{", 0, id="unclosed-braced-hex-escape"),
    pytest.param(r"\u12", "", "\\u", 0, id="short-unicode-escape"),
    pytest.param(r"\0", "", "\\0", 0, id="octal-without-digits"),
    pytest.param(r"\0a", "", "\\0", 0, id="octal-with-letter"),
    pytest.param(r"\ca", "", "\\c", 0, id="lowercase-control"),
    pytest.param("\\c", "", "\\c", 0, id="control-at-end"),
    pytest.param(r"\1", "", "\\1", 0, id="backreference-without-group"),
    pytest.param(r"(a)\2", "", "\\2", 3, id="backreference-past-last-group"),
    pytest.param(r"(?<n>a)\1", "", "\\1", 7, id="backreference-to-named-group"),
    pytest.param(r"(a)\10", "", "\\10", 3, id="multi-digit-backreference"),
    pytest.param(r"(a)[\1]", "", "\\1", 4, id="backreference-in-class"),
    pytest.param(r"[\Q]", "", "\\Q", 1, id="quote-in-class"),
    pytest.param(r"[\A]", "", "\\A", 1, id="anchor-in-class"),
    pytest.param("[z-a]", "", "-", 2, id="reversed-range"),
    pytest.param(r"[a-\d]", "", "-", 2, id="range-to-class"),
    pytest.param("[abc", "", "[", 0, id="unclosed-class"),
    pytest.param("[]", "", "[", 0, id="class-with-only-bracket"),
    pytest.param("[a\\", "", "[", 2, id="class-ends-with-backslash"),
    pytest.param("(ab", "", "(", 0, id="unclosed-group"),
    pytest.param("a(b(c)", "", "(", 1, id="unclosed-outer-group"),
    pytest.param("ab)", "", ")", 2, id="unmatched-close"),
    pytest.param("a{4294967296}", "", "{", 1, id="count-too-large"),
]


@pytest.mark.parametrize(("pattern", "flags", "construct", "position"), REJECT_CASES)
def test_translate_rejects(pattern: str, flags: str, construct: str, position: int) -> None:
    with pytest.raises(RegexTranslationError) as raised:
        translate(pattern, flags)
    assert raised.value.construct == construct
    assert raised.value.position == position
    assert raised.value.pattern == pattern
    assert raised.value.reason


def test_rejection_message_names_construct_and_offset() -> None:
    with pytest.raises(RegexTranslationError) as raised:
        translate("a(?<=b)")
    message = str(raised.value)
    assert "'(?<='" in message
    assert "offset 1" in message
    assert "/a(?<=b)/" in message


@pytest.mark.parametrize(
    ("flags", "letter", "position"),
    [
        pytest.param("x", "x", 4, id="unknown-letter"),
        pytest.param("iu", "u", 5, id="unknown-after-known"),
        pytest.param("I", "I", 4, id="uppercase-i"),
        pytest.param("s", "s", 4, id="java-dotall-letter"),
    ],
)
def test_translate_rejects_flag(flags: str, letter: str, position: int) -> None:
    with pytest.raises(RegexTranslationError) as raised:
        translate("ab", flags)
    assert raised.value.construct == letter
    assert raised.value.position == position


@pytest.mark.parametrize(
    ("flags", "expected"),
    [
        pytest.param("", regex.V0, id="none"),
        pytest.param("i", regex.V0 | regex.IGNORECASE, id="ignore-case"),
        pytest.param("m", regex.V0, id="multiline-in-pattern"),
        pytest.param("d", regex.V0, id="dotall-in-pattern"),
        pytest.param("gF", regex.V0, id="repeat-and-engine"),
        pytest.param("idmgF", regex.V0 | regex.IGNORECASE, id="all"),
    ],
)
def test_python_flags(flags: str, expected: int) -> None:
    compiled = translate("a", flags)
    assert compiled.python_flags == expected
    assert compiled.flags == flags


@pytest.mark.parametrize(
    ("flags", "expected"),
    [
        pytest.param("", False, id="absent"),
        pytest.param("g", True, id="alone"),
        pytest.param("im", False, id="other-flags"),
        pytest.param("ig", True, id="with-other-flags"),
    ],
)
def test_global_flag(flags: str, expected: bool) -> None:
    assert translate("a", flags).global_flag is expected


def test_engine_flag_changes_nothing() -> None:
    assert translate(r"\W+", "F").python_pattern == translate(r"\W+").python_pattern


def test_translate_keeps_pattern_text() -> None:
    compiled = translate(r"\/x", "i")
    assert compiled.pattern == r"\/x"
    assert compiled.flags == "i"


def test_translate_caches_result() -> None:
    assert translate("cache-me", "i") is translate("cache-me", "i")


def test_constructor_compiles_pattern() -> None:
    compiled = LogScaleRegex("x", "", "x+", regex.V0, ())
    match = compiled.search("axx")
    assert match is not None
    assert match.group() == "xx"


def test_search_from_position() -> None:
    compiled = translate("a")
    match = compiled.search("aba", 1)
    assert match is not None
    assert match.start() == 2


def test_search_from_position_keeps_input_start() -> None:
    assert translate("^b").search("ab", 1) is None


# (LogScale pattern, flags, value, matched texts)
FINDITER_CASES = [
    pytest.param(
        "value[^=]*=(?<someBar>\\S+)",
        "",
        "type=foo value=bar1 valueExtra=bar2 value=bar3",
        ["value=bar1", "valueExtra=bar2", "value=bar3"],
        id="repeat-example",
    ),
    pytest.param("a*", "", "aa", ["aa"], id="no-empty-match-after-final-match"),
    pytest.param("a*", "", "ab", ["a", "", ""], id="empty-matches"),
    pytest.param("x", "", "", [], id="empty-value"),
    pytest.param("", "", "ab", ["", "", ""], id="empty-pattern"),
    pytest.param("^a", "m", "a\na\nb", ["a", "a"], id="line-starts"),
    pytest.param("^a", "", "aa", ["a"], id="input-start-once"),
]


@pytest.mark.parametrize(("pattern", "flags", "value", "expected"), FINDITER_CASES)
def test_finditer_matches(pattern: str, flags: str, value: str, expected: list[str]) -> None:
    matches = translate(pattern, flags).finditer(value)
    assert [match.group() for match in matches] == expected


def test_finditer_fields_per_match() -> None:
    compiled = translate("value[^=]*=(?<someBar>\\S+)", "g")
    value = "type=foo value=bar1 valueExtra=bar2 value=bar3"
    fields = [compiled.fields(match) for match in compiled.finditer(value)]
    assert fields == [{"someBar": "bar1"}, {"someBar": "bar2"}, {"someBar": "bar3"}]


@pytest.mark.parametrize(
    ("pattern", "timeout"),
    [
        pytest.param("(a+)+$", 1e-9, id="nested-plus-tiny-limit"),
        pytest.param("(?:a|a)+c", 0.05, id="ambiguous-alternation"),
    ],
)
def test_search_timeout_raises_execution_error(
    monkeypatch: pytest.MonkeyPatch, pattern: str, timeout: float
) -> None:
    monkeypatch.setattr(regexes, "MATCH_TIMEOUT_SECONDS", timeout)
    with pytest.raises(ExecutionError) as raised:
        translate(pattern).search("a" * 40 + "b")
    assert f"/{pattern}/" in raised.value.description
    assert "catastrophic backtracking" in raised.value.description
    assert raised.value.hint is not None
    assert "simplify" in raised.value.hint


def test_finditer_timeout_raises_execution_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(regexes, "MATCH_TIMEOUT_SECONDS", 1e-9)
    with pytest.raises(ExecutionError):
        list(translate("(a+)+$").finditer("a" * 40 + "b"))


QUOTED_TEXTS = [
    pytest.param(string.punctuation, id="ascii-punctuation"),
    pytest.param(".*+?{}()[]^$|\\", id="metacharacters"),
    pytest.param("a\\b\\", id="backslashes"),
    pytest.param("[[:alpha:]] && \\p{L} (?<=x) a*+", id="rejected-constructs"),
    pytest.param(" \t\n\r\x0b\f\x00\x7f", id="whitespace-and-controls"),
    pytest.param("caf\u00e9 \u03a3 \u2028 \u0085 \U0001f600", id="non-ascii"),
    pytest.param("{2}{,}{", id="braces"),
    pytest.param("\\Q nested", id="nested-quote-start"),
    pytest.param("", id="empty"),
]


@pytest.mark.parametrize("text", QUOTED_TEXTS)
def test_quoted_text_matches_itself(text: str) -> None:
    compiled = translate(f"\\Q{text}\\E", "")
    match = compiled.search(f"<{text}>")
    assert match is not None
    assert match.group() == text


@pytest.mark.parametrize("text", QUOTED_TEXTS)
def test_quoted_text_matches_itself_ignoring_case(text: str) -> None:
    compiled = translate(f"\\Q{text}\\E", "i")
    match = compiled.search(text)
    assert match is not None
    assert match.group() == text


@pytest.mark.parametrize("code_point", [*range(0x00, 0x80), 0x85, 0xA0, 0xE9, 0x2028, 0xFFFF])
def test_escaped_character_class_member_matches_itself(code_point: int) -> None:
    char = chr(code_point)
    compiled = translate(f"[\\x{{{code_point:x}}}]")
    match = compiled.search(char)
    assert match is not None
    assert match.group() == char
