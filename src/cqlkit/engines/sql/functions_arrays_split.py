"""SQL compilation of splitString() with ``index`` and of split()."""

from __future__ import annotations

import re
from dataclasses import dataclass

from sqlglot import exp

from cqlkit.engines.reference.functions_arrays_split import split_field_name
from cqlkit.engines.sql.columns import SEQ, Schema, alias, column, null_text
from cqlkit.engines.sql.patterns import re2
from cqlkit.engines.sql.stages_base import CompiledStage
from cqlkit.engines.sql.typed import Typed, call, not_null
from cqlkit.errors import UnsupportedFeatureError
from cqlkit.language.regexes import LogScaleRegex
from cqlkit.plan import nodes

# --- splitString() ----------------------------------------------------------------

# Zero-width assertions: RE2 and the reference engine's regex module may split at
# zero-width matches in different places.
_ZERO_WIDTH = ("^", "$", "\\b", "\\B", "\\A", "\\z", "\\Z", "(?=", "(?!", "(?<=", "(?<!")


def split_string_value(call_node: nodes.BoundCall, schema: Schema) -> Typed:
    """splitString(index=n): element n of the split, as the reference engine's
    split_parts() makes it; -1 is the last element."""
    index = call_node.get("index")
    regex = call_node.get("by")
    assert isinstance(regex, LogScaleRegex)
    if not isinstance(index, int | float):
        raise UnsupportedFeatureError(
            "splitString()",
            "splitString() without index sets one field per part, which SQL cannot name in advance",
            engine="sql",
        )
    translated = re2(regex)
    if not translated.span_exact or _may_match_empty(regex):
        raise UnsupportedFeatureError(
            "splitString()",
            "splitString() with this regex needs Java's split rules, which RE2 cannot reproduce",
            engine="re2",
        )
    value = schema.field(call_node.text("field"))
    pattern = exp.Literal.string(translated.pattern)
    parts = call("regexp_split_to_array", value, pattern)
    # Drop the empty parts at both ends: keep the parts from the first non-empty one
    # through the last, found by their 1-based positions.
    item, position = exp.to_identifier("__cqlkit_part"), exp.to_identifier("__cqlkit_position")
    non_empty = exp.NEQ(this=exp.column(item), expression=exp.Literal.string(""))
    positions = call(
        "list_transform",
        parts.copy(),
        exp.Lambda(
            this=exp.Case(ifs=[exp.If(this=non_empty, true=exp.column(position))]),
            expressions=[item, position],
        ),
    )
    first = exp.Coalesce(
        this=call("list_min", positions.copy()), expressions=[exp.Literal.number(1)]
    )
    last = exp.Coalesce(this=call("list_max", positions), expressions=[exp.Literal.number(0)])
    elements = call("list_slice", parts, first, last)
    position_value = int(index) + 1 if index >= 0 else int(index)
    return Typed(call("list_extract", elements, exp.Literal.number(position_value)), "text")


def _may_match_empty(regex: LogScaleRegex) -> bool:
    """Tell whether the split regex may match an empty text somewhere."""
    return regex.search("") is not None or any(mark in regex.pattern for mark in _ZERO_WIDTH)


# --- split() ----------------------------------------------------------------------

_ELEMENT = re.compile(r"\[(\d+)\](.*)", re.DOTALL)
_INDEX = "__cqlkit_index"
# Arrays with more element columns than this run on the reference engine, so that
# SEQ * (a power of two at least the column count) stays within a BIGINT.
_MAX_SPLIT_COLUMNS = 4096


@dataclass(frozen=True)
class _Element:
    """One field of an array element: its index, the rest of its name after
    ``prefix[i]``, and its column."""

    index: int
    rest: str
    name: str


