"""Tests for the reference engine's LogScale semantics of filters, expressions and transforms."""

from __future__ import annotations

from collections.abc import Mapping

import pytest

from helpers import column, kept_ids, make_events, run

# --- helpers --------------------------------------------------------------------------


def output(query: str, fields: Mapping[str, str], name: str, **options: object) -> str | None:
    """Run ``query`` on one event made of ``fields`` and return field ``name`` of the output row."""
    (row,) = run(query, make_events(fields), **options)  # type: ignore[arg-type]
    return row.get(name)


def keeps(query: str, fields: Mapping[str, str], **options: object) -> bool:
    """Run ``query`` on one event made of ``fields``; return whether the event comes out."""
    return len(run(query, make_events(fields), **options)) == 1  # type: ignore[arg-type]


# --- field filters --------------------------------------------------------------------

FIELD_EVENTS = make_events(
    {"f": "abc"},  # 1
    {"f": "ABC"},  # 2
    {"f": ""},  # 3
    {"g": "abc"},  # 4: no field f
    {"f": "xabcx"},  # 5
    {"f": "404.0"},  # 6
    {"f": "3"},  # 7
    {"f": "x7"},  # 8
)

FIELD_FILTER_CASES = [
    pytest.param("f=*", ["1", "2", "3", "5", "6", "7", "8"], id="exists-includes-empty"),
    pytest.param("f=**", ["1", "2", "3", "5", "6", "7", "8"], id="double-star-exists"),
    pytest.param("f!=*", ["4"], id="absent"),
    pytest.param('f=""', ["3"], id="empty-string"),
    pytest.param("f=abc", ["1"], id="equals-case-sensitive"),
    pytest.param('f="abc"', ["1"], id="equals-quoted"),
    pytest.param("f=ABC", ["2"], id="equals-upper"),
    pytest.param("f!=abc", ["2", "3", "4", "5", "6", "7", "8"], id="not-equal-keeps-missing"),
    pytest.param("not f=abc", ["2", "3", "4", "5", "6", "7", "8"], id="not-equals"),
    pytest.param("f=ab*", ["1"], id="glob-anchored-start"),
    pytest.param("f=*bc", ["1"], id="glob-anchored-end"),
    pytest.param("f=*abc*", ["1", "5"], id="glob-contains"),
    pytest.param('f="*b*"', ["1", "5"], id="quoted-glob"),
    pytest.param("f like bc", ["1", "5"], id="like-contains"),
    pytest.param("f=/bc/", ["1", "5"], id="regex-unanchored"),
    pytest.param("f=/^abc$/", ["1"], id="regex-anchored"),
    pytest.param("f=/abc/i", ["1", "2", "5"], id="regex-ignore-case"),
    pytest.param("f!=/abc/", ["2", "3", "4", "6", "7", "8"], id="negated-regex-keeps-missing"),
    pytest.param("f<5", ["7"], id="less-drops-non-numbers"),
    pytest.param("f>=4", ["6"], id="greater-or-equal"),
    pytest.param("f > 3", ["6"], id="greater-strict"),
    pytest.param("f=404", ["6"], id="numeric-equality"),
    pytest.param('f="404"', ["6"], id="numeric-equality-quoted"),
    pytest.param("f in [abc, 3]", ["1", "7"], id="in-operator"),
    pytest.param("f=abc or f=3", ["1", "7"], id="or"),
    pytest.param("f=* f!=abc", ["2", "3", "5", "6", "7", "8"], id="implicit-and"),
]


@pytest.mark.parametrize(("query", "expected"), FIELD_FILTER_CASES)
def test_field_filter(query: str, expected: list[str]) -> None:
    assert kept_ids(query, FIELD_EVENTS) == expected


NUMERIC_EQUALITY_CASES = [
    pytest.param("404", True, id="same-text"),
    pytest.param("404.0", True, id="decimal-zero"),
    pytest.param("4.04e2", True, id="exponent"),
    pytest.param("4040", False, id="longer-number"),
    pytest.param("404x", False, id="not-a-number"),
    pytest.param(" 404", False, id="leading-space"),
]


@pytest.mark.parametrize(("value", "kept"), NUMERIC_EQUALITY_CASES)
def test_statuscode_numeric_equality(value: str, kept: bool) -> None:
    assert keeps("statuscode=404", {"statuscode": value}) is kept


FIELD_NAME_CASES = [
    pytest.param("@rawstring=x", {"@rawstring": "x"}, id="metadata"),
    pytest.param("#type=x", {"#type": "x"}, id="tag"),
    pytest.param("a.b.c=x", {"a.b.c": "x"}, id="dotted"),
    pytest.param("a[0]=x", {"a[0]": "x"}, id="index"),
    pytest.param('"host-name"=*', {"host-name": "x"}, id="double-quoted"),
    pytest.param("`a b`=x", {"a b": "x"}, id="backticks"),
    pytest.param("200 = statuscode", {"200": "statuscode"}, id="number-left-is-field"),
]


@pytest.mark.parametrize(("query", "fields"), FIELD_NAME_CASES)
def test_field_name_forms(query: str, fields: dict[str, str]) -> None:
    assert keeps(query, fields)


@pytest.mark.parametrize(
    ("query", "fields"),
    [
        pytest.param("#type=x", {"type": "x"}, id="tag-is-distinct-name"),
        pytest.param("a.b=x", {"a": "x"}, id="dot-is-part-of-name"),
        pytest.param("a[0]=x", {"a[1]": "x"}, id="other-index"),
        pytest.param("200 = statuscode", {"statuscode": "200"}, id="right-side-is-no-field"),
        pytest.param(
            "myField = myOtherField",
            {"myField": "1", "myOtherField": "1"},
            id="two-fields-not-compared",
        ),
    ],
)
def test_field_name_mismatch(query: str, fields: dict[str, str]) -> None:
    assert not keeps(query, fields)


