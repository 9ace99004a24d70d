"""Check-time rules of the selection, chart and sequence aggregates.

:func:`check_call` runs when a call is bound, :func:`check_sequence_order`
once the query's top-level pipeline is planned. Each records errors on the plan context, so that
``cqlkit check`` reports every problem of a query in one run.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from cqlkit.language.span import Span
from cqlkit.plan import nodes
from cqlkit.plan.context import PlanContext
from cqlkit.plan.signature import FunctionKind, FunctionSpec
from cqlkit.plan.signatures_aggregates import CHART_FUNCTIONS, SEQUENCE_FUNCTIONS
from cqlkit.plan.time_buckets import chart_options

# The parameters that take exactly one aggregate function.
_SINGLE_FUNCTION = {"sankey": "weight", "worldMap": "magnitude"}
# The number parameters that take whole numbers only.
_WHOLE_NUMBERS = {
    "bucket": "buckets",
    "timeChart": "buckets",
    "worldMap": "precision",
    "neighbor": "distance",
}


def check_call(
    context: PlanContext, spec: FunctionSpec, arguments: Mapping[str, object], span: Span | None
) -> None:
    """Record the errors of one bound call of this family."""
    name = spec.name
    if name in _SINGLE_FUNCTION:
        _check_single_function(context, name, _SINGLE_FUNCTION[name], arguments, span)
    if name in CHART_FUNCTIONS:
        _check_chart(context, name, arguments, span)
    if name == "worldMap":
        _check_world_map(context, arguments, span)
    whole = _WHOLE_NUMBERS.get(name)
    if whole is not None and isinstance(arguments.get(whole), float):
        context.error("invalid-argument", f"{name}({whole}=...) must be a whole number", span)


def check_sequence_order(context: PlanContext, stages: Iterable[nodes.Stage]) -> None:
    """Record an error for each sequence function, such as neighbor(), that no
    aggregate precedes in the query's top-level pipeline, because its input
    rows then have no defined order. Inside groupBy(), stats(), bucket() or
    timeChart(), as ``function=neighbor(...)`` or in a ``function={...}``
    sub-query, a sequence function is accepted: LogScale's neighbor() examples
    use ``groupBy(user.id, function=neighbor(...))``."""
    ordered = False
    for stage in stages:
        if not isinstance(stage, nodes.Apply) or stage.call.kind is not FunctionKind.AGGREGATE:
            continue
        if stage.call.name in SEQUENCE_FUNCTIONS and not ordered:
            _sequence_error(context, stage.call.name, stage.span)
        ordered = True


def _sequence_error(context: PlanContext, name: str, span: Span | None) -> None:
    context.error(
        "sequence-without-order",
        f"{name}() needs rows in a defined order, so an aggregate such as head(),"
        " sort() or groupBy() must come before it",
        span,
        hint=f"for example: head() | {name}(...)",
    )


def _check_single_function(
    context: PlanContext,
    name: str,
    parameter: str,
    arguments: Mapping[str, object],
    span: Span | None,
) -> None:
    value = arguments.get(parameter)
    if isinstance(value, tuple) and len(value) == 1 and isinstance(value[0], nodes.BoundCall):
        return
    context.error(
        "invalid-argument",
        f"{name}({parameter}=...) takes one aggregate function, such as sum(bytes)",
        span,
    )


def _check_chart(
    context: PlanContext, name: str, arguments: Mapping[str, object], span: Span | None
) -> None:
    try:
        options = chart_options(name, arguments, frozenset())
    except ValueError as exc:
        context.error("invalid-argument", f"{name}(): {exc}", span)
        return
    if options.span_ms is not None and options.buckets is not None:
        context.error(
            "invalid-argument",
            f"{name}() takes either span= or buckets=, not both",
            span,
            hint="buckets=N divides the time range into N buckets; span= sets their length",
        )


def _check_world_map(
    context: PlanContext, arguments: Mapping[str, object], span: Span | None
) -> None:
    """worldMap() reads either ip= or both lat= and lon=. The GeoIP database of
    ip= is opened by the lookup family's checks, which name ``--geoip-db``."""
    has_coordinates = arguments.get("lat") is not None and arguments.get("lon") is not None
    has_any_coordinate = arguments.get("lat") is not None or arguments.get("lon") is not None
    if arguments.get("ip") is not None:
        if has_any_coordinate:
            context.error(
                "invalid-argument",
                "worldMap() takes either ip= or lat= and lon=, not both",
                span,
                hint="drop ip= to plot the coordinates, or lat= and lon= to locate the address",
            )
    elif not has_coordinates:
        context.error(
            "missing-argument",
            "worldMap() needs the arguments lat and lon (or ip)",
            span,
            hint="for example: worldMap(lat=location.latitude, lon=location.longitude)",
        )
