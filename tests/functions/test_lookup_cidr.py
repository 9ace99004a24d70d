"""cidr(): IPv4 and IPv6 subnet filters, on both engines."""

from __future__ import annotations

from pathlib import Path

import pytest
from tests.functions.lookup_helpers import lookup_folder
from tests.helpers import diagnostic_codes, kept_ids, make_events, run

from cqlkit.engines.duckdb.engine import DuckDBEngine
from cqlkit.plan.planner import plan_query


def address_events() -> list[dict[str, str]]:
    return make_events(
        {"ipAddress": "192.0.2.10"},  # 1
        {"ipAddress": "203.0.113.77"},  # 2
        {"ipAddress": "198.51.100.1"},  # 3
        {"ipAddress": "2001:db8::1"},  # 4
        {"other": "192.0.2.10"},  # 5: no ipAddress field
        {"ipAddress": "not an address"},  # 6
        {"ipAddress": "192.0.2.256"},  # 7
        {"ipAddress": "192.000.002.010"},  # 8: leading zeros
        {"ipAddress": ""},  # 9
    )


# --- documented examples ---------------------------------------------------------


def test_cidr_example_1_one_subnet() -> None:
    # examples-cidr-1
    query = 'cidr(ipAddress, subnet="192.0.2.0/24")'
    assert kept_ids(query, address_events(), sql_only=True) == ["1"]


def test_cidr_example_2_two_subnets() -> None:
    # examples-cidr-2
    query = 'cidr(ipAddress, subnet=["192.0.2.0/24", "203.0.113.0/24"])'
    assert kept_ids(query, address_events(), sql_only=True) == ["1", "2"]


def test_cidr_example_3_subnets_from_file(tmp_path: Path) -> None:
    # examples-cidr-3
    resources = lookup_folder(
        tmp_path, {"cidrfile.csv": "cidr-block,owner\n192.0.2.0/24,a\n198.51.100.0/24,b\n"}
    )
    events = make_events({"SRC": "198.51.100.9"}, {"SRC": "203.0.113.1"}, {"SRC": "192.0.2.1"})
    query = 'cidr(field=SRC, file="cidrfile.csv", column="cidr-block")'
    assert kept_ids(query, events, resources=resources, sql_only=True) == ["1", "3"]


def test_cidr_example_4_negated() -> None:
    # examples-cidr-4: a negated cidr() also keeps events without the field.
    query = '!cidr(ipAddress, subnet="192.0.2.0/24")'
    expected = ["2", "3", "4", "5", "6", "7", "8", "9"]
    assert kept_ids(query, address_events(), sql_only=True) == expected


def test_cidr_valid_ip_example() -> None:
    # The "Check if Field Contains Valid IP Address" example of the cidr() page.
    query = 'case { cidr("address", subnet=["0.0.0.0/0", "::/0"]) | ip := address; * }'
    events = make_events({"address": "10.1.1.1"}, {"address": "fe80::1"}, {"address": "x"}, {})
    rows = run(query, events)
    assert {row["@id"]: row.get("ip") for row in rows} == {
        "1": "10.1.1.1",
        "2": "fe80::1",
        "3": None,
        "4": None,
    }


def test_cidr_valid_ipv4_and_ipv6_forms() -> None:
    events = address_events()
    assert kept_ids('cidr(ipAddress, subnet="0.0.0.0/0")', events, sql_only=True) == [
        "1",
        "2",
        "3",
    ]
    assert kept_ids('cidr(ipAddress, subnet="::/0")', events) == ["4"]


# --- edge cases --------------------------------------------------------------------


def test_cidr_ipv6_subnet() -> None:
    events = make_events({"ip": "2001:db8:1::5"}, {"ip": "2001:db9::1"}, {"ip": "192.0.2.1"})
    assert kept_ids('cidr(ip, subnet="2001:db8::/32")', events) == ["1"]


def test_cidr_ipv6_runs_on_reference_engine() -> None:
    plan = plan_query('cidr(ip, subnet=["10.0.0.0/8", "2001:db8::/32"])')
    (result,) = DuckDBEngine().run([plan], make_events({"ip": "10.0.0.1"}))
    assert [row["ip"] for row in result.rows] == ["10.0.0.1"]
    assert result.notices and result.notices[0].startswith("cidr()")


def test_cidr_subnet_with_host_bits_and_single_address() -> None:
    events = make_events({"ip": "10.1.2.3"}, {"ip": "10.1.3.1"}, {"ip": "172.16.0.1"})
    query = 'cidr(ip, subnet=["10.1.2.99/24", "172.16.0.1"])'
    assert kept_ids(query, events, sql_only=True) == ["1", "3"]


def test_cidr_boundaries() -> None:
    events = make_events(
        {"ip": "10.0.0.0"}, {"ip": "10.255.255.255"}, {"ip": "11.0.0.0"}, {"ip": "9.255.255.255"}
    )
    assert kept_ids('cidr(ip, subnet="10.0.0.0/8")', events, sql_only=True) == ["1", "2"]


def test_cidr_empty_subnet_list_keeps_nothing() -> None:
    assert kept_ids("cidr(ipAddress, subnet=[])", address_events(), sql_only=True) == []


def test_cidr_deprecated_negate() -> None:
    # negate=true keeps present values outside the subnets, unlike !cidr().
    query = 'cidr(ipAddress, subnet="192.0.2.0/24", negate=true)'
    assert diagnostic_codes(query) == ["deprecated-argument"]
    expected = ["2", "3", "4", "6", "7", "8", "9"]
    assert kept_ids(query, address_events(), sql_only=True) == expected


def test_cidr_with_field_operator_and_in_expression() -> None:
    events = make_events({"ip": "10.0.0.1"}, {"ip": "8.8.8.8"})
    assert kept_ids('ip =~ cidr(subnet="10.0.0.0/8")', events, sql_only=True) == ["1"]
    rows = run('internal := cidr(ip, subnet="10.0.0.0/8")', events, sql_only=True)
    assert {row["ip"]: row["internal"] for row in rows} == {"10.0.0.1": "true", "8.8.8.8": "false"}


def test_cidr_subnets_from_file_skip_invalid_rows(tmp_path: Path) -> None:
    resources = lookup_folder(tmp_path, {"nets.csv": "net\n10.0.0.0/8\nbogus\n\n"})
    query = "cidr(ip, file=nets.csv, column=net)"
    assert diagnostic_codes(query, resources=resources) == ["invalid-subnet"]
    events = make_events({"ip": "10.9.9.9"}, {"ip": "11.0.0.1"})
    assert kept_ids(query, events, resources=resources, sql_only=True) == ["1"]


@pytest.mark.parametrize(
    ("query", "code"),
    [
        ('cidr(ip, subnet="10.0.0.0/33")', "invalid-subnet"),
        ('cidr(ip, subnet="10.0.0")', "invalid-subnet"),
        ("cidr(ip)", "missing-argument"),
        ("cidr(ip, file=nets.csv)", "missing-argument"),
        ("cidr(ip, file=nets.csv, column=nope)", "missing-column"),
        ('cidr(subnet="10.0.0.0/8")', "missing-argument"),
    ],
)
def test_cidr_check_errors(tmp_path: Path, query: str, code: str) -> None:
    resources = lookup_folder(tmp_path, {"nets.csv": "net\n10.0.0.0/8\n"})
    assert code in diagnostic_codes(query, resources=resources)