VALUE_TEXT_CASES = [
    pytest.param("foo=m/fisk/i", {"foo": "m/fisk/i"}, id="slash-text-literal"),
    pytest.param('a="msg: \\"welcome\\""', {"a": 'msg: "welcome"'}, id="escaped-quote"),
    pytest.param('a="c:\\\\temp"', {"a": "c:\\temp"}, id="escaped-backslash"),
    pytest.param("CommandLine=/\\/.*@/", {"CommandLine": "cmd /c x@y"}, id="regex-escaped-slash"),
    pytest.param(
        "ImageFileName=/\\\\powershell\\.exe/i",
        {"ImageFileName": "C:\\PowerShell.exe"},
        id="regex-backslash",
    ),
    pytest.param("f=*\\cmd.exe", {"f": "C:\\Windows\\cmd.exe"}, id="glob-with-backslash"),
]


@pytest.mark.parametrize(("query", "fields"), VALUE_TEXT_CASES)
def test_filter_value_text(query: str, fields: dict[str, str]) -> None:
    assert keeps(query, fields)


def test_slash_text_is_not_regex() -> None:
    assert not keeps("foo=m/fisk/i", {"foo": "fisk"})


def test_regex_slash_must_precede_at() -> None:
    assert not keeps("CommandLine=/\\/.*@/", {"CommandLine": "cmd x@y"})


# --- free text ------------------------------------------------------------------------

FREE_TEXT_EVENTS = make_events(
    {"@rawstring": "GET https://www.example.com/index"},  # 1
    {"@rawstring": "foo bar"},  # 2
    {"@rawstring": "Foo"},  # 3
    {"#tag": "foo"},  # 4: tags are not searched
    {"msg": "a foo here"},  # 5: any other field is
    {"@rawstring": "http://www.example.com/"},  # 6
)

FREE_TEXT_CASES = [
    pytest.param("https://www.example.com/", ["1"], id="url"),
    pytest.param("foo", ["2", "5"], id="word-case-sensitive"),
    pytest.param("Foo", ["3"], id="upper-case-word"),
    pytest.param('"foo bar"', ["2"], id="quoted-with-space"),
    pytest.param('"o*b"', ["2"], id="glob-inside"),
    pytest.param("/fo+/i", ["2", "3", "5"], id="regex-ignore-case"),
    pytest.param("/^foo/", ["2"], id="regex-anchored-per-value"),
    pytest.param("foo // bar", ["2", "5"], id="line-comment"),
    pytest.param("/* x */ foo /* y */", ["2", "5"], id="block-comments"),
    pytest.param('"1000"', [], id="timestamp-not-searched"),
    pytest.param("*", ["1", "2", "3", "4", "5", "6"], id="star-everything"),
    pytest.param("https: //www.example.com/", ["1"], id="comment-after-space"),
]


@pytest.mark.parametrize(("query", "expected"), FREE_TEXT_CASES)
def test_free_text(query: str, expected: list[str]) -> None:
    assert kept_ids(query, FREE_TEXT_EVENTS) == expected


def test_free_text_ignores_added_field() -> None:
    assert kept_ids('x := "needle" | needle', make_events({"a": "hay"})) == []


def test_free_text_sees_dropped_field() -> None:
    assert kept_ids("drop(a) | needle", make_events({"a": "needle"})) == ["1"]


def test_free_text_skips_id() -> None:
    assert kept_ids("needle", [{"@id": "needle", "@timestamp": "1"}]) == []


# --- filter precedence ----------------------------------------------------------------

PRECEDENCE_EVENTS = make_events(
    {"@rawstring": "foo bar"},  # 1
    {"@rawstring": "foo"},  # 2
    {"@rawstring": "bar"},  # 3
    {"@rawstring": "baz"},  # 4
    {"@rawstring": "foo baz"},  # 5
    {"@rawstring": "bar baz"},  # 6
)

PRECEDENCE_CASES = [
    pytest.param("not foo bar", ["3", "6"], id="not-foo-bar"),
    pytest.param("foo and not bar or baz", ["2", "5"], id="and-not-or"),
    pytest.param("foo or not bar and baz", ["4", "5"], id="or-not-and"),
    pytest.param("foo bar or baz", ["1", "5"], id="juxtaposition-or"),
    pytest.param("foo not bar", ["2", "5"], id="foo-not-bar"),
    pytest.param("!foo", ["3", "4", "6"], id="bang"),
    pytest.param("foo OR bar AND baz", ["5", "6"], id="upper-case-keywords"),
]


@pytest.mark.parametrize(("query", "expected"), PRECEDENCE_CASES)
def test_precedence_result(query: str, expected: list[str]) -> None:
    assert kept_ids(query, PRECEDENCE_EVENTS) == expected


EQUIVALENT_CASES = [
    pytest.param("not foo bar", "(not foo) and bar", id="not-foo-bar"),
    pytest.param("foo and not bar or baz", "foo and ((not bar) or baz)", id="and-not-or"),
    pytest.param("foo or not bar and baz", "(foo or (not bar)) and baz", id="or-not-and"),
    pytest.param("foo bar or baz", "foo and (bar or baz)", id="juxtaposition-or"),
    pytest.param("foo bar", "foo | bar", id="juxtaposition-is-pipe"),
]


@pytest.mark.parametrize(("query", "equivalent"), EQUIVALENT_CASES)
def test_precedence_equivalence(query: str, equivalent: str) -> None:
    assert kept_ids(query, PRECEDENCE_EVENTS) == kept_ids(equivalent, PRECEDENCE_EVENTS)


