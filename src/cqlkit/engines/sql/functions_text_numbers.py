"""SQL compilation of round(), parseInt(), unit:convert(), formatDuration()
and bitfield:extractFlags(), with the rules of the reference engine's
functions_text_numbers and functions_text_units modules."""

from __future__ import annotations

import re
from collections.abc import Callable

from sqlglot import exp

from cqlkit.engines.reference.functions_text_numbers import (
    DIGITS,
    DURATION_NANOS,
    INTEGER_PATTERN,
    LONG_MAX,
    LONG_MIN,
    UNSIGNED_LIMIT,
)
from cqlkit.engines.reference.functions_text_units import (
    BINARY_PREFIXES,
    DECIMAL_PREFIXES,
    PREFIX_ORDER,
    RATE_SECONDS,
    VALUE_PATTERN,
    Scale,
    conversion_target,
    prefix_scale,
)
from cqlkit.engines.sql.columns import Schema, column
from cqlkit.engines.sql.family import Transforms, Values
from cqlkit.engines.sql.functions_text_templates import sql_string, template
from cqlkit.engines.sql.stages_base import CompiledStage, assign_fields, select_from
from cqlkit.engines.sql.typed import DOUBLE, Typed, as_number, as_text
from cqlkit.plan import nodes


def _input(call: nodes.BoundCall, schema: Schema) -> exp.Expr:
    return schema.field(call.text())


def _round(call: nodes.BoundCall, schema: Schema) -> Typed:
    number = as_number(Typed(_input(call, schema), "text"))
    how = call.get("how")
    if how == "floor":
        return Typed(template("floor(:x)", x=number), "number")
    if how == "ceil":
        return Typed(template("ceil(:x)", x=number), "number")
    # Half up, as Java's Math.round: -2.5 becomes -2.
    rounded = "CASE WHEN :x - floor(:x) >= 0.5 THEN floor(:x) + 1 ELSE floor(:x) END"
    return Typed(template(rounded, x=number), "number")


def _digit_class(radix: int) -> str:
    if radix <= 10:
        return f"[0-{radix - 1}]"
    last = DIGITS[radix - 1]
    return f"[0-9a-{last}A-{last.upper()}]"


def _max_digits(radix: int) -> int:
    """Return how many digits of ``radix`` the largest unsigned 64-bit value has."""
    count, value = 0, UNSIGNED_LIMIT - 1
    while value:
        value //= radix
        count += 1
    return count


def _parse_int(call: nodes.BoundCall, schema: Schema) -> Typed:
    radix_value = call.get("radix")
    radix = int(radix_value) if isinstance(radix_value, int | float) else 16
    digits = _input(call, schema)
    if radix == 16:
        digits = template("regexp_replace(:v, '^(?:0[xX]|16#)', '')", v=digits)
    digits = template("regexp_replace(:v, '^[+]', '')", v=digits)
    if radix == 16 and call.get("endian") == "little":
        digits = template(
            "array_to_string(list_reverse(regexp_extract_all("
            "CASE WHEN length(:v) % 2 = 1 THEN '0' || :v ELSE :v END, '..')), '')",
            v=digits,
        )
    significant = template("coalesce(nullif(ltrim(:v, '0'), ''), '0')", v=digits)
    value = template(
        f"""list_reduce(
            list_transform(string_split(lower(:significant), ''),
                lambda digit: CAST(strpos('{DIGITS}', digit) - 1 AS HUGEINT)),
            lambda total, digit: total * {radix} + digit)""",
        significant=significant,
    )
    # The digit count bounds the value below 2**128, so HUGEINT never overflows.
    sql = f"""
    CASE WHEN regexp_full_match(:v, '{_digit_class(radix)}+')
        AND length(:significant) <= {_max_digits(radix)}
    THEN CASE WHEN :value < {UNSIGNED_LIMIT} THEN CAST(:value AS VARCHAR) END
    END
    """
    return Typed(template(sql, v=digits, significant=significant, value=value), "text")


def _scale_case(prefix: exp.Expr, binary: bool, part: Callable[[Scale], float]) -> exp.Expr:
    """Return a lookup of a prefix's multiplier or divisor, 1 for other text.

    A MAP reads the prefix once, where a CASE would repeat it for each prefix.
    """
    entries = ", ".join(
        f"{sql_string(name)}: CAST({part(prefix_scale(name, binary))!r} AS DOUBLE)"
        for name in sorted({*DECIMAL_PREFIXES, *BINARY_PREFIXES})
    )
    return template(f"coalesce(MAP {{{entries}}}[:prefix], CAST(1.0 AS DOUBLE))", prefix=prefix)


