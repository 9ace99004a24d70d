"""Tests for the NDJSON line prefilter: soundness rules, line handling and engine agreement."""

from __future__ import annotations

import json
import random
from collections.abc import Iterator
from pathlib import Path

import orjson
import pytest
import regex

from cqlkit.plan.planner import plan_query
from cqlkit.plan.requirements import Literal, LiteralRequirement, required_literals
from cqlkit.sources import prefilter
from cqlkit.sources.casefold_table import CASE_PARTNERS, compute_case_partners
from cqlkit.sources.prefilter import (
    HYPERSCAN_AVAILABLE,
    EngineName,
    LineFilter,
    search_texts,
    searchable_run,
)

CMSTP_QUERY = (
    Path(__file__).resolve().parents[2] / "src/cqlkit/detections/catalog/T1218.003-cmstp/query.cql"
)

ENGINES = [
    pytest.param("python", id="python"),
    pytest.param(
        "hyperscan",
        id="hyperscan",
        marks=pytest.mark.skipif(not HYPERSCAN_AVAILABLE, reason="hyperscan is not installed"),
    ),
]


def requirement(
    text: str, ignore_case: bool = False, field: str | None = "f"
) -> LiteralRequirement:
    return LiteralRequirement((Literal(text, ignore_case, field),))


def cmstp_requirement() -> LiteralRequirement:
    found = required_literals(plan_query(CMSTP_QUERY.read_text(encoding="utf-8"), lenient=True))
    assert found is not None
    return found


def kept(line_filter: LineFilter, chunk: bytes) -> list[bytes]:
    return list(line_filter.filter_chunk(chunk))


# --- soundness rules ----------------------------------------------------------------------

CMSTP_LINES = [
    pytest.param(
        b'{"ImageFileName":"\\\\Device\\\\HarddiskVolume2\\\\Windows\\\\System32\\\\cmstp.exe"}',
        True,
        id="plain",
    ),
    pytest.param(b'{"ImageFileName":"C:\\\\WINDOWS\\\\CMSTP.EXE"}', True, id="upper-case"),
    pytest.param('{"ImageFileName":"cm\u017ftp.exe"}'.encode(), True, id="long-s"),
    pytest.param('{"ImageFileName":"CM\u017fTP.EXE"}'.encode(), True, id="long-s-upper"),
    pytest.param(b'{"ImageFileName":"\\u0063mstp.exe"}', True, id="unicode-escape"),
    pytest.param(b'{"ImageFileName":"cmstp\\u002eexe"}', True, id="unicode-escape-dot"),
    pytest.param(b'{"ImageFileName":"C:\\\\\\u0063mstp.exe"}', True, id="escape-after-backslash"),
    pytest.param(b'{"ImageFileName":"C:\\\\u0063mstp.exe"}', False, id="escaped-backslash-u"),
    pytest.param(b'{"ImageFileName":"C:\\\\users\\\\notepad.exe"}', False, id="backslash-users"),
    pytest.param(b'{"ImageFileName":"notepad.exe"}', False, id="other-program"),
    pytest.param(b'{"ImageFileName":"cmstp.ex"}', False, id="truncated"),
    pytest.param(b'{"ImageFileName":"cmst p.exe"}', False, id="interrupted"),
    pytest.param('{"UserName":"Stra\u00dfe"}'.encode(), True, id="sharp-s-anywhere"),
    pytest.param(b'{"ImageFileName":"cmstp.exe"}', True, id="no-newline"),
]


@pytest.mark.parametrize("engine", ENGINES)
@pytest.mark.parametrize(("line", "expected"), CMSTP_LINES)
def test_cmstp_line_kept(engine: EngineName, line: bytes, expected: bool) -> None:
    line_filter = LineFilter([cmstp_requirement()], engine=engine)

    assert line_filter.keep(line) is expected
    assert line_filter.keep(line + b"\n") is expected
    assert kept(line_filter, line + b"\n") == ([line + b"\n"] if expected else [])