def test_old_or_rule_not_used() -> None:
    old_rule = kept_ids("foo or ((not bar) and baz)", PRECEDENCE_EVENTS)
    assert kept_ids("foo or not bar and baz", PRECEDENCE_EVENTS) != old_rule


# --- pipeline forms -------------------------------------------------------------------

LOG_EVENTS = make_events(
    {"loglevel": "ERROR"},  # 1
    {"loglevel": "INFO"},  # 2
    {"loglevel": "ERROR"},  # 3
)


@pytest.mark.parametrize(
    "query",
    [
        pytest.param("loglevel=ERROR\nhead(10)", id="newline"),
        pytest.param("loglevel=ERROR | head(10)", id="pipe"),
        pytest.param("| loglevel=ERROR | head(10)", id="leading-pipe"),
        pytest.param("loglevel=ERROR | // errors only\nhead(10)", id="line-comment-before-newline"),
        pytest.param("loglevel=ERROR /* errors */ | head(10)", id="block-comment"),
    ],
)
def test_pipeline_form(query: str) -> None:
    assert kept_ids(query, LOG_EVENTS) == ["1", "3"]


# --- assignments and expressions ------------------------------------------------------

EXPRESSION_CASES = [
    pytest.param('y := "2" + 4', {}, "6", id="number-in-string"),
    pytest.param('y := "a" + "b"', {}, None, id="string-plus-is-null"),
    pytest.param("y := a + 1", {"a": "x"}, None, id="non-number-is-null"),
    pytest.param("y := missing + 1", {}, None, id="missing-is-null"),
    pytest.param("y := 4 / lower(a)", {"a": "2"}, "2", id="call-result-number"),
    pytest.param('y := format("%s%s", field=[a, a]) + 1', {"a": "2"}, "23", id="format-then-add"),
    pytest.param("y := 7 / 2", {}, "3.5", id="division"),
    pytest.param("y := 4 / 2", {}, "2", id="integral-division"),
    pytest.param("y := 10 % 3", {}, "1", id="modulo"),
    pytest.param("y := 2 + 3 * 4", {}, "14", id="multiply-first"),
    pytest.param("y := (2 + 3) * 4", {}, "20", id="parentheses"),
    pytest.param("y := 10 - 2 - 3", {}, "5", id="left-assoc"),
    pytest.param("y := -a", {"a": "3"}, "-3", id="unary-minus"),
    pytest.param("y := 1.50", {}, "1.5", id="decimal-literal"),
    pytest.param("y := 3.0", {}, "3", id="integral-literal"),
    pytest.param("y := a * 1", {"a": "1e3"}, "1000", id="exponent-text"),
    pytest.param("y := !0", {}, "true", id="not-zero"),
    pytest.param("y := !1", {}, "false", id="not-one"),
    pytest.param("y := !a", {"a": "true"}, "false", id="not-true"),
    pytest.param("y := !a", {"a": "x"}, None, id="not-text-is-null"),
    pytest.param('y := "a" == 2', {}, "false", id="different-types-equal"),
    pytest.param('y := "a" != 2', {}, "true", id="different-types-not-equal"),
    pytest.param("y := a == 2", {"a": "2.0"}, "true", id="numeric-equal"),
    pytest.param("y := a == b", {"a": "x", "b": "x"}, "true", id="fields-equal"),
    pytest.param('y := a != "x"', {}, None, id="compare-missing-is-null"),
    pytest.param('y := "a" > 3', {}, None, id="order-text-is-null"),
    pytest.param("y := a >= 3", {"a": "3"}, "true", id="order-numbers"),
    pytest.param("y := true", {}, "true", id="boolean"),
    pytest.param("y := a", {"a": "x"}, "x", id="field-copy"),
    pytest.param('y := "WARN"', {}, "WARN", id="string-literal"),
    pytest.param("y := WARN", {}, None, id="bare-word-is-field"),
    pytest.param("y := length(a) * 2", {"a": "abc"}, "6", id="length-in-expression"),
    pytest.param("y := `a b`", {"a b": "x"}, "x", id="backtick-field"),
]


@pytest.mark.parametrize(("query", "fields", "expected"), EXPRESSION_CASES)
def test_expression_value(query: str, fields: dict[str, str], expected: str | None) -> None:
    assert output(query, fields, "y") == expected


def test_null_assignment_keeps_old_value() -> None:
    assert output("y := missing", {"y": "keep"}, "y") == "keep"


def test_null_assignment_keeps_event() -> None:
    assert keeps('y := "a" + "b"', {})


def test_assignment_overwrites_field() -> None:
    assert output('y := "new"', {"y": "old"}, "y") == "new"


def test_division_by_zero_is_null() -> None:
    assert output("y := 1 / 0", {}, "y") is None


def test_eval_sees_earlier_assignment() -> None:
    rows = run("eval(x = 1, y = x + 1)", make_events({}))
    assert column(rows, "x") == ["1"]
    assert column(rows, "y") == ["2"]


def test_eval_bare_word_is_field() -> None:
    assert (
        output("eval(is_warning = (loglevel == WARN))", {"loglevel": "WARN"}, "is_warning") is None
    )


def test_eval_quoted_word_is_literal() -> None:
    assert (
        output('eval(is_warning = (loglevel == "WARN"))', {"loglevel": "WARN"}, "is_warning")
        == "true"
    )


def test_numbers_as_strings_sum() -> None:
    query = "RiskScore := AutoClose + NoUI + HasINF"
    assert output(query, {"AutoClose": "1", "NoUI": "0", "HasINF": "1"}, "RiskScore") == "2"


# --- test() ---------------------------------------------------------------------------

