"""The reference engine's functions that run a sub-query over the input.

join() is an expander over the rows its sub-query gave, which the interpreter
binds into the plan before the main query runs (see
:mod:`cqlkit.engines.reference.subqueries`). selfJoinFilter() and correlate()
read the whole stream that reaches them, so they are stream functions: the
interpreter hands each of them its input stream instead of one row at a time.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator

from cqlkit.engines.reference.aggregates_base import SubPlanRunner
from cqlkit.engines.reference.context import RunContext
from cqlkit.engines.reference.correlate import correlate
from cqlkit.engines.reference.family import Expanders, Transforms, ValueFunctions
from cqlkit.engines.reference.row import Row
from cqlkit.engines.reference.self_join import self_join_filter
from cqlkit.errors import ExecutionError
from cqlkit.plan import nodes
from cqlkit.plan.subqueries import SubqueryRows

StreamFunction = Callable[
    [nodes.BoundCall, Iterable[Row], RunContext, SubPlanRunner], Iterator[Row]
]
"""Takes the call, every row that reaches it, the run context and a runner of
sub-plans, and yields the rows it outputs."""


def _join(call: nodes.BoundCall, row: Row, context: RunContext) -> Iterator[Row]:
    """Yield the event once per matching sub-query row (at most max=), with the
    include= fields of that row; an include= field the row lacks is set to the
    empty string. mode=left passes events without a match unchanged, and !join()
    passes only those."""
    bound = call.get("query")
    if not isinstance(bound, SubqueryRows):
        raise ExecutionError("join() ran before its sub-query", span=call.span)
    key = tuple(row.get(name) for name in call.names("field"))
    found = () if None in key else bound.matches.get(key, ())  # type: ignore[arg-type]
    if call.negated:
        if not found:
            yield row
        return
    if not found:
        if call.get("mode") == "left":
            yield row
        return
    include = call.names("include") if call.get("include") is not None else ()
    for match in found:
        output = row.copy()
        for name in include:
            output[name] = match.get(name, "")
        yield output


VALUE_FUNCTIONS: ValueFunctions = {}
TRANSFORMS: Transforms = {}
EXPANDERS: Expanders = {"join": _join}
STREAM_FUNCTIONS: dict[str, StreamFunction] = {
    "selfJoinFilter": self_join_filter,
    "correlate": correlate,
}
