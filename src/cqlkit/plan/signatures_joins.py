"""Signatures of the functions that run a sub-query over the input.

join() and defineTable() run their sub-query over the whole input before the
main query (see :mod:`cqlkit.plan.subqueries`). selfJoinFilter() and
correlate() read every event that reaches them before they emit any.
"""

from __future__ import annotations

from collections.abc import Mapping

from cqlkit.plan.signature import FunctionKind, FunctionSpec, ParamType, param

T, A = FunctionKind.TRANSFORM, FunctionKind.AGGREGATE
P = ParamType

JOIN_LIMIT_MAXIMUM = 200_000
"""The largest limit= of join(): LogScale's default MAX_JOIN_LIMIT."""

# Parameters that choose where a sub-query runs in LogScale: another time interval,
# repository or view, or a live query. Offline, every sub-query reads the same
# input as the main query, so the planner warns that they are ignored.
_ELSEWHERE = (
    param("start", P.STRING),
    param("end", P.STRING),
    param("repo", P.STRING),
    param("view", P.STRING),
)


def _join_outputs(arguments: Mapping[str, object]) -> tuple[str, ...]:
    include = arguments.get("include")
    return tuple(str(name) for name in include) if isinstance(include, tuple) else ()


SPECS: tuple[FunctionSpec, ...] = (
    FunctionSpec(
        "join",
        T,
        (
            param("query", P.AGGREGATES, required=True),
            param("field", P.FIELDS, required=True),
            param("key", P.FIELDS),
            param("include", P.FIELDS),
            param("mode", P.CHOICE, default="inner", choices=("inner", "left")),
            param("max", P.NUMBER, default="1", minimum=1),
            param("limit", P.LIMIT, default="100000", minimum=1, maximum=JOIN_LIMIT_MAXIMUM),
            *_ELSEWHERE,
            param("live", P.BOOLEAN),
        ),
        unnamed="query",
        negatable=True,
        reads_all_fields=True,
        output_fields=_join_outputs,
    ),
    FunctionSpec(
        "defineTable",
        T,
        (
            param("query", P.AGGREGATES, required=True),
            param("name", P.STRING, required=True),
            param("include", P.FIELDS, required=True),
            param("start", P.STRING),
            param("end", P.STRING),
            param("view", P.STRING),
        ),
        unnamed="query",
        reads_all_fields=True,
    ),
    FunctionSpec(
        "selfJoinFilter",
        T,
        (
            param("field", P.FIELDS, required=True),
            param("where", P.AGGREGATES, required=True),
            param("prefilter", P.BOOLEAN, default="false"),
        ),
        unnamed="field",
        negatable=True,
    ),
    FunctionSpec(
        "correlate",
        A,
        (
            param("query", P.QUERIES, required=True),
            param("within", P.STRING),
            param("sequence", P.BOOLEAN, default="false"),
            param("globalConstraints", P.FIELDS),
            param("includeMatchesOnceOnly", P.BOOLEAN, default="false"),
            param("maxPerRoot", P.NUMBER, default="1", minimum=1),
            param("root", P.STRING),
            param("jitterTolerance", P.STRING),
            param("iterationLimit", P.NUMBER, minimum=1),
        ),
        unnamed="query",
        reads_all_fields=True,
    ),
)
