"""Tests for the literals and event types that a plan requires of every matching event."""

from __future__ import annotations

import random
from pathlib import Path

import pytest
import regex

from cqlkit.errors import RegexTranslationError
from cqlkit.language.regexes import translate
from cqlkit.plan.planner import plan_query
from cqlkit.plan.requirements import (
    MIN_LITERAL_LENGTH,
    Literal,
    LiteralRequirement,
    glob_pieces,
    may_be_number,
    regex_requirement,
    regex_whole_values,
    required_event_types,
    required_literals,
)

CMSTP_DIR = Path(__file__).resolve().parents[2] / "src/cqlkit/detections/catalog/T1218.003-cmstp"

Alternative = tuple[str, bool, str | None]


def alternatives(query: str) -> list[Alternative] | None:
    requirement = required_literals(plan_query(query, lenient=True))
    if requirement is None:
        return None
    return [
        (literal.text, literal.ignore_case, literal.field) for literal in requirement.alternatives
    ]


def event_types(query: str, tag: str = "#event_simpleName") -> set[str] | None:
    types = required_event_types(plan_query(query, lenient=True), tag)
    return None if types is None else set(types)


# --- the CMSTP detection ------------------------------------------------------------


@pytest.mark.parametrize("file_name", ["query.cql", "published.cql"])
def test_cmstp_requires_cmstp_exe(file_name: str) -> None:
    plan = plan_query((CMSTP_DIR / file_name).read_text(encoding="utf-8"), lenient=True)
    requirement = required_literals(plan)

    assert requirement is not None
    (literal,) = requirement.alternatives
    assert literal == Literal("\\cmstp.exe", ignore_case=True, field="ImageFileName")
    assert "cmstp.exe" in literal.text


@pytest.mark.parametrize("file_name", ["query.cql", "published.cql"])
def test_cmstp_requires_process_rollup(file_name: str) -> None:
    plan = plan_query((CMSTP_DIR / file_name).read_text(encoding="utf-8"), lenient=True)

    assert required_event_types(plan) == frozenset({"ProcessRollup2"})


# --- predicates -----------------------------------------------------------------------

