"""Functions of the reference engine that name fields or search text with
expressions: getField(), setField() and text:contains()."""

from __future__ import annotations

from cqlkit.engines.reference.context import RunContext
from cqlkit.engines.reference.expressions import evaluate
from cqlkit.engines.reference.family import Transforms, ValueFunctions
from cqlkit.engines.reference.row import Row
from cqlkit.engines.reference.values import Value, to_text
from cqlkit.plan import nodes


def _get_field(call: nodes.BoundCall, event: Row) -> Value:
    name = to_text(evaluate(call.expression("source"), event))
    return None if name is None else event.get(name)


def _set_field(call: nodes.BoundCall, event: Row, context: RunContext) -> None:
    """Set the field named by ``target`` to ``value``; a null name or value sets nothing."""
    name = to_text(evaluate(call.expression("target"), event))
    value = to_text(evaluate(call.expression("value"), event))
    if name is not None and value is not None:
        event[name] = value


def _text_contains(call: nodes.BoundCall, event: Row) -> Value:
    """Tell whether ``substring`` occurs in ``string``, case-sensitively; false
    when either is null. Negation is applied by the filter, not here."""
    text = to_text(evaluate(call.expression("string"), event))
    part = to_text(evaluate(call.expression("substring"), event))
    return text is not None and part is not None and part in text


VALUE_FUNCTIONS: ValueFunctions = {
    "getField": _get_field,
    "text:contains": _text_contains,
}
TRANSFORMS: Transforms = {"setField": _set_field}
