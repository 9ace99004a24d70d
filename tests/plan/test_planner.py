"""Tests for the planner: plan shapes, argument binding and diagnostics."""

from __future__ import annotations

import pytest

from cqlkit.errors import SemanticError
from cqlkit.plan import nodes
from cqlkit.plan.functions import lookup
from cqlkit.plan.planner import check_query, plan_query
from helpers import diagnostic_codes

PUBLISHED_IF = 'AutoClose := if(CommandLine = ~/(?i)\\/s|\\/au/, "1", "0")'
PUBLISHED_CODES = ["if-unknown-parameter", "regex-in-expression", "if-positional-branch"]


def only_stage(query: str, **options: object) -> nodes.Stage:
    (stage,) = plan_query(query, **options).stages  # type: ignore[arg-type]
    return stage


def only_predicate(query: str, **options: object) -> nodes.Predicate:
    stage = only_stage(query, **options)
    assert isinstance(stage, nodes.Filter)
    return stage.predicate


def only_call(query: str, **options: object) -> nodes.BoundCall:
    stage = only_stage(query, **options)
    if isinstance(stage, nodes.Filter):
        assert isinstance(stage.predicate, nodes.CallPredicate)
        return stage.predicate.call
    assert isinstance(stage, nodes.Apply)
    return stage.call


def severities(query: str, **options: object) -> list[str]:
    _, diagnostics = check_query(query, **options)  # type: ignore[arg-type]
    return [diagnostic.severity for diagnostic in diagnostics]


# --- filters --------------------------------------------------------------------------

PREDICATE_CASES = [
    pytest.param("f=*", nodes.Exists(None, "f"), id="exists"),
    pytest.param("f=**", nodes.Exists(None, "f"), id="double-star-exists"),
    pytest.param("f!=*", nodes.Negation(None, nodes.Exists(None, "f")), id="absent"),
    pytest.param('f=""', nodes.Equals(None, "f", ""), id="empty-string"),
    pytest.param("f=abc", nodes.Equals(None, "f", "abc"), id="word"),
    pytest.param('f="abc"', nodes.Equals(None, "f", "abc"), id="string"),
    pytest.param("f!=abc", nodes.Negation(None, nodes.Equals(None, "f", "abc")), id="not-equal"),
    pytest.param("f=ab*", nodes.GlobMatch(None, "f", "ab*"), id="glob"),
    pytest.param('f="*ab*"', nodes.GlobMatch(None, "f", "*ab*"), id="quoted-glob"),
    pytest.param("f like ab", nodes.GlobMatch(None, "f", "*ab*"), id="like-contains"),
    pytest.param("f like a*b", nodes.GlobMatch(None, "f", "a*b"), id="like-glob"),
    pytest.param("f<5", nodes.NumericCompare(None, "f", "<", 5.0), id="less-than"),
    pytest.param("f >= 2.5", nodes.NumericCompare(None, "f", ">=", 2.5), id="greater-or-equal"),
    pytest.param("foo=m/fisk/i", nodes.Equals(None, "foo", "m/fisk/i"), id="slash-value"),
    pytest.param("foo", nodes.FreeText(None, "*foo*"), id="free-text"),
    pytest.param("*", nodes.Everything(None), id="star"),
    pytest.param('?{x="*"}', nodes.Everything(None), id="parameter-default-star"),
]


def _without_spans(predicate: nodes.Predicate) -> nodes.Predicate:
    """Return ``predicate`` with every span set to None, for comparing shapes."""
    if isinstance(predicate, nodes.Negation):
        return nodes.Negation(None, _without_spans(predicate.operand))
    if isinstance(predicate, nodes.AllOf | nodes.AnyOf):
        return type(predicate)(None, tuple(_without_spans(part) for part in predicate.parts))
    values = {name: getattr(predicate, name) for name in predicate.__dataclass_fields__}
    values["span"] = None
    return type(predicate)(**values)


@pytest.mark.parametrize(("query", "expected"), PREDICATE_CASES)
def test_filter_predicate(query: str, expected: nodes.Predicate) -> None:
    assert _without_spans(only_predicate(query)) == expected


