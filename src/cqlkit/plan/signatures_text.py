"""Signatures of the string, number, encoding and hashing functions, and the
check-time validation of their arguments."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

from cqlkit.plan.signature import FunctionKind, FunctionSpec, Parameter, ParamType, output, param

if TYPE_CHECKING:
    from cqlkit.language import ast
    from cqlkit.plan.planner import Planner

F, T = FunctionKind.FILTER, FunctionKind.TRANSFORM
P = ParamType
_p, _as = param, output

CHARSETS = ("utf-8", "iso-8859-1", "utf-16be", "utf-16le")
"""The charsets base64Decode() accepts, lower-cased as bound arguments are."""
DURATION_UNITS = ("d", "h", "m", "s", "ms", "us", "ns")
"""The magnitudes formatDuration(from=...) accepts."""
MAX_BIT_INDEX = 63
"""bitfield:extractFlags() reads the lowest 64 bits of its input."""


def _same_field_output() -> tuple[Parameter, ...]:
    # An ``as`` without a default: these functions write to their input field
    # unless ``as`` names another.
    return (_p("as", P.FIELD),)


def _set_field_outputs(arguments: Mapping[str, object]) -> tuple[str, ...]:
    """Return the field setField() sets when its target is a string literal."""
    from cqlkit.plan.nodes import Literal

    target = arguments.get("target")
    if isinstance(target, Literal) and isinstance(target.value, str):
        return (target.value,)
    return ()


def _flag_outputs(arguments: Mapping[str, object]) -> tuple[str, ...]:
    """Return the fields bitfield:extractFlags() may set: the names of output=[[i, name]]."""
    pairs = arguments.get("output")
    if not isinstance(pairs, tuple):
        return ()
    return tuple(str(pair[1]) for pair in pairs if isinstance(pair, tuple))


def _hash(name: str, default_output: str) -> FunctionSpec:
    return FunctionSpec(
        name, T, (_p("field", P.FIELDS, required=True), _as(default_output)), unnamed="field"
    )


SPECS: tuple[FunctionSpec, ...] = (
    FunctionSpec(
        "round",
        T,
        (
            _p("field", P.FIELD, required=True),
            *_same_field_output(),
            _p("how", P.CHOICE, default="round", choices=("round", "ceil", "floor")),
        ),
        unnamed="field",
    ),
    FunctionSpec(
        "parseInt",
        T,
        (
            _p("field", P.FIELD, required=True),
            *_same_field_output(),
            _p("endian", P.CHOICE, default="big", choices=("big", "little")),
            _p("radix", P.NUMBER, default="16", minimum=2, maximum=36),
        ),
        unnamed="field",
    ),
    FunctionSpec(
        "base64Decode",
        T,
        (
            _p("field", P.FIELD, required=True),
            _as("_base64Decode"),
            _p("charset", P.CHOICE, default="UTF-8", choices=CHARSETS),
        ),
        unnamed="field",
    ),
    FunctionSpec(
        "urlDecode", T, (_p("field", P.FIELD, required=True), _as("_urldecode")), unnamed="field"
    ),
    FunctionSpec(
        "shannonEntropy",
        T,
        (_p("field", P.FIELD, required=True), _as("_shannonentropy")),
        unnamed="field",
    ),
    FunctionSpec(
        "hash",
        T,
        (
            _p("field", P.FIELDS, required=True),
            _as("_hash"),
            _p("limit", P.NUMBER, minimum=1),
            _p("seed", P.STRING),
        ),
        unnamed="field",
    ),
    _hash("crypto:md5", "_md5"),
    _hash("crypto:sha1", "_sha1"),
    _hash("crypto:sha256", "_sha256"),
    FunctionSpec(
        "text:contains",
        F,
        (
            _p("string", P.EXPRESSION, required=True),
            _p("substring", P.EXPRESSION, required=True),
        ),
        unnamed="string",
        negatable=True,
    ),
    FunctionSpec(
        "getField",
        T,
        (_p("source", P.EXPRESSION, required=True), _as("_getField")),
        unnamed="source",
        reads_all_fields=True,
    ),
    FunctionSpec(
        "setField",
        T,
        (
            _p("target", P.EXPRESSION, required=True),
            _p("value", P.EXPRESSION, required=True),
        ),
        dynamic_outputs=True,
        output_fields=_set_field_outputs,
    ),
    FunctionSpec(
        "unit:convert",
        T,
        (
            _p("field", P.FIELD, required=True),
            *_same_field_output(),
            _p("binary", P.BOOLEAN, default="false"),
            _p("from", P.STRING),
            _p("keepUnit", P.BOOLEAN, default="false"),
            _p("to", P.STRING),
            _p("unit", P.STRING),
        ),
        unnamed="field",
    ),
    FunctionSpec(
        "bitfield:extractFlags",
        T,
        (
            _p("field", P.FIELD, required=True),
            _p("onlyTrue", P.BOOLEAN, default="false"),
            _p("output", P.RENAMES, required=True),
        ),
        output_fields=_flag_outputs,
    ),
    FunctionSpec(
        "formatDuration",
        T,
        (
            _p("field", P.FIELD, required=True),
            *_same_field_output(),
            _p("from", P.CHOICE, default="ms", choices=DURATION_UNITS),
            _p("precision", P.NUMBER, default="0", minimum=0),
        ),
        unnamed="field",
    ),
)


def check_text_arguments(
    planner: Planner, spec: FunctionSpec, arguments: Mapping[str, object], call: ast.Call
) -> None:
    """Record check errors for arguments that the parameter types alone accept
    but the functions of this family reject."""
    if spec.name in ("parseInt", "formatDuration"):
        name = "radix" if spec.name == "parseInt" else "precision"
        value = arguments.get(name)
        if isinstance(value, float):
            planner.context.error(
                "invalid-argument", f"{spec.name}({name}=...) must be an integer", call.span
            )
    if spec.name == "bitfield:extractFlags":
        _check_flag_pairs(planner, arguments, call)
    if spec.name == "hash":
        _check_hash(planner, arguments, call)


def _check_hash(planner: Planner, arguments: Mapping[str, object], call: ast.Call) -> None:
    if isinstance(arguments.get("limit"), float):
        planner.context.error("invalid-argument", "hash(limit=...) must be an integer", call.span)
    planner.context.warn(
        "hash-values-differ",
        "hash() values differ from LogScale's: LogScale does not document its hash"
        " function, so cqlkit uses the first 32 bits of an MD5 digest",
        call.name_span,
        hint="the values are stable and spread evenly, so grouping and sampling by"
        " hash() work, but do not compare them with values computed by LogScale",
    )


def _check_flag_pairs(planner: Planner, arguments: Mapping[str, object], call: ast.Call) -> None:
    pairs = arguments.get("output")
    if not isinstance(pairs, tuple):
        planner.context.error(
            "invalid-argument",
            "bitfield:extractFlags(output=...) takes [index, field] pairs",
            call.span,
            hint="write output=[[0, FlagA], [1, FlagB]]",
        )
        return
    for index, _ in pairs:
        text = str(index)
        if not text.isdigit() or int(text) > MAX_BIT_INDEX:
            planner.context.error(
                "invalid-argument",
                f"bitfield:extractFlags() bit index {text!r} must be an integer"
                f" from 0 to {MAX_BIT_INDEX}",
                call.span,
            )
