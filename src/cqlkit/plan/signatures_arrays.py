"""Signatures of the array functions: splitString(), split(), concatArray() and array:*.

Array names are stored without their ``[]`` (see :mod:`cqlkit.plan.arrays`). Every
function here reads fields named ``prefix[0]``, ``prefix[1]``, ... that a query never
names one by one, so each spec sets ``reads_all_fields``. Those that write a number
of fields that depends on the data set ``dynamic_outputs``.
"""

from __future__ import annotations

from cqlkit.plan.signature import FunctionKind, FunctionSpec, ParamType, output, param

F, T, A = FunctionKind.FILTER, FunctionKind.TRANSFORM, FunctionKind.AGGREGATE
P = ParamType
_p, _as = param, output


_ARRAY = _p("array", P.FIELD, required=True)


SPECS: tuple[FunctionSpec, ...] = (
    FunctionSpec(
        "splitString",
        T,
        (
            _p("field", P.FIELD, default="@rawstring"),
            _p("by", P.STRING, required=True),
            _as("_splitstring"),
            _p("index", P.NUMBER),
        ),
        unnamed="field",
        dynamic_outputs=True,
        reads_all_fields=True,
    ),
    FunctionSpec(
        "split",
        T,
        (_p("field", P.FIELD, default="_events"), _p("strip", P.BOOLEAN, default="false")),
        unnamed="field",
        dynamic_outputs=True,
        reads_all_fields=True,
    ),
    FunctionSpec(
        "concatArray",
        T,
        (
            _p("field", P.FIELD, required=True),
            _as("_concatArray"),
            _p("from", P.NUMBER, default="0", minimum=0),
            _p("to", P.NUMBER, minimum=0),
            _p("prefix", P.STRING, default=""),
            _p("separator", P.STRING, default=""),
            _p("suffix", P.STRING, default=""),
        ),
        unnamed="field",
        reads_all_fields=True,
    ),
    FunctionSpec(
        "array:contains",
        F,
        (_ARRAY, _p("value", P.STRING, required=True)),
        unnamed="array",
        negatable=True,
        reads_all_fields=True,
    ),
    FunctionSpec(
        "array:length", T, (_ARRAY, _as("_length")), unnamed="array", reads_all_fields=True
    ),
    FunctionSpec(
        "array:regex",
        F,
        (_ARRAY, _p("regex", P.STRING, required=True), _p("flags", P.STRING, default="")),
        unnamed="array",
        negatable=True,
        reads_all_fields=True,
    ),
    FunctionSpec(
        "array:exists",
        F,
        (_ARRAY, _p("condition", P.PIPELINE, required=True), _p("var", P.FIELD)),
        unnamed="array",
        negatable=True,
        reads_all_fields=True,
    ),
    FunctionSpec(
        "array:filter",
        T,
        (
            _ARRAY,
            _p("function", P.PIPELINE, required=True),
            _p("var", P.FIELD),
            _p("asArray", P.FIELD),
        ),
        unnamed="array",
        dynamic_outputs=True,
        reads_all_fields=True,
    ),
    FunctionSpec(
        "array:eval",
        T,
        (
            _ARRAY,
            _p("function", P.PIPELINE, required=True),
            _p("var", P.FIELD),
            _p("asArray", P.FIELD),
        ),
        unnamed="array",
        dynamic_outputs=True,
        reads_all_fields=True,
    ),
    FunctionSpec(
        "array:dedup",
        T,
        (_ARRAY, _p("asArray", P.FIELD)),
        unnamed="array",
        dynamic_outputs=True,
        reads_all_fields=True,
    ),
    FunctionSpec(
        "array:append",
        T,
        (_ARRAY, _p("values", P.EXPRESSIONS, required=True)),
        unnamed="array",
        dynamic_outputs=True,
        reads_all_fields=True,
    ),
    FunctionSpec("array:drop", T, (_ARRAY,), unnamed="array", reads_all_fields=True),
    FunctionSpec(
        "array:rename",
        T,
        (_ARRAY, _p("asArray", P.FIELD, required=True)),
        unnamed="array",
        dynamic_outputs=True,
        reads_all_fields=True,
    ),
    FunctionSpec(
        "array:sort",
        T,
        (
            _ARRAY,
            _p("asArray", P.FIELD),
            _p(
                "order", P.CHOICE, default="asc", choices=("asc", "ascending", "desc", "descending")
            ),
            _p("type", P.CHOICE, default="string", choices=("string", "number")),
        ),
        unnamed="array",
        dynamic_outputs=True,
        reads_all_fields=True,
    ),
    FunctionSpec(
        "array:reduceRow",
        T,
        (
            _ARRAY,
            _p("function", P.AGGREGATES, required=True),
            _p("var", P.FIELD, required=True),
            _as("_reduceRow"),
        ),
        unnamed="array",
        dynamic_outputs=True,
        reads_all_fields=True,
    ),
    FunctionSpec(
        "array:reduceColumn",
        A,
        (
            _ARRAY,
            _p("function", P.AGGREGATES, required=True),
            _p("var", P.FIELD, required=True),
            _as("_reduceColumn"),
        ),
        unnamed="array",
        reads_all_fields=True,
    ),
    FunctionSpec(
        "array:reduceAll",
        A,
        (
            _ARRAY,
            _p("function", P.AGGREGATES, required=True),
            _p("var", P.FIELD, required=True),
        ),
        unnamed="array",
        reads_all_fields=True,
    ),
    FunctionSpec("array:union", A, (_ARRAY, _as("_union")), unnamed="array", reads_all_fields=True),
    FunctionSpec(
        "array:intersection",
        A,
        (_ARRAY, _as("_intersection")),
        unnamed="array",
        reads_all_fields=True,
    ),
)