TEST_CASES = [
    pytest.param("test(a == b)", {"a": "1", "b": "1"}, True, id="fields-equal"),
    pytest.param("test(a == b)", {"a": "1", "b": "2"}, False, id="fields-differ"),
    pytest.param('test(a == "b")', {"a": "b"}, True, id="literal"),
    pytest.param('test(a == "b")', {"a": "B"}, False, id="literal-case-sensitive"),
    pytest.param('test("f o o" == "bar")', {"f o o": "bar"}, False, id="quoted-is-literal"),
    pytest.param("test(missing == 1)", {}, False, id="null-is-false"),
    pytest.param("!test(missing == 1)", {}, True, id="negated-null"),
    pytest.param("not test(a > 1)", {"a": "2"}, False, id="not-test"),
    pytest.param(
        "test(length(userid) == length(method))",
        {"userid": "abc", "method": "GET"},
        True,
        id="function-calls",
    ),
    pytest.param("test(a > 2)", {"a": "x"}, False, id="order-non-number"),
    pytest.param("test(a)", {"a": "true"}, True, id="boolean-field"),
    pytest.param("test(a)", {"a": "0"}, False, id="zero-is-false"),
]


@pytest.mark.parametrize(("query", "fields", "kept"), TEST_CASES)
def test_test_function(query: str, fields: dict[str, str], kept: bool) -> None:
    assert keeps(query, fields) is kept


# --- if() -----------------------------------------------------------------------------

IF_CASES = [
    pytest.param('y := if(a > 1, then="big", else="small")', {"a": "5"}, "big", id="then"),
    pytest.param('y := if(a > 1, then="big", else="small")', {"a": "0"}, "small", id="else"),
    pytest.param('y := if(a > 1, then="big", else="small")', {}, "small", id="missing-takes-else"),
    pytest.param(
        'y := if(a > 1, then="big", else="small")', {"a": "x"}, "small", id="non-number-takes-else"
    ),
    pytest.param(
        'y := if(a == "x", then=b, else="no")', {"a": "x", "b": "val"}, "val", id="then-field"
    ),
    pytest.param(
        'y := if(a == "x", then=b, else="no")', {"a": "x"}, None, id="null-branch-sets-nothing"
    ),
    pytest.param("y := if(a == 1, then=0, else=1)", {"a": "1"}, "0", id="number-branch"),
    pytest.param(
        'y := if(regex("^1", field=s), then="ok", else="no")',
        {"s": "123"},
        "ok",
        id="regex-condition",
    ),
    pytest.param(
        'y := if(regex("^1", field=s), then="ok", else="no")',
        {"s": "231"},
        "no",
        id="regex-condition-false",
    ),
    pytest.param(
        'y := if((in(s, values=["500", "404"])), then="bad", else="good")',
        {"s": "404"},
        "bad",
        id="in-condition",
    ),
    pytest.param(
        'y := if(a > 1, then=if(a > 10, then="huge", else="big"), else="small")',
        {"a": "5"},
        "big",
        id="nested",
    ),
    pytest.param(
        "y := if(a > 1, then=1, else=0) + if(b > 1, then=1, else=0)",
        {"a": "2", "b": "2"},
        "2",
        id="sum-of-ifs",
    ),
    pytest.param(
        "y := if((@ingesttimestamp > @timestamp), then=@timestamp, else=@ingesttimestamp) / 1000",
        {"@ingesttimestamp": "5000"},
        "1",
        id="divide-result",
    ),
    pytest.param(
        'y := if(#eventType == "Spawn", then=ChildID, else=ProcessID)',
        {"#eventType": "Spawn", "ChildID": "7"},
        "7",
        id="tag-condition",
    ),
]


@pytest.mark.parametrize(("query", "fields", "expected"), IF_CASES)
def test_if_value(query: str, fields: dict[str, str], expected: str | None) -> None:
    assert output(query, fields, "y") == expected


def test_if_default_output_field() -> None:
    assert output('if(a == "x", then="1", else="0")', {"a": "x"}, "_if") == "1"


def test_if_as_parameter() -> None:
    assert output('if(a == "x", then="1", else="0", as=z)', {"a": "x"}, "z") == "1"


PUBLISHED_IF = 'AutoClose := if(CommandLine = ~/(?i)\\/s|\\/au/, "1", "0")'


@pytest.mark.parametrize(
    ("command_line", "expected"),
    [
        pytest.param("cmstp.exe /s x.inf", "1", id="slash-s"),
        pytest.param("CMSTP.EXE /S x.inf", "1", id="slash-s-upper"),
        pytest.param("cmstp.exe /au x.inf", "1", id="slash-au"),
        # JitRex ends an inline (?i) at the next |, so the second alternative is case-sensitive.
        pytest.param("CMSTP.EXE /AU x.inf", "0", id="inline-flag-ends-at-alternative"),
        pytest.param("cmstp.exe x.inf", "0", id="no-switch"),
    ],
)
def test_published_if_runs_lenient(command_line: str, expected: str) -> None:
    value = output(PUBLISHED_IF, {"CommandLine": command_line}, "AutoClose", lenient=True)
    assert value == expected


def test_published_query_runs_lenient() -> None:
    query = "\n".join(
        [
            "#event_simpleName=ProcessRollup2",
            "| ImageFileName = /(?i)\\\\cmstp\\.exe$/",
            '| AutoClose := if(CommandLine = ~/(?i)\\/s|\\/au/, "1", "0")',
            '| RemoteLoad := if(CommandLine = ~/(?i)https?:\\/\\//, "1", "0")',
            "| RiskScore := AutoClose + RemoteLoad",
            "| RiskScore > 0",
            "| select([#timestamp, CommandLine, RiskScore])",
            "| sort(field=#timestamp, order=desc)",
        ]
    )
    events = make_events(
        {
            "#event_simpleName": "ProcessRollup2",
            "ImageFileName": "C:\\W\\cmstp.exe",
            "CommandLine": "cmstp /s a.inf",
        },
        {
            "#event_simpleName": "ProcessRollup2",
            "ImageFileName": "C:\\W\\cmstp.exe",
            "CommandLine": "cmstp a.inf",
        },
        {
            "#event_simpleName": "ProcessRollup2",
            "ImageFileName": "C:\\W\\CMSTP.exe",
            "CommandLine": "cmstp https://x/a.inf",
        },
        {
            "#event_simpleName": "DnsRequest",
            "ImageFileName": "C:\\W\\cmstp.exe",
            "CommandLine": "cmstp /s",
        },
    )
    rows = run(query, events, lenient=True)
    assert rows == [
        {"@timestamp": "3000", "CommandLine": "cmstp https://x/a.inf", "RiskScore": "1"},
        {"@timestamp": "1000", "CommandLine": "cmstp /s a.inf", "RiskScore": "1"},
    ]


