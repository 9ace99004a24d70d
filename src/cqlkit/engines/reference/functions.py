"""Transform functions of the reference interpreter, and functions used as values."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping

from cqlkit.engines.reference import (
    functions_arrays,
    functions_calendar,
    functions_joins,
    functions_lookup,
    functions_math,
    functions_parsing,
    functions_text,
)
from cqlkit.engines.reference.context import RunContext
from cqlkit.engines.reference.expressions import evaluate, is_true
from cqlkit.engines.reference.family import Expanders, Transforms
from cqlkit.engines.reference.predicates import call_matches, call_regex
from cqlkit.engines.reference.printf import java_format
from cqlkit.engines.reference.row import Row
from cqlkit.engines.reference.values import Value, to_text
from cqlkit.errors import ExecutionError
from cqlkit.plan import nodes

# --- functions that compute one value --------------------------------------------


def _if(call: nodes.BoundCall, event: Row) -> Value:
    branch = "then" if is_true(evaluate(call.expression("condition"), event)) else "else"
    return evaluate(call.expression(branch), event)


def _length(call: nodes.BoundCall, event: Row) -> Value:
    value = event.get(call.text())
    return None if value is None else len(value)


def _concat(call: nodes.BoundCall, event: Row) -> Value:
    parts = [event[name] for name in call.names("field") if name in event]
    return "".join(parts) if parts else None


def _format(call: nodes.BoundCall, event: Row) -> Value:
    arguments = [event.get(name) for name in call.names("field")]
    return java_format(str(call.get("format")), arguments)


def _coalesce(call: nodes.BoundCall, event: Row) -> Value:
    ignore_empty = bool(call.get("ignoreEmpty"))
    expressions = call.get("expressions")
    assert isinstance(expressions, tuple)
    for expression in expressions:
        value = evaluate(expression, event)
        if value is not None and not (ignore_empty and value == ""):
            return value
    return None


_FAMILIES = (
    functions_text,
    functions_parsing,
    functions_lookup,
    functions_joins,
    functions_arrays,
    functions_calendar,
    functions_math,
)

_VALUE_FUNCTIONS: dict[str, Callable[[nodes.BoundCall, Row], Value]] = {
    "if": _if,
    "length": _length,
    "concat": _concat,
    "format": _format,
    "coalesce": _coalesce,
}
for _family in _FAMILIES:
    _VALUE_FUNCTIONS.update(_family.VALUE_FUNCTIONS)


def call_value(call: nodes.BoundCall, event: Mapping[str, str]) -> Value:
    """Evaluate a function used inside an expression."""
    row = event if isinstance(event, Row) else Row(dict(event))
    function = _VALUE_FUNCTIONS.get(call.name)
    if function is not None:
        return function(call, row)
    if call.name in ("in", "wildcard", "test", "regex"):
        return call_matches(call, row)
    raise ExecutionError(
        f"{call.name}() cannot be used as a value inside an expression", span=call.span
    )


# --- transforms -------------------------------------------------------------------


def _replace(call: nodes.BoundCall, event: Row) -> None:
    field = call.text()
    value = event.get(field)
    if value is None:
        return
    target = call.get("as") or field
    event[str(target)] = call_regex(call).sub(str(call.get("with") or ""), value)


def _default(call: nodes.BoundCall, event: Row) -> None:
    value = str(call.get("value"))
    replace_empty = bool(call.get("replaceEmpty"))
    for field in call.names("field"):
        current = event.get(field)
        if current is None or (replace_empty and current == ""):
            event[field] = value


def _rename(call: nodes.BoundCall, event: Row) -> None:
    spec = call.get("field")
    if isinstance(spec, tuple):
        pairs = [(str(old), str(new)) for old, new in spec]
    else:
        pairs = [(str(spec), str(call.get("as")))]
    for old, new in pairs:
        if old in event:
            event[new] = event.pop(old)


def _drop(call: nodes.BoundCall, event: Row) -> None:
    for field in call.names("fields"):
        event.pop(field, None)


def _select(call: nodes.BoundCall, event: Row) -> None:
    keep = call.names("fields")
    selected = {name: event[name] for name in keep if name in event}
    event.clear()
    event.update(selected)


_CORE_TRANSFORMS: dict[str, Callable[[nodes.BoundCall, Row], None]] = {
    "replace": _replace,
    "default": _default,
    "rename": _rename,
    "drop": _drop,
    "select": _select,
}
_TRANSFORMS: Transforms = {}
_EXPANDERS: Expanders = {}
for _family in _FAMILIES:
    _TRANSFORMS.update(_family.TRANSFORMS)
    _EXPANDERS.update(_family.EXPANDERS)


def run_transform(call: nodes.BoundCall, event: Row, context: RunContext) -> Iterator[Row]:
    """Run a transform on ``event`` and yield the rows it gives: the event itself
    for most, none or several for expanders such as split() or match()."""
    expander = _EXPANDERS.get(call.name)
    if expander is not None:
        yield from expander(call, event, context)
        return
    transform = _TRANSFORMS.get(call.name)
    if transform is not None:
        transform(call, event, context)
    else:
        apply_transform(call, event)
    yield event


def apply_transform(call: nodes.BoundCall, event: Row) -> None:
    """Apply a one-in, one-out transform to ``event`` in place. A null result sets nothing."""
    transform = _CORE_TRANSFORMS.get(call.name)
    if transform is not None:
        transform(call, event)
        return
    if call.name not in _VALUE_FUNCTIONS:
        raise ExecutionError(
            f"the reference engine has no implementation of {call.name}()", span=call.span
        )
    text = to_text(_VALUE_FUNCTIONS[call.name](call, event))
    if text is not None:
        event[str(call.get("as"))] = text