LITERAL_CASES = [
    pytest.param(
        "ImageFileName = *cmstp.exe*",
        [("cmstp.exe", False, "ImageFileName")],
        id="glob",
    ),
    pytest.param(
        "ImageFileName = *System32*cmd.exe",
        [("System32", False, "ImageFileName")],
        id="glob-longest-piece",
    ),
    pytest.param(
        "ImageFileName = *\\System32\\*\\cmd.exe",
        [("\\System32*\\cmd.exe", False, "ImageFileName")],
        id="glob-escaped-star",
    ),
    pytest.param("UserName = Administrator", [("Administrator", False, "UserName")], id="equals"),
    pytest.param("EventID = 4688", None, id="equals-number"),
    pytest.param('UserName = "404.0"', None, id="equals-decimal"),
    pytest.param("UserName = ab", None, id="equals-too-short"),
    pytest.param(
        "ImageFileName = *cmstp* or CommandLine = *regsvr32*",
        [("cmstp", False, "ImageFileName"), ("regsvr32", False, "CommandLine")],
        id="or-of-globs",
    ),
    pytest.param("ImageFileName = *cmstp* or CommandLine = *ab*", None, id="or-short-part"),
    pytest.param("ImageFileName = *cmstp* or RiskScore > 0", None, id="or-comparison"),
    pytest.param("ImageFileName != *cmstp*", None, id="not-equal"),
    pytest.param("not ImageFileName = *cmstp*", None, id="negation"),
    pytest.param("ImageFileName = *", None, id="exists"),
    pytest.param(
        "ImageFileName = *cmd* CommandLine = *powershell*",
        [("powershell", False, "CommandLine")],
        id="and-longest",
    ),
    pytest.param(
        "#event_simpleName = ProcessRollup2 ImageFileName = *cmd.exe*",
        [("cmd.exe", False, "ImageFileName")],
        id="and-tag-ranks-last",
    ),
    pytest.param(
        "#event_simpleName = ProcessRollup2",
        [("ProcessRollup2", False, "#event_simpleName")],
        id="tag-alone",
    ),
    pytest.param(
        "ImageFileName = *cmd* | CommandLine = *powershell*",
        [("powershell", False, "CommandLine")],
        id="filters-in-sequence",
    ),
    pytest.param(
        "ImageFileName = /(?i)\\\\cmstp\\.exe$/",
        [("\\cmstp.exe", True, "ImageFileName")],
        id="regex",
    ),
    pytest.param("ImageFileName != /cmstp/", None, id="regex-negated"),
    pytest.param(
        'in(ImageFileName, values=["*\\\\cmstp.exe", "*\\\\regsvr32.exe"], ignoreCase=true)',
        [("\\cmstp.exe", True, "ImageFileName"), ("\\regsvr32.exe", True, "ImageFileName")],
        id="in-globs",
    ),
    pytest.param(
        'in(UserName, values=["admin", "root"])',
        [("admin", False, "UserName"), ("root", False, "UserName")],
        id="in-values",
    ),
    pytest.param('in(ImageFileName, values=["*", "cmstp.exe"])', None, id="in-bare-star"),
    pytest.param('in(EventID, values=["4688", "Administrator"])', None, id="in-number"),
    pytest.param('!in(ImageFileName, values=["cmstp.exe"])', None, id="in-negated"),
    pytest.param(
        'wildcard(field=ImageFileName, pattern="*cmstp*", ignoreCase=true)',
        [("cmstp", True, "ImageFileName")],
        id="wildcard",
    ),
    pytest.param(
        'wildcard(field=[ImageFileName, CommandLine], pattern="*cmstp*")',
        [("cmstp", False, "ImageFileName"), ("cmstp", False, "CommandLine")],
        id="wildcard-fields",
    ),
    pytest.param('wildcard(pattern="cmstp")', [("cmstp", False, None)], id="wildcard-free-text"),
    pytest.param(
        'regex("(?<name>cmstp)\\\\.exe", field=ImageFileName)',
        [("cmstp.exe", False, "ImageFileName")],
        id="regex-function",
    ),
    pytest.param('regex("abcd")', [("abcd", False, "@rawstring")], id="regex-function-rawstring"),
    pytest.param("cmstp", [("cmstp", False, None)], id="free-text-word"),
    pytest.param('"cmstp.exe"', [("cmstp.exe", False, None)], id="free-text-string"),
    pytest.param("/cmstp\\.exe/i", [("cmstp.exe", True, None)], id="free-text-regex"),
    pytest.param('test(ImageFileName == "cmstp.exe")', None, id="test-function"),
    pytest.param(
        "ImageFileName = *cmstp.exe* | groupBy(ImageFileName)",
        [("cmstp.exe", False, "ImageFileName")],
        id="filter-before-aggregate",
    ),
    pytest.param("groupBy(ImageFileName) | ImageFileName = *cmstp*", None, id="after-aggregate"),
    pytest.param('x := "cmstp.exe" | x = *cmstp*', None, id="after-assignment"),
    pytest.param(
        "ImageFileName := lower(CommandLine) | ImageFileName = *cmstp*",
        None,
        id="after-assignment-to-same-field",
    ),
    pytest.param(
        'regex("(?<exe>[a-z]+)\\\\.exe", field=ImageFileName) | exe = cmstp',
        [(".exe", False, "ImageFileName")],
        id="after-extraction",
    ),
    pytest.param("case { ImageFileName = *cmstp* ; * }", None, id="case"),
    pytest.param(
        "ImageFileName match { *cmstp* => x := 1 ; * => x := 2 }", None, id="match-statement"
    ),
]


@pytest.mark.parametrize(("query", "expected"), LITERAL_CASES)
def test_required_literals(query: str, expected: list[Alternative] | None) -> None:
    assert alternatives(query) == expected


def test_searchable_drops_field_literals() -> None:
    plan = plan_query("#event_simpleName = ProcessRollup2 ImageFileName = *cmd.exe*")

    requirement = required_literals(plan, searchable=lambda field: field != "ImageFileName")

    assert requirement == LiteralRequirement(
        (Literal("ProcessRollup2", False, "#event_simpleName"),)
    )


def test_searchable_drops_free_text() -> None:
    plan = plan_query("cmstp")

    assert required_literals(plan, searchable=lambda field: field is not None) is None


def test_requirement_alternatives_are_searchable() -> None:
    for case in LITERAL_CASES:
        expected = case.values[1]
        assert isinstance(expected, list | type(None))
        for text, _, _ in expected or []:
            assert len(text) >= MIN_LITERAL_LENGTH, case.id


@pytest.mark.parametrize(
    ("pattern", "pieces"),
    [
        ("*cmstp*", ["", "cmstp", ""]),
        ("a\\*b*c", ["a*b", "c"]),
        ("\\cmstp.exe", ["\\cmstp.exe"]),
        ("**", ["", "", ""]),
    ],
)
def test_glob_pieces(pattern: str, pieces: list[str]) -> None:
    assert glob_pieces(pattern) == pieces


@pytest.mark.parametrize(
    ("text", "expected"),
    [("404", True), ("-1.5e3", True), (" 404", True), ("4688a", False), ("e", False)],
)
def test_may_be_number(text: str, expected: bool) -> None:
    assert may_be_number(text) is expected


# --- regexes ---------------------------------------------------------------------------

