"""splitString() and split() on the reference engine: strings into arrays, and
arrays into events."""

from __future__ import annotations

import re
from collections.abc import Iterator

from cqlkit.engines.reference.array_fields import write_array
from cqlkit.engines.reference.bound_arguments import bound_argument
from cqlkit.engines.reference.context import RunContext
from cqlkit.engines.reference.row import Row
from cqlkit.engines.reference.values import Value
from cqlkit.language.regexes import LogScaleRegex
from cqlkit.plan import nodes

# --- splitString() ----------------------------------------------------------------


def split_parts(regex: LogScaleRegex, text: str) -> list[str]:
    """Split ``text`` at each match of ``regex``, without empty parts at either end.

    Empty parts between two matches stay, so ``"a,,b"`` by ``,`` gives ``a``, ``""``
    and ``b``, and index 2 is ``b``. The documentation splits ``<2007-01-01>test;bar``
    by ``[<>;]`` into three parts, so the empty part before the leading ``<`` is
    dropped. Empty parts at the end are dropped as Java's ``String.split`` drops them.

    NOTE: the documentation shows no example with separators at the end; dropping the
    parts there follows Java and has not been checked against LogScale.
    """
    parts: list[str] = []
    index = 0
    for match in regex.finditer(text):
        start, end = match.span()
        parts.append(text[index:start])
        index = end
    parts.append(text[index:])
    first = 0
    while first < len(parts) and parts[first] == "":
        first += 1
    last = len(parts)
    while last > first and parts[last - 1] == "":
        last -= 1
    return parts[first:last]


def _split_regex(call: nodes.BoundCall) -> LogScaleRegex:
    return bound_argument(call, "by", LogScaleRegex, "a compiled regex")


def split_string_value(call: nodes.BoundCall, event: Row) -> Value:
    """Return element ``index`` of splitString(); -1 is the last. Null when the field
    is missing, the index is out of range, or no index is given."""
    value = event.get(call.text("field"))
    index = call.get("index")
    if value is None or not isinstance(index, int | float):
        return None
    parts = split_parts(_split_regex(call), value)
    position = int(index)
    if not -len(parts) <= position < len(parts):
        return None
    return parts[position]


def split_string(call: nodes.BoundCall, event: Row, context: RunContext) -> None:
    """splitString(): write ``as[0]``, ``as[1]``, ... or, with ``index``, the field ``as``."""
    target = call.text("as")
    if call.get("index") is not None:
        element = split_string_value(call, event)
        if isinstance(element, str):
            event[target] = element
        return
    value = event.get(call.text("field"))
    if value is not None:
        write_array(event, target, split_parts(_split_regex(call), value))


# --- split() ----------------------------------------------------------------------

_ELEMENT = re.compile(r"\[(\d+)\](.*)", re.DOTALL)


def _element_fields(event: Row, prefix: str) -> list[dict[str, str]]:
    """Return the fields of each element of the array ``prefix``, keyed by the rest of
    their names after ``prefix[i]``: ``""`` for a flat element, ``.x`` for a member."""
    by_index: dict[int, dict[str, str]] = {}
    for name, value in event.items():
        if not name.startswith(prefix):
            continue
        match = _ELEMENT.fullmatch(name, len(prefix))
        if match is None:
            continue
        rest = match.group(2)
        if rest and rest[0] not in ".[":
            continue
        by_index.setdefault(int(match.group(1)), {})[rest] = value
    elements: list[dict[str, str]] = []
    while len(elements) in by_index:
        elements.append(by_index[len(elements)])
    return elements


def split_events(call: nodes.BoundCall, event: Row, context: RunContext) -> Iterator[Row]:
    """split(): one event per element of the array ``field``, with ``_index`` set and
    ``@id`` extended by ``__<index>``.

    Element fields lose their ``[i]``: ``a[1].x`` becomes ``a.x``, or ``x`` with
    ``strip=true``. An event without the array passes unchanged.

    NOTE: the documentation does not say where ``strip=true`` puts a flat element;
    it keeps the array's own name (``a[1]`` becomes ``a``). An event without the
    array passing unchanged is also a choice: the documentation does not say.
    """
    prefix = call.text("field")
    strip = bool(call.get("strip"))
    elements = _element_fields(event, prefix)
    if not elements:
        yield event
        return
    owned = {prefix + f"[{index}]" + rest for index, e in enumerate(elements) for rest in e}
    for index, fields in enumerate(elements):
        row = event.copy()
        for name in owned:
            del row[name]
        for rest, value in fields.items():
            name = split_field_name(prefix, rest, strip)
            if name:
                row[name] = value
        row["_index"] = str(index)
        if "@id" in event:
            row["@id"] = f"{event['@id']}__{index}"
        yield row


def split_field_name(prefix: str, rest: str, strip: bool) -> str:
    """Return the name split() gives an element field: ``rest`` is what followed
    ``prefix[i]``. An empty name means the field is dropped."""
    if not rest:
        return prefix
    if strip or not prefix:
        return rest.removeprefix(".")
    return prefix + rest
