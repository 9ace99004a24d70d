"""The array functions that run a sub-query on each element: array:exists(),
array:filter() and array:eval().

Each element runs through the sub-query as a copy of its event in which the field
``var`` holds the element. Fields that the sub-query sets do not reach the event,
except the output array that array:eval() collects.
"""

from __future__ import annotations

from collections.abc import Iterator

from cqlkit.engines.reference.array_fields import array_values, write_array
from cqlkit.engines.reference.context import RunContext
from cqlkit.engines.reference.row import Row
from cqlkit.engines.reference.values import Value
from cqlkit.plan import nodes


def _sub_plan(call: nodes.BoundCall, name: str) -> nodes.Plan:
    plan = call.get(name)
    assert isinstance(plan, nodes.Plan), f"{call.name}({name}=...) is not a sub-query"
    return plan


def _run_element(
    plan: nodes.Plan, event: Row, var: str, value: str, context: RunContext, hidden: str = ""
) -> Row | None:
    """Run ``plan`` on a copy of ``event`` whose field ``var`` is ``value`` and return
    the first row it outputs, or None when it drops the element. The field ``hidden``
    is removed first, so that the output starts unset."""
    from cqlkit.engines.reference.interpreter import run_stages

    element = event.copy()
    if hidden:
        element.pop(hidden, None)
    element[var] = value
    output: Iterator[Row] = run_stages(plan.stages, [element], context)
    return next(output, None)


def array_exists(call: nodes.BoundCall, event: Row) -> Value:
    """array:exists(): true when some element passes the sub-query ``condition``."""
    plan = _sub_plan(call, "condition")
    var = call.text("var")
    # A filter has no run context of its own; warnings inside the condition are dropped.
    context = RunContext()
    return any(
        _run_element(plan, event, var, value, context) is not None
        for value in array_values(event, call.text("array"))
    )


def array_filter(call: nodes.BoundCall, event: Row, context: RunContext) -> None:
    """array:filter(): keep the elements that pass the sub-query ``function``, in
    order, in the array ``asArray``."""
    plan = _sub_plan(call, "function")
    var = call.text("var")
    kept = [
        value
        for value in array_values(event, call.text("array"))
        if _run_element(plan, event, var, value, context) is not None
    ]
    write_array(event, call.text("asArray"), kept)


def array_eval(call: nodes.BoundCall, event: Row, context: RunContext) -> None:
    """array:eval(): collect, for each element, the field named like ``asArray`` that
    the sub-query ``function`` sets. Elements that the sub-query drops or that get no
    value are left out, so the output array has no gaps."""
    plan = _sub_plan(call, "function")
    var = call.text("var")
    target = call.text("asArray")
    results = []
    for value in array_values(event, call.text("array")):
        row = _run_element(plan, event, var, value, context, hidden=target)
        result = None if row is None else row.get(target)
        if result is not None:
            results.append(result)
    write_array(event, target, results)