RULE_CASES = [
    pytest.param(requirement("kerberos", True), "\u212aERBEROS".encode(), True, id="kelvin-sign"),
    pytest.param(
        requirement("winword", True), "W\u0130NWORD".encode(), True, id="dotted-capital-i"
    ),
    pytest.param(requirement("winword", True), "W\u0131nword".encode(), True, id="dotless-i"),
    pytest.param(requirement("ProcessRollup2"), b"processrollup2", False, id="case-sensitive"),
    pytest.param(requirement("ProcessRollup2"), b"ProcessRollup2", True, id="case-sensitive-hit"),
    pytest.param(requirement("/api/v1"), b'"\\/api\\/v1"', True, id="escaped-slash"),
    pytest.param(requirement("/api/v1"), b'"/api/v1"', True, id="plain-slash"),
    pytest.param(requirement("/api/v1"), b'"\\\\/api"', False, id="backslash-then-slash"),
    pytest.param(requirement("cmstp.exe"), b'"a\\/b"', False, id="escaped-slash-not-needed"),
    pytest.param(requirement('--name "evil.exe"'), b'"--name \\"evil.exe\\""', True, id="quotes"),
    pytest.param(
        requirement("C:\\Windows\\System32\\cmstp.exe"),
        b'"C:\\\\Windows\\\\System32\\\\cmstp.exe"',
        True,
        id="backslashes",
    ),
    pytest.param(requirement("tab\there"), b'"tab\\there"', True, id="control-character"),
    pytest.param(requirement("M\u00fcller"), "M\u00fcller".encode(), True, id="non-ascii"),
    pytest.param(requirement("M\u00fcller"), b'"M\\u00fcller"', True, id="non-ascii-escaped"),
    pytest.param(requirement("M\u00fcller"), b'"Muller"', False, id="non-ascii-missing"),
    pytest.param(
        requirement("m\u00fcller", True), "M\u00dcLLER".encode(), True, id="non-ascii-ignore-case"
    ),
    pytest.param(requirement("1000.0"), b'{"a":1e3}', True, id="number-text"),
    pytest.param(requirement("1000.0"), b'{"a":"x"}', True, id="number-text-keeps-all"),
    pytest.param(requirement("ab\ud800cdef"), b'"cdef"', True, id="lone-surrogate"),
]


@pytest.mark.parametrize("engine", ENGINES)
@pytest.mark.parametrize(("required", "line", "expected"), RULE_CASES)
def test_rule_line_kept(
    engine: EngineName, required: LiteralRequirement, line: bytes, expected: bool
) -> None:
    line_filter = LineFilter([required], engine=engine)

    assert line_filter.keep(line) is expected


@pytest.mark.parametrize(
    ("literal", "run"),
    [
        (Literal("\\cmstp.exe", True, "ImageFileName"), "cmstp.exe"),
        (Literal("C:\\Windows\\System32\\", False, None), "System32"),
        (Literal('say "hello"', False, None), "hello"),
        (Literal("stra\u00dfe-wien", True, None), "e-wien"),
        (Literal("stra\u00dfe-wien", False, None), "stra\u00dfe-wien"),
        (Literal("\\\\", False, None), ""),
    ],
)
def test_searchable_run(literal: Literal, run: str) -> None:
    assert searchable_run(literal) == run


def test_search_texts_cmstp() -> None:
    texts = search_texts([cmstp_requirement()])

    assert texts.ascii_caseless == {b"cmstp.exe"}
    assert texts.escapes == {b"u"}
    assert "\u017f".encode() in texts.exact
    assert not texts.keep_all


def test_search_texts_slash_escape() -> None:
    assert search_texts([requirement("/api/v1")]).escapes == {b"u", b"/"}


def test_search_texts_unsearchable_keeps_all() -> None:
    assert search_texts([requirement('\\"\\')]).keep_all


# --- lines and chunks ---------------------------------------------------------------------------

LINES = [
    b'{"ImageFileName":"C:\\\\cmstp.exe"}\n',
    b'{"ImageFileName":"C:\\\\notepad.exe"}\n',
    b"\n",
    b'{"CommandLine":"regsvr32 /s x.dll"}\r\n',
    b'{"ImageFileName":"CMSTP.EXE","n":1}\n',
    b'{"ImageFileName":"calc.exe"}\n',
    b'{"ImageFileName":"C:\\\\cmstp.exe"}',
]


