"""The DuckDB engine's runs of join() and defineTable() sub-queries.

A plan whose sub-queries must run over the whole input keeps every batch of
input in a :class:`WholeInput` instead of running its prefix on each batch as
it arrives. When the input ends, :meth:`WholeInput.bind` runs each sub-query
through the normal compile path over all batches at once. It registers the rows
of each join() as a DuckDB relation for the compiled JOIN and fills the run's
defineTable() tables. The batches then run through the plan it returns.
"""

from __future__ import annotations

import itertools
from typing import TYPE_CHECKING

import pyarrow as pa

from cqlkit.engines.duckdb.arrow import arrow_to_rows, empty_table, field_names
from cqlkit.engines.reference.context import RunContext
from cqlkit.engines.reference.row import Row
from cqlkit.engines.sql.columns import SEQ, Schema
from cqlkit.engines.sql.compiler import compile_segments, split_stages
from cqlkit.engines.sql.functions_joins import INCLUDE_COLUMN, KEY_COLUMN
from cqlkit.plan import nodes
from cqlkit.plan.subqueries import SubqueryRows, bind_subquery_results

if TYPE_CHECKING:
    from cqlkit.engines.duckdb.engine import DuckDBEngine

# Numbers the relations of join() rows, so that names stay unique on a shared connection.
_RELATION_NUMBERS = itertools.count()


class WholeInput:
    """The input batches of one plan, kept until its sub-queries have run."""

    def __init__(self, hidden: tuple[str, ...]) -> None:
        self.hidden = hidden
        self.batches: list[pa.Table] = []
        self.relations: list[str] = []

    def add(self, table: pa.Table) -> None:
        """Keep one batch of input."""
        self.batches.append(table)

    def bind(
        self, engine: DuckDBEngine, plan: nodes.Plan, context: RunContext
    ) -> tuple[nodes.Plan, list[str]]:
        """Run the plan's sub-queries over all batches. Return the plan that uses their
        rows, and the notices of the sub-query stages that ran on the reference engine."""
        whole = (
            pa.concat_tables(self.batches, promote_options="permissive")
            if self.batches
            else empty_table(Schema((), self.hidden))
        )
        notices: list[str] = []

        def run(sub_plan: nodes.Plan) -> list[Row]:
            inner = RunContext(tables=context.tables)
            rows = self._run(engine, sub_plan, whole, inner, notices)
            for warning in inner.warnings:
                context.warn(f"in a sub-query: {warning}")
            return rows

        def register(call: nodes.BoundCall, bound: SubqueryRows) -> str:
            name = f"cqlkit_join_{next(_RELATION_NUMBERS)}"
            engine.connection.register(name, _relation(call, bound))
            self.relations.append(name)
            return name

        bound_plan = bind_subquery_results(plan, run, context.tables, context.warn, register)
        return bound_plan, notices

    def _run(
        self,
        engine: DuckDBEngine,
        plan: nodes.Plan,
        table: pa.Table,
        context: RunContext,
        notices: list[str],
    ) -> list[Row]:
        """Run ``plan`` over ``table`` as the engine runs a whole plan, without lifting limits."""
        prefix, rest = split_stages(plan, lift_default_limits=False)
        sequence = itertools.count()
        segments = compile_segments(prefix, self._schema(table), False)
        middle = engine.run_segments(segments, table, context, sequence=sequence)
        rest_segments = compile_segments(rest, self._schema(middle), False)
        final = engine.run_segments(
            rest_segments, middle, context, first_total=middle.num_rows, sequence=sequence
        )
        notices.extend(s.reason for s in (*segments, *rest_segments) if s.kind == "reference")
        if SEQ in final.column_names and final.num_rows:
            final = final.sort_by([(SEQ, "ascending")])
        return arrow_to_rows(final)

    def _schema(self, table: pa.Table) -> Schema:
        hidden = tuple(name for name in self.hidden if name in table.column_names)
        return Schema(field_names(table), hidden)

    def close(self, engine: DuckDBEngine) -> None:
        """Drop the relations that :meth:`bind` registered."""
        for name in self.relations:
            engine.connection.unregister(name)
        self.relations.clear()


def _relation(call: nodes.BoundCall, bound: SubqueryRows) -> pa.Table:
    """Build the rows of a join() as a table: one row per match, with its key= values
    and its include= values (the empty string where the match lacks the field)."""
    keys = call.names("key")
    include = call.names("include") if call.get("include") is not None else ()
    matches = [match for found in bound.matches.values() for match in found]
    columns: dict[str, pa.Array] = {}
    for index, name in enumerate(keys):
        columns[KEY_COLUMN.format(index)] = pa.array([m[name] for m in matches], pa.string())
    for index, name in enumerate(include):
        values = [m.get(name, "") for m in matches]
        columns[INCLUDE_COLUMN.format(index)] = pa.array(values, pa.string())
    return pa.table(columns)
