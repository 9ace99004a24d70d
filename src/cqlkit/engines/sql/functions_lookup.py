"""SQL compilation of the lookup and enrichment functions.

- cidr() with IPv4 subnets compiles to integer range tests on the parsed
  address; IPv6 subnets run on the reference engine, because DuckDB has no
  IPv6 parsing without its inet extension, which cqlkit does not download.
- match() compiles in :mod:`cqlkit.engines.sql.functions_lookup_match`.
- ipLocation(), asn() and ioc:lookup() run on the reference engine, which
  holds their databases.
"""

from __future__ import annotations

import ipaddress

from sqlglot import exp

from cqlkit.engines.sql.columns import Schema
from cqlkit.engines.sql.family import Transforms, Values
from cqlkit.engines.sql.functions_lookup_addresses import ipv4_number
from cqlkit.engines.sql.functions_lookup_match import compile_match
from cqlkit.engines.sql.stages_base import CompiledStage
from cqlkit.engines.sql.typed import Typed, definitely, not_null
from cqlkit.errors import UnsupportedFeatureError
from cqlkit.plan import nodes


def compile_cidr(call: nodes.BoundCall, schema: Schema) -> Typed:
    """Compile cidr() to a boolean that is never NULL.

    Raises UnsupportedFeatureError for IPv6 subnets.
    """
    networks = call.get("networks")
    assert isinstance(networks, tuple), "cidr() reached the compiler without its subnets"
    if any(network.version == 6 for network in networks):
        raise UnsupportedFeatureError(
            "cidr()",
            "IPv6 subnets are not compiled to SQL",
            engine="sql",
        )
    value = schema.field(call.text("field"))
    number = ipv4_number(value)
    tests = [
        exp.Between(
            this=number.copy(),
            low=exp.Literal.number(int(network.network_address)),
            high=exp.Literal.number(int(network.broadcast_address)),
        )
        for network in networks
        if isinstance(network, ipaddress.IPv4Network)
    ]
    inside = definitely(exp.or_(*tests)) if tests else exp.false()
    if call.get("negate") is True:
        return Typed(exp.and_(not_null(value.copy()), exp.Not(this=exp.paren(inside))), "boolean")
    return Typed(inside, "boolean")


_REFERENCE_ONLY = {
    "ipLocation": "it reads a MaxMind database, which only the reference engine opens",
    "asn": "it reads a MaxMind database, which only the reference engine opens",
    "ioc:lookup": "indicators compare in normalised form (canonical IP addresses, domains"
    " without case), which is not compiled to SQL",
}


def _reference_only(call: nodes.BoundCall, schema: Schema, source: str) -> CompiledStage:
    """Send a function that SQL does not run to the reference engine, with the reason."""
    raise UnsupportedFeatureError(f"{call.name}()", _REFERENCE_ONLY[call.name], engine="sql")


VALUES: Values = {"cidr": compile_cidr}
TRANSFORMS: Transforms = {
    "match": compile_match,
    **dict.fromkeys(_REFERENCE_ONLY, _reference_only),
}
