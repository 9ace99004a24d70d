"""Tests for the CQL parser: tree shapes, precedence, spans and syntax errors."""

from __future__ import annotations

import pytest

from cqlkit.errors import CqlError, ParseError
from cqlkit.language import ast
from cqlkit.language.parser import parse


def shape(node: ast.Node) -> str:
    """Render a syntax tree as compact prefix notation, such as ``(and (not foo) bar)``.

    Steps are joined by `` | ``, field filters keep their operator (``a=1``),
    strings are quoted, and a negated call starts with ``!``.
    """
    if isinstance(node, ast.Pipeline):
        return " | ".join(shape(step) for step in node.steps)
    if isinstance(node, ast.FilterStep | ast.FreeText):
        return shape(node.expression if isinstance(node, ast.FilterStep) else node.value)
    if isinstance(node, ast.And | ast.Or):
        word = "and" if isinstance(node, ast.And) else "or"
        return f"({word} {shape(node.left)} {shape(node.right)})"
    if isinstance(node, ast.Not):
        return f"(not {shape(node.operand)})"
    if isinstance(node, ast.Comparison):
        separator = " " if node.op == "like" else ""
        return f"{shape(node.field)}{separator}{node.op}{separator}{shape(node.value)}"
    if isinstance(node, ast.FieldName):
        return f'"{node.name}"' if node.quoted else node.name
    if isinstance(node, ast.Word):
        return node.text
    if isinstance(node, ast.StringLit):
        return f'"{node.value}"'
    if isinstance(node, ast.RegexLit):
        return f"/{node.pattern}/{node.flags}"
    if isinstance(node, ast.NumberLit):
        return node.text
    if isinstance(node, ast.BoolLit):
        return str(node.value).lower()
    if isinstance(node, ast.FieldRef):
        return node.name
    if isinstance(node, ast.Param):
        return f"?{node.name}"
    if isinstance(node, ast.BinaryOp):
        return f"({node.op} {shape(node.left)} {shape(node.right)})"
    if isinstance(node, ast.UnaryOp):
        return f"({node.op} {shape(node.operand)})"
    if isinstance(node, ast.Call):
        arguments = ", ".join(shape(argument) for argument in node.arguments)
        return f"{'!' if node.negated else ''}{node.name}({arguments})"
    if isinstance(node, ast.Argument):
        return shape(node.value) if node.name is None else f"{node.name}={shape(node.value)}"
    if isinstance(node, ast.ArrayLit):
        return "[" + ", ".join(shape(item) for item in node.items) + "]"
    if isinstance(node, ast.Assignment | ast.NamedItem):
        return f"{shape(node.target)} := {shape(node.value)}"
    if isinstance(node, ast.FieldOperator):
        return f"{shape(node.field)} =~ {shape(node.call)}"
    if isinstance(node, ast.InList):
        return f"{shape(node.field)} in {shape(node.values)}"
    if isinstance(node, ast.TildeRegex):
        return f"~{shape(node.regex)}"
    if isinstance(node, ast.SubQuery):
        return "{" + shape(node.pipeline) + "}"
    if isinstance(node, ast.AggregateList):
        return shape(node.items)
    if isinstance(node, ast.CaseStatement):
        return "case {" + " ; ".join(shape(clause) for clause in node.clauses) + "}"
    if isinstance(node, ast.MatchStatement):
        arms = " ; ".join(shape(arm) for arm in node.arms)
        return f"{shape(node.field)} match {{{arms}}}"
    if isinstance(node, ast.MatchArm):
        guard = "" if node.guard is None else shape(node.guard) + " "
        return f"{guard}=> {shape(node.body)}"
    raise AssertionError(f"shape() has no rule for {type(node).__name__}")


def parse_shape(query: str) -> str:
    return shape(parse(query))


def only_step(query: str) -> ast.Node:
    """Return the single step of ``query``, unwrapping a filter step."""
    (step,) = parse(query).steps
    return step.expression if isinstance(step, ast.FilterStep) else step


# --- filter precedence ----------------------------------------------------------------

