"""IP addresses and subnets as cidr(), match(mode=cidr), ipLocation() and asn() read them."""

from __future__ import annotations

import functools
import ipaddress

Address = ipaddress.IPv4Address | ipaddress.IPv6Address
Network = ipaddress.IPv4Network | ipaddress.IPv6Network


# The maximum length of a text worth parsing as an address: an IPv6 address with an
# embedded IPv4 address has 45 characters, and a scope such as %eth0 adds a few more.
_MAX_ADDRESS_LENGTH = 100


def parse_address(text: str) -> Address | None:
    """Return the IPv4 or IPv6 address ``text`` spells, or None.

    Python's reading applies: IPv4 in dotted-quad form without leading zeros,
    IPv6 in any RFC 4291 form. Surrounding whitespace makes the text invalid.
    """
    if len(text) > _MAX_ADDRESS_LENGTH:
        # Long texts, such as whole raw events, are no addresses and are not cached.
        return None
    return _parse_address(text)


@functools.lru_cache(maxsize=65536)
def _parse_address(text: str) -> Address | None:
    try:
        return ipaddress.ip_address(text)
    except ValueError:
        return None


def parse_network(text: str) -> Network | None:
    """Return the subnet ``text`` spells, such as ``10.0.0.0/8``, or None.

    An address without a prefix length is a one-address subnet, and host bits
    after the prefix are ignored: ``192.0.2.7/24`` is ``192.0.2.0/24``.
    """
    try:
        return ipaddress.ip_network(text.strip(), strict=False)
    except ValueError:
        return None


def in_any(address: Address, networks: tuple[Network, ...]) -> bool:
    """Tell whether ``address`` lies in one of ``networks`` of its own IP version."""
    return any(address.version == network.version and address in network for network in networks)
