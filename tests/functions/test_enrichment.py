"""ipLocation(), asn() and ioc:lookup(): enrichment from local databases.

The MaxMind databases are written by the tests with mmdb-writer, holding the
records that the documented examples show.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from mmdb_writer import MmdbF64, MmdbU32, MMDBWriter
from netaddr import IPSet
from tests.helpers import diagnostic_codes, make_events, run, without_metadata

from cqlkit.engines.duckdb.engine import DuckDBEngine
from cqlkit.plan.planner import plan_query
from cqlkit.plan.resources import Resources


def _location(country: str, lat: float, lon: float, city: str | None = None) -> dict[str, object]:
    record: dict[str, object] = {
        "country": {"iso_code": country, "names": {"en": country}},
        "location": {"latitude": MmdbF64(lat), "longitude": MmdbF64(lon)},
    }
    if city is not None:
        record["city"] = {"names": {"en": city}}
        record["subdivisions"] = [{"iso_code": "84", "names": {"en": "Capital Region"}}]
    return record


@pytest.fixture(scope="module")
def geoip(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A city database with the records of the ipLocation() example."""
    writer = MMDBWriter(
        ip_version=6, ipv4_compatible=True, database_type="GeoLite2-City", languages=["en"]
    )
    writer.insert_network(
        IPSet(["165.225.194.0/24"]), _location("DK", 55.674, 12.5696, "Copenhagen")
    )
    writer.insert_network(IPSet(["1.2.3.0/24"]), _location("AU", -33.494, 143.2104))
    writer.insert_network(IPSet(["4.3.2.0/24", "8.8.8.0/24"]), _location("US", 37.751, -97.822))
    writer.insert_network(
        IPSet(["2a03:2880::/32"]), _location("US", 26.3594, -80.0771, "Boca Raton")
    )
    path = tmp_path_factory.mktemp("geoip") / "city.mmdb"
    writer.to_db_file(str(path))
    return path


