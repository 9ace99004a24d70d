"""Check-time work of cidr(), ipLocation(), asn() and ioc:lookup(): parse the
subnets, open the databases and read the indicator file once per plan."""

from __future__ import annotations

from pathlib import Path

from cqlkit.language import ast
from cqlkit.plan.context import PlanContext
from cqlkit.plan.lookups.addresses import Network, parse_network
from cqlkit.plan.lookups.calls import Arguments, argument_span, given, names
from cqlkit.plan.lookups.files import check_file_name, load_table
from cqlkit.plan.lookups.geoip import DatabaseError, open_database
from cqlkit.plan.lookups.iocs import load_iocs
from cqlkit.plan.lookups.tables import LookupFileError


def check_cidr(context: PlanContext, arguments: Arguments, call: ast.Call) -> None:
    """Parse cidr()'s subnets, from subnet= and from the column of a lookup file."""
    networks: list[Network] = []
    for text in names(arguments.get("subnet")):
        network = parse_network(text)
        if network is None:
            context.error(
                "invalid-subnet",
                f"cidr() subnet {text!r} is not an IPv4 or IPv6 subnet",
                argument_span(call, "subnet"),
                hint="write subnets as address/prefix, such as 10.0.0.0/8 or 2001:db8::/32",
            )
        else:
            networks.append(network)
    networks.extend(_file_subnets(context, arguments, call))
    if "subnet" not in arguments and "file" not in arguments:
        context.error(
            "missing-argument",
            "cidr() needs subnet=, or file= with column=",
            call.span,
            hint="see https://library.humio.com/data-analysis/functions-cidr.html",
        )
    if "negate" in given(call):
        context.warn(
            "deprecated-argument",
            "cidr(negate=...) is deprecated in LogScale",
            argument_span(call, "negate"),
            hint="write !cidr(...) to keep the events outside the subnets",
        )
    arguments["networks"] = tuple(networks)


def _file_subnets(context: PlanContext, arguments: Arguments, call: ast.Call) -> list[Network]:
    file, column = arguments.get("file"), arguments.get("column")
    if file is None and column is None:
        return []
    if file is None or column is None:
        context.error(
            "missing-argument",
            "cidr() reads subnets from a file only when both file= and column= are given",
            call.span,
        )
        return []

    span = argument_span(call, "file")
    table = None
    if check_file_name(context, "cidr", str(file), span):
        table = load_table(context, "cidr", str(file), span)
    if table is None:
        return []

    position = table.index(str(column))
    if position is None:
        context.error(
            "missing-column",
            f"the lookup file {table.name} has no column {str(column)!r}",
            argument_span(call, "column"),
            hint=f"its columns are {', '.join(table.value_columns)}",
        )
        return []

    networks = []
    invalid = 0
    for row in table.rows:
        key = row[position]
        network = None if key is None else parse_network(key)
        if network is None:
            invalid += 1
        else:
            networks.append(network)
    if invalid:
        context.warn(
            "invalid-subnet",
            f"{invalid} row(s) of {table.name} have no valid subnet in {column} and never match",
            span,
        )
    return networks


def check_location(context: PlanContext, arguments: Arguments, call: ast.Call) -> None:
    """Open the GeoIP database that ipLocation() reads."""
    _open(context, arguments, call, "ipLocation", context.resources.geoip_database, "--geoip-db")


def check_world_map_ip(context: PlanContext, arguments: Arguments, call: ast.Call) -> None:
    """Open the GeoIP database that worldMap(ip=...) reads to locate addresses."""
    if arguments.get("ip") is None:
        return
    if context.resources.geoip_database is None:
        context.error(
            "missing-resource",
            "worldMap(ip=...) looks up IP locations in a GeoIP database, and none was given",
            argument_span(call, "ip"),
            hint="pass --geoip-db FILE.mmdb, or give coordinates with worldMap(lat=..., lon=...)",
        )
        return
    _open(context, arguments, call, "worldMap", context.resources.geoip_database, "--geoip-db")


def check_asn(context: PlanContext, arguments: Arguments, call: ast.Call) -> None:
    """Open the ASN database that asn() reads."""
    _open(context, arguments, call, "asn", context.resources.asn_database, "--asn-db")


def _open(
    context: PlanContext,
    arguments: Arguments,
    call: ast.Call,
    function: str,
    path: Path | None,
    option: str,
) -> None:
    if path is None:
        context.error(
            "missing-resource",
            f"{function}() needs a MaxMind-format database, and none was given",
            call.span,
            hint=f"pass {option} FILE.mmdb (for example a GeoLite2 database)",
        )
        return
    try:
        arguments["database"] = open_database(path)
    except DatabaseError as exc:
        context.error("invalid-resource", f"{function}() cannot use {option}: {exc}", call.span)


def check_ioc(context: PlanContext, arguments: Arguments, call: ast.Call) -> None:
    """Read the indicator file that ioc:lookup() searches."""
    path = context.resources.ioc_file
    if path is None:
        context.error(
            "missing-resource",
            "ioc:lookup() needs an indicator file, and none was given",
            call.span,
            hint="pass --ioc-file FILE.csv; docs/ioc-file.md describes its columns",
        )
        return
    try:
        arguments["iocs"] = load_iocs(path)
    except LookupFileError as exc:
        context.error("invalid-resource", f"the indicator file {path} is invalid: {exc}", call.span)
    except (OSError, UnicodeDecodeError) as exc:
        context.error(
            "invalid-resource", f"the indicator file {path} cannot be read: {exc}", call.span
        )