REGEX_CASES = [
    pytest.param("(?i)\\\\cmstp\\.exe$", "", {("\\cmstp.exe", True)}, id="anchored-escapes"),
    pytest.param("cmstp\\.exe", "i", {("cmstp.exe", True)}, id="flag-i"),
    pytest.param(
        "(cmd|powershell)\\.exe",
        "",
        {("cmd.exe", False), ("powershell.exe", False)},
        id="alternation-product",
    ),
    pytest.param("(?i)abcd|efgh", "", {("abcd", True), ("efgh", False)}, id="inline-flag-scope"),
    pytest.param("abc(?i:def)", "", {("abcdef", True)}, id="scoped-flag-any"),
    pytest.param("(?i)abc(?-i)defg", "", {("abcdefg", True)}, id="flag-off-still-any"),
    pytest.param("cmstp(\\.exe)?", "", {("cmstp", False)}, id="optional-suffix"),
    pytest.param("x*cmstp", "", {("cmstp", False)}, id="star-prefix"),
    pytest.param("(abc)*def", "", {("def", False)}, id="star-group"),
    pytest.param("(abc)+def", "", {("abcdef", False)}, id="plus-group"),
    pytest.param("a{2}bc", "", {("aabc", False)}, id="counted"),
    pytest.param("\\Qabc\\E+d", "", {("abc", False)}, id="quote-quantifier"),
    pytest.param("C:\\\\Windows\\\\", "", {("C:\\Windows\\", False)}, id="backslashes"),
    pytest.param("\\/api\\/v1", "", {("/api/v1", False)}, id="slashes"),
    pytest.param("\\x41BC\\u0044", "", {("ABCD", False)}, id="hex-escapes"),
    pytest.param("[cC][mM][dD]\\.exe", "", {("cmd.exe", True)}, id="case-pair-classes"),
    pytest.param("cmd[.]exe", "", {("cmd.exe", False)}, id="single-character-class"),
    pytest.param("[a-z]+\\.exe", "", {(".exe", False)}, id="range-class"),
    pytest.param("abc(?=d)def", "", {("abcdef", False)}, id="lookahead"),
    pytest.param("(abc)\\1", "", {("abc", False)}, id="backreference"),
    pytest.param("\\bcmd\\b", "", {("cmd", False)}, id="word-boundary"),
    pytest.param(
        "(a|b)(c|d)(e|f)(g|h)(i|j)(k|l)(m|n)xyz",
        "",
        {("mxyz", False), ("nxyz", False)},
        id="large-product",
    ),
    pytest.param("x(cmd|cmd\\.exe)", "i", {("xcmd", True)}, id="contained-texts-dropped"),
    pytest.param("\\d+", "", None, id="class-only"),
    pytest.param("ab", "", None, id="too-short"),
    pytest.param("cmstp|ab", "", None, id="short-branch"),
    pytest.param("(cmstp)?", "", None, id="optional"),
    pytest.param("abc{", "", {("abc{", False)}, id="literal-brace"),
]


@pytest.mark.parametrize(("pattern", "flags", "expected"), REGEX_CASES)
def test_regex_requirement(
    pattern: str, flags: str, expected: set[tuple[str, bool]] | None
) -> None:
    texts = regex_requirement(translate(pattern, flags))

    assert (None if texts is None else set(texts)) == expected


@pytest.mark.parametrize(
    ("pattern", "flags", "expected"),
    [
        (
            "^(ProcessRollup2|SyntheticProcessRollup2)$",
            "",
            {"ProcessRollup2", "SyntheticProcessRollup2"},
        ),
        ("^ProcessRollup2$|^DnsRequest$", "", {"ProcessRollup2", "DnsRequest"}),
        ("\\AProcessRollup2\\z", "", {"ProcessRollup2"}),
        ("^(ProcessRollup2|SyntheticProcessRollup2)$", "m", None),
        ("^ProcessRollup2$", "i", None),
        ("ProcessRollup2", "", None),
        ("^ProcessRollup2", "", None),
        ("^Process.*$", "", None),
    ],
)
def test_regex_whole_values(pattern: str, flags: str, expected: set[str] | None) -> None:
    values = regex_whole_values(translate(pattern, flags))

    assert (None if values is None else set(values)) == expected


# A property test: every value a random regex matches contains a required text.

_ATOMS = ["a", "b", "c", "A", "B", ".", "[ab]", "[aA]", "\\.", "\\d", "ab", "abc", "bca"]
_QUANTIFIERS = ["", "", "", "?", "*", "+", "{2}", "{1,2}"]


