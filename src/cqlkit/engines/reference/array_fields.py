"""Reading and writing of flat arrays on one event of the reference interpreter.

An array ``a`` is the run of fields ``a[0]``, ``a[1]``, ... that ends at the first
missing index, so ``a[0], a[1], a[3]`` is an array of two elements
(https://library.humio.com/data-analysis/syntax-array.html).
"""

from __future__ import annotations

from collections.abc import Mapping, MutableMapping, Sequence

from cqlkit.plan.arrays import element_name


def array_values(event: Mapping[str, str], prefix: str) -> list[str]:
    """Return the elements of the array ``prefix`` in index order."""
    values: list[str] = []
    while (value := event.get(element_name(prefix, len(values)))) is not None:
        values.append(value)
    return values


def write_array(event: MutableMapping[str, str], prefix: str, values: Sequence[str]) -> None:
    """Replace the array ``prefix`` with ``values``: set ``prefix[0]`` and on, and
    remove the old elements past the new end."""
    old_length = len(array_values(event, prefix))
    for index, value in enumerate(values):
        event[element_name(prefix, index)] = value
    for index in range(len(values), old_length):
        del event[element_name(prefix, index)]


def remove_array(event: MutableMapping[str, str], prefix: str) -> None:
    """Remove every element of the array ``prefix``."""
    write_array(event, prefix, ())
