"""Binding of function-call arguments to a function's parameters.

Each argument is checked against the registry and converted to its type;
defaults fill the rest. Problems are recorded as diagnostics so that one
``check`` run reports all of them.
"""

from __future__ import annotations

import difflib
from typing import TYPE_CHECKING

from cqlkit.language import ast
from cqlkit.language.span import Span
from cqlkit.plan import mistakes
from cqlkit.plan.arrays import check_array_arguments, row_pipeline
from cqlkit.plan.checks_aggregates import check_call
from cqlkit.plan.checks_sessions import check_session_arguments
from cqlkit.plan.correlate import plan_named_queries
from cqlkit.plan.functions import REGISTRY, FunctionSpec, Parameter, ParamType, lookup
from cqlkit.plan.logscale_names import logscale_name
from cqlkit.plan.lookups.checks import check_call as check_lookup_call
from cqlkit.plan.nodes import ArgumentValue, BoundCall
from cqlkit.plan.signatures_calendar import check_calendar_arguments
from cqlkit.plan.signatures_math import check_math_arguments
from cqlkit.plan.signatures_parsing import check_parsing_arguments
from cqlkit.plan.signatures_text import check_text_arguments
from cqlkit.plan.subquery_checks import check_subquery_call

if TYPE_CHECKING:
    from cqlkit.plan.planner import Planner

P = ParamType


def bind_call(
    planner: Planner, call: ast.Call, injected_field: str | None = None
) -> BoundCall | None:
    """Bind ``call`` to its spec, or record why it cannot be; ``injected_field``
    is the left side of ``field =~ call(...)``."""
    spec = lookup(call.name)
    if spec is None:
        _unknown_function(planner, call)
        return None
    given = _assign_parameters(planner, spec, call)
    if injected_field is not None:
        if spec.parameter("field") is None:
            planner.context.error(
                "field-operator-without-field",
                f"{spec.name}() has no parameter field, so it cannot follow =~",
                call.name_span,
            )
        else:
            given["field"] = ast.Word(call.span, injected_field)
    arguments: dict[str, ArgumentValue] = {}
    for parameter in spec.parameters:
        node = given.get(parameter.name)
        if node is not None:
            arguments[parameter.name] = convert(planner, spec, parameter, node)
        elif parameter.required:
            planner.context.error(
                "missing-argument",
                f"{spec.name}() needs the argument {parameter.name}",
                call.span,
                hint=f"see {spec.documentation}",
            )
        elif parameter.default is not None:
            arguments[parameter.name] = _default(planner, parameter)
    if spec.assignments_only:
        arguments["assignments"] = tuple(
            (name, planner.expression(node)) for name, node in given.items()
        )
    _check_regex_argument(planner, spec, arguments, call)
    check_lookup_call(planner.context, spec, arguments, call)
    check_parsing_arguments(planner, spec, arguments, call)
    check_text_arguments(planner, spec, arguments, call)
    check_calendar_arguments(planner, spec, arguments, call)
    check_math_arguments(planner, spec, arguments, call)
    if spec.name == "wildcard" and "field" not in given:
        # wildcard() without field= searches the event as free text does.
        planner.uses_free_text = True
    _check_rename_target(planner, spec, arguments, call)
    check_array_arguments(planner, spec, arguments, call)
    check_subquery_call(planner, spec, arguments, call)
    check_call(planner.context, spec, arguments, call.span)
    check_session_arguments(planner.context, spec, arguments, call.span)
    return BoundCall(spec, arguments, frozenset(given), call.span, call.negated)


def _check_regex_argument(
    planner: Planner, spec: FunctionSpec, arguments: dict[str, ArgumentValue], call: ast.Call
) -> None:
    """Translate the regex of regex() and replace() now, so that a bad pattern is a
    check error and engines receive the compiled regex in place of the text."""
    pattern = arguments.get("regex")
    if spec.name not in ("regex", "replace") or not isinstance(pattern, str):
        return
    flags = arguments.get("flags")
    flags = flags if isinstance(flags, str) else ""
    if "g" in flags:
        planner.context.error(
            "invalid-argument",
            f"{spec.name}() does not accept the flag g",
            call.span,
            hint="use repeat=true to get one event per match" if spec.name == "regex" else None,
        )
        flags = flags.replace("g", "")
    compiled = planner.context.regex(pattern, flags, call.span)
    if compiled is not None:
        arguments["regex"] = compiled