PRECEDENCE_CASES = [
    pytest.param("not foo bar", "(and (not foo) bar)", id="not-then-implicit-and"),
    pytest.param(
        "foo and not bar or baz", "(and foo (or (not bar) baz))", id="or-binds-tighter-than-and"
    ),
    pytest.param("foo or not bar and baz", "(and (or foo (not bar)) baz)", id="or-before-and"),
    pytest.param("A B or C", "(and A (or B C))", id="implicit-and-with-or"),
    pytest.param("foo not statuscode=200", "(and foo (not statuscode=200))", id="not-field-filter"),
    pytest.param("a b c", "(and (and a b) c)", id="implicit-and-left-assoc"),
    pytest.param("a or b or c", "(or (or a b) c)", id="or-left-assoc"),
    pytest.param("!foo", "(not foo)", id="bang"),
    pytest.param("not not foo", "(not (not foo))", id="double-not"),
    pytest.param(
        "NOT foo OR bar AND baz", "(and (or (not foo) bar) baz)", id="upper-case-keywords"
    ),
    pytest.param("(a or b) c", "(and (or a b) c)", id="parentheses"),
    pytest.param("a and (b and c or d)", "(and a (and b (or c d)))", id="nested-group"),
    pytest.param("!in(a, values=[x]) b", "(and (not in(a, values=[x])) b)", id="negated-call"),
]


@pytest.mark.parametrize(("query", "expected"), PRECEDENCE_CASES)
def test_filter_precedence(query: str, expected: str) -> None:
    assert parse_shape(query) == expected


EQUIVALENT_CASES = [
    pytest.param("not foo bar", "(not foo) and bar", id="not-foo-bar"),
    pytest.param("foo and not bar or baz", "foo and ((not bar) or baz)", id="and-not-or"),
    pytest.param("foo or not bar and baz", "(foo or (not bar)) and baz", id="or-not-and"),
    pytest.param("A B or C", "A and (B or C)", id="juxtaposition-or"),
    pytest.param("!foo", "not foo", id="bang-is-not"),
]


@pytest.mark.parametrize(("query", "equivalent"), EQUIVALENT_CASES)
def test_precedence_equivalence(query: str, equivalent: str) -> None:
    assert parse_shape(query) == parse_shape(equivalent)


# --- expression precedence ------------------------------------------------------------

EXPRESSION_CASES = [
    pytest.param("x := 2 + 3 * 4", "x := (+ 2 (* 3 4))", id="multiply-first"),
    pytest.param("x := (2 + 3) * 4", "x := (* (+ 2 3) 4)", id="parentheses"),
    pytest.param("x := 10 - 2 - 3", "x := (- (- 10 2) 3)", id="subtract-left-assoc"),
    pytest.param("x := 8 / 4 % 3", "x := (% (/ 8 4) 3)", id="divide-left-assoc"),
    pytest.param("x := -a * 2", "x := (* (- a) 2)", id="unary-minus-first"),
    pytest.param("x := a + 1 == b", "x := (== (+ a 1) b)", id="comparison-last"),
    pytest.param("x := !a == b", "x := (== (! a) b)", id="bang-first"),
    pytest.param("x := a < 2", "x := (< a 2)", id="less-than"),
    pytest.param("a:=m/fisk/i", "a := (/ (/ m fisk) i)", id="slash-divides-fields"),
    pytest.param('x := "2" + 4', 'x := (+ "2" 4)', id="string-operand"),
    pytest.param("x := true", "x := true", id="boolean"),
    pytest.param('x := "true"', 'x := "true"', id="quoted-boolean-is-string"),
    pytest.param("x := lower(a) + 1", "x := (+ lower(a) 1)", id="call-operand"),
    pytest.param("x := ?p", "x := ?p", id="parameter"),
]


@pytest.mark.parametrize(("query", "expected"), EXPRESSION_CASES)
def test_expression_precedence(query: str, expected: str) -> None:
    assert parse_shape(query) == expected


# --- pipelines and steps --------------------------------------------------------------