# --- regex() and regex literals -------------------------------------------------------


def test_regex_named_groups() -> None:
    (row,) = run('regex("(?<user>\\\\w+)@(?<host>\\\\w+)", field=a)', make_events({"a": "bob@srv"}))
    assert row["user"] == "bob"
    assert row["host"] == "srv"


def test_regex_strict_drops_non_match() -> None:
    assert not keeps('regex("(?<user>\\\\w+)@", field=a)', {"a": "nope"})


def test_regex_not_strict_keeps_non_match() -> None:
    rows = run('regex("(?<user>\\\\w+)@", field=a, strict=false)', make_events({"a": "nope"}))
    assert rows == [{"@id": "1", "@timestamp": "1000", "a": "nope"}]


def test_regex_missing_field_drops() -> None:
    assert not keeps('regex("x", field=a)', {"b": "x"})


def test_regex_negated_keeps_missing_field() -> None:
    assert keeps('!regex("x", field=a)', {"b": "x"})


def test_regex_negated_drops_match() -> None:
    assert not keeps('not regex("x", field=a)', {"a": "x"})


def test_regex_optional_group_not_set() -> None:
    query = "name=/^ingest-writer-(?<un>un)?compressed-bytes$/"
    (row,) = run(query, make_events({"name": "ingest-writer-compressed-bytes"}))
    assert "un" not in row


def test_regex_optional_group_then_exists_filter() -> None:
    query = "name=/^ingest-writer-(?<un>un)?compressed-bytes$/ | un=*"
    events = make_events(
        {"name": "ingest-writer-compressed-bytes"},
        {"name": "ingest-writer-uncompressed-bytes"},
    )
    assert kept_ids(query, events) == ["2"]


def test_regex_repeat_one_event_per_match() -> None:
    raw = "type=foo value=bar1 valueExtra=bar2 value=bar3"
    rows = run(
        'regex("value[^=]*=(?<someBar>\\\\S+)", repeat=true)', make_events({"@rawstring": raw})
    )
    assert sorted(column(rows, "someBar")) == ["bar1", "bar2", "bar3"]  # type: ignore[type-var]


def test_regex_repeat_limit() -> None:
    rows = run('regex("(?<d>\\\\d)", field=a, repeat=true, limit=2)', make_events({"a": "12345"}))
    assert len(rows) == 2


def test_regex_literal_global_flag_repeats() -> None:
    rows = run("a=/(?<w>\\w+):/g", make_events({"a": "x: y: z:"}))
    assert sorted(column(rows, "w")) == ["x", "y", "z"]  # type: ignore[type-var]


REGEX_FLAG_CASES = [
    pytest.param('regex("x", field=a, flags="i")', {"a": "X"}, True, id="function-ignore-case"),
    pytest.param('regex("x", field=a)', {"a": "X"}, False, id="function-case-sensitive"),
    pytest.param('regex("^b", field=a)', {"a": "a\nb"}, True, id="function-default-multiline"),
    pytest.param("a=/^b/", {"a": "a\nb"}, False, id="literal-no-default-flags"),
    pytest.param("a=/^b/m", {"a": "a\nb"}, True, id="literal-multiline"),
    pytest.param("a=/a.b/", {"a": "a\nb"}, False, id="dot-stops-at-newline"),
    pytest.param("a=/a.b/d", {"a": "a\nb"}, True, id="dotall-flag"),
    pytest.param("a=/(?i)x/", {"a": "X"}, True, id="inline-flag"),
]


@pytest.mark.parametrize(("query", "fields", "kept"), REGEX_FLAG_CASES)
def test_regex_flags(query: str, fields: dict[str, str], kept: bool) -> None:
    assert keeps(query, fields) is kept


ESCAPE_CASES = [
    pytest.param(
        'regex("\\\\\\\\(?<f>[^\\\\\\\\]+$)", field=p)',
        {"p": "C:\\dir\\file.exe"},
        "f",
        "file.exe",
        id="doubled-backslash",
    ),
    pytest.param(
        'regex("/.*/(?<page>\\S+\\.page)", field=url)',
        {"url": "/a/b/home.page"},
        "page",
        "home.page",
        id="single-backslash",
    ),
]


@pytest.mark.parametrize(("query", "fields", "name", "expected"), ESCAPE_CASES)
def test_regex_string_escapes(query: str, fields: dict[str, str], name: str, expected: str) -> None:
    assert output(query, fields, name) == expected


def test_regex_group_overwrites_field() -> None:
    assert output("a=/(?<b>\\d+)/", {"a": "42", "b": "old"}, "b") == "42"


def test_regex_group_name_with_dot() -> None:
    assert output("a=/(?<user.name>\\w+)@/", {"a": "bob@x"}, "user.name") == "bob"


def test_regex_inside_or_does_not_extract() -> None:
    (row,) = run("type=FOO or /disk=(?<space>\\d+)/", make_events({"@rawstring": "disk=5"}))
    assert "space" not in row