def compile_split(call_node: nodes.BoundCall, schema: Schema, source: str) -> CompiledStage:
    """split(): one row per element of the array, with ``_index`` and ``@id`` as the
    reference engine's split_events() sets them.

    Rows are numbered SEQ * M + index, where M is a power of two at least the number
    of element columns, so that split rows keep their input order and element order.
    """
    prefix = call_node.text("field")
    strip = bool(call_node.get("strip"))
    elements = _schema_elements(schema, prefix)
    count = max((element.index for element in elements), default=-1) + 1
    if count == 0:
        return CompiledStage(
            exp.select(*schema.projection()).from_(exp.to_identifier(source, quoted=True)),
            schema,
            schema,
        )
    if count > _MAX_SPLIT_COLUMNS:
        raise UnsupportedFeatureError(
            "split()", f"split() of more than {_MAX_SPLIT_COLUMNS} elements", engine="sql"
        )
    length = _row_length(elements, count)
    rows = exp.Case(
        ifs=[
            exp.If(
                this=exp.EQ(this=length.copy(), expression=exp.Literal.number(0)),
                true=exp.Array(expressions=[exp.cast(exp.null(), "BIGINT")]),
            )
        ],
        default=call("range", length.copy()),
    )
    inner = exp.select(
        exp.Star(),
        exp.alias_(length, exp.to_identifier("__cqlkit_length", quoted=True)),
        exp.alias_(exp.Unnest(expressions=[rows]), exp.to_identifier(_INDEX, quoted=True)),
    ).from_(exp.to_identifier(source, quoted=True))
    replacements, result = _split_columns(schema, prefix, strip, elements)
    factor = 1 << (count - 1).bit_length()
    index = exp.column(exp.to_identifier(_INDEX, quoted=True))
    sequence = exp.Add(
        this=exp.Mul(this=column(SEQ), expression=exp.Literal.number(factor)),
        expression=exp.Coalesce(this=index, expressions=[exp.Literal.number(0)]),
    )
    items = [
        alias(replacements[name], name) if name in replacements else column(name)
        for name in result.fields
    ]
    for name in result.hidden:
        hidden = sequence if name == SEQ else column(name)
        items.append(exp.alias_(hidden, exp.to_identifier(name, quoted=True)))
    select = exp.select(*items).from_(inner.subquery("s"))
    return CompiledStage(select, result, schema)


def _schema_elements(schema: Schema, prefix: str) -> list[_Element]:
    """Return the fields of the elements ``prefix[0]``, ``prefix[1]``, ... up to the
    first index that no column has."""
    found: list[_Element] = []
    for name in schema.fields:
        match = _ELEMENT.fullmatch(name, len(prefix)) if name.startswith(prefix) else None
        if match is None or (match.group(2) and match.group(2)[0] not in ".["):
            continue
        found.append(_Element(int(match.group(1)), match.group(2), name))
    indexes = {element.index for element in found}
    count = 0
    while count in indexes:
        count += 1
    return [element for element in found if element.index < count]


def _row_length(elements: list[_Element], count: int) -> exp.Expr:
    """Return the number of elements of one row: an element is present when any of
    its fields is."""
    ifs = []
    for index in range(count):
        present = [not_null(column(e.name)) for e in elements if e.index == index]
        ifs.append(
            exp.If(this=exp.Not(this=exp.paren(exp.or_(*present))), true=exp.Literal.number(index))
        )
    return exp.Case(ifs=ifs, default=exp.Literal.number(count))


def _split_columns(
    schema: Schema, prefix: str, strip: bool, elements: list[_Element]
) -> tuple[dict[str, exp.Expr], Schema]:
    index = exp.column(exp.to_identifier(_INDEX, quoted=True))
    length = exp.column(exp.to_identifier("__cqlkit_length", quoted=True))
    split_row = not_null(index.copy())
    owned = {element.name: element.index for element in elements}
    targets: dict[str, list[_Element]] = {}
    for element in elements:
        name = split_field_name(prefix, element.rest, strip)
        if name:
            targets.setdefault(name, []).append(element)
    replacements: dict[str, exp.Expr] = {}
    result = schema
    for name in dict.fromkeys((*schema.fields, *targets)):
        old = column(name) if schema.has(name) else null_text()
        ifs = [exp.If(this=exp.Not(this=split_row.copy()), true=old.copy())]
        if name in targets:
            current = exp.Case(
                ifs=[
                    exp.If(
                        this=exp.EQ(this=index.copy(), expression=exp.Literal.number(e.index)),
                        true=column(e.name),
                    )
                    for e in targets[name]
                ]
            )
            ifs.append(exp.If(this=not_null(current.copy()), true=current))
        if name in owned:
            inside = exp.LT(this=exp.Literal.number(owned[name]), expression=length.copy())
            ifs.append(exp.If(this=inside, true=null_text()))
        replacements[name] = exp.Case(ifs=ifs, default=old)
        result = result.with_field(name)
    for name, value in _split_metadata(index).items():
        previous = column(name) if result.has(name) else null_text()
        replacements[name] = exp.Case(
            ifs=[exp.If(this=split_row.copy(), true=value)], default=previous
        )
        result = result.with_field(name)
    if not schema.has("@id"):
        replacements.pop("@id")
        result = Schema(tuple(f for f in result.fields if f != "@id"), result.hidden)
    return replacements, result


def _split_metadata(index: exp.Expr) -> dict[str, exp.Expr]:
    text = exp.cast(index.copy(), "VARCHAR")
    identifier = exp.DPipe(
        this=exp.DPipe(this=column("@id"), expression=exp.Literal.string("__")),
        expression=text.copy(),
    )
    return {"_index": text, "@id": identifier}


__all__ = ["compile_split", "split_string_value"]
