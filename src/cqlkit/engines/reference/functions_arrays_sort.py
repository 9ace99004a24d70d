"""array:sort() on the reference engine.

Strings sort case-insensitively. With ``type=number``, the elements that read as
numbers come first, in numeric order, and the others follow as strings, whatever
the order (https://library.humio.com/data-analysis/functions-array-sort.html).
Elements with equal keys keep their input order, reversed with ``order=desc``,
which is also what the SQL engine does; the documentation leaves that order open.
"""

from __future__ import annotations

from cqlkit.engines.reference.array_fields import array_values
from cqlkit.engines.reference.context import RunContext
from cqlkit.engines.reference.row import Row
from cqlkit.engines.reference.values import to_number
from cqlkit.plan import nodes
from cqlkit.plan.arrays import element_name


def sort_values(values: list[str], numeric: bool, descending: bool) -> list[str]:
    """Return ``values`` in the order that array:sort() gives them."""
    numbers = [(to_number(value), index, value) for index, value in enumerate(values)]
    texts = [(value.lower(), index, value) for index, value in enumerate(values)]
    if numeric:
        texts = [item for item, number in zip(texts, numbers, strict=True) if number[0] is None]
        ordered = sorted(
            ((number, index, value) for number, index, value in numbers if number is not None),
            reverse=descending,
        )
        return [value for _, _, value in ordered] + _text_order(texts, descending)
    return _text_order(texts, descending)


def _text_order(items: list[tuple[str, int, str]], descending: bool) -> list[str]:
    return [value for _, _, value in sorted(items, reverse=descending)]


def array_sort(call: nodes.BoundCall, event: Row, context: RunContext) -> None:
    """array:sort(): write the sorted elements to ``asArray``. Elements of an existing
    output array past the sorted ones stay, as documented."""
    values = array_values(event, call.text("array"))
    ordered = sort_values(values, call.get("type") == "number", call.get("order") == "desc")
    target = call.text("asArray")
    for index, value in enumerate(ordered):
        event[element_name(target, index)] = value