def test_free_text_regex_extracts_from_rawstring() -> None:
    fields = {"other": "n=1", "@rawstring": "n=2"}
    assert output("/n=(?<n>\\d)/", fields, "n") == "2"


# --- in() -----------------------------------------------------------------------------

IN_EVENTS = make_events(
    {"a": "x"},  # 1
    {"a": "yz"},  # 2
    {"a": "X"},  # 3
    {"b": "x"},  # 4: no field a
    {"a": "404"},  # 5
    {"a": "14"},  # 6
    {"a": "10"},  # 7
)

IN_CASES = [
    pytest.param('in(a, values=["x", "y*"])', ["1", "2"], id="values-and-glob"),
    pytest.param('in(a, values=["x"], ignoreCase=true)', ["1", "3"], id="ignore-case"),
    pytest.param('in(field=a, values=["4*"])', ["5"], id="glob-anchored"),
    pytest.param("in(a, values=[404, 10])", ["5", "7"], id="unquoted-numbers"),
    pytest.param('a =~ in(values=["x", "yz"])', ["1", "2"], id="field-operator"),
    pytest.param(
        'a =~ !in(values=["x", "yz"])', ["3", "4", "5", "6", "7"], id="negated-keeps-missing"
    ),
    pytest.param('!in(a, values=["x"])', ["2", "3", "4", "5", "6", "7"], id="bang"),
    pytest.param("a in [x, 10]", ["1", "7"], id="in-operator"),
    pytest.param('in(a, values=["X*"], ignoreCase=true)', ["1", "3"], id="glob-ignore-case"),
]


@pytest.mark.parametrize(("query", "expected"), IN_CASES)
def test_in_function(query: str, expected: list[str]) -> None:
    assert kept_ids(query, IN_EVENTS) == expected


# --- wildcard() -----------------------------------------------------------------------

WILDCARD_EVENTS = make_events(
    {"animal": "horse"},  # 1
    {"animal": "Horse"},  # 2
    {"animal": "horses"},  # 3
    {"animal": "a HORSE!"},  # 4
    {"@rawstring": "my horse"},  # 5: no field animal
    {"@rawstring": "my Horse"},  # 6
)

WILDCARD_CASES = [
    pytest.param("wildcard(field=animal, pattern=horse)", ["1"], id="field-anchored"),
    pytest.param(
        "wildcard(field=animal, pattern=horse, ignoreCase=true)", ["1", "2"], id="field-case-folded"
    ),
    pytest.param(
        'wildcard(field=animal, pattern="*h*rse*", ignoreCase=true)',
        ["1", "2", "3", "4"],
        id="stars",
    ),
    pytest.param("wildcard(pattern=horse)", ["1", "3", "5"], id="free-text"),
    pytest.param(
        "wildcard(pattern=horse, ignoreCase=true)",
        ["1", "2", "3", "4", "5", "6"],
        id="free-text-case-folded",
    ),
    pytest.param(
        'wildcard(field=animal, pattern="*")', ["1", "2", "3", "4"], id="star-needs-field"
    ),
    pytest.param(
        'wildcard(field=animal, pattern="*", includeEverythingOnAsterisk=true)',
        ["1", "2", "3", "4", "5", "6"],
        id="star-includes-everything",
    ),
    pytest.param('animal =~ wildcard("h*")', ["1", "3"], id="field-operator"),
    pytest.param(
        "not wildcard(field=animal, pattern=horse)", ["2", "3", "4", "5", "6"], id="negated"
    ),
    pytest.param(
        "wildcard(field=[animal, @rawstring], pattern=*Horse)", ["2", "6"], id="several-fields"
    ),
]


@pytest.mark.parametrize(("query", "expected"), WILDCARD_CASES)
def test_wildcard_function(query: str, expected: list[str]) -> None:
    assert kept_ids(query, WILDCARD_EVENTS) == expected


def test_wildcard_equals_free_text() -> None:
    assert kept_ids("wildcard(pattern=horse, ignoreCase=false)", WILDCARD_EVENTS) == kept_ids(
        '"horse"', WILDCARD_EVENTS
    )


# --- string transforms ----------------------------------------------------------------

TRANSFORM_CASES = [
    pytest.param("lower(a)", {"a": "AbC"}, "_lower", "abc", id="lower"),
    pytest.param("upper(a)", {"a": "AbC"}, "_upper", "ABC", id="upper"),
    pytest.param("upper(a, as=b)", {"a": "AbC"}, "b", "ABC", id="upper-as"),
    pytest.param("b := lower(a)", {"a": "AbC"}, "b", "abc", id="lower-assigned"),
    pytest.param('lower("a")', {"a": "AbC"}, "_lower", "abc", id="quoted-field-name"),
    pytest.param("lower(a)", {}, "_lower", None, id="lower-missing"),
    pytest.param("length(a)", {"a": "h\u00e9llo"}, "_length", "5", id="length-characters"),
    pytest.param("length(a)", {"a": ""}, "_length", "0", id="length-empty"),
    pytest.param("concat([a, b])", {"a": "x", "b": "y"}, "_concat", "xy", id="concat"),
    pytest.param("concat([a, b], as=c)", {"a": "x", "b": "y"}, "c", "xy", id="concat-as"),
    pytest.param(
        'concat(["x.y[0]", b])',
        {"x.y[0]": "1", "b": "2"},
        "_concat",
        "12",
        id="concat-quoted-names",
    ),
    pytest.param(
        'format("%s-%d", field=[a, b])', {"a": "x", "b": "5"}, "_format", "x-5", id="format"
    ),
    pytest.param(
        'format("%d", field=[a])', {"a": "x"}, "_format", None, id="format-non-number-null"
    ),
    pytest.param(
        'format("%.2f", field=[a])', {"a": "3.14159"}, "_format", "3.14", id="format-precision"
    ),
    pytest.param(
        'format("[%5s|%-3s]", field=[a, a])',
        {"a": "ab"},
        "_format",
        "[   ab|ab ]",
        id="format-width",
    ),
    pytest.param('format("%03d", field=[a])', {"a": "7"}, "_format", "007", id="format-zero-pad"),
    pytest.param(
        'format("%,d", field=[a])', {"a": "1234567"}, "_format", "1,234,567", id="format-grouping"
    ),
    pytest.param('format("%x", field=[a])', {"a": "255"}, "_format", "ff", id="format-hex"),
    pytest.param(
        'format("%2$s %1$s", field=[a, b])',
        {"a": "x", "b": "y"},
        "_format",
        "y x",
        id="format-index",
    ),
    pytest.param('format("100%%", field=[a])', {"a": "x"}, "_format", "100%", id="format-percent"),
    pytest.param('format("%s", field=[a], as=b)', {"a": "x"}, "b", "x", id="format-as"),
    pytest.param(
        'replace("o", with="0", field=a)', {"a": "foo"}, "a", "f00", id="replace-all-in-place"
    ),
    pytest.param(
        'replace("(\\\\d+)\\\\..*", with="$1", field=a, as=b)',
        {"a": "12.34"},
        "b",
        "12",
        id="replace-group",
    ),
    pytest.param(
        'replace("o", replacement="0")',
        {"@rawstring": "foo"},
        "@rawstring",
        "f00",
        id="replace-rawstring",
    ),
    pytest.param('replace("x", with="y", field=a)', {}, "a", None, id="replace-missing"),
]


