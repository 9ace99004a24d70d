"""A deterministic text dump of a logical plan, for ``cqlkit explain`` and golden tests."""

from __future__ import annotations

from collections.abc import Iterator

from cqlkit.language.regexes import LogScaleRegex
from cqlkit.plan import nodes

_INDENT = "  "


def format_plan(plan: nodes.Plan) -> str:
    """Return the plan as an indented tree, one stage per top-level line."""
    lines = list(_plan_lines(plan, 0))
    if plan.implicit_tail:
        lines.append("implicit tail(limit=200)")
    return "\n".join(lines)


def _plan_lines(plan: nodes.Plan, depth: int) -> Iterator[str]:
    for index, stage in enumerate(plan.stages):
        yield from _stage_lines(stage, depth, f"s{index}")


def _stage_lines(stage: nodes.Stage, depth: int, label: str) -> Iterator[str]:
    pad = _INDENT * depth
    if isinstance(stage, nodes.Filter):
        yield f"{pad}{label} filter {format_predicate(stage.predicate)}"
    elif isinstance(stage, nodes.Assign):
        yield f"{pad}{label} assign {stage.field} := {format_expression(stage.expression)}"
    elif isinstance(stage, nodes.ExtractRegex):
        target = "free text" if stage.field is None else stage.field
        options = f"strict={stage.strict} repeat={stage.repeat} negated={stage.negated}"
        yield f"{pad}{label} extract {target} {_regex(stage.regex)} {options}"
    elif isinstance(stage, nodes.Apply):
        yield f"{pad}{label} {stage.call.kind.value} {format_call(stage.call)}"
    elif isinstance(stage, nodes.Case):
        yield f"{pad}{label} case"
        for number, branch in enumerate(stage.branches):
            yield f"{pad}{_INDENT}branch {number}"
            yield from _plan_lines(branch, depth + 2)
    elif isinstance(stage, nodes.Match):
        yield f"{pad}{label} match {stage.field}"
        for arm in stage.arms:
            yield f"{pad}{_INDENT}when {format_predicate(arm.guard)}"
            yield from _plan_lines(arm.body, depth + 2)


def format_predicate(predicate: nodes.Predicate) -> str:
    """Return a one-line text form of a predicate."""
    if isinstance(predicate, nodes.Everything):
        return "*"
    if isinstance(predicate, nodes.AllOf):
        return "(" + " and ".join(format_predicate(p) for p in predicate.parts) + ")"
    if isinstance(predicate, nodes.AnyOf):
        return "(" + " or ".join(format_predicate(p) for p in predicate.parts) + ")"
    if isinstance(predicate, nodes.Negation):
        return f"not {format_predicate(predicate.operand)}"
    if isinstance(predicate, nodes.Exists):
        return f"exists({predicate.field})"
    if isinstance(predicate, nodes.Equals):
        return f"{predicate.field} == {predicate.value!r}"
    if isinstance(predicate, nodes.GlobMatch):
        case = " ignore-case" if predicate.ignore_case else ""
        return f"{predicate.field} glob {predicate.pattern!r}{case}"
    if isinstance(predicate, nodes.RegexMatch):
        return f"{predicate.field} regex {_regex(predicate.regex)}"
    if isinstance(predicate, nodes.NumericCompare):
        return f"number({predicate.field}) {predicate.op} {predicate.number:g}"
    if isinstance(predicate, nodes.FreeText):
        what = _regex(predicate.regex) if predicate.regex is not None else repr(predicate.pattern)
        return f"free-text {what}"
    if isinstance(predicate, nodes.CallPredicate):
        return format_call(predicate.call)
    return type(predicate).__name__


def format_expression(expression: nodes.Expr) -> str:
    """Return a one-line text form of an expression."""
    if isinstance(expression, nodes.Literal):
        return repr(expression.value)
    if isinstance(expression, nodes.FieldValue):
        return expression.name
    if isinstance(expression, nodes.Arithmetic | nodes.Compare):
        left, right = format_expression(expression.left), format_expression(expression.right)
        return f"({left} {expression.op} {right})"
    if isinstance(expression, nodes.Unary):
        return f"{expression.op}{format_expression(expression.operand)}"
    if isinstance(expression, nodes.FunctionValue):
        return format_call(expression.call)
    return type(expression).__name__


def format_call(call: nodes.BoundCall) -> str:
    """Return ``name(arg=value, ...)`` with every bound argument, sorted by name."""
    parts = [f"{name}={_value(call.arguments[name])}" for name in sorted(call.arguments)]
    prefix = "not " if call.negated else ""
    return f"{prefix}{call.name}({', '.join(parts)})"


def _value(value: object) -> str:
    if isinstance(value, nodes.Expr):
        return format_expression(value)
    if isinstance(value, nodes.BoundCall):
        return format_call(value)
    if isinstance(value, LogScaleRegex):
        return _regex(value)
    if isinstance(value, nodes.Plan):
        return "{" + " | ".join(_plan_lines(value, 0)) + "}"
    if isinstance(value, tuple):
        return "[" + ", ".join(_value(item) for item in value) + "]"
    return repr(value)


def _regex(regex: LogScaleRegex) -> str:
    return f"/{regex.pattern}/{regex.flags}"