def _random_pattern(rng: random.Random, depth: int = 0) -> str:
    parts = []
    for _ in range(rng.randint(1, 5)):
        roll = rng.random()
        if roll < 0.15 and depth < 2:
            branches = [_random_pattern(rng, depth + 1) for _ in range(rng.randint(1, 3))]
            opener = rng.choice(["(", "(?:", "(?i:", "(?<g>"]) if depth == 0 else "(?:"
            atom = opener + "|".join(branches) + ")"
        elif roll < 0.2:
            atom = rng.choice(["(?i)", "(?-i)", "^", "$", "\\b"])
            parts.append(atom)
            continue
        else:
            atom = rng.choice(_ATOMS)
        parts.append(atom + rng.choice(_QUANTIFIERS))
    return "".join(parts)


def _random_value(rng: random.Random) -> str:
    pieces = ["a", "b", "c", "A", "B", "C", ".", "1", "ab", "abc", "bca", "ABC", "\u017f"]
    return "".join(rng.choice(pieces) for _ in range(rng.randint(0, 8)))


def _contains(value: str, text: str, ignore_case: bool) -> bool:
    flags = regex.IGNORECASE if ignore_case else 0
    return regex.search(regex.escape(text), value, flags=flags) is not None


def test_regex_requirement_holds_for_random_patterns() -> None:
    rng = random.Random(20240601)
    checked = 0
    for _ in range(1500):
        pattern = _random_pattern(rng)
        try:
            compiled = translate(pattern, rng.choice(["", "", "i"]))
        except RegexTranslationError:
            continue
        texts = regex_requirement(compiled)
        if texts is None:
            continue
        for _ in range(60):
            value = _random_value(rng)
            if compiled.search(value) is None:
                continue
            checked += 1
            assert any(_contains(value, text, case) for text, case in texts), (pattern, value)
    assert checked > 200


def _random_anchored_pattern(rng: random.Random) -> str:
    branches = []
    for _ in range(rng.randint(1, 3)):
        atoms = [rng.choice(["a", "b", "ab", "B", "(?:a|bc)"]) for _ in range(rng.randint(1, 4))]
        branches.append("".join(atom + rng.choice(["", "", "?", "{2}"]) for atom in atoms))
    return "^(" + "|".join(branches) + ")$"


def test_regex_whole_values_hold_for_random_patterns() -> None:
    rng = random.Random(20240602)
    checked = 0
    for _ in range(500):
        pattern = _random_anchored_pattern(rng)
        compiled = translate(pattern)
        values = regex_whole_values(compiled)
        assert values is not None, pattern
        for _ in range(100):
            value = "".join(
                rng.choice(["a", "b", "c", "B", "ab"]) for _ in range(rng.randint(0, 6))
            )
            if compiled.search(value) is not None:
                checked += 1
                assert value in values, (pattern, value)
        for value in values:
            assert compiled.search(value) is not None, (pattern, value)
    assert checked > 200


# --- event types -------------------------------------------------------------------------

EVENT_TYPE_CASES = [
    pytest.param("#event_simpleName = ProcessRollup2", {"ProcessRollup2"}, id="equals"),
    pytest.param(
        "#event_simpleName = /^(ProcessRollup2|SyntheticProcessRollup2)$/",
        {"ProcessRollup2", "SyntheticProcessRollup2"},
        id="anchored-regex",
    ),
    pytest.param("#event_simpleName = /ProcessRollup2/", None, id="unanchored-regex"),
    pytest.param("#event_simpleName = /^ProcessRollup2$/i", None, id="case-insensitive-regex"),
    pytest.param(
        'regex("^(ProcessRollup2|DnsRequest)$", field=#event_simpleName)',
        None,
        id="regex-function-multiline",
    ),
    pytest.param(
        "in(#event_simpleName, values=[ProcessRollup2, SyntheticProcessRollup2])",
        {"ProcessRollup2", "SyntheticProcessRollup2"},
        id="in",
    ),
    pytest.param("in(#event_simpleName, values=[Process*])", None, id="in-glob"),
    pytest.param(
        "#event_simpleName = ProcessRollup2 or #event_simpleName = DnsRequest",
        {"ProcessRollup2", "DnsRequest"},
        id="or",
    ),
    pytest.param("#event_simpleName = ProcessRollup2 or UserName = x", None, id="or-other-field"),
    pytest.param(
        "#event_simpleName = /^(ProcessRollup2|DnsRequest)$/ | #event_simpleName = ProcessRollup2",
        {"ProcessRollup2"},
        id="intersection",
    ),
    pytest.param("#event_simpleName != ProcessRollup2", None, id="negation"),
    pytest.param("UserName = admin", None, id="no-tag-filter"),
    pytest.param("x := 1 | #event_simpleName = ProcessRollup2", None, id="after-assignment"),
]


@pytest.mark.parametrize(("query", "expected"), EVENT_TYPE_CASES)
def test_required_event_types(query: str, expected: set[str] | None) -> None:
    assert event_types(query) == expected


def test_required_event_types_other_tag() -> None:
    assert event_types("#repo = falcon #event_simpleName = DnsRequest", tag="#repo") == {"falcon"}
