"""match() as SQL: a LEFT JOIN of the events with the lookup rows.

The planner read the file, so the rows go into the query as a VALUES list.

- In string mode the rows are first reduced to the one row that wins for each
  key (the last in the file), so the join adds at most one row to each event.
- In cidr mode, with IPv4 subnets on one column, the join keeps every subnet
  that contains the address, and QUALIFY keeps the best one per event: the
  longest prefix, then the later row.

The reference engine runs the forms this cannot reproduce: ad-hoc tables,
``mode=glob``, IPv6 or multi-column ``mode=cidr``, and ``nrows`` above 1.
"""

from __future__ import annotations

from sqlglot import exp

from cqlkit.engines.sql.columns import Schema, alias, column, null_text
from cqlkit.engines.sql.functions_lookup_addresses import ipv4_number
from cqlkit.engines.sql.stages_base import CompiledStage, select_from
from cqlkit.engines.sql.typed import is_null, not_null
from cqlkit.errors import UnsupportedFeatureError
from cqlkit.plan import nodes
from cqlkit.plan.lookups.bound import MatchLookup
from cqlkit.plan.lookups.matching import build_matcher
from cqlkit.plan.lookups.tables import LookupTable

# NOTE: DuckDB parses the VALUES list again for every batch of events, which
# costs about 40 ms per 1,000 rows (measured with DuckDB 2.0.1 on a 2-core
# machine), so larger tables run on the reference engine and its hash lookup.
SQL_ROW_LIMIT = 5_000

_RELATION = "__cqlkit_lookup"
_MATCHED = "__cqlkit_lookup_matched"
_EVENTS = "__cqlkit_events"
_EVENT_NUMBER = "__cqlkit_lookup_event"
_LOW, _HIGH = "__cqlkit_lookup_low", "__cqlkit_lookup_high"
_PREFIX, _POSITION = "__cqlkit_lookup_prefix", "__cqlkit_lookup_position"


def compile_match(call: nodes.BoundCall, schema: Schema, source: str) -> CompiledStage:
    """Compile match() over a lookup file in string mode, or in cidr mode with IPv4 subnets.

    Raises UnsupportedFeatureError for the forms that the reference engine runs.
    """
    lookup = call.get("lookup")
    assert isinstance(lookup, MatchLookup), "match() reached the compiler without its lookup"
    table = _sql_table(lookup)
    if lookup.mode == "cidr":
        return _compile_cidr(call, lookup, table, schema, source)

    positions = lookup.key_positions(table)
    assert positions is not None, "the planner checked the columns of the lookup file"
    matcher = build_matcher(table, positions, "string", ignore_case=lookup.ignore_case, nrows=1)
    outputs = () if call.negated else lookup.output_columns(table)
    rows = [(*key, *_values(table, found[0], outputs)) for key, found in matcher.exact.items()]
    if not rows:
        return _no_rows(call, lookup, schema, source)

    names = [_key(i) for i in range(len(positions))] + [_value(i) for i in range(len(outputs))]
    relation = exp.values(
        [(*(_literal(v) for v in row), exp.true()) for row in rows],
        alias=_RELATION,
        columns=[*names, _MATCHED],
    )
    result, replacements = _enriched(schema, outputs)
    select = select_from(result, source, replacements).join(
        relation, on=_join_condition(lookup, schema), join_type="left"
    )
    return CompiledStage(_filter(select, call, lookup), result, schema)