@pytest.mark.parametrize("engine", ENGINES)
def test_filter_chunk_keeps_whole_lines(engine: EngineName) -> None:
    line_filter = LineFilter([cmstp_requirement()], engine=engine)

    assert kept(line_filter, b"".join(LINES)) == [LINES[0], LINES[4], LINES[6]]


@pytest.mark.parametrize("engine", ENGINES)
def test_filter_chunk_empty(engine: EngineName) -> None:
    line_filter = LineFilter([cmstp_requirement()], engine=engine)

    assert kept(line_filter, b"") == []


@pytest.mark.parametrize("engine", ENGINES)
def test_filter_chunks_split_anywhere(engine: EngineName) -> None:
    line_filter = LineFilter([cmstp_requirement()], engine=engine)
    whole = kept(line_filter, b"".join(LINES))

    for cut in range(1, len(LINES)):
        first = kept(line_filter, b"".join(LINES[:cut]))
        second = kept(line_filter, b"".join(LINES[cut:]))
        assert first + second == whole, cut


@pytest.mark.parametrize("engine", ENGINES)
def test_several_queries_keep_union(engine: EngineName) -> None:
    requirements = [cmstp_requirement(), requirement("regsvr32", True, "CommandLine")]
    line_filter = LineFilter(requirements, engine=engine)

    assert kept(line_filter, b"".join(LINES)) == [LINES[0], LINES[3], LINES[4], LINES[6]]


@pytest.mark.parametrize("engine", ENGINES)
def test_alternatives_keep_union(engine: EngineName) -> None:
    either = LiteralRequirement((Literal("notepad", False, "f"), Literal("calc.exe", False, "f")))
    line_filter = LineFilter([either], engine=engine)

    assert kept(line_filter, b"".join(LINES)) == [LINES[1], LINES[5]]


@pytest.mark.parametrize("engine", ENGINES)
def test_keep_all_yields_every_line(engine: EngineName) -> None:
    line_filter = LineFilter([requirement("12345")], engine=engine)

    assert kept(line_filter, b"".join(LINES)) == LINES


# --- construction -------------------------------------------------------------------------------


def test_empty_requirements_rejected() -> None:
    with pytest.raises(ValueError, match="at least one literal requirement"):
        LineFilter([])


def test_missing_requirement_rejected() -> None:
    with pytest.raises(ValueError, match="requirement 1 is None"):
        LineFilter([cmstp_requirement(), None])  # type: ignore[list-item]


def test_requirement_without_alternatives_rejected() -> None:
    with pytest.raises(ValueError, match="at least one alternative"):
        LineFilter([LiteralRequirement(())])


def test_unknown_engine_rejected() -> None:
    with pytest.raises(ValueError, match="unknown prefilter engine 'grep'"):
        LineFilter([cmstp_requirement()], engine="grep")  # type: ignore[arg-type]