PIPELINE_CASES = [
    pytest.param("a=1 | count()", "a=1 | count()", id="pipe"),
    pytest.param("| a=1", "a=1", id="leading-pipe"),
    pytest.param("loglevel=ERROR\nhead(10)", "loglevel=ERROR | head(10)", id="newline-is-pipe"),
    pytest.param(
        "TotalTraffic := In + Out\nsort(TotalTraffic)",
        "TotalTraffic := (+ In Out) | sort(TotalTraffic)",
        id="newline-after-assignment",
    ),
    pytest.param(
        "#host=github | // note\ncount()", "#host=github | count()", id="comment-between-pipes"
    ),
    pytest.param("a=1 /* x | y */ | count()", "a=1 | count()", id="block-comment-with-pipe"),
    pytest.param("(a=1\nb=2)", "(and a=1 b=2)", id="newline-inside-group-is-and"),
    pytest.param(
        'src="client" ip="127.0.0.1"', '(and src="client" ip="127.0.0.1")', id="implicit-and"
    ),
    pytest.param("", "", id="empty-query"),
]


@pytest.mark.parametrize(("query", "expected"), PIPELINE_CASES)
def test_pipeline_steps(query: str, expected: str) -> None:
    assert parse_shape(query) == expected


def test_newline_makes_two_steps() -> None:
    pipeline = parse("loglevel=ERROR\nhead(10)")
    assert len(pipeline.steps) == 2


# --- field filters and free text ------------------------------------------------------

FILTER_CASES = [
    pytest.param("https://www.example.com/", "https://www.example.com/", id="url-free-text"),
    pytest.param("foo=m/fisk/i", "foo=m/fisk/i", id="slash-value-is-text"),
    pytest.param(r"CommandLine=/\/.*@/", r"CommandLine=/\/.*@/", id="regex-escaped-slash"),
    pytest.param(
        "ImageFileName=/\\\\powershell\\.exe/i",
        "ImageFileName=/\\\\powershell\\.exe/i",
        id="regex-flag",
    ),
    pytest.param('a="msg: \\"hi\\""', 'a="msg: "hi""', id="escaped-quote"),
    pytest.param("f=*", "f=*", id="exists"),
    pytest.param("f!=*", "f!=*", id="absent"),
    pytest.param('f=""', 'f=""', id="empty-string"),
    pytest.param("method != /(PUT|POST)/", "method!=/(PUT|POST)/", id="negated-regex"),
    pytest.param('f like "abc"', 'f like "abc"', id="like"),
    pytest.param("f LIKE abc", "f like abc", id="like-upper-case"),
    pytest.param("statuscode >= 400", "statuscode>=400", id="greater-or-equal"),
    pytest.param("200 = statuscode", "200=statuscode", id="number-is-field-name"),
    pytest.param('f in [a, "b"]', 'f in [a, "b"]', id="in-operator"),
    pytest.param('f =~ in(values=["x"])', 'f =~ in(values=["x"])', id="field-operator"),
    pytest.param('f =~ !in(values=["x"])', 'f =~ !in(values=["x"])', id="negated-field-operator"),
    pytest.param("f = ~/x/i", "f=~/x/i", id="tilde-regex-kept"),
    pytest.param('"foo bar"', '"foo bar"', id="quoted-free-text"),
    pytest.param("/disk=(?<space>\\d+)/", "/disk=(?<space>\\d+)/", id="free-text-regex"),
    pytest.param("a=?p", "a=?p", id="parameter-value"),
    pytest.param('?{x="*"}', "?x", id="parameter-free-text"),
    pytest.param("not regex(x)", "(not regex(x))", id="not-call"),
    # Arithmetic exists only in expressions, so in a filter "+" and "3" are free text.
    pytest.param("foo < 42 + 3", "(and (and foo<42 +) 3)", id="plus-in-filter-is-text"),
]


@pytest.mark.parametrize(("query", "expected"), FILTER_CASES)
def test_filter_shape(query: str, expected: str) -> None:
    assert parse_shape(query) == expected