@pytest.mark.parametrize(
    ("query", "kind"),
    [
        pytest.param("f=/x/", nodes.RegexMatch, id="regex"),
        pytest.param("f=/x/i", nodes.RegexMatch, id="regex-with-flag"),
        pytest.param("f!=/x/", nodes.Negation, id="negated-regex"),
        pytest.param("/x/", nodes.FreeText, id="free-text-regex"),
        pytest.param("a=1 or b=2", nodes.AnyOf, id="or"),
        pytest.param("(a=1 b=2) or c=3", nodes.AnyOf, id="and-inside-or"),
        pytest.param("not a=1", nodes.Negation, id="not"),
        pytest.param("f in [a, b]", nodes.CallPredicate, id="in-operator"),
    ],
)
def test_filter_predicate_kind(query: str, kind: type[nodes.Predicate]) -> None:
    assert isinstance(only_predicate(query), kind)


def test_top_level_and_splits_stages() -> None:
    stages = plan_query('src="client" ip="127.0.0.1"').stages
    assert [
        _without_spans(stage.predicate) for stage in stages if isinstance(stage, nodes.Filter)
    ] == [
        nodes.Equals(None, "src", "client"),
        nodes.Equals(None, "ip", "127.0.0.1"),
    ]


def test_in_operator_binds_values() -> None:
    call = only_call('f in [a, "b*"]')
    assert call.name == "in"
    assert call.get("field") == "f"
    assert call.get("values") == ("a", "b*")


# --- regex extraction -----------------------------------------------------------------


def test_named_group_extracts() -> None:
    stage = only_stage("f=/(?<user>\\w+)@/")
    assert isinstance(stage, nodes.ExtractRegex)
    assert stage.field == "f"


def test_free_text_named_group_extracts() -> None:
    stage = only_stage("/(?<user>\\w+)@/")
    assert isinstance(stage, nodes.ExtractRegex)
    assert stage.field is None


def test_named_group_inside_or_only_filters() -> None:
    stage = only_stage("type=FOO or /disk_free=(?<space>[0-9]+)/")
    assert isinstance(stage, nodes.Filter)


def test_regex_function_defaults() -> None:
    stage = only_stage('regex("(?<x>a)")')
    assert isinstance(stage, nodes.ExtractRegex)
    assert stage.field == "@rawstring"
    assert stage.strict
    assert not stage.repeat
    assert stage.limit == 100
    assert stage.regex.flags == "m"


def test_regex_function_options() -> None:
    stage = only_stage('regex("a", field=f, flags="i", strict=false, repeat=true, limit=5)')
    assert isinstance(stage, nodes.ExtractRegex)
    assert stage.field == "f"
    assert not stage.strict
    assert stage.repeat
    assert stage.limit == 5
    assert stage.regex.flags == "i"


def test_negated_regex_function_filters() -> None:
    predicate = only_predicate('not regex("a", field=f)')
    assert isinstance(predicate, nodes.Negation)
    assert isinstance(predicate.operand, nodes.CallPredicate)


# --- the field operator =~ ------------------------------------------------------------

FIELD_OPERATOR_CASES = [
    pytest.param('f =~ in(values=["x"])', "in", False, id="in"),
    pytest.param('f =~ !in(values=["x"])', "in", True, id="negated-in"),
    pytest.param("f =~ not in(values=[x])", "in", True, id="not-in"),
    pytest.param('f =~ wildcard("x*", ignoreCase=true)', "wildcard", False, id="wildcard"),
]


@pytest.mark.parametrize(("query", "name", "negated"), FIELD_OPERATOR_CASES)
def test_field_operator_sets_field(query: str, name: str, negated: bool) -> None:
    call = only_call(query)
    assert call.name == name
    assert call.get("field") in ("f", ("f",))
    assert call.negated is negated


def test_field_operator_on_transform() -> None:
    call = only_call('f =~ replace("a", with="b")')
    assert call.name == "replace"
    assert call.get("field") == "f"


def test_field_operator_needs_field_parameter() -> None:
    assert diagnostic_codes("f =~ test(a == 1)") == ["field-operator-without-field"]


# --- := -------------------------------------------------------------------------------

