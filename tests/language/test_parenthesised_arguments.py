"""Tests of argument values in parentheses, such as ``weight=(sum(cnt))``.

LogScale's sankey() example writes ``sankey(source="src", target="dst",
weight=(sum(cnt)))``. The parentheses only group: the value inside is the
argument, whatever kind of value it is.
"""

from __future__ import annotations

import pytest

from cqlkit.errors import ParseError
from cqlkit.language import ast
from cqlkit.language.parser import parse
from helpers import make_events, run


def only_call(query: str) -> ast.Call:
    """Parse a query of one function call and return that call."""
    (step,) = parse(query).steps
    assert isinstance(step, ast.FilterStep)
    assert isinstance(step.expression, ast.Call)
    return step.expression


def argument_value(query: str, position: int = 0) -> ast.Node:
    """Return the value of one argument of the query's only call."""
    return only_call(query).arguments[position].value


def test_parenthesised_call_is_the_argument():
    value = argument_value("sankey(weight=(sum(cnt)), source=a, target=b)")
    assert isinstance(value, ast.Call)
    assert value.name == "sum"
    (argument,) = value.arguments
    assert isinstance(argument.value, ast.Word)
    assert argument.value.text == "cnt"


def test_parenthesised_call_keeps_its_span():
    query = "sankey(weight=(sum(cnt)), source=a, target=b)"
    value = argument_value(query)
    assert query[value.span.start : value.span.end] == "sum(cnt)"


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ('format(field=a, format=("%s"))', ast.StringLit),
        ("head(limit=(5))", ast.Word),
        ("groupBy(field=([a, b]))", ast.ArrayLit),
        ("groupBy(a, function=({count()}))", ast.SubQuery),
    ],
    ids=["string", "word", "array", "sub-query"],
)
def test_parenthesised_literal_kinds(query, expected):
    call = only_call(query)
    assert isinstance(call.arguments[-1].value, expected)


def test_unnamed_argument_in_parentheses():
    value = argument_value("count((host))")
    assert isinstance(value, ast.Word)
    assert value.text == "host"


def test_nested_parentheses():
    value = argument_value("stats(function=((count())))")
    assert isinstance(value, ast.Call)
    assert value.name == "count"


def test_parenthesised_array_items():
    value = argument_value("stats(function=[(count()), (max(x))])")
    assert isinstance(value, ast.ArrayLit)
    assert [item.name for item in value.items if isinstance(item, ast.Call)] == ["count", "max"]


def test_parentheses_may_span_lines():
    value = argument_value("sankey(source=a, target=b, weight=(\n  sum(cnt)\n))", 2)
    assert isinstance(value, ast.Call)


def test_expression_argument_unchanged():
    # test() already reads its argument as an expression, where parentheses group.
    value = argument_value("test((a + 1) > 2)")
    assert isinstance(value, ast.BinaryOp)
    assert value.op == ">"


def test_unclosed_parenthesis_is_parse_error():
    with pytest.raises(ParseError) as caught:
        parse("groupBy(a, function=(count(), limit=5)")
    assert "to close the parenthesis" in caught.value.description


def test_empty_parentheses_is_parse_error():
    with pytest.raises(ParseError) as caught:
        parse("sankey(source=a, target=b, weight=())")
    assert "expected a value" in caught.value.description


def test_two_values_in_parentheses_is_parse_error():
    with pytest.raises(ParseError):
        parse("groupBy(field=(a, b))")


def test_sankey_documented_weight_runs():
    # examples-sankey-weight: the weight of each (src, dst) pair is sum(cnt).
    events = make_events(
        {"src": "john", "dst": "apples", "cnt": "12"},
        {"src": "john", "dst": "bananas", "cnt": "1"},
        {"src": "joe", "dst": "apples", "cnt": "1"},
        {"src": "sarah", "dst": "apples", "cnt": "1"},
        {"src": "sarah", "dst": "apples", "cnt": "1"},
        {"src": "sarah", "dst": "apples", "cnt": "1"},
    )
    rows = run('sankey(source="src", target="dst", weight=(sum(cnt)))', events, sql_only=True)
    assert sorted(rows, key=lambda row: (row["source"], row["target"])) == [
        {"source": "joe", "target": "apples", "weight": "1"},
        {"source": "john", "target": "apples", "weight": "12"},
        {"source": "john", "target": "bananas", "weight": "1"},
        {"source": "sarah", "target": "apples", "weight": "3"},
    ]


def test_parenthesised_function_argument_runs():
    events = make_events({"host": "a", "bytes": "3"}, {"host": "a", "bytes": "4"})
    rows = run("groupBy(host, function=(sum(bytes)))", events, sql_only=True)
    assert rows == [{"host": "a", "_sum": "7"}]