FIELD_NAME_CASES = [
    pytest.param("@timestamp=1", "@timestamp", False, id="metadata"),
    pytest.param("#event_simpleName=x", "#event_simpleName", False, id="tag"),
    pytest.param("a.b.c=1", "a.b.c", False, id="dotted"),
    pytest.param("host[0]=1", "host[0]", False, id="index"),
    pytest.param("a.b[1].e=1", "a.b[1].e", False, id="index-in-path"),
    pytest.param('"host-name"=*', "host-name", True, id="double-quoted"),
    pytest.param("`a b`=1", "a b", True, id="backticks"),
    pytest.param("x := 1", "x", False, id="assignment-target"),
    pytest.param('"a-b" := 1', "a-b", True, id="quoted-assignment-target"),
]


@pytest.mark.parametrize(("query", "name", "quoted"), FIELD_NAME_CASES)
def test_field_name(query: str, name: str, quoted: bool) -> None:
    node = only_step(query)
    assert isinstance(node, ast.Comparison | ast.Assignment)
    field = node.field if isinstance(node, ast.Comparison) else node.target
    assert field.name == name
    assert field.quoted is quoted


def test_comparison_value_is_regex_literal() -> None:
    node = only_step(r"CommandLine=/\/.*@/")
    assert isinstance(node, ast.Comparison)
    assert node.value == ast.RegexLit(node.value.span, r"\/.*@", "")


def test_slash_value_is_word() -> None:
    node = only_step("foo=m/fisk/i")
    assert isinstance(node, ast.Comparison)
    assert isinstance(node.value, ast.Word)


# --- function calls and statements ----------------------------------------------------

CALL_CASES = [
    pytest.param('regex("x", field=a)', 'regex("x", field=a)', id="named-and-positional"),
    pytest.param('test(a == "b")', 'test((== a "b"))', id="expression-argument"),
    pytest.param('if(a > 1, then=b, else="c")', 'if((> a 1), then=b, else="c")', id="if-branches"),
    pytest.param("eval(x = a * 2)", "eval(x=(* a 2))", id="eval-assignment"),
    pytest.param('coalesce([a, b, "c"])', 'coalesce([a, b, "c"])', id="expression-array"),
    pytest.param("sort([a, b], order=[asc, desc])", "sort([a, b], order=[asc, desc])", id="arrays"),
    pytest.param(
        "groupBy(a, function={count() | x := _count * 2})",
        "groupBy(a, function={count() | x := (* _count 2)})",
        id="sub-query",
    ),
    pytest.param(
        "groupBy(a, function=[m := max(n), count()])",
        "groupBy(a, function=[m := max(n), count()])",
        id="named-aggregates",
    ),
    pytest.param("[count(), s := sum(n)]", "[count(), s := sum(n)]", id="aggregate-list-step"),
    pytest.param(
        "text:contains(string=a, substring=b)",
        "text:contains(string=a, substring=b)",
        id="namespaced",
    ),
    pytest.param("GROUPBY(a)", "GROUPBY(a)", id="name-case-kept"),
]


@pytest.mark.parametrize(("query", "expected"), CALL_CASES)
def test_call_shape(query: str, expected: str) -> None:
    assert parse_shape(query) == expected


CASE_CASES = [
    pytest.param(
        'case { a=1 | x := "one" ; * | x := "other" }',
        'case {a=1 | x := "one" ; * | x := "other"}',
        id="two-clauses",
    ),
    pytest.param("case { a=1 ; * ; }", "case {a=1 ; *}", id="trailing-semicolon"),
    pytest.param('case { a=1 ; | x := "o" }', 'case {a=1 ; x := "o"}', id="empty-first-step"),
    pytest.param(
        "case { in(a, values=[x]) ; !in(b, values=[y]) }",
        "case {in(a, values=[x]) ; (not in(b, values=[y]))}",
        id="filter-functions",
    ),
]


@pytest.mark.parametrize(("query", "expected"), CASE_CASES)
def test_case_shape(query: str, expected: str) -> None:
    assert parse_shape(query) == expected


