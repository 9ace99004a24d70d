"""Check-time rules of session(), series(), accumulate(), slidingWindow() and partition().

:func:`check_session_arguments` runs when a call is bound and records its
errors on the plan context, so that ``cqlkit check`` reports every problem of
a query in one run.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from cqlkit.language.span import Span
from cqlkit.plan import nodes
from cqlkit.plan.context import PlanContext
from cqlkit.plan.signature import FunctionSpec
from cqlkit.timeranges import parse_duration

# The parameters that take a LogScale relative time, by function.
_DURATIONS = {"session": ("maxpause",), "series": ("maxpause", "maxduration")}
# Functions whose ``function`` argument may output at most one row per run:
# they add its fields to each input row.
_ONE_ROW_FUNCTIONS = frozenset({"accumulate", "slidingWindow"})
# Aggregates that output several rows, which accumulate() and slidingWindow()
# reject. head(), tail(), sort() and table() count only when their limit is above 1.
_SEVERAL_ROWS = frozenset(
    {
        "groupBy",
        "top",
        "bucket",
        "timeChart",
        "session",
        "series",
        "partition",
        "accumulate",
        "slidingWindow",
        "neighbor",
        "sankey",
        "worldMap",
    }
)
_LIMITED_ROWS = frozenset({"head", "tail", "sort", "table"})
# A memory size such as 1KiB, 512 B or 2MB: LogScale's memlimit values.
_MEMORY_SIZE = re.compile(r"(?P<count>[0-9]+)\s*(?P<unit>[kmg]i?b|b)?", re.IGNORECASE)


def check_session_arguments(
    context: PlanContext, spec: FunctionSpec, arguments: Mapping[str, object], span: Span | None
) -> None:
    """Record the errors of one bound call of session(), series(), accumulate(),
    slidingWindow() or partition()."""
    name = spec.name
    for parameter in _DURATIONS.get(name, ()):
        _check_duration(context, name, parameter, arguments.get(parameter), span)
    if name in _ONE_ROW_FUNCTIONS:
        _check_one_row_functions(context, name, arguments.get("function"), span)
    if name == "slidingWindow" and isinstance(arguments.get("events"), float):
        context.error("invalid-argument", "slidingWindow(events=...) must be a whole number", span)
    if name == "series":
        _check_memlimit(context, arguments.get("memlimit"), span)


def _check_duration(
    context: PlanContext, name: str, parameter: str, value: object, span: Span | None
) -> None:
    if not isinstance(value, str):
        return
    try:
        parse_duration(value.lower())
    except ValueError as exc:
        context.error("invalid-argument", f"{name}({parameter}=...): {exc}", span)


def _check_one_row_functions(
    context: PlanContext, name: str, function: object, span: Span | None
) -> None:
    """Record an error for each aggregate in ``function`` that can output several
    rows: accumulate() and slidingWindow() add one row's fields to each event."""
    for call in _calls(function):
        if _outputs_several_rows(call):
            context.error(
                "invalid-argument",
                f"{name}() takes only aggregates that output at most one row,"
                f" such as sum(), avg() or count(), not {call.name}()",
                call.span or span,
            )


def _calls(function: object) -> list[nodes.BoundCall]:
    """Return the calls of an aggregate argument, with those inside stats()."""
    items = function if isinstance(function, tuple) else ()
    calls: list[nodes.BoundCall] = []
    for item in items:
        if not isinstance(item, nodes.BoundCall):
            continue
        calls.append(item)
        if item.name == "stats":
            calls.extend(_calls(item.get("function")))
    return calls


def _outputs_several_rows(call: nodes.BoundCall) -> bool:
    if call.name in _SEVERAL_ROWS:
        return True
    if call.name == "collect":
        return call.get("multival") is False
    if call.name in _LIMITED_ROWS:
        limit = call.get("limit")
        return not isinstance(limit, int | float) or limit > 1
    return False


def _check_memlimit(context: PlanContext, value: object, span: Span | None) -> None:
    """Record an error for a memlimit that is not a memory size, and a warning that
    cqlkit does not enforce it."""
    if not isinstance(value, str):
        return
    match = _MEMORY_SIZE.fullmatch(value.strip())
    if match is None or int(match["count"]) < 1:
        context.error(
            "invalid-argument",
            f"series(memlimit=...) must be a memory size of at least 1 byte,"
            f" such as 1KiB or 512B, not {value!r}",
            span,
        )
        return
    # NOTE: LogScale does not document how it counts a series' memory, so a
    # long series that LogScale cuts short is complete in cqlkit's output.
    context.warn(
        "unenforced-limit",
        f"series() collects every value: cqlkit does not enforce memlimit={value},"
        " which in LogScale bounds the memory of each series() run",
        span,
    )
