"""Signatures of the selection, chart and sequence aggregates.

Selection: selectLast(), selectFromMax(), selectFromMin(), and range(), the
difference between the largest and smallest number. Charts: bucket(),
timeChart(), sankey(), worldMap(). Sequences: neighbor(), which reads the
order that an earlier aggregate gave the rows, and accumulate(), slidingWindow()
and partition(), which run an aggregate over runs of rows in that order.
Sessions: session() and series(), which split rows into runs by event time.
"""

from __future__ import annotations

from collections.abc import Mapping

from cqlkit.plan.signature import FunctionKind, FunctionSpec, Parameter, ParamType, output, param

A = FunctionKind.AGGREGATE
P = ParamType

SEQUENCE_FUNCTIONS = frozenset({"neighbor", "accumulate", "slidingWindow", "partition"})
"""Functions that read the order of their input rows, so that LogScale accepts
them only after an aggregate that sets that order, such as head() or sort()."""

CHART_FUNCTIONS = frozenset({"bucket", "timeChart"})
"""Functions that group rows by time buckets, as :mod:`cqlkit.plan.time_buckets` describes."""

GEOHASH_FIELD = "_geohash"
"""The output field of worldMap() with the geohash cell of its row."""
GEOHASH_ALPHABET = "0123456789bcdefghjkmnpqrstuvwxyz"
"""The base-32 digits of a geohash, in value order."""

DIRECTIONS = ("preceding", "succeeding")
CURRENT_CHOICES = ("include", "exclude")
SPLIT_POSITIONS = ("before", "after")
DEFAULT_MAXPAUSE = "15m"
DEFAULT_MEMLIMIT = "1KiB"
MAX_WINDOW_EVENTS = 1000
MAX_SERIES = 500
MAX_BUCKETS = 1500
MAX_GEOHASH_PRECISION = 12


def neighbor_field(prefix: str, field: str) -> str:
    """Return the name under which neighbor() stores ``field`` of the neighbor row."""
    return f"{prefix}.{field}" if prefix else field


def _neighbor_outputs(arguments: Mapping[str, object]) -> tuple[str, ...]:
    include = arguments.get("include")
    prefix = str(arguments.get("prefix") or "")
    names = include if isinstance(include, tuple) else ()
    return tuple(neighbor_field(prefix, str(name)) for name in names)


def _select_from(name: str) -> FunctionSpec:
    return FunctionSpec(
        name,
        A,
        (param("field", P.FIELD, required=True), param("include", P.FIELDS, required=True)),
        unnamed="field",
    )


def _current() -> Parameter:
    """Return the ``current`` parameter of accumulate() and slidingWindow(): whether
    the aggregate over the rows before a row also includes the row itself."""
    return param("current", P.CHOICE, default="include", choices=CURRENT_CHOICES)


def _chart_parameters() -> tuple[Parameter, ...]:
    """Return the parameters that bucket() and timeChart() share."""
    return (
        param("function", P.AGGREGATES, default="count()"),
        param("span", P.STRING, default="auto"),
        param("buckets", P.NUMBER, minimum=1, maximum=MAX_BUCKETS),
        param("limit", P.LIMIT, default="10", minimum=1, maximum=MAX_SERIES),
        param("minSpan", P.STRING),
        param("timezone", P.STRING),
        param("unit", P.VALUES),
    )


SPECS: tuple[FunctionSpec, ...] = (
    FunctionSpec(
        "range", A, (param("field", P.FIELD, required=True), output("_range")), unnamed="field"
    ),
    FunctionSpec("selectLast", A, (param("fields", P.FIELDS, required=True),), unnamed="fields"),
    _select_from("selectFromMax"),
    _select_from("selectFromMin"),
    FunctionSpec(
        "bucket",
        A,
        (param("field", P.FIELDS), *_chart_parameters()),
        unnamed="span",
    ),
    FunctionSpec(
        "timeChart",
        A,
        (param("series", P.FIELD), *_chart_parameters()),
        unnamed="series",
    ),
    FunctionSpec(
        "sankey",
        A,
        (
            param("source", P.FIELD, required=True),
            param("target", P.FIELD, required=True),
            param("weight", P.AGGREGATES, default="count()"),
        ),
    ),
    FunctionSpec(
        "worldMap",
        A,
        (
            param("ip", P.FIELD),
            param("lat", P.FIELD),
            param("lon", P.FIELD),
            param("magnitude", P.AGGREGATES, default="count()"),
            param("precision", P.NUMBER, default="4", minimum=1, maximum=MAX_GEOHASH_PRECISION),
        ),
    ),
    FunctionSpec(
        "neighbor",
        A,
        (
            param("include", P.FIELDS, required=True),
            param("prefix", P.STRING, default="_neighbor"),
            param("distance", P.NUMBER, default="1", minimum=1, maximum=10_000),
            param("direction", P.CHOICE, default="preceding", choices=DIRECTIONS),
        ),
        unnamed="include",
        output_fields=_neighbor_outputs,
    ),
    FunctionSpec(
        "session",
        A,
        (
            param("function", P.AGGREGATES, default="count()"),
            param("maxpause", P.STRING, default=DEFAULT_MAXPAUSE),
        ),
        unnamed="function",
    ),
    FunctionSpec(
        "accumulate",
        A,
        (param("function", P.AGGREGATES, required=True), _current()),
        unnamed="function",
    ),
    FunctionSpec(
        "slidingWindow",
        A,
        (
            param("function", P.AGGREGATES, required=True),
            param("events", P.NUMBER, required=True, minimum=1, maximum=MAX_WINDOW_EVENTS),
            _current(),
        ),
        unnamed="function",
    ),
    FunctionSpec(
        "partition",
        A,
        (
            param("function", P.AGGREGATES, required=True),
            param("condition", P.PIPELINE, required=True),
            param("split", P.CHOICE, default="before", choices=SPLIT_POSITIONS),
        ),
        unnamed="function",
        reads_all_fields=True,
    ),
    FunctionSpec(
        "series",
        A,
        (
            param("collect", P.FIELDS, required=True),
            param("separator", P.STRING, default="\n"),
            param("startmatch", P.PIPELINE),
            param("endmatch", P.PIPELINE),
            param("maxpause", P.STRING),
            param("maxduration", P.STRING),
            param("memlimit", P.STRING, default=DEFAULT_MEMLIMIT),
        ),
        unnamed="collect",
        # startmatch and endmatch may test any field, as in {/session start:/}.
        reads_all_fields=True,
    ),
)
