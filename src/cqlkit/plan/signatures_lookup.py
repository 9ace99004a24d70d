"""Signatures of the lookup and enrichment functions: match(), readFile(),
cidr(), ipLocation(), asn() and ioc:lookup().

The planner reads their files and databases while it binds a call (see
:mod:`cqlkit.plan.lookups.checks`) and stores them in the bound arguments.
"""

from __future__ import annotations

from collections.abc import Mapping

from cqlkit.plan.lookups.bound import MatchLookup
from cqlkit.plan.lookups.iocs import CONFIDENCE_LEVELS, IOC_COLUMNS, IOC_TYPES
from cqlkit.plan.signature import FunctionKind, FunctionSpec, ParamType, param

F, T, A = FunctionKind.FILTER, FunctionKind.TRANSFORM, FunctionKind.AGGREGATE
P = ParamType
_p = param

LOCATION_PARTS = ("country", "city", "lat", "lon")
ASN_PARTS = ("asn", "org")


def _match_outputs(arguments: Mapping[str, object]) -> tuple[str, ...]:
    lookup = arguments.get("lookup")
    if not isinstance(lookup, MatchLookup) or lookup.source.table is None:
        return ()
    return lookup.output_columns(lookup.source.table)


def _prefix(arguments: Mapping[str, object]) -> str:
    """Return the prefix of ipLocation() and asn() fields: as=, else the field name."""
    return str(arguments.get("as") or arguments.get("field"))


def _location_outputs(arguments: Mapping[str, object]) -> tuple[str, ...]:
    return tuple(f"{_prefix(arguments)}.{part}" for part in LOCATION_PARTS)


def _asn_outputs(arguments: Mapping[str, object]) -> tuple[str, ...]:
    return tuple(f"{_prefix(arguments)}.{part}" for part in ASN_PARTS)


def _ioc_outputs(arguments: Mapping[str, object]) -> tuple[str, ...]:
    # Each field matches at most one indicator, so there are at most as many
    # entries as fields: ioc[0].indicator, ioc[1].indicator, ...
    fields = arguments.get("field")
    count = len(fields) if isinstance(fields, tuple) else 1
    include = arguments.get("include")
    columns = include if isinstance(include, tuple) else IOC_COLUMNS
    prefix = arguments.get("prefix")
    entries = (f"{prefix}[{index}].{column}" for index in range(count) for column in columns)
    return (f"{prefix}.detected", *entries)


SPECS: tuple[FunctionSpec, ...] = (
    FunctionSpec(
        "match",
        T,
        (
            _p("file", P.STRING, required=True, aliases=("table",)),
            _p("field", P.FIELDS, required=True),
            _p("column", P.VALUES),
            _p("include", P.VALUES),
            _p("mode", P.CHOICE, default="string", choices=("string", "glob", "cidr")),
            _p("glob", P.BOOLEAN),
            _p("ignoreCase", P.BOOLEAN, default="false"),
            _p("strict", P.BOOLEAN, default="true"),
            _p("nrows", P.LIMIT, default="1", minimum=1, maximum=500),
        ),
        unnamed="file",
        negatable=True,
        # The columns of an ad-hoc table are known only when defineTable() runs.
        dynamic_outputs=True,
        output_fields=_match_outputs,
    ),
    FunctionSpec(
        "readFile",
        A,
        (
            _p("file", P.VALUES, required=True, aliases=("table",)),
            _p("include", P.VALUES),
            _p("limit", P.NUMBER, minimum=1),
        ),
        unnamed="file",
    ),
    FunctionSpec(
        "cidr",
        F,
        (
            _p("field", P.FIELD, required=True),
            _p("subnet", P.VALUES),
            _p("file", P.STRING),
            _p("column", P.STRING),
            _p("negate", P.BOOLEAN, default="false"),
        ),
        unnamed="field",
        negatable=True,
    ),
    FunctionSpec(
        "ipLocation",
        T,
        (_p("field", P.FIELD, default="ip"), _p("as", P.FIELD)),
        unnamed="field",
        output_fields=_location_outputs,
    ),
    FunctionSpec(
        "asn",
        T,
        (_p("field", P.FIELD, default="ip"), _p("as", P.FIELD)),
        unnamed="field",
        output_fields=_asn_outputs,
    ),
    FunctionSpec(
        "ioc:lookup",
        T,
        (
            _p("field", P.FIELDS, required=True),
            _p("type", P.CHOICE, required=True, choices=IOC_TYPES),
            _p("confidenceThreshold", P.CHOICE, default="high", choices=CONFIDENCE_LEVELS),
            _p("include", P.CHOICES, choices=IOC_COLUMNS),
            _p("prefix", P.STRING, default="ioc"),
            _p("strict", P.BOOLEAN, default="false"),
        ),
        unnamed="field",
        output_fields=_ioc_outputs,
    ),
)
