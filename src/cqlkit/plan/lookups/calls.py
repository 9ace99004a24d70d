"""Small helpers that the lookup checks share: argument spans and name lists."""

from __future__ import annotations

from cqlkit.language import ast
from cqlkit.language.span import Span
from cqlkit.plan.nodes import ArgumentValue

Arguments = dict[str, ArgumentValue]
"""The converted arguments of a call, which the checks complete."""


def argument_span(call: ast.Call, name: str, unnamed: str | None = None) -> Span:
    """Return the span of argument ``name`` (given by name, or as the unnamed
    first argument when ``unnamed`` is its name), else the call's span."""
    for index, argument in enumerate(call.arguments):
        if argument.name == name or (argument.name is None and index == 0 and unnamed == name):
            return argument.span
    return call.span


def names(value: object) -> tuple[str, ...]:
    """Return a list argument as a tuple of texts; a single value is a list of one."""
    if isinstance(value, tuple):
        return tuple(str(item) for item in value)
    return () if value is None else (str(value),)


def given(call: ast.Call) -> set[str]:
    """Return the names of the arguments the query gave by name."""
    return {argument.name for argument in call.arguments if argument.name is not None}
