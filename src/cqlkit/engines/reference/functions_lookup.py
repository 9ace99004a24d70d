"""The reference engine's lookup and enrichment functions: match(), cidr(),
ipLocation(), asn() and ioc:lookup(). readFile() is an aggregate, in
:mod:`cqlkit.engines.reference.aggregates_lookup`."""

from __future__ import annotations

from collections.abc import Iterator, Mapping

from cqlkit.engines.reference.bound_arguments import bound_argument
from cqlkit.engines.reference.context import RunContext
from cqlkit.engines.reference.family import Expanders, Transforms, ValueFunctions
from cqlkit.engines.reference.functions_lookup_match import match_rows
from cqlkit.engines.reference.row import Row
from cqlkit.engines.reference.values import Value
from cqlkit.plan import nodes
from cqlkit.plan.lookups.addresses import in_any, parse_address
from cqlkit.plan.lookups.geoip import MaxMindDatabase, asn_fields, location_fields
from cqlkit.plan.lookups.iocs import IOC_COLUMNS, IocDatabase


def cidr_value(call: nodes.BoundCall, event: Row) -> Value:
    """Tell whether the field contains an IP address inside one of cidr()'s subnets.

    A missing field or a value that is no IP address is outside. The
    deprecated ``negate=true`` keeps present values outside every subnet,
    while ``!cidr(...)`` (applied by the caller) also keeps events without
    the field, as https://library.humio.com/data-analysis/functions-cidr.html
    describes.
    """
    value = event.get(call.text("field"))
    if value is None:
        return False
    networks = call.get("networks")
    assert isinstance(networks, tuple), "cidr() reached the engine without its subnets"
    address = parse_address(value)
    inside = address is not None and in_any(address, networks)
    return not inside if call.get("negate") is True else inside


def _prefix(call: nodes.BoundCall) -> str:
    prefix = call.get("as")
    return str(prefix) if prefix else call.text("field")


def _database(call: nodes.BoundCall) -> MaxMindDatabase:
    return bound_argument(call, "database", MaxMindDatabase, "its database")


def _location(call: nodes.BoundCall, event: Row, context: RunContext) -> None:
    value = event.get(call.text("field"))
    record = None if value is None else _database(call).record(value)
    if record is not None:
        event.update(location_fields(record, _prefix(call)))


def _asn(call: nodes.BoundCall, event: Row, context: RunContext) -> None:
    value = event.get(call.text("field"))
    record = None if value is None else _database(call).record(value)
    if record is not None:
        event.update(asn_fields(record, _prefix(call)))


def ioc_rows(call: nodes.BoundCall, event: Row, context: RunContext) -> Iterator[Row]:
    """Yield the event with the indicators its fields match, unless ``strict``
    drops it for matching none.

    A match sets ``ioc.detected`` to true, and the matches form an array in
    field order: ``ioc[0].indicator``, ``ioc[1].indicator``, ...; a field that
    repeats an indicator adds no entry. This is the layout of the example at
    https://library.humio.com/examples/examples-ioc-lookup-ip-detection-prefix.html.
    """
    iocs = bound_argument(call, "iocs", IocDatabase, "its indicators")
    ioc_type, threshold = call.text("type"), call.text("confidenceThreshold")
    found: list[Mapping[str, str]] = []
    for field in call.names("field"):
        value = event.get(field)
        entry = None if value is None else iocs.find(ioc_type, value, threshold)
        if entry is not None and all(entry is not seen for seen in found):
            found.append(entry)
    if not found:
        if not call.get("strict"):
            yield event
        return
    include = call.get("include")
    columns = include if isinstance(include, tuple) else IOC_COLUMNS
    prefix = call.text("prefix")
    event[f"{prefix}.detected"] = "true"
    for index, entry in enumerate(found):
        for column in columns:
            if column in entry:
                event[f"{prefix}[{index}].{column}"] = entry[column]
    yield event


VALUE_FUNCTIONS: ValueFunctions = {"cidr": cidr_value}
TRANSFORMS: Transforms = {"ipLocation": _location, "asn": _asn}
EXPANDERS: Expanders = {"match": match_rows, "ioc:lookup": ioc_rows}
