"""The registry of CQL function signatures.

One table describes every function that cqlkit implements: its parameters, their types
and defaults, the parameter whose name may be left out, and whether the
function filters, transforms or aggregates. The parser reads it to know which
arguments are expressions; the planner reads it to bind and check arguments.
Names match case-insensitively, as in LogScale. The core functions are listed
here; each ``signatures_*`` module adds one family.
"""

from __future__ import annotations

from cqlkit.plan import (
    signatures_aggregates,
    signatures_arrays,
    signatures_calendar,
    signatures_joins,
    signatures_lookup,
    signatures_math,
    signatures_parsing,
    signatures_text,
)
from cqlkit.plan.signature import (
    FunctionKind,
    FunctionSpec,
    Parameter,
    ParamType,
    output,
    param,
)

F, T, A = FunctionKind.FILTER, FunctionKind.TRANSFORM, FunctionKind.AGGREGATE
P = ParamType
ORDER = ("asc", "ascending", "desc", "descending")
SORT_TYPES = ("number", "string", "hex", "any")


_p, _as = param, output

_SPECS = (
    FunctionSpec(
        "if",
        T,
        (
            _p("condition", P.EXPRESSION, required=True),
            _p("then", P.EXPRESSION, required=True),
            _p("else", P.EXPRESSION, required=True),
            _as("_if"),
        ),
        unnamed="condition",
    ),
    FunctionSpec("eval", T, (), assignments_only=True),
    FunctionSpec(
        "test",
        F,
        (_p("expression", P.EXPRESSION, required=True),),
        unnamed="expression",
        negatable=True,
    ),
    FunctionSpec(
        "regex",
        F,
        (
            _p("regex", P.STRING, required=True),
            _p("field", P.FIELD, default="@rawstring"),
            _p("flags", P.STRING, default="m"),
            _p("strict", P.BOOLEAN, default="true"),
            _p("repeat", P.BOOLEAN, default="false"),
            _p("limit", P.NUMBER, default="100", minimum=1),
        ),
        unnamed="regex",
        negatable=True,
        extracts=True,
    ),
    FunctionSpec(
        "in",
        F,
        (
            _p("field", P.FIELD, required=True),
            _p("values", P.VALUES, required=True),
            _p("ignoreCase", P.BOOLEAN, default="false"),
        ),
        unnamed="field",
        negatable=True,
    ),
    FunctionSpec(
        "wildcard",
        F,
        (
            _p("pattern", P.STRING, required=True),
            _p("field", P.FIELDS),
            _p("ignoreCase", P.BOOLEAN, default="false"),
            _p("includeEverythingOnAsterisk", P.BOOLEAN, default="false"),
        ),
        unnamed="pattern",
        negatable=True,
    ),
    FunctionSpec(
        "lower",
        T,
        (_p("field", P.FIELD, required=True), _as("_lower"), _p("locale", P.STRING)),
        unnamed="field",
    ),
    FunctionSpec(
        "upper",
        T,
        (_p("field", P.FIELD, required=True), _as("_upper"), _p("locale", P.STRING)),
        unnamed="field",
    ),
    FunctionSpec(
        "length", T, (_p("field", P.FIELD, required=True), _as("_length")), unnamed="field"
    ),
    FunctionSpec(
        "concat", T, (_p("field", P.FIELDS, required=True), _as("_concat")), unnamed="field"
    ),
    FunctionSpec(
        "format",
        T,
        (
            _p("format", P.STRING, required=True),
            _p("field", P.FIELDS, required=True),
            _as("_format"),
            _p("timezone", P.STRING),
        ),
        unnamed="format",
    ),
    FunctionSpec(
        "replace",
        T,
        (
            _p("regex", P.STRING, required=True),
            _p("with", P.STRING, default="", aliases=("replacement",)),
            _p("field", P.FIELD, default="@rawstring"),
            _p("as", P.FIELD),
            _p("flags", P.STRING, default="m"),
        ),
        unnamed="regex",
    ),
    FunctionSpec(
        "default",
        T,
        (
            _p("value", P.STRING, required=True),
            _p("field", P.FIELDS, required=True),
            _p("replaceEmpty", P.BOOLEAN, default="false"),
        ),
        unnamed="value",
    ),
    FunctionSpec(
        "coalesce",
        T,
        (
            _p("expressions", P.EXPRESSIONS, required=True),
            _as("_coalesce"),
            _p("ignoreEmpty", P.BOOLEAN, default="true"),
        ),
        unnamed="expressions",
    ),
    FunctionSpec(
        "rename", T, (_p("field", P.RENAMES, required=True), _p("as", P.FIELD)), unnamed="field"
    ),
    FunctionSpec("drop", T, (_p("fields", P.FIELDS, required=True),), unnamed="fields"),
    FunctionSpec("select", T, (_p("fields", P.FIELDS, required=True),), unnamed="fields"),
    FunctionSpec(
        "table",
        A,
        (
            _p("fields", P.FIELDS, required=True),
            _p("limit", P.LIMIT, default="200", minimum=1, maximum=200_000),
            _p("sortby", P.FIELDS, default="@timestamp"),
            _p("order", P.CHOICES, default="desc", choices=ORDER),
            _p("type", P.CHOICES, default="number", choices=SORT_TYPES),
        ),
        unnamed="fields",
    ),
    FunctionSpec(
        "sort",
        A,
        (
            _p("field", P.FIELDS, default="_count"),
            _p("order", P.CHOICES, default="desc", choices=ORDER),
            _p("type", P.CHOICES, default="number", choices=SORT_TYPES),
            _p("limit", P.LIMIT, default="200", minimum=1, maximum=200_000),
            _p("reverse", P.BOOLEAN),
        ),
        unnamed="field",
    ),
    FunctionSpec(
        "head",
        A,
        (_p("limit", P.LIMIT, default="200", minimum=0, maximum=200_000),),
        unnamed="limit",
    ),
    FunctionSpec(
        "tail",
        A,
        (_p("limit", P.LIMIT, default="200", minimum=1, maximum=200_000),),
        unnamed="limit",
    ),
    FunctionSpec(
        "count",
        A,
        (_p("field", P.FIELD), _p("distinct", P.BOOLEAN, default="false"), _as("_count")),
        unnamed="field",
    ),
    FunctionSpec("sum", A, (_p("field", P.FIELD, required=True), _as("_sum")), unnamed="field"),
    FunctionSpec("avg", A, (_p("field", P.FIELD, required=True), _as("_avg")), unnamed="field"),
    FunctionSpec("min", A, (_p("field", P.FIELD, required=True), _as("_min")), unnamed="field"),
    FunctionSpec("max", A, (_p("field", P.FIELD, required=True), _as("_max")), unnamed="field"),
    FunctionSpec(
        "groupBy",
        A,
        (
            _p("field", P.FIELDS, required=True),
            _p("function", P.AGGREGATES, default="count()"),
            _p("limit", P.LIMIT, default="20000", minimum=1, maximum=1_000_000),
        ),
        unnamed="field",
    ),
    FunctionSpec(
        "collect",
        A,
        (
            _p("fields", P.FIELDS, required=True),
            _p("limit", P.LIMIT, default="2000", minimum=1),
            _p("multival", P.BOOLEAN, default="true"),
            _p("separator", P.STRING, default="\n"),
        ),
        unnamed="fields",
    ),
    FunctionSpec(
        "top",
        A,
        (
            _p("field", P.FIELDS, required=True),
            _p("limit", P.LIMIT, default="10", minimum=1),
            _p("sum", P.FIELD),
            _p("max", P.FIELD),
            _p("as", P.FIELD),
            _p("percent", P.BOOLEAN, default="false"),
            _p("rest", P.STRING),
            _p("error", P.NUMBER, default="5"),
        ),
        unnamed="field",
    ),
    FunctionSpec(
        "stats", A, (_p("function", P.AGGREGATES, default="count()"),), unnamed="function"
    ),
)

REGISTRY: dict[str, FunctionSpec] = {
    spec.name.lower(): spec
    for family in (
        _SPECS,
        signatures_text.SPECS,
        signatures_parsing.SPECS,
        signatures_aggregates.SPECS,
        signatures_lookup.SPECS,
        signatures_joins.SPECS,
        signatures_arrays.SPECS,
        signatures_calendar.SPECS,
        signatures_math.SPECS,
    )
    for spec in family
}


def lookup(name: str) -> FunctionSpec | None:
    """Return the spec of function ``name`` (any case), or None if unknown."""
    return REGISTRY.get(name.lower())


__all__ = [
    "REGISTRY",
    "FunctionKind",
    "FunctionSpec",
    "ParamType",
    "Parameter",
    "lookup",
]