def _check_rename_target(
    planner: Planner, spec: FunctionSpec, arguments: dict[str, ArgumentValue], call: ast.Call
) -> None:
    """Record an error when rename() of one field has no as=new. Only [old, new]
    pairs carry their own targets."""
    if spec.name == "rename" and isinstance(arguments.get("field"), str) and "as" not in arguments:
        planner.context.error(
            "missing-argument",
            "rename() of one field needs the argument as",
            call.span,
            hint="write rename(old, as=new), new := rename(old) or rename(field=[[old, new]])",
        )


def _unknown_function(planner: Planner, call: ast.Call) -> None:
    known = logscale_name(call.name)
    if known is not None:
        page = known.lower().replace(":", "-")
        planner.context.error(
            "unsupported-function",
            f"{known}() is a LogScale function that cqlkit does not implement yet",
            call.name_span,
            hint=f"see https://library.humio.com/data-analysis/functions-{page}.html;"
            " rewrite the query without it to run it offline",
        )
        return
    close = difflib.get_close_matches(call.name.lower(), REGISTRY, n=1)
    hint = f"did you mean {REGISTRY[close[0]].name}()?" if close else None
    planner.context.error(
        "unknown-function", f"unknown function {call.name}()", call.name_span, hint=hint
    )


def _assign_parameters(planner: Planner, spec: FunctionSpec, call: ast.Call) -> dict[str, ast.Node]:
    """Map each argument to a parameter name, recording misplaced ones."""
    given: dict[str, ast.Node] = {}
    # One argument may leave out its name, in any position: LogScale's session()
    # example writes session(maxpause=15m, count(as=clicks)).
    unnamed_seen = False
    for index, argument in enumerate(call.arguments):
        name = argument.name
        if spec.assignments_only:
            if name is None:
                planner.context.error(
                    "eval-needs-assignment",
                    f"{spec.name}() takes only assignments such as name = expression",
                    argument.span,
                )
                continue
        elif name is None:
            if unnamed_seen or spec.unnamed is None:
                _misplaced_positional(planner, spec, argument, index)
                continue
            unnamed_seen = True
            name = spec.unnamed
        else:
            parameter = spec.parameter(name)
            if parameter is None:
                _unknown_parameter(planner, spec, argument)
                continue
            name = parameter.name
        if name in given:
            planner.context.error(
                "duplicate-argument", f"{spec.name}() gets {name} twice", argument.span
            )
        given[name] = argument.value
    return given


def _misplaced_positional(
    planner: Planner, spec: FunctionSpec, argument: ast.Argument, index: int
) -> None:
    if spec.unnamed is None:
        message = f"{spec.name}() has no parameter that may be unnamed"
    else:
        message = f"only one argument of {spec.name}(), its {spec.unnamed}, may be unnamed"
    planner.context.error(
        "unnamed-argument",
        message,
        argument.span,
        hint="name the argument, for example limit=10",
    )


def _unknown_parameter(planner: Planner, spec: FunctionSpec, argument: ast.Argument) -> None:
    names = ", ".join(parameter.name for parameter in spec.parameters)
    planner.context.error(
        "unknown-parameter",
        f"{spec.name}() has no parameter {argument.name}; its parameters are {names}",
        argument.name_span or argument.span,
        hint=f"see {spec.documentation}",
    )


def _default(planner: Planner, parameter: Parameter) -> ArgumentValue:
    text = parameter.default or ""
    if parameter.type is P.AGGREGATES:
        count = REGISTRY["count"]
        return (BoundCall(count, {"distinct": False, "as": "_count"}, frozenset()),)
    return convert(planner, None, parameter, ast.Word(_NO_SPAN, text))


def convert(
    planner: Planner, spec: FunctionSpec | None, parameter: Parameter, node: ast.Node
) -> ArgumentValue:
    """Convert one argument's syntax to the value that its parameter type requires."""
    kind = parameter.type
    if kind is P.EXPRESSION:
        return planner.expression(node)
    if kind is P.EXPRESSIONS:
        items = node.items if isinstance(node, ast.ArrayLit) else (node,)
        return tuple(planner.expression(item) for item in items)
    if kind is P.AGGREGATES:
        return planner.aggregates(node)
    if kind is P.QUERIES:
        return plan_named_queries(planner, node)
    if kind is P.PIPELINE:
        return row_pipeline(planner, spec, node)
    if kind in (P.FIELDS, P.VALUES, P.CHOICES, P.RENAMES):
        return _convert_list(planner, spec, parameter, node)
    return _convert_scalar(planner, spec, parameter, node)


