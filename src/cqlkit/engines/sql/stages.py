"""Compilation of row-by-row stages (filters, assignments, transforms, regex
extraction) into one SELECT each over the previous relation."""

from __future__ import annotations

from sqlglot import exp

from cqlkit.engines.sql.columns import VALUES, Schema, column
from cqlkit.engines.sql.expressions import compile_expression
from cqlkit.engines.sql.family import Transforms
from cqlkit.engines.sql.functions import FAMILIES, compile_function_value, has_value_compiler
from cqlkit.engines.sql.patterns import re2
from cqlkit.engines.sql.predicates import compile_predicate, regex_match
from cqlkit.engines.sql.stages_base import CompiledStage, assign_fields, select_from
from cqlkit.engines.sql.typed import Typed, as_text, call, is_null
from cqlkit.errors import UnsupportedFeatureError
from cqlkit.plan import nodes
from cqlkit.plan.functions import FunctionKind

_VALUE_TRANSFORMS = frozenset({"if", "lower", "upper", "length", "concat", "format", "coalesce"})
_FAMILY_TRANSFORMS: Transforms = {}
for _family in FAMILIES:
    _FAMILY_TRANSFORMS.update(_family.TRANSFORMS)


def compile_row_stage(stage: nodes.Stage, schema: Schema, source: str) -> CompiledStage:
    """Compile a stage that works on one row at a time.

    Raises UnsupportedFeatureError for stages that only the reference engine runs.
    """
    if isinstance(stage, nodes.Filter):
        where = compile_predicate(stage.predicate, schema)
        return CompiledStage(select_from(schema, source).where(where), schema, schema)
    if isinstance(stage, nodes.Assign):
        value = as_text(compile_expression(stage.expression, schema))
        return assign_fields(schema, source, {stage.field: value})
    if isinstance(stage, nodes.ExtractRegex):
        return _extract(stage, schema, source)
    if isinstance(stage, nodes.Apply) and stage.call.kind is not FunctionKind.AGGREGATE:
        return _transform(stage.call, schema, source)
    if isinstance(stage, (nodes.Case, nodes.Match)):
        from cqlkit.engines.sql import stages_case  # imported here: stages_case imports this module

        if isinstance(stage, nodes.Case):
            return stages_case.compile_case(stage, schema, source)
        return stages_case.compile_match(stage, schema, source)
    raise AssertionError(f"not a row stage: {type(stage).__name__}")


def _transform(call_node: nodes.BoundCall, schema: Schema, source: str) -> CompiledStage:
    name = call_node.name
    family = _FAMILY_TRANSFORMS.get(name)
    if family is not None:
        return family(call_node, schema, source)
    if name in _VALUE_TRANSFORMS or has_value_compiler(name):
        value = as_text(compile_function_value(call_node, schema))
        return assign_fields(schema, source, {str(call_node.get("as")): value})
    if name == "replace":
        return _replace(call_node, schema, source)
    if name == "default":
        return _default(call_node, schema, source)
    if name == "rename":
        return _rename(call_node, schema, source)
    if name in ("drop", "select"):
        listed = _names(call_node.get("fields"))
        if name == "drop":
            kept = tuple(f for f in schema.fields if f not in listed)
        else:
            kept = tuple(dict.fromkeys(listed))
        narrowed = Schema(kept, schema.hidden)
        return CompiledStage(select_from(narrowed, source), narrowed, schema)
    raise UnsupportedFeatureError(name, f"{name}() is not compiled to SQL yet", engine="sql")


def _names(value: object) -> tuple[str, ...]:
    assert isinstance(value, tuple)
    return tuple(str(item) for item in value)


def _replace(call_node: nodes.BoundCall, schema: Schema, source: str) -> CompiledStage:
    field_name = str(call_node.get("field"))
    target = str(call_node.get("as") or field_name)
    regex = call_node.get("regex")
    from cqlkit.language.regexes import LogScaleRegex

    assert isinstance(regex, LogScaleRegex)
    translated = re2(regex)
    if not translated.span_exact:
        raise UnsupportedFeatureError(
            "replace()",
            "replace() with this regex needs exact match spans, which RE2 cannot give",
            engine="re2",
        )
    replacement = _re2_replacement(str(call_node.get("with") or ""), translated.plain_groups)
    value = schema.field(field_name)
    replaced = exp.RegexpReplace(
        this=value,
        expression=exp.Literal.string(translated.pattern),
        replacement=exp.Literal.string(replacement),
        modifiers=exp.Literal.string("g"),
    )
    return assign_fields(
        schema,
        source,
        {
            target: exp.Case(
                ifs=[exp.If(this=is_null(value.copy()), true=exp.null())], default=replaced
            )
        },
    )


