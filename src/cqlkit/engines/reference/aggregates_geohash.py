"""The reference engine's worldMap(): rows grouped by the geohash cell of
their latitude and longitude, or of their IP address's location."""

from __future__ import annotations

import math

from cqlkit.engines.reference.aggregates_base import AggregatorFactories, SubPlanRunner
from cqlkit.engines.reference.aggregates_charts import run_function
from cqlkit.engines.reference.bound_arguments import bound_argument
from cqlkit.engines.reference.context import RunContext
from cqlkit.engines.reference.row import Row
from cqlkit.engines.reference.values import to_number
from cqlkit.plan import nodes
from cqlkit.plan.lookups.geoip import MaxMindDatabase, location_fields
from cqlkit.plan.signatures_aggregates import GEOHASH_ALPHABET, GEOHASH_FIELD


class WorldMap:
    """worldMap(lat=, lon=) or worldMap(ip=): one row per geohash cell of
    ``precision`` characters, with the cell in ``_geohash`` and the outputs of
    ``magnitude`` over the cell's rows.

    With ip=, the coordinates are those that ipLocation() sets from the GeoIP
    database bound at plan time; an address the database does not locate is
    skipped. Rows whose latitude or longitude is not a number in range are skipped.
    Cells come in order of first appearance.
    NOTE: LogScale's pages do not list worldMap()'s output fields; ``_geohash``
    and the magnitude's fields are cqlkit's reading of its World Map input format.
    """

    def __init__(self, call: nodes.BoundCall, context: RunContext, runner: SubPlanRunner) -> None:
        self.address = call.get("ip")
        self.database = (
            bound_argument(call, "database", MaxMindDatabase, "its GeoIP database")
            if self.address is not None
            else None
        )
        self.latitude, self.longitude = call.text("lat"), call.text("lon")
        precision = call.get("precision")
        self.precision = int(precision) if isinstance(precision, int | float) else 4
        self.magnitude = call.get("magnitude")
        self.context, self.runner = context, runner
        self.cells: dict[str, list[Row]] = {}

    def add(self, row: Row) -> None:
        latitude, longitude = self._coordinates(row)
        if latitude is None or longitude is None:
            return
        if not (-90 <= latitude <= 90 and -180 <= longitude <= 180):
            return
        cell = encode_geohash(latitude, longitude, self.precision)
        copy = row.copy()
        copy[GEOHASH_FIELD] = cell
        self.cells.setdefault(cell, []).append(copy)

    def _coordinates(self, row: Row) -> tuple[float | None, float | None]:
        if self.database is None:
            return to_number(row.get(self.latitude)), to_number(row.get(self.longitude))
        address = row.get(str(self.address))
        record = None if address is None else self.database.record(address)
        if record is None:
            return None, None
        location = location_fields(record, "ip")
        return to_number(location.get("ip.lat")), to_number(location.get("ip.lon"))

    def rows(self) -> list[Row]:
        output = []
        for cell, members in self.cells.items():
            for row in run_function(self.magnitude, members, self.context, self.runner):
                output.append(Row({GEOHASH_FIELD: cell, **row}))
        return output


def geohash_bits(precision: int) -> tuple[int, int]:
    """Return how many bits of a geohash of ``precision`` characters encode the
    longitude and the latitude: five bits a character, longitude first."""
    total = 5 * precision
    return (total + 1) // 2, total // 2


def encode_geohash(latitude: float, longitude: float, precision: int) -> str:
    """Return the base-32 geohash of a point, ``precision`` characters long.

    The longitude and latitude cell numbers are the coordinates scaled to
    their bit counts and rounded down. The hash interleaves their bits,
    longitude first, as the standard geohash does.
    """
    longitude_bits, latitude_bits = geohash_bits(precision)
    longitude_cell = _cell(longitude + 180.0, 360.0, longitude_bits)
    latitude_cell = _cell(latitude + 90.0, 180.0, latitude_bits)
    characters = []
    for character in range(precision):
        code = 0
        for bit in range(5):
            position = 5 * character + bit
            if position % 2 == 0:
                value = (longitude_cell >> (longitude_bits - 1 - position // 2)) & 1
            else:
                value = (latitude_cell >> (latitude_bits - 1 - position // 2)) & 1
            code = code * 2 + value
        characters.append(GEOHASH_ALPHABET[code])
    return "".join(characters)


def _cell(offset: float, extent: float, bits: int) -> int:
    """Return the cell number of a coordinate ``offset`` degrees from the start
    of its range of ``extent`` degrees, among ``2**bits`` cells. The range end
    falls in the last cell."""
    cells: int = 1 << bits
    return min(math.floor(offset / extent * cells), cells - 1)


AGGREGATORS: AggregatorFactories = {"worldMap": WorldMap}