def _convert_list(
    planner: Planner, spec: FunctionSpec | None, parameter: Parameter, node: ast.Node
) -> ArgumentValue:
    if parameter.type is P.RENAMES:
        if not isinstance(node, ast.ArrayLit):
            # rename(old, as=new) names one field, which the engine pairs with as.
            return planner.field_name(node)
        pairs = []
        for item in node.items:
            if isinstance(item, ast.ArrayLit) and len(item.items) == 2:
                old, new = (planner.field_name(part) for part in item.items)
                pairs.append((old, new))
            else:
                planner.context.error(
                    "invalid-argument", "rename() takes [old, new] pairs", item.span
                )
        return tuple(pairs)
    items = node.items if isinstance(node, ast.ArrayLit) else (node,)
    single = Parameter(parameter.name, _ITEM_TYPE[parameter.type], choices=parameter.choices)
    return tuple(_convert_scalar(planner, spec, single, item) for item in items)


_ITEM_TYPE = {
    P.FIELDS: P.FIELD,
    P.VALUES: P.STRING,
    P.CHOICES: P.CHOICE,
    P.RENAMES: P.FIELD,
}


def _convert_scalar(
    planner: Planner, spec: FunctionSpec | None, parameter: Parameter, node: ast.Node
) -> ArgumentValue:
    kind = parameter.type
    if kind is P.FIELD:
        return planner.field_name(node)
    text = planner.text_value(node)
    where = f"{spec.name}({parameter.name}=...)" if spec else parameter.name
    if text is None:
        planner.context.error("invalid-argument", f"{where} needs a literal value", node.span)
        return None
    if kind is P.STRING:
        return text
    if kind is P.BOOLEAN:
        return _boolean(planner, where, text, node)
    if kind in (P.NUMBER, P.LIMIT):
        return _number(planner, where, parameter, text, node)
    return _choice(planner, where, parameter, text, node)


def _boolean(planner: Planner, where: str, text: str, node: ast.Node) -> bool:
    lowered = text.lower()
    if lowered not in ("true", "false"):
        planner.context.error(
            "invalid-argument", f"{where} must be true or false, not {text!r}", node.span
        )
    return lowered == "true"


def _number(
    planner: Planner, where: str, parameter: Parameter, text: str, node: ast.Node
) -> int | float | None:
    if parameter.type is P.LIMIT and text.lower() == "max":
        return parameter.maximum
    try:
        value = float(text)
    except ValueError:
        planner.context.error(
            "invalid-argument", f"{where} must be a number, not {text!r}", node.span
        )
        return None
    number: int | float = int(value) if value.is_integer() else value
    if parameter.maximum is not None and number > parameter.maximum:
        planner.context.error(
            "argument-out-of-range",
            f"{where} is {text}, above the maximum {parameter.maximum}",
            node.span,
            hint=f"use {parameter.name}=max for the largest allowed value",
        )
    if parameter.minimum is not None and number < parameter.minimum:
        planner.context.error(
            "argument-out-of-range",
            f"{where} is {text}, below the minimum {parameter.minimum}",
            node.span,
        )
    return number


_CHOICE_ALIASES = {"ascending": "asc", "descending": "desc"}


def _choice(planner: Planner, where: str, parameter: Parameter, text: str, node: ast.Node) -> str:
    lowered = text.lower()
    if lowered not in parameter.choices:
        allowed = ", ".join(parameter.choices)
        planner.context.error(
            "invalid-argument", f"{where} must be one of {allowed}, not {text!r}", node.span
        )
    return _CHOICE_ALIASES.get(lowered, lowered)


def time_field(planner: Planner, name: str, node: ast.Node) -> str:
    """Return the field name to use for ``name``, handling the ``#timestamp`` mistake."""
    if name != mistakes.MISTAKEN_TIME_FIELD:
        return name
    message = "#timestamp does not exist; the event time field is @timestamp"
    fix = mistakes.TIME_FIELD
    if planner.context.lenient:
        planner.context.warn(
            "unknown-time-field", message + " (read as @timestamp by --lenient)", node.span, fix=fix
        )
        return mistakes.TIME_FIELD
    planner.context.warn("unknown-time-field", message, node.span, fix=fix)
    return name


_NO_SPAN = Span(0, 0, 1, 1)  # defaults have no place in the query text
