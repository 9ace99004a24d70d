"""worldMap(ip=...): addresses located in a GeoIP database and bucketed by geohash.

The MaxMind database is written by the test with mmdb-writer. The geohashes
were computed with the standard algorithm at precision 4 (and 2).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from mmdb_writer import MmdbF64, MMDBWriter
from netaddr import IPSet
from tests.helpers import diagnostic_codes, make_events, run

from cqlkit.engines.duckdb.engine import DuckDBEngine
from cqlkit.plan.planner import plan_query
from cqlkit.plan.resources import Resources

COPENHAGEN, KANSAS, AUSTRALIA = "u3bu", "9ydq", "r4jc"


def _location(lat: float, lon: float) -> dict[str, object]:
    return {
        "country": {"iso_code": "XX"},
        "location": {"latitude": MmdbF64(lat), "longitude": MmdbF64(lon)},
    }


@pytest.fixture(scope="module")
def resources(tmp_path_factory: pytest.TempPathFactory) -> Resources:
    """Resources with a small city database; 10.0.0.0/8 is not in it."""
    writer = MMDBWriter(
        ip_version=6, ipv4_compatible=True, database_type="GeoLite2-City", languages=["en"]
    )
    writer.insert_network(IPSet(["165.225.194.0/24"]), _location(55.674, 12.5696))
    writer.insert_network(IPSet(["4.3.2.0/24", "8.8.8.0/24"]), _location(37.751, -97.822))
    writer.insert_network(IPSet(["1.2.3.0/24"]), _location(-33.494, 143.2104))
    path = tmp_path_factory.mktemp("geoip") / "city.mmdb"
    writer.to_db_file(str(path))
    return Resources(geoip_database=path)


def _addresses(*addresses: str) -> list[dict[str, str]]:
    return make_events(*({"ip": address} for address in addresses))


def _cells(rows: list[dict[str, str]], *fields: str) -> list[tuple[str, ...]]:
    return sorted(tuple(row[name] for name in ("_geohash", *fields)) for row in rows)


def test_world_map_ip_counts_per_cell(resources: Resources) -> None:
    # functions-worldmap: worldMap(ip=myIpField) counts the addresses per cell.
    events = _addresses("8.8.8.8", "165.225.194.1", "4.3.2.1", "1.2.3.4")
    rows = run("worldMap(ip=ip)", events, resources=resources)
    assert _cells(rows, "_count") == [
        (KANSAS, "2"),
        (AUSTRALIA, "1"),
        (COPENHAGEN, "1"),
    ]


def test_world_map_ip_matches_ip_location(resources: Resources) -> None:
    events = _addresses("8.8.8.8", "165.225.194.1", "4.3.2.1", "1.2.3.4", "10.1.1.1")
    located = run(
        "ipLocation(ip) | worldMap(lat=ip.lat, lon=ip.lon, precision=2)",
        events,
        resources=resources,
    )
    direct = run("worldMap(ip=ip, precision=2)", events, resources=resources)
    assert direct == located


def test_world_map_ip_skips_unlocated(resources: Resources) -> None:
    events = [*_addresses("10.1.1.1", "not an address", "8.8.8.8"), {"other": "x"}]
    rows = run("worldMap(ip=ip)", events, resources=resources)
    assert _cells(rows, "_count") == [(KANSAS, "1")]


def test_world_map_ip_no_located_rows(resources: Resources) -> None:
    rows = run("worldMap(ip=ip)", _addresses("10.1.1.1"), resources=resources)
    assert rows == []


def test_world_map_ip_magnitude(resources: Resources) -> None:
    # functions-worldmap: worldMap(ip=myIpField, magnitude=avg(latency)).
    events = make_events(
        {"ip": "8.8.8.8", "latency": "10"},
        {"ip": "4.3.2.1", "latency": "30"},
        {"ip": "1.2.3.4", "latency": "7"},
    )
    rows = run("worldMap(ip=ip, magnitude=avg(latency))", events, resources=resources)
    assert _cells(rows, "_avg") == [(KANSAS, "20"), (AUSTRALIA, "7")]


def test_world_map_ip_runs_on_reference(resources: Resources) -> None:
    plan = plan_query("worldMap(ip=ip)", resources=resources)
    (result,) = DuckDBEngine().run([plan], _addresses("8.8.8.8"))
    assert [row["_count"] for row in result.rows] == ["1"]
    assert result.notices
    assert result.notices[0].startswith("worldMap(ip=...)")


def test_world_map_ip_without_database() -> None:
    assert diagnostic_codes("worldMap(ip=ip)") == ["missing-resource"]


def test_world_map_ip_bad_database(tmp_path: Path) -> None:
    path = tmp_path / "broken.mmdb"
    path.write_bytes(b"not a database")
    codes = diagnostic_codes("worldMap(ip=ip)", resources=Resources(geoip_database=path))
    assert codes == ["invalid-resource"]


def test_world_map_ip_with_coordinates(resources: Resources) -> None:
    codes = diagnostic_codes("worldMap(ip=ip, lat=a, lon=b)", resources=resources)
    assert codes == ["invalid-argument"]


def test_world_map_without_location() -> None:
    assert diagnostic_codes("worldMap()") == ["missing-argument"]