def _double(value: float) -> exp.Expr:
    return exp.cast(exp.Literal.number(repr(value)), DOUBLE)


def _prefix_and_unit(base: exp.Expr, unit: str | None) -> tuple[exp.Expr, exp.Expr, exp.Expr]:
    """Return the prefix, the base unit and whether the split is valid, as
    functions_text_units.split_prefix decides them."""
    if unit is not None:
        prefix = template(f"left(:b, length(:b) - {len(unit)})", b=base)
        known = ", ".join(sql_string(name) for name in ("", *DECIMAL_PREFIXES, *BINARY_PREFIXES))
        valid = template(
            f"suffix(:b, {sql_string(unit)}) AND :prefix IN ({known})", b=base, prefix=prefix
        )
        return prefix, exp.Literal.string(unit), valid
    # The alternatives are in PREFIX_ORDER, so the first that matches is the longest.
    alternatives = "|".join(re.escape(name) for name in PREFIX_ORDER)
    prefix = template(f"regexp_extract(:b, '^({alternatives})', 1)", b=base)
    rest = template("substr(:b, length(:prefix) + 1)", b=base, prefix=prefix)
    return prefix, rest, exp.true()


def _unit_convert(call: nodes.BoundCall, schema: Schema) -> Typed:
    """Compile functions_text_units.convert_unit with regexes over the value."""
    unit = _optional_text(call, "unit")
    binary = bool(call.get("binary"))
    keep_unit = bool(call.get("keepUnit"))
    target = conversion_target(_optional_text(call, "to"), unit, binary)
    if target is None:
        return Typed(exp.null(), "text" if keep_unit else "number")

    value = _input(call, schema)
    pattern = sql_string(f"(?s)^{VALUE_PATTERN}$")
    unit_text = template(f"regexp_extract(:v, {pattern}, 2)", v=value)
    from_unit = _optional_text(call, "from")
    if from_unit is not None:
        unit_text = template(
            f"CASE WHEN :u = '' THEN {sql_string(from_unit)} ELSE :u END", u=unit_text
        )
    denominator = template("regexp_extract(:u, '(?s)/([^/]*)$', 1)", u=unit_text)
    entries = ", ".join(
        f"{sql_string(name)}: CAST({float(count)!r} AS DOUBLE)"
        for name, count in RATE_SECONDS.items()
    )
    seconds = template(f"MAP {{{entries}}}[:d]", d=denominator)
    base = template(
        "CASE WHEN :seconds IS NULL THEN :u ELSE regexp_extract(:u, '(?s)^(.*)/[^/]*$', 1) END",
        u=unit_text,
        seconds=seconds,
    )
    prefix, rest, valid = _prefix_and_unit(base, unit)

    converted = template(
        "((((TRY_CAST(regexp_extract(:v, " + pattern + ", 1) AS DOUBLE) * :mf) / :df) / :tm) * :td)"
        " / coalesce(:seconds, CAST(1.0 AS DOUBLE))",
        v=value,
        mf=_scale_case(prefix, binary, lambda scale: scale.multiplier),
        df=_scale_case(prefix, binary, lambda scale: scale.divisor),
        tm=_double(target.scale.multiplier),
        td=_double(target.scale.divisor),
        seconds=seconds,
    )

    result = converted
    if keep_unit:
        result = template(
            f":number || {sql_string(target.prefix)} || :rest"
            " || CASE WHEN :seconds IS NULL THEN '' ELSE '/s' END",
            number=as_text(Typed(converted, "number")),
            rest=rest,
            seconds=seconds,
        )

    checked = template(
        f"CASE WHEN regexp_full_match(:v, {pattern}) AND :valid AND isfinite(:number)"
        " THEN :result END",
        v=value,
        valid=valid,
        number=converted,
        result=result,
    )
    return Typed(checked, "text" if keep_unit else "number")


def _optional_text(call: nodes.BoundCall, name: str) -> str | None:
    value = call.get(name)
    return None if value is None else str(value)