ASSIGNMENT_AS_CASES = [
    pytest.param("x := lower(a)", "lower", id="transform"),
    pytest.param("x := min(a)", "min", id="aggregate"),
    pytest.param('x := format("%s", field=[a])', "format", id="format"),
    pytest.param("x := rename(a)", "rename", id="rename"),
    pytest.param("x := Lower(a)", "lower", id="function-name-case"),
]


@pytest.mark.parametrize(("query", "name"), ASSIGNMENT_AS_CASES)
def test_assigned_call_gets_as(query: str, name: str) -> None:
    call = only_call(query)
    assert call.name == name
    assert call.get("as") == "x"


@pytest.mark.parametrize(
    "query",
    [
        pytest.param("x := a + 1", id="arithmetic"),
        pytest.param('x := "text"', id="string"),
        pytest.param('x := if(a == 1, then="1", else="0")', id="if"),
        pytest.param('x := regex("a")', id="filter-function"),
        pytest.param("x := lower(a) + 1", id="call-inside-expression"),
    ],
)
def test_assignment_of_expression(query: str) -> None:
    stage = only_stage(query)
    assert isinstance(stage, nodes.Assign)
    assert stage.field == "x"


def test_eval_gives_one_assignment_each() -> None:
    stages = plan_query("eval(x = 1, y = x + 1)").stages
    assert [stage.field for stage in stages if isinstance(stage, nodes.Assign)] == ["x", "y"]


def test_named_aggregate_in_list() -> None:
    call = only_call("[lo := min(n), hi := max(n)]")
    parts = call.get("function")
    assert isinstance(parts, tuple)
    assert [part.get("as") for part in parts if isinstance(part, nodes.BoundCall)] == ["lo", "hi"]


def test_group_by_default_function_is_count() -> None:
    call = only_call("groupBy(a)")
    (count,) = call.get("function")  # type: ignore[misc]
    assert isinstance(count, nodes.BoundCall)
    assert count.name == "count"
    assert count.get("as") == "_count"


def test_group_by_sub_query_in_list() -> None:
    call = only_call("groupBy(a, function=[{count() | x := _count * 2}])")
    (part,) = call.get("function")  # type: ignore[misc]
    assert isinstance(part, nodes.Plan)


# --- function names and arguments -----------------------------------------------------


@pytest.mark.parametrize("name", ["groupBy", "groupby", "GROUPBY", "GroupBy"])
def test_function_name_ignores_case(name: str) -> None:
    call = only_call(f"{name}(a)")
    assert call.name == "groupBy"


def test_registry_lookup_ignores_case() -> None:
    spec = lookup("LOWER")
    assert spec is not None
    assert spec.name == "lower"


def test_unknown_function_suggests_name() -> None:
    _, diagnostics = check_query("coutn()")
    (diagnostic,) = diagnostics
    assert diagnostic.code == "unknown-function"
    assert diagnostic.hint == "did you mean count()?"


def test_unknown_function_span_is_name() -> None:
    _, diagnostics = check_query("a=1 | grupBy(x)")
    assert diagnostics[0].span is not None
    assert (diagnostics[0].span.col, diagnostics[0].span.end) == (7, 12)


def test_unknown_function_suggests_canonical_case() -> None:
    _, diagnostics = check_query("groupBi(a)")
    assert diagnostics[0].hint == "did you mean groupBy()?"


def test_unknown_function_without_close_name() -> None:
    _, diagnostics = check_query("qqqqqq()")
    assert diagnostics[0].hint is None


