"""SQL compilation of worldMap(): rows grouped by the geohash cell of their
latitude and longitude, as the reference engine's WorldMap groups them."""

from __future__ import annotations

from sqlglot import exp

from cqlkit.engines.sql.aggregates_charts import double
from cqlkit.engines.sql.aggregates_common import (
    integer,
    output_schema,
    relation,
    text_argument,
    unsupported,
)
from cqlkit.engines.sql.aggregates_grouped import PartCompiler, grouped_select
from cqlkit.engines.sql.columns import Schema, alias, column
from cqlkit.engines.sql.family import Aggregates
from cqlkit.engines.sql.stages_base import CompiledStage
from cqlkit.engines.sql.typed import call
from cqlkit.plan import nodes
from cqlkit.plan.signatures_aggregates import GEOHASH_ALPHABET, GEOHASH_FIELD

# Names of the CTEs and helper columns of the compiled query.
_POINTS, _CELLS = "__cqlkit_points", "__cqlkit_cells"
_LATITUDE, _LONGITUDE = "__cqlkit_latitude", "__cqlkit_longitude"


def compile_world_map(
    call_node: nodes.BoundCall, schema: Schema, source: str, lift_default_limits: bool
) -> CompiledStage:
    """Compile worldMap(lat=, lon=): the rows grouped by their geohash cell.

    worldMap(ip=) reads a GeoIP database, which DuckDB cannot, so it runs on the
    reference engine."""
    if call_node.get("ip") is not None:
        raise unsupported(
            "worldMap(ip=...)",
            "worldMap(ip=...) looks up addresses in the GeoIP database",
            call_node,
        )
    precision_value = call_node.get("precision")
    precision = int(precision_value) if isinstance(precision_value, int | float) else 4
    latitude = call("cql_number", schema.field(text_argument(call_node, "lat")))
    longitude = call("cql_number", schema.field(text_argument(call_node, "lon")))
    points = exp.select(exp.Star(), alias(latitude, _LATITUDE), alias(longitude, _LONGITUDE)).from_(
        relation(source)
    )
    cells_schema = schema.with_field(GEOHASH_FIELD)
    cell = geohash_sql(column(_LATITUDE), column(_LONGITUDE), precision)
    in_range = exp.and_(
        exp.Between(this=column(_LATITUDE), low=double(-90), high=double(90)),
        exp.Between(this=column(_LONGITUDE), low=double(-180), high=double(180)),
    )
    cells = (
        exp.select(*cells_schema.projection({GEOHASH_FIELD: cell}))
        .from_(relation(_POINTS))
        .where(in_range)
    )
    compiler = PartCompiler(
        cells_schema, (GEOHASH_FIELD,), "worldMap", lift_default_limits=lift_default_limits
    )
    parts = compiler.parts(call_node.get("magnitude"), call_node)
    select, fields = grouped_select(_CELLS, cells_schema, (GEOHASH_FIELD,), parts)
    select = select.with_(relation(_POINTS), as_=points).with_(relation(_CELLS), as_=cells)
    return CompiledStage(select, output_schema(fields), schema)


def geohash_sql(latitude: exp.Expr, longitude: exp.Expr, precision: int) -> exp.Expr:
    """Return the geohash of ``precision`` characters of DOUBLE coordinates, as
    the reference engine's ``encode_geohash`` computes it."""
    total = 5 * precision
    longitude_bits, latitude_bits = (total + 1) // 2, total // 2
    longitude_cell = _cell(longitude, 180.0, 360.0, longitude_bits)
    latitude_cell = _cell(latitude, 90.0, 180.0, latitude_bits)
    alphabet = exp.Literal.string(GEOHASH_ALPHABET)
    characters: list[exp.Expr] = []
    for character in range(precision):
        code: exp.Expr = integer(0)
        for bit in range(5):
            position = 5 * character + bit
            if position % 2 == 0:
                cell, shift = longitude_cell, longitude_bits - 1 - position // 2
            else:
                cell, shift = latitude_cell, latitude_bits - 1 - position // 2
            shifted = exp.BitwiseRightShift(this=cell.copy(), expression=integer(shift))
            value = exp.BitwiseAnd(this=exp.paren(shifted), expression=integer(1))
            weight = integer(1 << (4 - bit))
            code = exp.Add(this=code, expression=exp.Mul(this=exp.paren(value), expression=weight))
        index = exp.Add(this=exp.paren(code), expression=integer(1))
        characters.append(exp.Substring(this=alphabet.copy(), start=index, length=integer(1)))
    joined = characters[0]
    for piece in characters[1:]:
        joined = exp.DPipe(this=joined, expression=piece)
    return joined


def _cell(coordinate: exp.Expr, origin: float, extent: float, bits: int) -> exp.Expr:
    """Return the BIGINT cell number of a coordinate among ``2**bits`` cells."""
    cells = 2**bits
    offset = exp.Add(this=coordinate.copy(), expression=double(origin))
    scaled = exp.Mul(
        this=exp.Div(this=exp.paren(offset), expression=double(extent)), expression=double(cells)
    )
    floor = exp.cast(exp.Floor(this=scaled), exp.DataType.build("BIGINT"))
    return exp.Least(this=floor, expressions=[integer(cells - 1)])


AGGREGATES: Aggregates = {"worldMap": compile_world_map}
