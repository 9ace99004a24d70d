"""Row ordering for sort() and table().

Under ``type=number`` numbers come first in numeric order, then values that
are not numbers in text order; rows without the field come last. This is a
decision: LogScale's docs do not say where such values go.
"""

from __future__ import annotations

from collections.abc import Sequence

from cqlkit.engines.reference.row import Row
from cqlkit.engines.reference.values import to_number


def _key(value: str | None, sort_type: str) -> tuple[int, float, str]:
    if value is None:
        return (3, 0.0, "")
    if sort_type == "hex":
        try:
            return (0, float(int(value, 16)), "")
        except ValueError:
            return (2, 0.0, value)
    if sort_type == "string":
        return (1, 0.0, value)
    number = to_number(value)
    return (0, number, "") if number is not None else (2, 0.0, value)


def sort_rows(
    rows: list[Row], fields: Sequence[str], orders: Sequence[str], types: Sequence[str]
) -> list[Row]:
    """Sort ``rows`` by ``fields``; ``orders`` and ``types`` pair up with the
    fields, and a single entry applies to all of them. The sort is stable."""
    ordered = list(rows)
    for index in reversed(range(len(fields))):
        field = fields[index]
        order = orders[index] if index < len(orders) else orders[-1]
        sort_type = types[index] if index < len(types) else types[-1]
        groups: dict[int, list[tuple[tuple[int, float, str], Row]]] = {0: [], 1: [], 2: [], 3: []}
        for row in ordered:
            key = _key(row.get(field), sort_type)
            groups[key[0]].append((key, row))
        ordered = []
        for group in (0, 1, 2, 3):
            members = groups[group]
            members.sort(key=lambda item: item[0], reverse=order == "desc")
            ordered.extend(row for _, row in members)
    return ordered