ARGUMENT_ERROR_CASES = [
    pytest.param("sum()", ["missing-argument"], id="missing-required"),
    pytest.param("in(a)", ["missing-argument"], id="missing-values"),
    pytest.param("sum(a, foo=1)", ["unknown-parameter"], id="unknown-parameter"),
    pytest.param("head(10, 5)", ["unnamed-argument"], id="second-positional"),
    pytest.param("sum(a, a)", ["unnamed-argument"], id="repeated-positional"),
    pytest.param("drop(a, b)", ["unnamed-argument"], id="positional-list-items"),
    pytest.param('regex(a, regex="x")', ["duplicate-argument"], id="duplicate"),
    pytest.param("eval(1)", ["eval-needs-assignment"], id="eval-positional"),
    pytest.param("rename(a)", ["missing-argument"], id="rename-without-as"),
    pytest.param("sort(limit=300000)", ["argument-out-of-range"], id="above-maximum"),
    pytest.param("head(limit=-1)", ["argument-out-of-range"], id="below-minimum"),
    pytest.param("sort(order=sideways)", ["invalid-argument"], id="invalid-choice"),
    pytest.param("head(limit=x)", ["invalid-argument"], id="limit-not-number"),
    pytest.param("regex(a, strict=maybe)", ["invalid-argument"], id="invalid-boolean"),
    pytest.param(
        "groupBy(a, function=lower(b))", ["not-an-aggregate"], id="transform-as-aggregate"
    ),
    pytest.param("x := 1 + count()", ["aggregate-in-expression"], id="aggregate-in-expression"),
    pytest.param("lower(a) or b=1", ["not-a-filter"], id="transform-in-or"),
    pytest.param("a < x", ["not-a-number"], id="ordering-with-word"),
    pytest.param("400 > statuscode", ["not-a-number"], id="ordering-with-field-name"),
    pytest.param("a=/(?P<x>a)/", ["invalid-regex"], id="invalid-regex-reported-once"),
    pytest.param('regex("(?P<x>a)")', ["invalid-regex"], id="invalid-regex-function"),
    pytest.param("a=1 | $saved()", ["saved-search"], id="saved-search"),
    pytest.param(
        "test(a = 1)", ["unknown-parameter", "missing-argument"], id="equals-names-argument"
    ),
]


@pytest.mark.parametrize(("query", "codes"), ARGUMENT_ERROR_CASES)
def test_argument_error_codes(query: str, codes: list[str]) -> None:
    assert diagnostic_codes(query) == codes


@pytest.mark.parametrize(
    "query",
    [
        pytest.param("groupBy(a, limit=max)", id="limit-max"),
        pytest.param("sort(a, order=ascending)", id="order-alias"),
        pytest.param('replace("a", replacement="b")', id="parameter-alias"),
        pytest.param("groupBy(a, function=[])", id="empty-function-list"),
        pytest.param("a =~ count()", id="field-operator-aggregate"),
        pytest.param("count() | count()", id="aggregate-after-aggregate"),
        pytest.param("count() | _count > 1", id="field-filter-after-aggregate"),
    ],
)
def test_valid_call_has_no_diagnostics(query: str) -> None:
    assert diagnostic_codes(query) == []


def test_limit_max_is_maximum() -> None:
    call = only_call("sort(a, limit=max)")
    assert call.get("limit") == 200_000


def test_unknown_parameter_lists_parameters() -> None:
    _, diagnostics = check_query("sum(a, foo=1)")
    assert diagnostics[0].message == "sum() has no parameter foo; its parameters are field, as"


def test_unnamed_if_branches() -> None:
    codes = diagnostic_codes('x := if(a == 1, "1", "0")')
    assert codes.count("unnamed-argument") == 2
    assert "missing-argument" in codes
    assert "if-positional-branch" not in codes


def test_default_arguments_are_bound() -> None:
    call = only_call("sort(a)")
    assert call.get("order") == ("desc",)
    assert call.get("type") == ("number",)
    assert call.get("limit") == 200
    assert call.explicit == frozenset({"field"})


# --- published mistakes ---------------------------------------------------------------


def test_published_if_codes() -> None:
    assert diagnostic_codes(PUBLISHED_IF) == PUBLISHED_CODES


def test_published_if_is_error() -> None:
    assert severities(PUBLISHED_IF) == ["error", "error", "error"]


def test_published_if_lenient_is_warning() -> None:
    assert severities(PUBLISHED_IF, lenient=True) == ["warning", "warning", "warning"]


def test_published_if_fix() -> None:
    _, diagnostics = check_query(PUBLISHED_IF)
    fixes = {diagnostic.fix for diagnostic in diagnostics}
    assert fixes == {'if(regex("(?i)/s|/au", field=CommandLine), then="1", else="0")'}


