"""IPv4 addresses in SQL, for cidr() and match(mode=cidr).

DuckDB reads IP addresses only with its inet extension, which cqlkit does not
download, so addresses are parsed with a regex and integer arithmetic.
"""

from __future__ import annotations

from sqlglot import exp

_OCTET = "(?:25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])"
# Dotted-quad IPv4 without leading zeros, the only IPv4 form the reference engine reads.
IPV4_PATTERN = rf"{_OCTET}\.{_OCTET}\.{_OCTET}\.{_OCTET}"


def ipv4_number(value: exp.Expr) -> exp.Expr:
    """Return the IPv4 address ``value`` spells as a BIGINT, or NULL when it spells none."""
    total: exp.Expr | None = None
    for index in range(4):
        octet = exp.TryCast(
            this=exp.SplitPart(
                this=value.copy(),
                delimiter=exp.Literal.string("."),
                part_index=exp.Literal.number(index + 1),
            ),
            to=exp.DataType.build("BIGINT"),
        )
        weighted = exp.Mul(this=octet, expression=exp.Literal.number(256 ** (3 - index)))
        total = weighted if total is None else exp.Add(this=total, expression=weighted)
    assert total is not None
    valid = exp.RegexpFullMatch(this=value.copy(), expression=exp.Literal.string(IPV4_PATTERN))
    return exp.Case(ifs=[exp.If(this=valid, true=total)])
