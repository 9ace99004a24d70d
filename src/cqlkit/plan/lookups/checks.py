"""Check-time work of the lookup functions: bind_call() calls :func:`check_call`
after converting the arguments, and it reads the files and databases the
call needs into the arguments, recording a check error for each problem."""

from __future__ import annotations

from collections.abc import Callable

from cqlkit.language import ast
from cqlkit.plan.context import PlanContext
from cqlkit.plan.lookups.bound import LookupSource, MatchLookup
from cqlkit.plan.lookups.calls import Arguments, argument_span, given, names
from cqlkit.plan.lookups.checks_enrichment import (
    check_asn,
    check_cidr,
    check_ioc,
    check_location,
    check_world_map_ip,
)
from cqlkit.plan.lookups.files import check_file_name, load_table
from cqlkit.plan.lookups.matching import MatchMode, build_matcher
from cqlkit.plan.signature import FunctionSpec

# LogScale's GLOB_MATCH_LIMIT: the largest file match(mode=glob) reads by default.
GLOB_ROW_LIMIT = 20_000


def check_call(
    context: PlanContext, spec: FunctionSpec, arguments: Arguments, call: ast.Call
) -> None:
    """Check a lookup or enrichment call and put what it reads into ``arguments``:
    ``lookup`` for match(), ``sources`` for readFile(), ``networks`` for cidr(),
    ``database`` for ipLocation() and asn(), ``iocs`` for ioc:lookup()."""
    check = _CHECKS.get(spec.name)
    if check is not None:
        check(context, arguments, call)


def _check_match(context: PlanContext, arguments: Arguments, call: ast.Call) -> None:
    if "file" not in arguments or "field" not in arguments:
        return  # bind_call() recorded the missing argument
    fields = names(arguments.get("field"))
    columns = names(arguments.get("column")) or fields
    if len(columns) != len(fields):
        context.error(
            "invalid-argument",
            f"match() has {len(fields)} field(s) but {len(columns)} column(s)",
            argument_span(call, "column"),
            hint="give one column per field, in the same order",
        )
        return

    name = str(arguments.get("file"))
    span = argument_span(call, "file", "file")
    table = None
    if check_file_name(context, "match", name, span):
        table = load_table(context, "match", name, span)

    include = arguments.get("include")
    nrows = arguments.get("nrows")
    lookup = MatchLookup(
        LookupSource(name, table),
        fields,
        columns,
        names(include) if include is not None else None,
        _mode(context, arguments, call),
        bool(arguments.get("ignoreCase")),
        int(nrows) if isinstance(nrows, int | float) else 1,
        bool(arguments.get("strict")),
    )
    if table is not None:
        _check_match_columns(context, lookup, call)
    if call.negated and "strict" in given(call):
        context.warn(
            "ignored-argument",
            "strict has no effect on a negated match(), which keeps the events without a match",
            argument_span(call, "strict"),
        )
    arguments["lookup"] = lookup


def _mode(context: PlanContext, arguments: Arguments, call: ast.Call) -> MatchMode:
    mode = str(arguments.get("mode"))
    if arguments.get("glob") is True:
        context.warn(
            "deprecated-argument",
            "match(glob=true) is deprecated in LogScale",
            argument_span(call, "glob"),
            hint="write mode=glob",
        )
        mode = "glob"
    if mode == "glob":
        return "glob"
    if mode == "cidr":
        return "cidr"
    return "string"


def _check_match_columns(context: PlanContext, lookup: MatchLookup, call: ast.Call) -> None:
    table = lookup.source.table
    assert table is not None
    for name in lookup.columns:
        if table.index(name) is None and not table.keyed:
            _missing_column(context, table.name, table.value_columns, name, call, "column")
    for name in lookup.include or ():
        if name not in table.value_columns:
            _missing_column(context, table.name, table.value_columns, name, call, "include")
    positions = lookup.key_positions(table)
    if lookup.mode == "cidr" and positions is not None:
        matcher = build_matcher(table, positions, "cidr", ignore_case=False, nrows=1)
        if matcher.unusable_rows:
            context.warn(
                "invalid-subnet",
                f"{matcher.unusable_rows} row(s) of {table.name} have no valid subnet in"
                f" {', '.join(lookup.columns)} and never match",
                argument_span(call, "column"),
            )
    if lookup.mode == "glob" and len(table.rows) > GLOB_ROW_LIMIT:
        context.warn(
            "lookup-too-large",
            f"{table.name} has {len(table.rows)} rows; LogScale's match(mode=glob) reads"
            f" at most {GLOB_ROW_LIMIT} rows unless GLOB_MATCH_LIMIT is raised",
            argument_span(call, "mode"),
        )


def _missing_column(
    context: PlanContext,
    file: str,
    columns: tuple[str, ...],
    name: str,
    call: ast.Call,
    parameter: str,
) -> None:
    context.error(
        "missing-column",
        f"the lookup file {file} has no column {name!r}",
        argument_span(call, parameter),
        hint=f"its columns are {', '.join(columns) or '(none)'}",
    )


def _check_read_file(context: PlanContext, arguments: Arguments, call: ast.Call) -> None:
    span = argument_span(call, "file", "file")
    sources = []
    for name in names(arguments.get("file")):
        table = None
        if check_file_name(context, "readFile", name, span):
            if name.lower().endswith(".json"):
                context.error(
                    "invalid-argument",
                    f"readFile() cannot read {name}: it reads CSV lookup files and ad-hoc tables",
                    span,
                    hint="use match() to read a JSON lookup file",
                )
                continue
            table = load_table(context, "readFile", name, span)
            if table is None:
                continue
        sources.append(LookupSource(name, table))
    include = arguments.get("include")
    if include is not None and all(source.table is not None for source in sources) and sources:
        known = {column for source in sources if source.table for column in source.table.columns}
        for column in names(include):
            if column not in known:
                context.error(
                    "missing-column",
                    f"no file that readFile() reads has a column {column!r}",
                    argument_span(call, "include"),
                    hint=f"the columns are {', '.join(sorted(known))}",
                )
    arguments["sources"] = tuple(sources)


_CHECKS: dict[str, Callable[[PlanContext, Arguments, ast.Call], None]] = {
    "match": _check_match,
    "readFile": _check_read_file,
    "cidr": check_cidr,
    "ipLocation": check_location,
    "worldMap": check_world_map_ip,
    "asn": check_asn,
    "ioc:lookup": check_ioc,
}