def test_published_if_spans() -> None:
    _, diagnostics = check_query(PUBLISHED_IF)
    columns = [diagnostic.span.col for diagnostic in diagnostics if diagnostic.span is not None]
    assert columns == [17, 31, 48]


def test_published_if_lenient_plans_regex() -> None:
    stage = only_stage(PUBLISHED_IF, lenient=True)
    assert isinstance(stage, nodes.Assign)
    assert isinstance(stage.expression, nodes.FunctionValue)
    condition = stage.expression.call.get("condition")
    assert isinstance(condition, nodes.FunctionValue)
    assert condition.call.name == "regex"
    assert condition.call.get("field") == "CommandLine"


def test_published_if_with_named_branches() -> None:
    codes = diagnostic_codes('x := if(CommandLine = ~/x/, then="1", else="0")')
    assert codes == ["if-unknown-parameter", "regex-in-expression"]


def test_tilde_filter_is_mistake() -> None:
    assert diagnostic_codes("a = ~/x/") == ["tilde-operator"]


def test_tilde_filter_lenient_is_regex() -> None:
    predicate = only_predicate("a = ~/x/", lenient=True)
    assert isinstance(predicate, nodes.RegexMatch)


def test_plan_query_raises_first_error() -> None:
    with pytest.raises(SemanticError) as caught:
        plan_query(PUBLISHED_IF)
    assert caught.value.description.startswith("if() has no parameter CommandLine")
    assert caught.value.description.endswith("(and 2 more; run cqlkit check to list them)")
    assert caught.value.span is not None
    assert caught.value.span.col == 17


def test_semantic_error_shows_caret() -> None:
    with pytest.raises(SemanticError) as caught:
        plan_query("a=1\n| coutn()")
    assert str(caught.value).splitlines()[1:4] == ["at line 2, column 3:", "| coutn()", "  ^^^^^"]


def test_diagnostic_render() -> None:
    _, diagnostics = check_query("coutn()")
    assert diagnostics[0].render("coutn()") == (
        "error[unknown-function]: unknown function coutn()\n"
        "  at line 1, column 1:\n"
        "  coutn()\n"
        "  ^^^^^\n"
        "  hint: did you mean count()?"
    )


# --- #timestamp -----------------------------------------------------------------------

TIMESTAMP_CASES = [
    pytest.param("#timestamp=1", id="filter"),
    pytest.param("sort(#timestamp)", id="sort"),
    pytest.param("select([#timestamp, a])", id="select"),
    pytest.param("x := #timestamp", id="expression"),
]


@pytest.mark.parametrize("query", TIMESTAMP_CASES)
def test_hash_timestamp_warns(query: str) -> None:
    _, diagnostics = check_query(query)
    assert [(d.severity, d.code, d.fix) for d in diagnostics] == [
        ("warning", "unknown-time-field", "@timestamp")
    ]


def test_hash_timestamp_kept_when_strict() -> None:
    call = only_call("sort(#timestamp)")
    assert call.get("field") == ("#timestamp",)


def test_hash_timestamp_read_as_time_when_lenient() -> None:
    call = only_call("sort(#timestamp)", lenient=True)
    assert call.get("field") == ("@timestamp",)


def test_hash_timestamp_query_still_plans() -> None:
    plan = plan_query("#timestamp=1")
    assert len(plan.diagnostics) == 1


# --- free text after an aggregate -----------------------------------------------------

FREE_TEXT_ORDER_CASES = [
    pytest.param("count() | foo", ["free-text-after-aggregate"], id="word-after-count"),
    pytest.param("count() | /x/", ["free-text-after-aggregate"], id="regex-after-count"),
    pytest.param('groupBy(a) | "x y"', ["free-text-after-aggregate"], id="string-after-group-by"),
    pytest.param("count() foo", ["free-text-after-aggregate"], id="same-step"),
    pytest.param(
        "x := count() | foo", ["free-text-after-aggregate"], id="after-assigned-aggregate"
    ),
    pytest.param("[count()] | foo", ["free-text-after-aggregate"], id="after-aggregate-list"),
    pytest.param("foo | count()", [], id="before-aggregate"),
    pytest.param("foo count()", [], id="before-in-same-step"),
    pytest.param("count() | a=1", [], id="field-filter-after"),
    pytest.param("count() | @rawstring=/x/", [], id="rawstring-regex-after"),
    pytest.param("lower(a) | foo", [], id="after-transform"),
]


