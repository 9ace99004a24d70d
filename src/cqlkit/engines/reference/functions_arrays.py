"""The array functions on the reference engine: concatArray(), splitString(),
split() and array:*.

Filters (array:contains(), array:regex(), array:exists()) are value functions that
return a boolean. Functions whose result is one field are value functions, which the
engine writes to their ``as`` field.
"""

from __future__ import annotations

from cqlkit.engines.reference.array_fields import array_values, remove_array, write_array
from cqlkit.engines.reference.bound_arguments import bound_argument
from cqlkit.engines.reference.context import RunContext
from cqlkit.engines.reference.expressions import evaluate
from cqlkit.engines.reference.family import Expanders, Transforms, ValueFunctions
from cqlkit.engines.reference.functions_arrays_pipelines import (
    array_eval,
    array_exists,
    array_filter,
)
from cqlkit.engines.reference.functions_arrays_reduce import array_reduce_row
from cqlkit.engines.reference.functions_arrays_sort import array_sort
from cqlkit.engines.reference.functions_arrays_split import (
    split_events,
    split_string,
    split_string_value,
)
from cqlkit.engines.reference.row import Row
from cqlkit.engines.reference.values import Value, to_text
from cqlkit.language.regexes import LogScaleRegex
from cqlkit.plan import nodes
from cqlkit.plan.arrays import element_name


def _array(call: nodes.BoundCall, event: Row) -> list[str]:
    return array_values(event, call.text("array"))


def _contains(call: nodes.BoundCall, event: Row) -> Value:
    """array:contains(): some element equals ``value`` exactly, as text."""
    return call.text("value") in _array(call, event)


def _regex(call: nodes.BoundCall, event: Row) -> Value:
    """array:regex(): the regex matches somewhere in some element."""
    regex = bound_argument(call, "regex", LogScaleRegex, "a compiled regex")
    return any(regex.search(value) is not None for value in _array(call, event))


def _length(call: nodes.BoundCall, event: Row) -> Value:
    """array:length(): the number of elements; 0 when the event has no such array."""
    return len(_array(call, event))


def _concat_array(call: nodes.BoundCall, event: Row) -> Value:
    """concatArray(): join the elements from index ``from`` through ``to``, stopping at
    the first missing index. Null when element ``from`` is missing."""
    prefix = call.text("field")
    first, last = call.get("from"), call.get("to")
    index = int(first) if isinstance(first, int | float) else 0
    end = int(last) if isinstance(last, int | float) else None
    values = []
    while end is None or index <= end:
        value = event.get(element_name(prefix, index))
        if value is None:
            break
        values.append(value)
        index += 1
    if not values:
        return None
    joined = call.text("separator").join(values)
    return call.text("prefix") + joined + call.text("suffix")


def _dedup(call: nodes.BoundCall, event: Row, context: RunContext) -> None:
    """array:dedup(): keep the first occurrence of each element, in order."""
    unique = list(dict.fromkeys(_array(call, event)))
    write_array(event, call.text("asArray"), unique)


def _append(call: nodes.BoundCall, event: Row, context: RunContext) -> None:
    """array:append(): add the value of each expression at the end of the array,
    skipping expressions that give null. The array ends at its first missing index,
    so a later element after a gap is overwritten."""
    expressions = call.get("values")
    assert isinstance(expressions, tuple)
    added = [to_text(evaluate(expression, event)) for expression in expressions]
    values = _array(call, event) + [value for value in added if value is not None]
    write_array(event, call.text("array"), values)


def _drop(call: nodes.BoundCall, event: Row, context: RunContext) -> None:
    remove_array(event, call.text("array"))


def _rename(call: nodes.BoundCall, event: Row, context: RunContext) -> None:
    """array:rename(): move the elements to the array ``asArray``."""
    source, target = call.text("array"), call.text("asArray")
    if source == target:
        return
    values = _array(call, event)
    remove_array(event, source)
    write_array(event, target, values)


VALUE_FUNCTIONS: ValueFunctions = {
    "array:contains": _contains,
    "array:regex": _regex,
    "array:exists": array_exists,
    "array:length": _length,
    "concatArray": _concat_array,
    "splitString": split_string_value,
}
TRANSFORMS: Transforms = {
    "splitString": split_string,
    "array:filter": array_filter,
    "array:eval": array_eval,
    "array:dedup": _dedup,
    "array:append": _append,
    "array:drop": _drop,
    "array:rename": _rename,
    "array:reduceRow": array_reduce_row,
    "array:sort": array_sort,
}
EXPANDERS: Expanders = {"split": split_events}
