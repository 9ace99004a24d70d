"""SQL compilation of the functions that run a sub-query over the input.

join() compiles to a join with the relation that contains its sub-query's rows,
which the engine registers before the main query runs (see
:mod:`cqlkit.engines.duckdb.subqueries`): a semi-join without include=, an inner
or left join with it, and an anti-join for !join(). selfJoinFilter() compiles to
window functions over the keys. correlate() has no SQL form: it runs on the
reference engine.
"""

from __future__ import annotations

from sqlglot import exp

from cqlkit.engines.sql.columns import Schema
from cqlkit.engines.sql.family import Transforms, Values
from cqlkit.engines.sql.predicates import compile_predicate
from cqlkit.engines.sql.stages_base import CompiledStage, select_from
from cqlkit.engines.sql.typed import definitely, not_null
from cqlkit.errors import UnsupportedFeatureError
from cqlkit.fieldnames import encode
from cqlkit.plan import nodes
from cqlkit.plan.subqueries import SubqueryRows, filter_predicate

KEY_COLUMN = "__cqlkit_join_key{}"
"""Name of the relation column that contains the n-th key= field of a join()."""
INCLUDE_COLUMN = "__cqlkit_join_include{}"
"""Name of the relation column that contains the n-th include= field of a join()."""
UNBOUND_RELATION = "cqlkit_join_rows"
"""Relation that the SQL of a join() names before its sub-query ran, as in
``cqlkit explain``. An engine runs the SQL only after it bound the rows."""
_CLAUSE_COLUMN = "__cqlkit_where{}"
# Alias of the event relation, so that conditions name its columns unambiguously: inside
# a sub-query DuckDB reads an unqualified "user" as the current user, not as a column.
_EVENTS = "__cqlkit_events"


def _join(call: nodes.BoundCall, schema: Schema, source: str) -> CompiledStage:
    bound = call.get("query")
    relation = UNBOUND_RELATION
    if isinstance(bound, SubqueryRows) and bound.relation is not None:
        relation = bound.relation
    max_rows = call.get("max")
    if not call.negated and isinstance(max_rows, int | float) and max_rows > 1:
        raise UnsupportedFeatureError(
            "join(max=...)",
            "join() with max above 1 gives one event several rows, in an order SQL does not keep",
            engine="sql",
        )
    condition = exp.and_(
        *(
            exp.EQ(
                this=_relation_column(relation, KEY_COLUMN, i), expression=_event_field(schema, f)
            )
            for i, f in enumerate(call.names("field"))
        )
    )
    include = call.names("include") if call.get("include") is not None else ()
    if call.negated or not include:
        return _semi_join(call, schema, source, relation, condition)
    replacements: dict[str, exp.Expr] = {}
    result = schema
    for index, field in enumerate(include):
        value: exp.Expr = _relation_column(relation, INCLUDE_COLUMN, index)
        # A left join leaves the field as it was when no row matched.
        if call.get("mode") == "left" and schema.has(field):
            value = exp.Coalesce(this=value, expressions=[schema.field(field)])
        replacements[field] = value
        result = result.with_field(field)
    kind = "left" if call.get("mode") == "left" else "inner"
    select = (
        exp.select(*result.projection(replacements))
        .from_(_events(source))
        .join(
            exp.Table(this=exp.to_identifier(relation, quoted=True)), on=condition, join_type=kind
        )
    )
    return CompiledStage(select, result, schema)


def _semi_join(
    call: nodes.BoundCall,
    schema: Schema,
    source: str,
    relation: str,
    condition: exp.Expr,
) -> CompiledStage:
    """Keep the events that have a match (or, for !join(), that have none); with
    mode=left and no include=, every event passes unchanged."""
    if call.get("mode") == "left" and not call.negated:
        return CompiledStage(select_from(schema, source), schema, schema)
    select = exp.select(*schema.projection()).from_(_events(source))
    rows = exp.to_identifier(relation, quoted=True)
    found = exp.Exists(this=exp.select(exp.Literal.number(1)).from_(rows).where(condition))
    where = exp.Not(this=found) if call.negated else found
    return CompiledStage(select.where(where), schema, schema)


def _events(source: str) -> exp.Expr:
    return exp.alias_(
        exp.to_identifier(source, quoted=True), exp.to_identifier(_EVENTS, quoted=True)
    )


def _event_field(schema: Schema, name: str) -> exp.Expr:
    """Return the column of field ``name`` in the aliased event relation (NULL when absent)."""
    if not schema.has(name):
        return schema.field(name)
    return exp.column(
        exp.to_identifier(encode(name), quoted=True), table=exp.to_identifier(_EVENTS, quoted=True)
    )


def _relation_column(relation: str, template: str, index: int) -> exp.Column:
    return exp.column(
        exp.to_identifier(template.format(index), quoted=True),
        table=exp.to_identifier(relation, quoted=True),
    )


def _self_join_filter(call: nodes.BoundCall, schema: Schema, source: str) -> CompiledStage:
    """Mark each row with, per where= clause, whether some row with its key meets
    the clause (a window over the key), then keep the rows whose key meets them all."""
    where = call.get("where")
    assert isinstance(where, tuple)
    clauses = [definitely(compile_predicate(filter_predicate(plan), schema)) for plan in where]
    keys = [schema.field(name) for name in call.names("field")]
    marks = [
        exp.alias_(
            exp.Window(
                this=exp.LogicalOr(this=clause.copy()), partition_by=[k.copy() for k in keys]
            ),
            exp.to_identifier(_CLAUSE_COLUMN.format(index), quoted=True),
        )
        for index, clause in enumerate(clauses)
    ]
    marked = exp.select(exp.Star(), *marks).from_(exp.to_identifier(source, quoted=True))
    kept: list[exp.Expr] = [not_null(key.copy()) for key in keys]
    kept.extend(
        exp.column(exp.to_identifier(_CLAUSE_COLUMN.format(i), quoted=True))
        for i in range(len(clauses))
    )
    if call.get("prefilter") and clauses:
        kept.append(exp.or_(*(clause.copy() for clause in clauses)))
    passed = definitely(exp.and_(*kept))
    select = exp.select(*schema.projection()).from_(marked.subquery("marked"))
    select = select.where(exp.Not(this=passed) if call.negated else passed)
    return CompiledStage(select, schema, schema)


VALUES: Values = {}
TRANSFORMS: Transforms = {"join": _join, "selfJoinFilter": _self_join_filter}
