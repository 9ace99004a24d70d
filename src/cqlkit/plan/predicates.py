"""Planning of filters: field filters, free text, logic and filter functions."""

from __future__ import annotations

from typing import TYPE_CHECKING

from cqlkit.language import ast
from cqlkit.plan import nodes
from cqlkit.plan.arguments import bind_call
from cqlkit.plan.functions import FunctionKind

if TYPE_CHECKING:
    from cqlkit.plan.planner import Planner

_ORDERING = ("<", "<=", ">", ">=")


def plan_predicate(planner: Planner, node: ast.Node) -> nodes.Predicate:
    """Plan one filter expression."""
    if isinstance(node, ast.And):
        return nodes.AllOf(
            node.span, (plan_predicate(planner, node.left), plan_predicate(planner, node.right))
        )
    if isinstance(node, ast.Or):
        return nodes.AnyOf(
            node.span, (plan_predicate(planner, node.left), plan_predicate(planner, node.right))
        )
    if isinstance(node, ast.Not):
        return nodes.Negation(node.span, plan_predicate(planner, node.operand))
    if isinstance(node, ast.Comparison):
        return _comparison(planner, node)
    if isinstance(node, ast.FreeText):
        return _free_text(planner, node)
    if isinstance(node, ast.InList):
        call = ast.Call(
            node.span,
            "in",
            (
                ast.Argument(node.span, None, node.field),
                ast.Argument(node.values.span, "values", node.values),
            ),
            node.span,
        )
        return _filter_call(planner, call)
    if isinstance(node, ast.Call):
        return _filter_call(planner, node)
    if isinstance(node, ast.FieldOperator):
        return _filter_call(planner, node.call, planner.field_name(node.field))
    planner.context.error("invalid-filter", "this cannot be used as a filter", node.span)
    return nodes.Everything(node.span)


def _filter_call(
    planner: Planner, call: ast.Call, injected_field: str | None = None
) -> nodes.Predicate:
    bound = bind_call(planner, call, injected_field)
    if bound is None:
        return nodes.Everything(call.span)
    if bound.kind is not FunctionKind.FILTER:
        planner.context.error(
            "not-a-filter",
            f"{bound.name}() is a {bound.kind.value} function"
            " and cannot be combined with and, or, not",
            call.span,
            hint=f"put {bound.name}() in its own step after a |",
        )
    return nodes.CallPredicate(call.span, bound)


def _comparison(planner: Planner, node: ast.Comparison) -> nodes.Predicate:
    field = planner.field_name(node.field)
    value = node.value
    if isinstance(value, ast.TildeRegex):
        planner.context.mistake(
            "tilde-operator",
            "'= ~' is not an operator",
            value.span,
            hint="write field = /regex/ to match a regex, or field =~ fn() for a function",
            fix=f"{field} = /{value.regex.pattern}/{value.regex.flags}",
            fix_span=node.span,
        )
        value = value.regex
    if isinstance(value, ast.RegexLit):
        regex = planner.context.regex(value.pattern, value.flags, value.span)
        if regex is None:
            return nodes.Everything(node.span)
        match = nodes.RegexMatch(node.span, field, regex)
        return nodes.Negation(node.span, match) if node.op == "!=" else match
    text = planner.text_value(value)
    if text is None:
        planner.context.error(
            "invalid-filter", "expected a value on the right of the filter", value.span
        )
        return nodes.Everything(node.span)
    if node.op in _ORDERING:
        return _ordering(planner, node, field, text)
    if node.op == "like":
        pattern = text if "*" in text else f"*{text}*"
        return nodes.GlobMatch(node.span, field, pattern)
    equality = _equality(node, field, text)
    return nodes.Negation(node.span, equality) if node.op == "!=" else equality


def _equality(node: ast.Node, field: str, text: str) -> nodes.Predicate:
    if text and set(text) == {"*"}:
        return nodes.Exists(node.span, field)
    if "*" in text:
        return nodes.GlobMatch(node.span, field, text)
    return nodes.Equals(node.span, field, text)


def _ordering(planner: Planner, node: ast.Comparison, field: str, text: str) -> nodes.Predicate:
    try:
        number = float(text)
    except ValueError:
        planner.context.error(
            "not-a-number",
            f"the value of {node.op} must be a number, not {text!r}",
            node.value.span,
            hint="to compare two fields, use test(a < b)",
        )
        return nodes.Everything(node.span)
    return nodes.NumericCompare(node.span, field, node.op, number)


def _free_text(planner: Planner, node: ast.FreeText) -> nodes.Predicate:
    value = node.value
    planner.uses_free_text = True
    if isinstance(value, ast.RegexLit):
        regex = planner.context.regex(value.pattern, value.flags, value.span)
        if regex is None:
            return nodes.Everything(node.span)
        return nodes.FreeText(node.span, None, regex)
    text = planner.text_value(value) or ""
    if text == "*":
        return nodes.Everything(node.span)
    return nodes.FreeText(node.span, f"*{text}*")