@pytest.mark.parametrize(("query", "fields", "name", "expected"), TRANSFORM_CASES)
def test_transform_output(
    query: str, fields: dict[str, str], name: str, expected: str | None
) -> None:
    assert output(query, fields, name) == expected


def test_replace_keeps_source_with_as() -> None:
    assert output('replace("o", with="0", field=a, as=b)', {"a": "foo"}, "a") == "foo"


DEFAULT_CASES = [
    pytest.param('default(field=a, value="none")', {}, "none", id="absent"),
    pytest.param('default(field=a, value="none")', {"a": ""}, "", id="empty-kept"),
    pytest.param('default(field=a, value="none")', {"a": "x"}, "x", id="value-kept"),
    pytest.param(
        'default(field=a, value="none", replaceEmpty=true)', {"a": ""}, "none", id="replace-empty"
    ),
    pytest.param('default("none", field=[b, a])', {}, "none", id="positional-value-field-list"),
]


@pytest.mark.parametrize(("query", "fields", "expected"), DEFAULT_CASES)
def test_default_function(query: str, fields: dict[str, str], expected: str) -> None:
    assert output(query, fields, "a") == expected


COALESCE_CASES = [
    pytest.param('x := coalesce([a, b, "z"])', {"b": "y"}, "y", id="first-present"),
    pytest.param('x := coalesce([a, b, "z"])', {"a": "", "b": "q"}, "q", id="skips-empty"),
    pytest.param('x := coalesce([a, b, "z"])', {}, "z", id="literal-fallback"),
    pytest.param(
        "x := coalesce([a, b], ignoreEmpty=false)", {"a": "", "b": "q"}, "", id="keeps-empty"
    ),
    pytest.param("x := coalesce([a, b])", {}, None, id="all-null"),
    pytest.param("x := coalesce([lower(a), b])", {"a": "Q"}, "q", id="expression-item"),
]


@pytest.mark.parametrize(("query", "fields", "expected"), COALESCE_CASES)
def test_coalesce_function(query: str, fields: dict[str, str], expected: str | None) -> None:
    assert output(query, fields, "x") == expected


def test_coalesce_default_output() -> None:
    assert output("coalesce([a, b])", {"b": "y"}, "_coalesce") == "y"


RENAME_CASES = [
    pytest.param("rename(a, as=b)", {"a": "1"}, {"b": "1"}, id="single"),
    pytest.param("rename(a, as=b)", {"a": "1", "b": "2"}, {"b": "1"}, id="overwrites-target"),
    pytest.param(
        "rename(field=[[a, b], [c, d]])", {"a": "1", "c": "2"}, {"b": "1", "d": "2"}, id="pairs"
    ),
    pytest.param("b := rename(a)", {"a": "1"}, {"b": "1"}, id="assigned"),
    pytest.param("rename(a, as=b)", {"c": "1"}, {"c": "1"}, id="missing-source"),
    pytest.param("drop([a, b])", {"a": "1", "b": "2", "c": "3"}, {"c": "3"}, id="drop-list"),
    pytest.param("drop(a)", {"a": "1", "c": "3"}, {"c": "3"}, id="drop-one"),
    pytest.param("drop(missing)", {"c": "3"}, {"c": "3"}, id="drop-missing"),
]


@pytest.mark.parametrize(("query", "fields", "expected"), RENAME_CASES)
def test_field_shaping(query: str, fields: dict[str, str], expected: dict[str, str]) -> None:
    (row,) = run(query, make_events(fields))
    assert {name: value for name, value in row.items() if not name.startswith("@")} == expected


def test_select_keeps_only_listed() -> None:
    (row,) = run("select([a, c, missing])", make_events({"a": "1", "b": "2", "c": "3"}))
    assert row == {"a": "1", "c": "3"}


# --- case -----------------------------------------------------------------------------

CASE_EVENTS = make_events(
    {"a": "1"},  # 1
    {"a": "2"},  # 2
    {"b": "x"},  # 3: no field a
)