def _format_duration(call: nodes.BoundCall, schema: Schema) -> Typed:
    unit = str(call.get("from"))
    precision_value = call.get("precision")
    precision = int(precision_value) if isinstance(precision_value, int | float) else 0
    names = list(DURATION_NANOS)
    # Units smaller than the input's are always zero.
    names = names[: names.index(unit) + 1]
    parts = []
    for index, name in enumerate(names):
        size = DURATION_NANOS[name]
        count = f":total // {size}"
        if index:
            count = f"({count}) % {DURATION_NANOS[names[index - 1]] // size}"
        parts.append(f"CASE WHEN {count} > 0 THEN CAST({count} AS VARCHAR) || '{name}' END")
    listed = f"list_filter([{', '.join(parts)}], lambda part: part IS NOT NULL)"
    if precision > 0:
        listed = f"list_slice({listed}, 1, {precision})"
    value = _input(call, schema)
    number = template("TRY_CAST(:v AS HUGEINT)", v=value)
    total = template(f"abs(:n) * {DURATION_NANOS[unit]}", n=number)
    joined = template(f"array_to_string({listed}, '')", total=total)
    sql = f"""
    CASE WHEN regexp_full_match(:v, '{INTEGER_PATTERN}')
        AND length(ltrim(regexp_replace(:v, '^[+-]', ''), '0')) <= 19
        AND TRY_CAST(:v AS HUGEINT) BETWEEN {LONG_MIN} AND {LONG_MAX}
    THEN CASE WHEN :joined = '' THEN '0{unit}'
        ELSE (CASE WHEN :n < 0 THEN '-' ELSE '' END) || :joined END
    END
    """
    return Typed(template(sql, v=value, joined=joined, n=number), "text")


_FLAG_BITS = "__cqlkit_flag_bits"


def _extract_flags(call: nodes.BoundCall, schema: Schema, source: str) -> CompiledStage:
    """Compute the lowest 64 bits once in an inner SELECT, then set one field per flag."""
    value = _input(call, schema)
    modulus = UNSIGNED_LIMIT
    magnitude = template(
        f"""list_reduce(
            list_transform(string_split(regexp_replace(:v, '^[+-]', ''), ''),
                lambda digit: CAST(digit AS HUGEINT)),
            lambda total, digit: (total * 10 + digit) % {modulus})""",
        v=value,
    )
    bits_sql = f"""
    CASE WHEN regexp_full_match(:v, '{INTEGER_PATTERN}') THEN
        CASE WHEN starts_with(:v, '-') THEN ({modulus} - :magnitude) % {modulus}
            ELSE :magnitude END
    END
    """
    inner = select_from(schema, source).select(
        exp.alias_(
            template(bits_sql, v=value, magnitude=magnitude),
            exp.to_identifier(_FLAG_BITS, quoted=True),
        )
    )

    bits = column(_FLAG_BITS)
    pairs = call.get("output")
    assert isinstance(pairs, tuple)
    only_true = bool(call.get("onlyTrue"))
    updates: dict[str, exp.Expr] = {}
    for index, name in pairs:
        flag = template(f"((:bits >> {int(index)}) & 1) = 1", bits=bits)
        if only_true:
            updates[str(name)] = template("CASE WHEN :flag THEN 'true' END", flag=flag)
        else:
            updates[str(name)] = template(
                "CASE WHEN :bits IS NULL THEN NULL WHEN :flag THEN 'true' ELSE 'false' END",
                bits=bits,
                flag=flag,
            )

    assigned = assign_fields(schema, _FLAG_SOURCE, updates)
    outer = assigned.select.from_(inner.subquery(_FLAG_SOURCE), copy=False)
    return CompiledStage(outer, assigned.schema, schema)


_FLAG_SOURCE = "flags"


def _writing_to_input(
    compile_value: Callable[[nodes.BoundCall, Schema], Typed],
) -> Callable[[nodes.BoundCall, Schema, str], CompiledStage]:
    """Return a stage compiler that assigns the value to ``as``, or to the
    input field when ``as`` is not given; NULL leaves the field as it was."""

    def compile_stage(call: nodes.BoundCall, schema: Schema, source: str) -> CompiledStage:
        target = str(call.get("as") or call.text())
        return assign_fields(schema, source, {target: as_text(compile_value(call, schema))})

    return compile_stage


VALUES: Values = {
    "round": _round,
    "parseInt": _parse_int,
    "unit:convert": _unit_convert,
    "formatDuration": _format_duration,
}
TRANSFORMS: Transforms = {name: _writing_to_input(f) for name, f in VALUES.items()}
TRANSFORMS["bitfield:extractFlags"] = _extract_flags