def _re2_replacement(text: str, plain_groups: tuple[int, ...]) -> str:
    """Convert a Java replacement (``$1``, ``\\$``) into RE2's (``\\1``, ``\\\\``)."""
    out: list[str] = []
    index = 0
    while index < len(text):
        char = text[index]
        if char == "\\" and index + 1 < len(text):
            following = text[index + 1]
            out.append("\\\\" if following == "\\" else following)
            index += 2
        elif char == "$" and text[index + 1 : index + 2].isdigit():
            end = index + 1
            while end < len(text) and text[end].isdigit():
                end += 1
            number = int(text[index + 1 : end])
            if number <= len(plain_groups):
                out.append(f"\\{plain_groups[number - 1]}")
            index = end
        else:
            out.append("\\\\" if char == "\\" else char)
            index += 1
    return "".join(out)


def _default(call_node: nodes.BoundCall, schema: Schema, source: str) -> CompiledStage:
    value = exp.Literal.string(str(call_node.get("value")))
    replace_empty = bool(call_node.get("replaceEmpty"))
    updates: dict[str, exp.Expr] = {}
    for name in _names(call_node.get("field")):
        current = schema.field(name)
        empty = is_null(current.copy())
        if replace_empty:
            empty = exp.or_(empty, exp.EQ(this=current.copy(), expression=exp.Literal.string("")))
        updates[name] = exp.Case(ifs=[exp.If(this=empty, true=value.copy())], default=current)
    # default() sets a value where the field is missing, so no COALESCE with the old value.
    result = schema
    for name in updates:
        result = result.with_field(name)
    return CompiledStage(select_from(result, source, updates), result, schema)


def _rename(call_node: nodes.BoundCall, schema: Schema, source: str) -> CompiledStage:
    spec = call_node.get("field")
    if isinstance(spec, tuple):
        pairs = [(str(old), str(new)) for old, new in spec]
    else:
        pairs = [(str(spec), str(call_node.get("as")))]
    current = schema
    select: exp.Select | None = None
    for old, new in pairs:
        # rename() moves a present value; a missing old field leaves new as it was.
        old_value = current.field(old)
        moved = exp.Case(
            ifs=[exp.If(this=is_null(old_value.copy()), true=current.field(new))], default=old_value
        )
        result = Schema(tuple(f for f in current.fields if f != old), current.hidden).with_field(
            new
        )
        inner_source = source if select is None else None
        replacements: dict[str, exp.Expr] = {new: moved}
        if inner_source is None:
            assert select is not None
            select = exp.select(*result.projection(replacements)).from_(select.subquery("r"))
        else:
            select = select_from(result, inner_source, replacements)
        current = result
    assert select is not None
    return CompiledStage(select, current, schema)


def _extract(stage: nodes.ExtractRegex, schema: Schema, source: str) -> CompiledStage:
    if stage.repeat or stage.regex.global_flag:
        raise UnsupportedFeatureError(
            "regex(repeat=true)",
            "regex extraction with repeat is not compiled to SQL",
            engine="sql",
        )
    translated = re2(stage.regex)
    if not translated.groups_exact:
        raise UnsupportedFeatureError(
            "named group",
            "RE2 would give a named group of this regex a different value",
            engine="re2",
        )
    if translated.optional_groups:
        raise UnsupportedFeatureError(
            "optional named group",
            "RE2 cannot tell a named group that took no part in the match from an empty one",
            engine="re2",
        )
    if stage.field is None:
        if VALUES not in schema.hidden:
            raise AssertionError("free-text extraction needs the values column")
        item = exp.to_identifier("v")
        test = regex_match(exp.column(item), stage.regex)
        matching = exp.ArrayFilter(
            this=column(VALUES), expression=exp.Lambda(this=test, expressions=[item])
        )
        value: exp.Expr = call("list_extract", matching, exp.Literal.number(1))
    else:
        value = schema.field(stage.field)
    matched = _definitely_match(value, stage.regex)
    if stage.negated:
        return CompiledStage(
            select_from(schema, source).where(exp.Not(this=exp.paren(matched))), schema, schema
        )
    # DuckDB labels the groups of regexp_extract by position, so the label list
    # names every group up to the last named one.
    labels = translated.positional_group_names()
    extracted = (
        exp.RegexpExtract(
            this=value.copy(),
            expression=exp.Literal.string(translated.pattern),
            group=exp.Array(expressions=[exp.Literal.string(label) for label in labels]),
        )
        if translated.group_fields
        else None
    )
    updates: dict[str, exp.Expr] = {}
    result = schema
    for python_name, field_name in translated.group_fields:
        assert extracted is not None
        group = exp.Bracket(this=extracted.copy(), expressions=[exp.Literal.string(python_name)])
        current = result.field(field_name)
        updates[field_name] = exp.Case(
            ifs=[exp.If(this=matched.copy(), true=group)], default=current
        )
        result = result.with_field(field_name)
    select = select_from(result, source, updates)
    if stage.strict:
        select = select.where(matched.copy())
    return CompiledStage(select, result, schema)


def _definitely_match(value: exp.Expr, regex: object) -> exp.Expr:
    from cqlkit.engines.sql.typed import definitely
    from cqlkit.language.regexes import LogScaleRegex

    assert isinstance(regex, LogScaleRegex)
    return definitely(regex_match(value.copy(), regex))


__all__ = ["CompiledStage", "Typed", "compile_row_stage", "select_from"]