@pytest.mark.parametrize(("query", "codes"), FREE_TEXT_ORDER_CASES)
def test_free_text_after_aggregate(query: str, codes: list[str]) -> None:
    assert diagnostic_codes(query) == codes


# --- parameters -----------------------------------------------------------------------


def test_missing_parameter_is_error() -> None:
    assert diagnostic_codes("a=?p") == ["missing-parameter"]


def test_parameter_value_substituted() -> None:
    predicate = only_predicate("a=?p", parameters={"p": "1"})
    assert _without_spans(predicate) == nodes.Equals(None, "a", "1")


def test_parameter_default_star_is_exists() -> None:
    predicate = only_predicate('a=?{p="*"}')
    assert _without_spans(predicate) == nodes.Exists(None, "a")


def test_parameter_overrides_default() -> None:
    predicate = only_predicate('a=?{p="*"}', parameters={"p": "x"})
    assert _without_spans(predicate) == nodes.Equals(None, "a", "x")


def test_quoted_parameter_name() -> None:
    predicate = only_predicate('a=?"my p"', parameters={"my p": "x"})
    assert _without_spans(predicate) == nodes.Equals(None, "a", "x")


def test_parameter_in_function_argument() -> None:
    call = only_call(
        "ComputerName =~ wildcard(?ComputerName, ignoreCase=true)",
        parameters={"ComputerName": "ws*"},
    )
    assert call.get("pattern") == "ws*"


# --- case, match and the implicit tail ------------------------------------------------


def test_case_branches() -> None:
    stage = only_stage('case { a=1 | x := "1" ; * }')
    assert isinstance(stage, nodes.Case)
    assert [len(branch.stages) for branch in stage.branches] == [2, 1]


def test_bare_star_clause_keeps_everything() -> None:
    stage = only_stage("case { a=1 ; * }")
    assert isinstance(stage, nodes.Case)
    (star,) = stage.branches[1].stages
    assert isinstance(star, nodes.Filter)
    assert isinstance(star.predicate, nodes.Everything)


MATCH_GUARD_CASES = [
    pytest.param("*", nodes.Everything, id="star-everything"),
    pytest.param("true", nodes.Everything, id="true-everything"),
    pytest.param('"*"', nodes.Exists, id="quoted-star-exists"),
    pytest.param("**", nodes.Exists, id="double-star-exists"),
    pytest.param('"x"', nodes.Equals, id="string"),
    pytest.param('"x*"', nodes.GlobMatch, id="glob"),
    pytest.param("/x/", nodes.RegexMatch, id="regex"),
    pytest.param("in(values=[1, 2])", nodes.CallPredicate, id="function"),
    pytest.param("", nodes.Everything, id="empty"),
]


@pytest.mark.parametrize(("guard", "kind"), MATCH_GUARD_CASES)
def test_match_guard_predicate(guard: str, kind: type[nodes.Predicate]) -> None:
    stage = only_stage(f"f match {{ {guard} => y := 1 }}")
    assert isinstance(stage, nodes.Match)
    assert isinstance(stage.arms[0].guard, kind)


def test_match_function_guard_gets_field() -> None:
    stage = only_stage("f match { in(values=[1, 2]) => y := 1 }")
    assert isinstance(stage, nodes.Match)
    guard = stage.arms[0].guard
    assert isinstance(guard, nodes.CallPredicate)
    assert guard.call.get("field") == "f"


@pytest.mark.parametrize(
    ("query", "implicit_tail"),
    [
        pytest.param("a=1", True, id="filter"),
        pytest.param("select([a])", True, id="select-is-no-aggregate"),
        pytest.param("a=1 | count()", False, id="count"),
        pytest.param("tail(5)", False, id="explicit-tail"),
    ],
)
def test_implicit_tail_flag(query: str, implicit_tail: bool) -> None:
    assert plan_query(query).implicit_tail is implicit_tail


def test_plan_records_free_text_use() -> None:
    assert plan_query("foo").has_free_text
    assert not plan_query("a=foo").has_free_text