@pytest.fixture(scope="module")
def asn_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An IPv4-only ASN database."""
    writer = MMDBWriter(ip_version=4, database_type="GeoLite2-ASN", languages=["en"])
    writer.insert_network(
        IPSet(["1.128.0.0/11"]),
        {"autonomous_system_number": MmdbU32(1221), "autonomous_system_organization": "Telstra"},
    )
    writer.insert_network(
        IPSet(["8.8.8.0/24"]),
        {"autonomous_system_number": MmdbU32(15169), "autonomous_system_organization": "GOOGLE"},
    )
    path = tmp_path_factory.mktemp("asn") / "asn.mmdb"
    writer.to_db_file(str(path))
    return path


# --- ipLocation() ------------------------------------------------------------------


def test_ip_location_example(geoip: Path) -> None:
    # examples-iplocation-addgeolocation-data: four fields, named after the field.
    events = make_events(
        {"@rawstring": "165.225.194.1"},
        {"@rawstring": "1.2.3.4"},
        {"@rawstring": "4.3.2.1"},
        {"@rawstring": "8.8.8.8"},
    )
    rows = run("ipLocation(field=@rawstring)", events, resources=Resources(geoip_database=geoip))
    assert without_metadata(rows)[::-1] == [
        {
            "@rawstring": "165.225.194.1",
            "@rawstring.city": "Copenhagen",
            "@rawstring.country": "DK",
            "@rawstring.lat": "55.674",
            "@rawstring.lon": "12.5696",
        },
        {
            "@rawstring": "1.2.3.4",
            "@rawstring.country": "AU",
            "@rawstring.lat": "-33.494",
            "@rawstring.lon": "143.2104",
        },
        {
            "@rawstring": "4.3.2.1",
            "@rawstring.country": "US",
            "@rawstring.lat": "37.751",
            "@rawstring.lon": "-97.822",
        },
        {
            "@rawstring": "8.8.8.8",
            "@rawstring.country": "US",
            "@rawstring.lat": "37.751",
            "@rawstring.lon": "-97.822",
        },
    ]


def test_ip_location_default_field_and_prefix(geoip: Path) -> None:
    events = make_events({"ip": "2a03:2880::1"}, {"ip": "10.0.0.1"}, {"ip": "nonsense"}, {})
    rows = run("ipLocation()", events, resources=Resources(geoip_database=geoip))
    by_id = {row["@id"]: row for row in rows}
    assert by_id["1"]["ip.city"] == "Boca Raton"
    assert by_id["1"]["ip.country"] == "US"
    assert all(len(by_id[i]) == len(events[int(i) - 1]) for i in ("2", "3", "4"))


def test_ip_location_as_prefix_and_assignment(geoip: Path) -> None:
    resources = Resources(geoip_database=geoip)
    events = make_events({"aip": "8.8.8.8"})
    rows = run("ipLocation(aip, as=geo)", events, resources=resources)
    assert rows[0]["geo.country"] == "US"
    assigned = run("loc := ipLocation(aip)", events, resources=resources)
    assert assigned[0]["loc.lon"] == "-97.822"


def test_ip_location_runs_on_reference_engine_then_sql(geoip: Path) -> None:
    plan = plan_query(
        "ipLocation(aip) | groupBy(aip.country)", resources=Resources(geoip_database=geoip)
    )
    events = make_events({"aip": "8.8.8.8"}, {"aip": "4.3.2.1"}, {"aip": "1.2.3.4"})
    (result,) = DuckDBEngine().run([plan], events)
    assert sorted((row["aip.country"], row["_count"]) for row in result.rows) == [
        ("AU", "1"),
        ("US", "2"),
    ]
    assert result.notices and result.notices[0].startswith("ipLocation()")


def test_ip_location_without_database() -> None:
    assert diagnostic_codes("ipLocation(aip)") == ["missing-resource"]


def test_ip_location_invalid_database(tmp_path: Path) -> None:
    path = tmp_path / "broken.mmdb"
    path.write_bytes(b"not a database")
    resources = Resources(geoip_database=path)
    assert diagnostic_codes("ipLocation(aip)", resources=resources) == ["invalid-resource"]


# --- asn() -------------------------------------------------------------------------


def test_asn_default_field(asn_db: Path) -> None:
    # functions-asn: asn() reads the field ip and sets ip.asn and ip.org.
    rows = run("asn()", make_events({"ip": "1.128.0.1"}), resources=Resources(asn_database=asn_db))
    assert without_metadata(rows) == [{"ip": "1.128.0.1", "ip.asn": "1221", "ip.org": "Telstra"}]


def test_asn_example_1_field(asn_db: Path) -> None:
    # examples-asn-1
    rows = run(
        "asn(field=address)",
        make_events({"address": "8.8.8.8"}),
        resources=Resources(asn_database=asn_db),
    )
    assert rows[0]["address.asn"] == "15169"
    assert rows[0]["address.org"] == "GOOGLE"


def test_asn_example_2_as(asn_db: Path) -> None:
    # examples-asn-2: the prefix comes from as=, the address from field=.
    rows = run(
        "asn(field=ipaddr, as=address)",
        make_events({"ipaddr": "8.8.8.8"}),
        resources=Resources(asn_database=asn_db),
    )
    assert without_metadata(rows) == [
        {"ipaddr": "8.8.8.8", "address.asn": "15169", "address.org": "GOOGLE"}
    ]


def test_asn_unknown_and_ipv6_in_ipv4_database(asn_db: Path) -> None:
    events = make_events({"ip": "192.0.2.1"}, {"ip": "2001:db8::1"})
    rows = run("asn()", events, resources=Resources(asn_database=asn_db))
    assert all("ip.asn" not in row for row in rows)


def test_asn_without_database() -> None:
    codes = diagnostic_codes("asn()")
    assert codes == ["missing-resource"]


# --- ioc:lookup() ------------------------------------------------------------------

IOC_FILE = (
    "indicator,type,malicious_confidence,labels,published_date,last_updated,extra\n"
    '45.32.129.185,ip_address,low,"Actor/FANCYBEAR,IPAddressType/AdversaryControlled,'
    "KillChain/ActionOnObjectives,KillChain/C2,MaliciousConfidence/Low,Malware/Meterpreter,"
    'Malware/Xtunnel,ThreatType/Criminal,ThreatType/Proxy,ThreatType/Targeted",'
    "1463063677000,1752747451000,ignored\n"
    "2001:db8::bad,ip_address,high,Actor/TEST,1,2,\n"
    "evil.example.com,domain,medium,ThreatType/Criminal,3,4,\n"
    "http://evil.example.com/x,url,unverified,,5,6,\n"
    "malicious-wizard.net,domain,unverified,wizard-malware,7,8,\n"
)


@pytest.fixture
def iocs(tmp_path: Path) -> Resources:
    path = tmp_path / "iocs.csv"
    path.write_text(IOC_FILE)
    return Resources(ioc_file=path)


def test_ioc_lookup_detection_prefix_example(iocs: Resources) -> None:
    # examples-ioc-lookup-ip-detection-prefix
    events = make_events(
        {"src_ip": "192.168.1.100", "dst_ip": "45.33.32.156"},
        {"src_ip": "192.168.1.101", "dst_ip": "185.159.83.24"},
        {"src_ip": "192.168.1.102", "dst_ip": "172.16.0.100"},
        {"src_ip": "192.168.1.103", "dst_ip": "91.245.73.85"},
        {"src_ip": "192.168.1.104", "dst_ip": "10.0.0.50"},
        {"src_ip": "45.32.129.185", "dst_ip": "10.0.0.50"},
    )
    query = 'ioc:lookup(src_ip, type="ip_address", prefix="detection", confidenceThreshold=low)'
    rows = run(query, events, resources=iocs)
    assert len(rows) == 6
    matched = rows[0]
    assert without_metadata([matched]) == [
        {
            "src_ip": "45.32.129.185",
            "dst_ip": "10.0.0.50",
            "detection.detected": "true",
            "detection[0].indicator": "45.32.129.185",
            "detection[0].labels": "Actor/FANCYBEAR,IPAddressType/AdversaryControlled,"
            "KillChain/ActionOnObjectives,KillChain/C2,MaliciousConfidence/Low,"
            "Malware/Meterpreter,Malware/Xtunnel,ThreatType/Criminal,ThreatType/Proxy,"
            "ThreatType/Targeted",
            "detection[0].last_updated": "1752747451000",
            "detection[0].malicious_confidence": "low",
            "detection[0].published_date": "1463063677000",
            "detection[0].type": "ip_address",
        }
    ]
    assert all(set(row) == set(events[0]) for row in rows[1:])


def test_ioc_lookup_default_threshold_is_high(iocs: Resources) -> None:
    events = make_events({"ip": "45.32.129.185"}, {"ip": "2001:DB8:0::BAD"})
    rows = run("ioc:lookup(field=ip, type=ip_address, strict=true)", events, resources=iocs)
    assert [row["ioc[0].indicator"] for row in rows] == ["2001:db8::bad"]


def test_ioc_lookup_malicious_domains_example(iocs: Resources) -> None:
    # examples-groupby-ioc-lookup-domain-malicious
    events = make_events(
        {"DomainName": "wizard-domain.com"},
        {"DomainName": "malicious-wizard.net"},
        {"DomainName": "legitimate-site.com"},
        {"DomainName": "Evil.Example.COM."},
    )
    query = (
        "groupBy([DomainName])"
        ' | ioc:lookup(field=[DomainName], type="domain", confidenceThreshold=unverified,'
        " strict=true)"
        ' | table([DomainName, "ioc[0].labels"])'
    )
    rows = run(query, events, resources=iocs)
    assert sorted((row["DomainName"], row["ioc[0].labels"]) for row in rows) == [
        ("Evil.Example.COM.", "ThreatType/Criminal"),
        ("malicious-wizard.net", "wizard-malware"),
    ]


def test_ioc_lookup_url_example(iocs: Resources) -> None:
    # examples-ioclookup-url: URLs compare exactly as written.
    events = make_events({"url": "http://evil.example.com/x"}, {"url": "HTTP://evil.example.com/x"})
    rows = run('ioc:lookup("url", type="url", confidenceThreshold="low")', events, resources=iocs)
    assert all("ioc.detected" not in row for row in rows)
    rows = run(
        'ioc:lookup("url", type="url", confidenceThreshold=unverified)', events, resources=iocs
    )
    assert [row.get("ioc.detected") for row in rows] == [None, "true"]


def test_ioc_lookup_several_fields_and_include(iocs: Resources) -> None:
    events = make_events(
        {"a": "evil.example.com", "b": "nothing.example", "c": "EVIL.example.com"},
        {"a": "malicious-wizard.net", "b": "evil.example.com"},
    )
    query = (
        "ioc:lookup(field=[a, b, c], type=domain, confidenceThreshold=unverified,"
        " include=[indicator, malicious_confidence])"
    )
    rows = run(query, events, resources=iocs)
    assert without_metadata(rows) == [
        {
            "a": "malicious-wizard.net",
            "b": "evil.example.com",
            "ioc.detected": "true",
            "ioc[0].indicator": "malicious-wizard.net",
            "ioc[0].malicious_confidence": "unverified",
            "ioc[1].indicator": "evil.example.com",
            "ioc[1].malicious_confidence": "medium",
        },
        {
            "a": "evil.example.com",
            "b": "nothing.example",
            "c": "EVIL.example.com",
            "ioc.detected": "true",
            "ioc[0].indicator": "evil.example.com",
            "ioc[0].malicious_confidence": "medium",
        },
    ]


def test_ioc_lookup_runs_on_reference_engine(iocs: Resources) -> None:
    plan = plan_query("ioc:lookup(ip, type=ip_address) | count()", resources=iocs)
    (result,) = DuckDBEngine().run([plan], make_events({"ip": "1.1.1.1"}))
    assert [dict(row) for row in result.rows] == [{"_count": "1"}]
    assert result.notices and result.notices[0].startswith("ioc:lookup()")


@pytest.mark.parametrize(
    ("query", "code"),
    [
        ("ioc:lookup(ip, type=hash)", "invalid-argument"),
        ("ioc:lookup(ip)", "missing-argument"),
        ("ioc:lookup(ip, type=url, confidenceThreshold=certain)", "invalid-argument"),
        ("ioc:lookup(ip, type=url, include=[score])", "invalid-argument"),
    ],
)
def test_ioc_lookup_check_errors(iocs: Resources, query: str, code: str) -> None:
    assert code in diagnostic_codes(query, resources=iocs)


def test_ioc_lookup_without_file() -> None:
    assert diagnostic_codes("ioc:lookup(ip, type=ip_address)") == ["missing-resource"]


@pytest.mark.parametrize(
    "text",
    [
        "indicator,type\n1.2.3.4,ip_address\n",
        "indicator,type,malicious_confidence\n1.2.3.4,ip_address,severe\n",
        "indicator,type,malicious_confidence\nnot-an-ip,ip_address,high\n",
        "indicator,type,malicious_confidence\n,domain,high\n",
    ],
    ids=["missing-column", "bad-confidence", "bad-address", "empty-indicator"],
)
def test_ioc_lookup_invalid_file(tmp_path: Path, text: str) -> None:
    path = tmp_path / "iocs.csv"
    path.write_text(text)
    codes = diagnostic_codes("ioc:lookup(ip, type=ip_address)", resources=Resources(ioc_file=path))
    assert codes == ["invalid-resource"]
