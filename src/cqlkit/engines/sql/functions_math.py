"""SQL compilation of the math:* functions, with the rules of the reference
engine's :mod:`~cqlkit.engines.reference.functions_math`.

Each compiles to the DuckDB function of the same libm routine, wrapped so
that a result that is not finite is NULL. math:expm1() and math:log1p() have
no DuckDB function, and ``exp(x) - 1`` would lose the precision they exist
for, so they run on the reference engine.
"""

from __future__ import annotations

from collections.abc import Callable

from sqlglot import exp

from cqlkit.engines.reference.functions_math import DEGREES_TO_RADIANS, RADIANS_TO_DEGREES
from cqlkit.engines.reference.values import to_number
from cqlkit.engines.sql.columns import Schema
from cqlkit.engines.sql.family import Transforms, Values
from cqlkit.engines.sql.functions_text_templates import template
from cqlkit.engines.sql.typed import DOUBLE, Typed, as_number, call, number_literal
from cqlkit.errors import UnsupportedFeatureError
from cqlkit.plan import nodes
from cqlkit.plan.signatures_math import LONG_LIMIT, UNARY_FUNCTIONS

# The DuckDB function of each math:* function, where the names differ.
_DUCKDB_NAMES = {
    "arccos": "acos",
    "arcsin": "asin",
    "arctan": "atan",
    "log": "ln",
}
_FACTORS = {"deg2rad": DEGREES_TO_RADIANS, "rad2deg": RADIANS_TO_DEGREES}
_REFERENCE_ONLY = frozenset({"expm1", "log1p"})


def _field_number(call_node: nodes.BoundCall, schema: Schema, parameter: str) -> exp.Expr:
    return as_number(Typed(schema.field(call_node.text(parameter)), "text"))


def _finite(value: exp.Expr) -> Typed:
    """Return ``value`` as a number, NULL when it is NaN or infinite."""
    return Typed(template("CASE WHEN isfinite(:x) THEN :x END", x=value), "number")


def _unary(name: str) -> Callable[[nodes.BoundCall, Schema], Typed]:
    def compile_unary(call_node: nodes.BoundCall, schema: Schema) -> Typed:
        if name in _REFERENCE_ONLY:
            raise UnsupportedFeatureError(
                f"math:{name}()",
                f"DuckDB has no {name}() that keeps its precision for small values",
                engine="sql",
            )
        number = _field_number(call_node, schema, "field")
        if name in _FACTORS:
            value: exp.Expr = exp.Mul(this=number, expression=number_literal(_FACTORS[name]).sql)
        else:
            value = call(_DUCKDB_NAMES.get(name, name), number)
        return _finite(exp.cast(value, DOUBLE))

    return compile_unary


def _pow(call_node: nodes.BoundCall, schema: Schema) -> Typed:
    base = _field_number(call_node, schema, "field")
    written = to_number(call_node.text("exponent"))
    if written is not None:
        exponent = number_literal(written).sql
    else:
        exponent = _field_number(call_node, schema, "exponent")
    return _finite(call("pow", base, exponent))


def _mod(call_node: nodes.BoundCall, schema: Schema) -> Typed:
    """Floor modulus of whole numbers: DuckDB's % keeps the dividend's sign, so
    the divisor is added once and the remainder taken again. The sum may pass
    the BIGINT range, so it is a HUGEINT."""
    divisor = call_node.get("divisor")
    assert isinstance(divisor, int | float), "math:mod() is bound with a number"
    whole_divisor = exp.Literal.number(int(divisor // 1))
    number = _field_number(call_node, schema, "field")
    remainder = template(
        """
        CASE WHEN abs(floor(:x)) < :limit THEN
            ((CAST(floor(:x) AS HUGEINT) % :d) + :d) % :d
        END
        """,
        x=number,
        d=whole_divisor,
        limit=number_literal(LONG_LIMIT).sql,
    )
    return Typed(exp.cast(remainder, DOUBLE), "number")


VALUES: Values = {f"math:{name}": _unary(name) for name in UNARY_FUNCTIONS}
VALUES["math:pow"] = _pow
VALUES["math:mod"] = _mod
TRANSFORMS: Transforms = {}
