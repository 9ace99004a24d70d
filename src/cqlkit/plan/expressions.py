"""Planning of expressions: the right side of ``:=``, and test(), eval(), if()."""

from __future__ import annotations

from typing import TYPE_CHECKING

from cqlkit.language import ast
from cqlkit.plan import mistakes, nodes
from cqlkit.plan.arguments import bind_call, time_field
from cqlkit.plan.functions import FunctionKind

if TYPE_CHECKING:
    from cqlkit.plan.planner import Planner

_ARITHMETIC = frozenset("+-*/%")


def plan_expression(planner: Planner, node: ast.Node) -> nodes.Expr:
    """Plan one expression node."""
    if isinstance(node, ast.StringLit):
        return nodes.Literal(node.span, node.value)
    if isinstance(node, ast.NumberLit):
        number = float(node.text)
        return nodes.Literal(
            node.span, int(number) if number.is_integer() and "." not in node.text else number
        )
    if isinstance(node, ast.BoolLit):
        return nodes.Literal(node.span, node.value)
    if isinstance(node, ast.FieldRef):
        return nodes.FieldValue(node.span, time_field(planner, node.name, node))
    if isinstance(node, ast.Param):
        return nodes.Literal(
            node.span, planner.context.parameter(node.name, node.default, node.span)
        )
    if isinstance(node, ast.BinaryOp):
        left, right = plan_expression(planner, node.left), plan_expression(planner, node.right)
        if node.op in _ARITHMETIC:
            return nodes.Arithmetic(node.span, node.op, left, right)
        return nodes.Compare(node.span, node.op, left, right)
    if isinstance(node, ast.UnaryOp):
        return nodes.Unary(node.span, node.op, plan_expression(planner, node.operand))
    if isinstance(node, ast.Call):
        return _call(planner, node)
    if isinstance(node, ast.TildeRegex):
        planner.context.error(
            "regex-in-expression",
            "a regex literal is not allowed in an expression",
            node.span,
            hint='use regex("pattern", field=FieldName)',
        )
        return nodes.Literal(node.span, False)
    planner.context.error("invalid-expression", "this is not a valid expression", node.span)
    return nodes.Literal(node.span, "")


def _call(planner: Planner, call: ast.Call) -> nodes.Expr:
    fixed = (
        mistakes.corrected_if(call, planner.context.source) if call.name.lower() == "if" else None
    )
    if fixed is not None:
        call = _repair_if(planner, call, fixed)
    bound = bind_call(planner, call)
    if bound is None:
        return nodes.Literal(call.span, "")
    if bound.kind is FunctionKind.AGGREGATE:
        planner.context.error(
            "aggregate-in-expression",
            f"the aggregate function {bound.name}() cannot be used inside an expression",
            call.span,
            hint=f"run {bound.name}() as its own step, for example x := {bound.name}(...)",
        )
    return nodes.FunctionValue(call.span, bound)


def _repair_if(planner: Planner, call: ast.Call, fixed: str) -> ast.Call:
    """Report the three faults of ``if(F = ~/re/, A, B)`` and return the call
    as it was evidently meant: ``if(regex("re", field=F), then=A, else=B)``."""
    first, then_arg, else_arg = call.arguments
    assert isinstance(first.value, ast.TildeRegex)
    field = first.name or ""
    planner.context.mistake(
        "if-unknown-parameter",
        f"if() has no parameter {field}: inside an argument list,"
        f" '{field} = ...' names a parameter",
        first.name_span,
        hint=f"test the field with a filter function such as regex(..., field={field})",
        fix=fixed,
        fix_span=call.span,
    )
    planner.context.mistake(
        "regex-in-expression",
        "'= ~/.../' is not an expression: ~ is no operator and a regex literal is not allowed here",
        first.value.span,
        hint=f"write {mistakes.corrected_regex_call(field, first.value.regex)}",
        fix=fixed,
        fix_span=call.span,
    )
    positional = [arg for arg in (then_arg, else_arg) if arg.name is None]
    if positional:
        planner.context.mistake(
            "if-positional-branch",
            "if() takes then= and else= only by name",
            positional[0].span.cover(positional[-1].span),
            hint="name the branches: then=..., else=...",
            fix=fixed,
            fix_span=call.span,
        )
    regex = first.value.regex
    arguments = [
        ast.Argument(
            regex.span, None, ast.StringLit(regex.span, regex.pattern.replace("\\/", "/"))
        ),
        ast.Argument(
            first.name_span or first.span, "field", ast.Word(first.name_span or first.span, field)
        ),
    ]
    if regex.flags:
        arguments.append(ast.Argument(regex.span, "flags", ast.StringLit(regex.span, regex.flags)))
    condition = ast.Call(first.span, "regex", tuple(arguments), first.span)
    return ast.Call(
        call.span,
        call.name,
        (
            ast.Argument(first.span, None, condition),
            ast.Argument(then_arg.span, "then", then_arg.value, then_arg.name_span),
            ast.Argument(else_arg.span, "else", else_arg.value, else_arg.name_span),
        ),
        call.name_span,
    )