def test_default_engine_without_hyperscan(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(prefilter, "HYPERSCAN_AVAILABLE", False)

    assert LineFilter([cmstp_requirement()]).engine == "python"


def test_hyperscan_engine_without_package(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(prefilter, "HYPERSCAN_AVAILABLE", False)

    with pytest.raises(ValueError, match="pip install hyperscan"):
        LineFilter([cmstp_requirement()], engine="hyperscan")


@pytest.mark.skipif(not HYPERSCAN_AVAILABLE, reason="hyperscan is not installed")
def test_default_engine_is_hyperscan() -> None:
    assert LineFilter([cmstp_requirement()]).engine == "hyperscan"


# --- engines agree, and agree with a per-line reading of the rules ------------------------------

_PIECES = [
    "cmstp",
    "CmStP",
    ".exe",
    "cm\u017ftp",
    "\u212a",
    "k",
    "\\",
    "\\\\",
    "\\u0063",
    "u",
    "/",
    "\\/",
    '"',
    "api",
    "x",
    " ",
    "\u00e9",
    "\n",
    "\n",
]

_RANDOM_REQUIREMENTS = [
    [requirement("\\cmstp.exe", True)],
    [requirement("/api/x", False)],
    [requirement("kk.exe", True), requirement("cmstp", False)],
    [LiteralRequirement((Literal("api", True, None), Literal("x\u00e9x", False, None)))],
]


def _reference_keep(texts: prefilter.SearchTexts, line: bytes) -> bool:
    """Apply the rules to one line with plain Python, as the engines must."""
    if any(text in line for text in texts.exact):
        return True
    if any(text in line.lower() for text in texts.ascii_caseless):
        return True
    for escaped in texts.escapes:
        for position in range(len(line) - 1):
            if line[position : position + 2] != b"\\" + escaped:
                continue
            backslashes = len(line[:position]) - len(line[:position].rstrip(b"\\"))
            if backslashes % 2 == 0:
                return True
    return False


def _random_chunks(rng: random.Random, count: int) -> Iterator[bytes]:
    for _ in range(count):
        pieces = [rng.choice(_PIECES) for _ in range(rng.randint(0, 60))]
        yield "".join(pieces).encode("utf-8")


@pytest.mark.skipif(not HYPERSCAN_AVAILABLE, reason="hyperscan is not installed")
@pytest.mark.parametrize("requirements", _RANDOM_REQUIREMENTS)
def test_engines_agree_on_random_chunks(requirements: list[LiteralRequirement]) -> None:
    rng = random.Random(20240603)
    python_filter = LineFilter(requirements, engine="python")
    hyperscan_filter = LineFilter(requirements, engine="hyperscan")
    total_kept = 0

    for chunk in _random_chunks(rng, 400):
        python_lines = kept(python_filter, chunk)
        assert kept(hyperscan_filter, chunk) == python_lines, chunk
        expected = [
            line
            for line in chunk.splitlines(keepends=True)
            if _reference_keep(python_filter.texts, line)
        ]
        assert python_lines == expected, chunk
        total_kept += len(python_lines)

    assert total_kept > 50


@pytest.mark.parametrize("engine", ENGINES)
def test_engine_matches_reference_lines(engine: EngineName) -> None:
    rng = random.Random(20240604)
    requirements = _RANDOM_REQUIREMENTS[2]
    line_filter = LineFilter(requirements, engine=engine)

    for chunk in _random_chunks(rng, 200):
        lines = chunk.split(b"\n")
        with_newlines = [line + b"\n" for line in lines[:-1]] + ([lines[-1]] if lines[-1] else [])
        expected = [line for line in with_newlines if _reference_keep(line_filter.texts, line)]
        assert kept(line_filter, chunk) == expected, chunk


# --- end to end: encoded events whose value matches are kept ----------------------------------

_VALUE_PIECES = [
    "cmstp",
    "CMSTP",
    "cm\u017ftp",
    "c",
    "m",
    "s",
    "t",
    "p",
    ".exe",
    ".EXE",
    "\\",
    "/",
    '"',
    "\u00e9",
    "\t",
]


def _encodings(event: dict[str, str]) -> list[bytes]:
    """Return the event as several JSON encoders write it."""
    escaped_slashes = json.dumps(event, ensure_ascii=False).replace("/", "\\/")
    return [
        orjson.dumps(event),
        json.dumps(event).encode(),
        json.dumps(event, ensure_ascii=False).encode(),
        escaped_slashes.encode(),
    ]


@pytest.mark.parametrize("engine", ENGINES)
def test_encoded_matching_events_kept(engine: EngineName) -> None:
    rng = random.Random(20240605)
    line_filter = LineFilter([cmstp_requirement()], engine=engine)
    pattern = regex.compile(r"\\cmstp\.exe", regex.IGNORECASE | regex.V0)
    matched = 0

    for _ in range(3000):
        value = "".join(rng.choice(_VALUE_PIECES) for _ in range(rng.randint(1, 12)))
        if rng.random() < 0.3:
            value += rng.choice(["\\cmstp.exe", "\\CM\u017fTP.exe", "\\cmstp.EXE"])
        if pattern.search(value) is None:
            continue
        matched += 1
        for line in _encodings({"ImageFileName": value}):
            assert line_filter.keep(line), (value, line)

    assert matched > 300


# --- the case partner table -----------------------------------------------------------------------


def test_case_partners_table_is_current() -> None:
    assert compute_case_partners() == CASE_PARTNERS


def test_case_partners_only_for_letters() -> None:
    for letter, partners in CASE_PARTNERS.items():
        assert letter.isascii(), letter
        assert letter.islower(), letter
        assert partners, letter
        assert not any(partner.isascii() for partner in partners), letter