CASE_CASES = [
    pytest.param(
        'case { a=1 | t := "one" ; a=* | t := "some" }',
        [("1", "one"), ("2", "some")],
        id="first-match-wins",
    ),
    pytest.param(
        'case { a=1 | t := "one" ; * | t := "other" }',
        [("1", "one"), ("2", "other"), ("3", "other")],
        id="catch-all",
    ),
    pytest.param(
        'case { a=1 | t := "one" ; * }',
        [("1", "one"), ("2", None), ("3", None)],
        id="bare-star-passes",
    ),
    pytest.param(
        'case { a=1 | t := "one" ; * ; }',
        [("1", "one"), ("2", None), ("3", None)],
        id="trailing-semicolon",
    ),
    pytest.param(
        'case { a=1 | t := "one" ; | t := "other" }',
        [("1", "one"), ("2", "other"), ("3", "other")],
        id="empty-clause-is-star",
    ),
    pytest.param(
        "case { b=* | t := b ; t := a }",
        [("1", "1"), ("2", "2"), ("3", "x")],
        id="assignment-clause-matches",
    ),
    pytest.param("case { a=1 ; b=x }", [("1", None), ("3", None)], id="filters-act-as-or"),
    pytest.param(
        'case { t := "tmp" | a=2 ; * }',
        [("1", None), ("2", "tmp"), ("3", None)],
        id="failed-clause-undone",
    ),
    pytest.param(
        'case { in(a, values=["2"]) | t := "in" ; !in(a, values=["2"]) | t := "not" }',
        [("1", "not"), ("2", "in"), ("3", "not")],
        id="filter-functions",
    ),
]


@pytest.mark.parametrize(("query", "expected"), CASE_CASES)
def test_case_statement(query: str, expected: list[tuple[str, str | None]]) -> None:
    rows = run(query, CASE_EVENTS)
    assert sorted((row["@id"], row.get("t")) for row in rows) == expected


def test_case_without_match_drops() -> None:
    assert kept_ids('case { a=1 | t := "one" }', CASE_EVENTS) == ["1"]


# --- match statement ------------------------------------------------------------------

MATCH_EVENTS = make_events(
    {"f": "abc"},  # 1
    {"f": "xyz"},  # 2
    {"f": ""},  # 3
    {"g": "abc"},  # 4: no field f
    {"f": "2"},  # 5
)

MATCH_CASES = [
    pytest.param(
        'f match { "abc" => t := "s" ; "*" => t := "e" }',
        [("1", "s"), ("2", "e"), ("3", "e"), ("5", "e")],
        id="quoted-star-exists",
    ),
    pytest.param(
        'f match { "abc" => t := "s" ; * => t := "a" }',
        [("1", "s"), ("2", "a"), ("3", "a"), ("4", "a"), ("5", "a")],
        id="star-everything",
    ),
    pytest.param(
        'f match { "abc" => t := "s" ; ** => t := "e" }',
        [("1", "s"), ("2", "e"), ("3", "e"), ("5", "e")],
        id="double-star-exists",
    ),
    pytest.param(
        'f match { "abc" => t := "s" ; true => t := "a" }',
        [("1", "s"), ("2", "a"), ("3", "a"), ("4", "a"), ("5", "a")],
        id="true-everything",
    ),
    pytest.param(
        'f match { "abc" => t := "s" ; => t := "a" }',
        [("1", "s"), ("2", "a"), ("3", "a"), ("4", "a"), ("5", "a")],
        id="empty-guard-everything",
    ),
    pytest.param(
        'f match { /b/ => t := "r" ; "x*" => t := "g" }',
        [("1", "r"), ("2", "g")],
        id="regex-and-glob",
    ),
    pytest.param('f match { in(values=[1, 2]) => t := "in" }', [("5", "in")], id="function-guard"),
    pytest.param(
        'f match { "*" => t := "first" ; "abc" => t := "never" }',
        [("1", "first"), ("2", "first"), ("3", "first"), ("5", "first")],
        id="first-match-wins",
    ),
    pytest.param(
        'f match { "abc" => t := "s" | t = nothing ; * => t := "a" }',
        [("2", "a"), ("3", "a"), ("4", "a"), ("5", "a")],
        id="arm-body-filters",
    ),
]


@pytest.mark.parametrize(("query", "expected"), MATCH_CASES)
def test_match_statement(query: str, expected: list[tuple[str, str | None]]) -> None:
    rows = run(query, MATCH_EVENTS)
    assert sorted((row["@id"], row.get("t")) for row in rows) == expected


# --- parameters -----------------------------------------------------------------------

PARAMETER_CASES = [
    pytest.param("a=?p", {"p": "2"}, ["2"], id="substituted"),
    pytest.param('a=?{p="*"}', None, ["1", "2"], id="default-star"),
    pytest.param('a=?{p="*"}', {"p": "1"}, ["1"], id="override-default"),
    pytest.param("?p", {"p": "ell"}, ["3"], id="free-text"),
    pytest.param("a =~ wildcard(?p, ignoreCase=true)", {"p": "X*"}, [], id="function-argument"),
    pytest.param('?{p="*"}', None, ["1", "2", "3"], id="free-text-default-star"),
]


@pytest.mark.parametrize(("query", "parameters", "expected"), PARAMETER_CASES)
def test_query_parameter(
    query: str, parameters: dict[str, str] | None, expected: list[str]
) -> None:
    events = make_events({"a": "1"}, {"a": "2"}, {"@rawstring": "hello"})
    assert kept_ids(query, events, parameters=parameters) == expected


@pytest.mark.parametrize(
    ("expression", "expected"),
    [("-7 % 3", "-1"), ("7 % -3", "1"), ("7.5 % 2", "1.5"), ("1 % 0", None)],
    ids=["negative-dividend", "negative-divisor", "fraction", "by-zero"],
)
def test_remainder_follows_jvm(expression: str, expected: str | None) -> None:
    rows = run(f"x := {expression}", [{"@timestamp": "1"}])
    assert rows[0].get("x") == expected