MATCH_CASES = [
    pytest.param('f match { "x" => y := 1 }', 'f match {"x" => y := 1}', id="string-guard"),
    pytest.param("f match { /x/i => y := 1 }", "f match {/x/i => y := 1}", id="regex-guard"),
    pytest.param(
        "f match { in(values=[1, 2]) => y := 1 }",
        "f match {in(values=[1, 2]) => y := 1}",
        id="function-guard",
    ),
    pytest.param(
        'f match { "*" => y := 1 ; * => y := 2 }',
        'f match {"*" => y := 1 ; * => y := 2}',
        id="exists-and-everything",
    ),
    pytest.param("f match { => y := 1 }", "f match {=> y := 1}", id="empty-guard"),
    pytest.param(
        "f match { true => y := 1 ; }", "f match {true => y := 1}", id="trailing-semicolon"
    ),
]


@pytest.mark.parametrize(("query", "expected"), MATCH_CASES)
def test_match_shape(query: str, expected: str) -> None:
    assert parse_shape(query) == expected


def test_empty_match_guard_is_none() -> None:
    node = only_step("f match { => y := 1 }")
    assert isinstance(node, ast.MatchStatement)
    assert node.arms[0].guard is None


def test_negated_filter_call_is_not_node() -> None:
    node = only_step('!in(a, values=["x"])')
    assert isinstance(node, ast.Not)
    assert isinstance(node.operand, ast.Call)


def test_field_operator_keeps_negation_on_call() -> None:
    node = only_step('loglevel =~ !in(values=["ERROR", "WARN"])')
    assert isinstance(node, ast.FieldOperator)
    assert node.field.name == "loglevel"
    assert node.call.negated


# --- spans ----------------------------------------------------------------------------


def test_step_span_on_one_line() -> None:
    steps = parse("a=1 | count()").steps
    assert (steps[1].span.start, steps[1].span.end) == (6, 13)
    assert steps[1].span.col == 7


def test_call_name_span_on_second_line() -> None:
    node = parse("a=1\n| groupBy(x)").steps[1]
    assert isinstance(node, ast.FilterStep)
    call = node.expression
    assert isinstance(call, ast.Call)
    assert (call.name_span.line, call.name_span.col) == (2, 3)
    assert (call.name_span.start, call.name_span.end) == (6, 13)


def test_argument_name_span() -> None:
    call = only_step("sort(a, limit=5)")
    assert isinstance(call, ast.Call)
    limit = call.arguments[1]
    assert limit.name_span is not None
    assert (limit.name_span.start, limit.name_span.end) == (8, 13)
    assert (limit.span.start, limit.span.end) == (8, 15)


def test_binary_span_covers_operands() -> None:
    node = only_step("x := a + bb")
    assert isinstance(node, ast.Assignment)
    assert (node.value.span.start, node.value.span.end) == (5, 11)


def test_every_node_span_inside_query() -> None:
    query = "a=1 b=/x/ | case { c=* | d := lower(e) ; * } | groupBy(f, function=[count()])"
    for node in parse(query).walk():
        assert 0 <= node.span.start <= node.span.end <= len(query)


# --- syntax errors --------------------------------------------------------------------