def _compile_cidr(
    call: nodes.BoundCall, lookup: MatchLookup, table: LookupTable, schema: Schema, source: str
) -> CompiledStage:
    positions = lookup.key_positions(table)
    assert positions is not None, "the planner checked the columns of the lookup file"
    if len(positions) != 1:
        raise UnsupportedFeatureError(
            "match(mode=cidr)",
            "cidr matching on several columns is not compiled to SQL",
            engine="sql",
        )
    matcher = build_matcher(table, positions, "cidr", ignore_case=False, nrows=1)
    if any(network.version == 6 for _, (network,) in matcher.subnets):
        raise UnsupportedFeatureError(
            "match(mode=cidr)", "IPv6 subnets are not compiled to SQL", engine="sql"
        )
    outputs = () if call.negated else lookup.output_columns(table)
    rows = []
    for position, (network,) in matcher.subnets:
        bounds = (int(network.network_address), int(network.broadcast_address))
        numbers = (exp.Literal.number(n) for n in (*bounds, network.prefixlen, position))
        values = (_literal(value) for value in _values(table, position, outputs))
        rows.append((*numbers, *values, exp.true()))
    if not rows:
        return _no_rows(call, lookup, schema, source)

    values_names = [_value(i) for i in range(len(outputs))]
    relation = exp.values(
        rows, alias=_RELATION, columns=[_LOW, _HIGH, _PREFIX, _POSITION, *values_names, _MATCHED]
    )
    # Each event gets a number, so that QUALIFY can keep one joined row per event.
    numbered = exp.Window(this=exp.RowNumber())
    events = (
        exp.select(exp.Star(), alias(numbered, _EVENT_NUMBER))
        .from_(exp.to_identifier(source, quoted=True))
        .subquery(_EVENTS)
    )
    address = ipv4_number(schema.field(lookup.fields[0]))
    inside = exp.Between(this=address, low=_name(_LOW), high=_name(_HIGH))
    result, replacements = _enriched(schema, outputs)
    select = (
        exp.select(*result.projection(replacements))
        .from_(events)
        .join(relation, on=inside, join_type="left")
    )
    select = _filter(select, call, lookup)
    if not call.negated:
        best = exp.Window(
            this=exp.RowNumber(),
            partition_by=[_name(_EVENT_NUMBER)],
            order=exp.Order(
                expressions=[
                    exp.Ordered(this=_name(_PREFIX), desc=True),
                    exp.Ordered(this=_name(_POSITION), desc=True),
                ]
            ),
        )
        select = select.qualify(exp.EQ(this=best, expression=exp.Literal.number(1)))
    return CompiledStage(select, result, schema)


def _sql_table(lookup: MatchLookup) -> LookupTable:
    table = lookup.source.table
    if table is None:
        raise UnsupportedFeatureError(
            "match(table=...)",
            "defineTable() builds ad-hoc tables while the query runs, on the reference engine",
            engine="sql",
        )
    if lookup.mode == "glob":
        raise UnsupportedFeatureError(
            "match(mode=glob)", "glob matching is not compiled to SQL", engine="sql"
        )
    if lookup.nrows > 1:
        raise UnsupportedFeatureError(
            "match(nrows=...)",
            "several matching rows turn one event into several, which SQL cannot order as"
            " the reference engine does",
            engine="sql",
        )
    if len(table.rows) > SQL_ROW_LIMIT:
        raise UnsupportedFeatureError(
            "match()",
            f"{table.name} has more than {SQL_ROW_LIMIT} rows",
            engine="sql",
        )
    return table


def _enriched(schema: Schema, outputs: tuple[str, ...]) -> tuple[Schema, dict[str, exp.Expr]]:
    """Return the schema after match() and the SQL of each output column: the
    row's value, or the event's own value when the row lacks one or none matched."""
    result = schema
    replacements: dict[str, exp.Expr] = {}
    for index, name in enumerate(outputs):
        value = _name(_value(index))
        replacements[name] = (
            exp.Coalesce(this=value, expressions=[column(name)]) if schema.has(name) else value
        )
        result = result.with_field(name)
    return result, replacements


def _filter(select: exp.Select, call: nodes.BoundCall, lookup: MatchLookup) -> exp.Select:
    """Keep the events without a match (negated), or only those with one (strict)."""
    matched = _name(_MATCHED)
    if call.negated:
        return select.where(is_null(matched))
    if lookup.strict:
        return select.where(not_null(matched))
    return select


def _values(table: LookupTable, position: int, outputs: tuple[str, ...]) -> list[str | None]:
    row = table.rows[position]
    return [row[index] if (index := table.index(name)) is not None else None for name in outputs]


def _join_condition(lookup: MatchLookup, schema: Schema) -> exp.Expr:
    tests = []
    for index, field in enumerate(lookup.fields):
        value = schema.field(field)
        if lookup.ignore_case:
            # DuckDB's lower() maps each character as fold_case() does for the keys.
            value = exp.Lower(this=value)
        tests.append(exp.EQ(this=value, expression=_name(_key(index))))
    return exp.and_(*tests)


def _no_rows(
    call: nodes.BoundCall, lookup: MatchLookup, schema: Schema, source: str
) -> CompiledStage:
    """Compile match() over a table without a usable row, which nothing matches."""
    select = select_from(schema, source)
    if lookup.strict and not call.negated:
        select = select.where(exp.false())
    return CompiledStage(select, schema, schema)


def _name(name: str) -> exp.Column:
    return exp.column(exp.to_identifier(name, quoted=True))


def _literal(value: str | None) -> exp.Expr:
    return null_text() if value is None else exp.Literal.string(value)


def _key(index: int) -> str:
    return f"__cqlkit_lookup_key{index}"


def _value(index: int) -> str:
    return f"__cqlkit_lookup_value{index}"
