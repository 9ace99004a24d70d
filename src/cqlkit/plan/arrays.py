"""Check-time handling of the array functions' arguments.

In LogScale an array is a run of fields ``name[0]``, ``name[1]``, ... on one event,
ending at the first missing index, and functions name it ``name[]``
(https://library.humio.com/data-analysis/syntax-array.html). Binding stores each
array name as its prefix without ``[]``, so that engines never parse array names.
"""

from __future__ import annotations

from collections.abc import MutableMapping
from typing import TYPE_CHECKING

from cqlkit.language import ast
from cqlkit.plan import nodes
from cqlkit.plan.signature import FunctionKind, FunctionSpec

if TYPE_CHECKING:
    from cqlkit.plan.planner import Planner

ARRAY_SUFFIX = "[]"

# Functions whose documentation writes the array name with [] (incidents[]). The
# others take the bare prefix: concatArray(server), split(a), array:union(mailto).
_BRACKETED = frozenset(
    {
        "array:append",
        "array:contains",
        "array:dedup",
        "array:drop",
        "array:eval",
        "array:exists",
        "array:filter",
        "array:regex",
        "array:rename",
        "array:sort",
    }
)
# Parameters that name an array.
_ARRAY_PARAMETERS = ("array", "asArray")
# Functions whose output parameter as names an array, not a field.
_ARRAY_OUTPUTS = frozenset({"array:union", "array:intersection", "splitString"})
# Functions whose array parameter is called field.
_FIELD_ARRAYS = frozenset({"split", "concatArray"})


def array_prefix(name: str) -> str:
    """Return the field prefix that an array name denotes: ``a.b[]`` gives ``a.b``."""
    return name.removesuffix(ARRAY_SUFFIX)


def element_name(prefix: str, index: int) -> str:
    """Return the field name of element ``index`` of the array ``prefix``."""
    return f"{prefix}[{index}]"


def is_array_function(spec: FunctionSpec) -> bool:
    """Tell whether ``spec`` belongs to the array family."""
    return spec.name.startswith("array:") or spec.name in _FIELD_ARRAYS | {"splitString"}


def check_array_arguments(
    planner: Planner,
    spec: FunctionSpec,
    arguments: MutableMapping[str, nodes.ArgumentValue],
    call: ast.Call,
) -> None:
    """Store array names as prefixes, fill ``var`` and ``asArray`` defaults, translate
    the regex of splitString() and array:regex(), and check concatArray()'s range."""
    if not is_array_function(spec):
        return
    for name in _ARRAY_PARAMETERS:
        _store_prefix(planner, spec, arguments, name, call)
    if spec.name in _ARRAY_OUTPUTS and isinstance(arguments.get("as"), str):
        arguments["as"] = array_prefix(str(arguments["as"]))
    if spec.name in _FIELD_ARRAYS and isinstance(arguments.get("field"), str):
        arguments["field"] = array_prefix(str(arguments["field"]))
    prefix = arguments.get("array")
    if isinstance(prefix, str):
        if spec.parameter("var") is not None and arguments.get("var") is None:
            # The variable defaults to the input array's name (values[] gives values).
            arguments["var"] = prefix
        if spec.parameter("asArray") is not None and arguments.get("asArray") is None:
            arguments["asArray"] = prefix
    _translate_regex(planner, spec, arguments, call)
    _check_index_range(planner, spec, arguments, call)


def _store_prefix(
    planner: Planner,
    spec: FunctionSpec,
    arguments: MutableMapping[str, nodes.ArgumentValue],
    name: str,
    call: ast.Call,
) -> None:
    value = arguments.get(name)
    if not isinstance(value, str):
        return
    if spec.name in _BRACKETED and not value.endswith(ARRAY_SUFFIX):
        planner.context.warn(
            "array-name-without-brackets",
            f"{spec.name}({name}={value}) names an array without []; it is read as {value}[]",
            call.span,
            hint=f'write {name}="{value}[]"',
        )
    arguments[name] = array_prefix(value)


def _translate_regex(
    planner: Planner,
    spec: FunctionSpec,
    arguments: MutableMapping[str, nodes.ArgumentValue],
    call: ast.Call,
) -> None:
    """Replace the pattern text of splitString(by=...) and array:regex(regex=...) with
    the translated regex, so that a bad pattern is a check error."""
    parameter = {"splitString": "by", "array:regex": "regex"}.get(spec.name)
    if parameter is None or not isinstance(arguments.get(parameter), str):
        return
    flags = arguments.get("flags")
    compiled = planner.context.regex(
        str(arguments[parameter]), flags if isinstance(flags, str) else "", call.span
    )
    if compiled is not None:
        arguments[parameter] = compiled


def _check_index_range(
    planner: Planner,
    spec: FunctionSpec,
    arguments: MutableMapping[str, nodes.ArgumentValue],
    call: ast.Call,
) -> None:
    first, last = arguments.get("from"), arguments.get("to")
    if spec.name != "concatArray" or not isinstance(first, int | float):
        return
    if isinstance(last, int | float) and last < first:
        planner.context.error(
            "argument-out-of-range",
            f"concatArray(to={last:g}) is below from={first:g}",
            call.span,
            hint="to is the last index to include and must be at least from",
        )


def row_pipeline(planner: Planner, spec: FunctionSpec | None, node: ast.Node) -> nodes.Plan:
    """Plan a sub-query of non-aggregate steps, such as ``condition={x > 2}``.

    A single function call without braces is read as a sub-query of that one step.
    An aggregate step is an error: each element is one event, so nothing is aggregated.
    """
    where = f"{spec.name}()" if spec is not None else "this function"
    if isinstance(node, ast.SubQuery):
        plan = planner.sub_plan(node.pipeline)
    elif isinstance(node, ast.Call):
        plan = nodes.Plan(tuple(planner.step(ast.FilterStep(node.span, node))))
    else:
        planner.context.error(
            "invalid-argument",
            f"{where} needs a sub-query here, such as {{x > 2}}",
            node.span,
        )
        return nodes.Plan(())
    for stage in plan.stages:
        if isinstance(stage, nodes.Apply) and stage.call.kind is FunctionKind.AGGREGATE:
            planner.context.error(
                "aggregate-in-pipeline",
                f"{where} runs its sub-query on one event or array element at a time,"
                f" so the sub-query cannot contain the aggregate function {stage.call.name}()",
                stage.span,
            )
    return plan