ERROR_CASES = [
    pytest.param(
        "a=1 | groupBy(x",
        "expected , or ) in the arguments of groupBy()",
        1,
        16,
        id="unclosed-call",
    ),
    pytest.param(
        "a=1\n| groupBy(x,, y)", "expected a value, found ','", 2, 13, id="empty-argument"
    ),
    pytest.param("(a=1", "expected ) to close the group", 1, 5, id="unclosed-group"),
    pytest.param("a=1 )", "expected | before ')'", 1, 5, id="stray-parenthesis"),
    pytest.param("a=", "expected a value after =", 1, 3, id="missing-value"),
    pytest.param("a=1 | ", "empty step after |", 1, 5, id="trailing-pipe"),
    pytest.param("a=1 | | b=2", "empty step after |", 1, 5, id="double-pipe"),
    pytest.param("case { a=1 ", "expected ; or } in the case statement", 1, 12, id="unclosed-case"),
    pytest.param(
        "groupBy(a, function={count()",
        "expected } to close the sub-query",
        1,
        29,
        id="unclosed-sub-query",
    ),
    pytest.param(
        "a:=/fisk/i",
        "a regex literal /fisk/i is not allowed in an expression",
        1,
        4,
        id="regex-assigned",
    ),
    pytest.param(
        "a:=foo==/fisk/i",
        "a regex literal /fisk/i is not allowed in an expression",
        1,
        9,
        id="regex-compared",
    ),
    pytest.param(
        'f = ~wildcard("x")', "'= ~' is not an operator", 1, 5, id="spaced-field-operator"
    ),
    pytest.param(
        "f =~ /re/", "=~ needs a function call on its right", 1, 6, id="field-operator-regex"
    ),
    pytest.param('f =~ "x"', "expected a function call after =~", 1, 6, id="field-operator-string"),
    pytest.param(
        "host-name=*",
        "the field name host-name contains '-' and must be quoted",
        1,
        1,
        id="unquoted-dash",
    ),
    pytest.param(
        "a/b := 1", "the field name a/b contains '/' and must be quoted", 1, 1, id="unquoted-slash"
    ),
    pytest.param("f in x", "expected [ after in", 1, 6, id="in-without-array"),
    pytest.param(
        "x := 1 +",
        "expected an expression, found the end of the query",
        1,
        9,
        id="dangling-operator",
    ),
    pytest.param(
        'f match { "x" y := 1 }',
        "expected => after the match guard",
        1,
        15,
        id="match-without-arrow",
    ),
    pytest.param("sort(field=[a, b)", "expected , or ] in the array", 1, 17, id="unclosed-array"),
]


@pytest.mark.parametrize(("query", "message", "line", "col"), ERROR_CASES)
def test_parse_error_position(query: str, message: str, line: int, col: int) -> None:
    with pytest.raises(ParseError) as caught:
        parse(query)
    assert message in caught.value.description
    assert caught.value.span is not None
    assert (caught.value.span.line, caught.value.span.col) == (line, col)


HINT_CASES = [
    pytest.param("a=", 'quote the value, for example field="value"', id="missing-value"),
    pytest.param("(a=1", "the group opens at column 1", id="unclosed-group"),
    pytest.param('f = ~wildcard("x")', "write =~ (no space)", id="spaced-field-operator"),
    pytest.param("f =~ /re/", "write f = /re/", id="field-operator-regex"),
    pytest.param("host-name=*", 'write "host-name"', id="unquoted-field"),
    pytest.param("a:=/fisk/i", 'regex("pattern", field=FieldName)', id="regex-in-expression"),
    pytest.param("a=1 | | b=2", "remove the extra |", id="double-pipe"),
]


@pytest.mark.parametrize(("query", "hint"), HINT_CASES)
def test_parse_error_hint(query: str, hint: str) -> None:
    with pytest.raises(ParseError) as caught:
        parse(query)
    assert caught.value.hint is not None
    assert hint in caught.value.hint


def test_parse_error_text_has_caret() -> None:
    with pytest.raises(ParseError) as caught:
        parse("a=1\n| groupBy(x,, y)")
    assert str(caught.value) == (
        "expected a value, found ','\nat line 2, column 13:\n| groupBy(x,, y)\n            ^"
    )


def test_caret_width_is_token_width() -> None:
    with pytest.raises(ParseError) as caught:
        parse("a:=/fisk/i")
    caret_line = str(caught.value).splitlines()[3]
    assert caret_line == "   ^^^^^^^"


def test_lex_error_raised_through_parse() -> None:
    with pytest.raises(CqlError) as caught:
        parse('a="abc')
    assert caught.value.kind == "syntax"


@pytest.mark.xfail(
    strict=True,
    raises=pytest.fail.Exception,
    reason="LogScale rejects https:// alone, but the lexer reads it as one word, like "
    "https://www.example.com/; the rule that separates the two is not documented",
)
def test_url_scheme_alone_is_error() -> None:
    with pytest.raises(ParseError):
        parse("https://")
