"""Row orderings of head(), tail(), sort() and table() as SQL sort keys.

The keys reproduce the reference engine's orderings (``sorting.py`` and the
Head and Tail aggregates), ties included: every ordering ends with the input
order, the hidden column SEQ.
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlglot import exp

from cqlkit.engines.sql.aggregates_common import when
from cqlkit.engines.sql.columns import SEQ, TIME, Schema, column
from cqlkit.engines.sql.typed import DOUBLE, call, is_null, not_null

UBIGINT = exp.DataType(this=exp.DataType.Type.UBIGINT)

# Sort groups of one field, in the order they are listed whatever the direction:
# numbers, text under type=string, text that is not a number, missing values.
_NUMBER_GROUP, _STRING_GROUP, _OTHER_TEXT_GROUP, _MISSING_GROUP = 0, 1, 2, 3

# The whitespace that Python's int() strips around a number: ASCII space, tab,
# newline, vertical tab, form feed and carriage return, and the non-ASCII
# characters for which str.isspace() is true (CPython 3.11).
_INT_SPACE = (
    r" \t\n\x{0b}\x{0c}\r\x{85}\x{a0}\x{1680}\x{2000}-\x{200a}"
    r"\x{2028}\x{2029}\x{202f}\x{205f}\x{3000}"
)
HEX_PATTERN = (
    rf"\A[{_INT_SPACE}]*([+-]?)(?:0[xX]_?)?"
    rf"([0-9a-fA-F](?:_?[0-9a-fA-F])*)[{_INT_SPACE}]*\z"
)
"""The text that Python's ``int(text, 16)`` accepts, for ASCII digits: an
optional sign, an optional 0x prefix, and digits with single underscores
between them. Group 1 is the sign and group 2 the digits."""

# The number of hexadecimal digits that fit in a UBIGINT.
_UBIGINT_DIGITS = 16


def event_time(schema: Schema) -> exp.Expr:
    """Return the time head() and tail() order by: @timestamp when it reads as
    a number, else the time the event entered with (NULL for rows that an
    aggregate made)."""
    if schema.has("@timestamp"):
        current = call("cql_number", column("@timestamp"))
        return exp.Coalesce(this=current, expressions=[column(TIME)])
    return column(TIME)


def time_order(time: exp.Expr, *, newest_first: bool) -> list[exp.Ordered]:
    """Order by event time, then input order. tail() reverses both."""
    return [
        exp.Ordered(this=time, desc=newest_first),
        exp.Ordered(this=column(SEQ), desc=newest_first),
    ]


def field_order(
    schema: Schema, fields: Sequence[str], orders: Sequence[str], types: Sequence[str]
) -> list[exp.Ordered]:
    """Order as sort() does: by each field in turn, then by input order.

    ``orders`` and ``types`` pair up with ``fields``. When one of them is
    shorter, its last entry applies to the remaining fields.
    """
    keys: list[exp.Ordered] = []
    for index, name in enumerate(fields):
        order = orders[index] if index < len(orders) else orders[-1]
        sort_type = types[index] if index < len(types) else types[-1]
        keys.extend(_one_field_order(schema.field(name), sort_type, order == "desc"))
    keys.append(exp.Ordered(this=column(SEQ)))
    return keys


def _one_field_order(value: exp.Expr, sort_type: str, descending: bool) -> list[exp.Ordered]:
    """Order by one field: the group first (in ascending order whatever the
    direction), then the value within the group in the requested direction."""
    if sort_type == "string":
        group = _case([(is_null(value.copy()), _MISSING_GROUP)], exp.Literal.number(_STRING_GROUP))
        return [exp.Ordered(this=group), exp.Ordered(this=value, desc=descending)]
    number = hex_number(value) if sort_type == "hex" else call("cql_number", value.copy())
    group = _case(
        [
            (is_null(value.copy()), _MISSING_GROUP),
            (not_null(number.copy()), _NUMBER_GROUP),
        ],
        exp.Literal.number(_OTHER_TEXT_GROUP),
    )
    # Numbers that compare equal tie, whatever their text ("1" and "1.0").
    other_text = when(is_null(number.copy()), value.copy())
    return [
        exp.Ordered(this=group),
        exp.Ordered(this=number, desc=descending),
        exp.Ordered(this=other_text, desc=descending),
    ]


def _case(branches: list[tuple[exp.Expr, int]], default: exp.Expr) -> exp.Case:
    ifs = [exp.If(this=condition, true=_integer(result)) for condition, result in branches]
    return exp.Case(ifs=ifs, default=default)


def hex_number(value: exp.Expr) -> exp.Expr:
    """Read ``value`` as the reference engine's ``float(int(value, 16))``, or NULL.

    The result is the correctly rounded DOUBLE, so that two long values that
    round to the same DOUBLE tie as they do in the reference engine.

    NOTE: Python's int() also accepts non-ASCII decimal digits (such as
    Arabic-Indic digits), but this expression reads such values as text.
    """
    pattern = exp.Literal.string(HEX_PATTERN)
    sign = exp.RegexpExtract(this=value.copy(), expression=pattern.copy(), group=_integer(1))
    digits = exp.RegexpExtract(this=value.copy(), expression=pattern.copy(), group=_integer(2))
    without_underscores = exp.Anonymous(
        this="replace", expressions=[exp.Lower(this=digits), exp.Literal.string("_"), _text("")]
    )
    significant = exp.Anonymous(this="ltrim", expressions=[without_underscores, _text("0")])
    magnitude = _hex_magnitude(significant)
    negative = exp.EQ(this=sign, expression=_text("-"))
    signed = when(negative, exp.Neg(this=exp.paren(magnitude)), magnitude.copy())
    matches = exp.RegexpLike(this=value.copy(), expression=pattern.copy())
    return when(matches, signed)


def _hex_magnitude(digits: exp.Expr) -> exp.Expr:
    """Return the DOUBLE nearest to the lower-case hexadecimal ``digits`` that
    have no leading zero, with ties to even, as Python's float(int) rounds.

    The leading 16 digits fit in a UBIGINT, whose cast to DOUBLE rounds
    correctly. When later digits are not all zero, the lowest bit of that
    UBIGINT is set (a sticky bit). The UBIGINT has at least 61 significant
    bits, so that bit only breaks an exact tie between two DOUBLEs, upward,
    as the longer number does. The later digits then scale the result by a
    power of two, which is exact.
    """
    # DuckDB casts '0x...' text to an integer. The extra 0 makes empty digits 0.
    leading = exp.cast(
        exp.DPipe(this=_text("0x0"), expression=_substring(digits, 1, _UBIGINT_DIGITS)), UBIGINT
    )
    rest = exp.Anonymous(
        this="substring", expressions=[digits.copy(), _integer(_UBIGINT_DIGITS + 1)]
    )
    nonzero_rest = exp.RegexpLike(this=rest, expression=_text("[1-9a-f]"))
    sticky = when(nonzero_rest, _integer(1), _integer(0))
    with_sticky = exp.BitwiseOr(this=exp.paren(leading), expression=exp.cast(sticky, UBIGINT))
    later_digits = exp.Greatest(
        this=exp.paren(exp.Sub(this=exp.Length(this=digits.copy()), expression=_integer(16))),
        expressions=[_integer(0)],
    )
    scale = exp.Pow(
        this=exp.cast(_integer(2), DOUBLE),
        expression=exp.paren(exp.Mul(this=_integer(4), expression=later_digits)),
    )
    return exp.Mul(this=exp.cast(exp.paren(with_sticky), DOUBLE), expression=scale)


def _parse_hex(digits: exp.Expr) -> exp.Expr:
    return exp.cast(exp.DPipe(this=_text("0x"), expression=digits), UBIGINT)


def _substring(text: exp.Expr, start: int, length: int) -> exp.Expr:
    return exp.Substring(this=text.copy(), start=_integer(start), length=_integer(length))


def _integer(value: int) -> exp.Expr:
    return exp.Literal.number(value)


def _text(value: str) -> exp.Literal:
    return exp.Literal.string(value)
