"""Objects that the planner binds to function arguments, read back at run time.

The planner replaces some arguments with objects it builds once per query: a
compiled regex, a lookup table, a GeoIP or IOC database. Any other value there
means the call was planned wrongly, and :func:`bound_argument` raises
ExecutionError.
"""

from __future__ import annotations

from typing import TypeVar

from cqlkit.errors import ExecutionError
from cqlkit.plan import nodes

T = TypeVar("T")


def bound_argument(call: nodes.BoundCall, name: str, kind: type[T], description: str) -> T:
    """Return argument ``name`` of ``call`` when it is a ``kind``.

    Raises ExecutionError "<function>() reached the engine without
    <description>" otherwise.
    """
    value = call.get(name)
    if not isinstance(value, kind):
        raise ExecutionError(
            f"{call.name}() reached the engine without {description}", span=call.span
        )
    return value
