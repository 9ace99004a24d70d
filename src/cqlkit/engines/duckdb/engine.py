"""Execution of compiled plans on an in-process DuckDB connection.

Events arrive in batches. For each plan, the row-by-row prefix runs on every
batch as it arrives, and only what it keeps is accumulated. The rest of the
plan, from the first aggregate on, runs once at the end. Several plans share
one pass over the input.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field

import duckdb
import pyarrow as pa
from sqlglot import exp

from cqlkit.engines.duckdb.arrow import arrow_to_rows, empty_table, field_names, rows_to_arrow
from cqlkit.engines.duckdb.macros import MACROS
from cqlkit.engines.duckdb.subqueries import WholeInput
from cqlkit.engines.reference.context import RunContext
from cqlkit.engines.reference.interpreter import run_stages
from cqlkit.engines.reference.row import Row
from cqlkit.engines.sql.aggregates import compile_batch_candidates
from cqlkit.engines.sql.columns import SEQ, TIME, VALUES, Schema
from cqlkit.engines.sql.compiler import INPUT, Segment, compile_segments, split_stages
from cqlkit.engines.sql.stages import CompiledStage
from cqlkit.errors import UnsupportedFeatureError
from cqlkit.fieldnames import decode, encode
from cqlkit.plan import nodes
from cqlkit.plan.fields import field_use, free_text_fields
from cqlkit.plan.subqueries import needs_whole_input

DEFAULT_BATCH_SIZE = 50_000
DIALECT = "duckdb"


@dataclass
class EngineResult:
    """Rows of one plan, with the warnings of its limits and the notices of
    stages that ran on the reference engine."""

    rows: list[Row]
    warnings: list[str] = field(default_factory=list)
    notices: list[str] = field(default_factory=list)


class DuckDBEngine:
    """Runs plans on an in-process DuckDB database."""

    name = "duckdb"

    def __init__(self, *, batch_size: int = DEFAULT_BATCH_SIZE) -> None:
        self.batch_size = batch_size
        self.connection = duckdb.connect()
        # The progress bar would print on standard output, between result rows.
        self.connection.execute("SET enable_progress_bar = false")
        # An or-chain of hundreds of values compiles to one nested expression.
        self.connection.execute("SET max_expression_depth TO 20000")
        self._sql_cache: dict[int, tuple[Segment, str]] = {}
        for macro in MACROS:
            self.connection.execute(macro)

    def run(
        self,
        plans: Sequence[nodes.Plan],
        events: Iterable[dict[str, str]],
        *,
        lift_default_limits: bool = False,
    ) -> list[EngineResult]:
        """Run every plan over ``events`` in one pass and return one result per plan."""
        jobs = [_Job(self, plan, lift_default_limits) for plan in plans]
        shared = _shared_schema(jobs)
        counter = itertools.count()
        for batch in _batches(events, self.batch_size):
            rows = []
            for event in batch:
                row = Row.from_event(event, keep_origin=True)
                row.seq = next(counter)
                rows.append(row)
            # One table contains the columns of every plan that reads named fields, so
            # that each batch is converted once however many plans run.
            table = rows_to_arrow(rows, shared) if shared is not None else None
            for job in jobs:
                if job.fixed_fields is not None and table is not None:
                    job.feed_table(table)
                else:
                    job.feed(rows)
        return [job.finish() for job in jobs]

    def run_store(
        self,
        plans: Sequence[nodes.Plan],
        files: Sequence[str],
        columns: Sequence[str],
        *,
        lift_default_limits: bool = False,
    ) -> list[EngineResult]:
        """Run every plan over Parquet part files of a cqlkit store.

        DuckDB scans the files itself and reads only the columns the plans need.
        A plan whose row-by-row stages all compile runs them in one query over
        the files. Other plans receive the rows in batches, as from any input.
        """
        jobs = [_Job(self, plan, lift_default_limits) for plan in plans]
        if files:
            scan = store_scan(
                files,
                columns,
                _needed_columns(jobs, columns),
                any(VALUES in j.hidden for j in jobs),
            )
            source = _STORE_SCAN
            if len(jobs) > 1:
                # Read the files once for all plans.
                self.connection.execute(f'CREATE OR REPLACE TEMP TABLE "{_STORE_SCAN}" AS {scan}')
            else:
                self.connection.execute(f'CREATE OR REPLACE TEMP VIEW "{_STORE_SCAN}" AS {scan}')
            try:
                for job in jobs:
                    job.feed_store(source, self._scan_schema(source))
            finally:
                self.connection.execute(f'DROP VIEW IF EXISTS "{_STORE_SCAN}"')
                self.connection.execute(f'DROP TABLE IF EXISTS "{_STORE_SCAN}"')
        return [job.finish() for job in jobs]

    def _scan_schema(self, source: str) -> tuple[str, ...]:
        """Return the field names of the store relation's columns, hidden ones included."""
        described = self.connection.sql(f'SELECT * FROM "{source}" LIMIT 0').columns
        return tuple(decode(name) for name in described)

    def run_segments(
        self,
        segments: Sequence[Segment],
        table: pa.Table | None,
        context: RunContext,
        first_total: int | None = None,
        sequence: Iterator[int] | None = None,
    ) -> pa.Table:
        """Run segments in order over ``table`` and return the result table.

        ``sequence`` numbers the rows that reference segments output, so that
        rows one input row turned into several keep distinct, ordered SEQ values.
        """
        for index, segment in enumerate(segments):
            if segment.kind == "sql" and table is None:
                # The first segment reads the relation "input" that the caller defined.
                table = self._run_sql_on_view(segment, context)
            elif segment.kind == "sql":
                table = self._run_sql(segment, table, context, first_total if index == 0 else None)
            else:
                assert table is not None, "a reference segment cannot read a SQL view"
                table = _run_reference(segment, table, context, sequence or itertools.count())
        assert table is not None
        return table

    def _sql_text(self, segment: Segment) -> str:
        """Return the segment's SQL text, rendered once: a plan's segments run on
        every batch, and building the text costs more than running it on a small batch."""
        cached = self._sql_cache.get(id(segment))
        if cached is None or cached[0] is not segment:
            cached = (segment, segment.query().sql(dialect=DIALECT))
            self._sql_cache[id(segment)] = cached
        return cached[1]

    def _run_sql_on_view(self, segment: Segment, context: RunContext) -> pa.Table:
        result = self.connection.sql(self._sql_text(segment)).to_arrow_table()
        self._check_limits(segment, context, None, 0)
        return result

    def _run_sql(
        self, segment: Segment, table: pa.Table, context: RunContext, first_total: int | None
    ) -> pa.Table:
        connection = self.connection
        connection.register(INPUT, table)
        try:
            result = connection.sql(self._sql_text(segment)).to_arrow_table()
            self._check_limits(segment, context, first_total, table.num_rows)
        finally:
            connection.unregister(INPUT)
        return result

    def _check_limits(
        self, segment: Segment, context: RunContext, first_total: int | None, input_rows: int
    ) -> None:
        """Warn, as the reference engine does, when a limit dropped rows."""
        for index, compiled in enumerate(segment.compiled):
            if compiled.limit is None:
                continue
            if compiled.count_select is not None:
                total = self._count(segment, index, compiled.count_select)
            elif index == 0:
                total = first_total if first_total is not None else input_rows
            else:
                total = self._count(segment, index, None)
            if total > compiled.limit:
                context.warn(compiled.limit_message.format(limit=compiled.limit, total=total))

    def _count(self, segment: Segment, index: int, count_select: exp.Select | None) -> int:
        """Count what a limiting stage's warning reports: the rows of its input
        relation, or what ``count_select`` counts over it."""
        if count_select is None:
            count_select = exp.select(exp.Count(this=exp.Star())).from_(
                exp.to_identifier(_source_of(index), quoted=True)
            )
        query = count_select.copy()
        for position in range(index):
            query = query.with_(
                exp.to_identifier(f"s{position}", quoted=True),
                as_=segment.compiled[position].select,
            )
        value = self.connection.sql(query.sql(dialect=DIALECT)).fetchall()[0][0]
        return int(value)


def _source_of(index: int) -> str:
    return INPUT if index == 0 else f"s{index - 1}"


def _run_reference(
    segment: Segment, table: pa.Table, context: RunContext, sequence: Iterator[int]
) -> pa.Table:
    rows = arrow_to_rows(table)
    result = list(run_stages(segment.stages, rows, context))
    for row in result:
        row.seq = next(sequence)
    schema = segment.output_schema
    if not schema.fields:
        # A terminal reference segment: its columns are whatever its rows hold.
        names: dict[str, None] = {}
        for row in result:
            names.update(dict.fromkeys(row))
        schema = Schema(tuple(names), (SEQ, TIME))
    return rows_to_arrow(result, schema)


class _Job:
    """The state of one plan during a run."""

    def __init__(self, engine: DuckDBEngine, plan: nodes.Plan, lift_default_limits: bool) -> None:
        self.engine = engine
        self.lift = lift_default_limits
        self.context = RunContext(lift_default_limits=lift_default_limits)
        self.prefix_stages, self.rest_stages = split_stages(plan, lift_default_limits)
        use = field_use(plan)
        self.hidden = (SEQ, TIME, VALUES) if use.free_text else (SEQ, TIME)
        self.fixed_fields = None if use.fields is None else tuple(sorted(use.fields))
        self.seen_fields: dict[str, None] = {}
        self.compiled: dict[Schema, list[Segment]] = {}
        self.kept: list[pa.Table] = []
        self.kept_rows = 0
        self.notices: dict[str, None] = {}
        self.sequence = itertools.count()
        # join() and defineTable() sub-queries read every batch, with every field, before
        # the main query runs.
        self.plan = plan
        self.whole_input = WholeInput(self.hidden) if needs_whole_input(plan) else None
        if self.whole_input is not None:
            self.fixed_fields = None

    def feed(self, rows: list[Row]) -> None:
        """Run the prefix over one batch and keep its output."""
        schema = self._batch_schema(rows)
        table = rows_to_arrow(rows, schema)
        if self.whole_input is not None:
            self.whole_input.add(table)
            return
        segments = self._segments(schema)
        output = self.engine.run_segments(segments, table, self.context, sequence=self.sequence)
        self.kept_rows += output.num_rows
        self.kept.append(self._reduce(output))

    def feed_table(self, table: pa.Table) -> None:
        """Run the prefix over one batch already converted to a table that
        contains at least this plan's columns."""
        assert self.fixed_fields is not None
        schema = Schema(self.fixed_fields, self.hidden)
        columns = [encode(name) for name in schema.fields] + list(schema.hidden)
        output = self.engine.run_segments(
            self._segments(schema), table.select(columns), self.context, sequence=self.sequence
        )
        self.kept_rows += output.num_rows
        self.kept.append(self._reduce(output))

    def feed_store(self, source: str, scan_columns: tuple[str, ...]) -> None:
        """Run the prefix over the store relation ``source`` in one query when
        every prefix stage compiles, else feed its rows in batches."""
        hidden = tuple(name for name in self.hidden if name in scan_columns)
        fields = tuple(name for name in scan_columns if name not in (SEQ, TIME, VALUES))
        if self.fixed_fields is not None:
            fields = tuple(name for name in fields if name in self.fixed_fields)
        else:
            self.seen_fields.update(dict.fromkeys(fields))
        schema = Schema(fields, hidden)
        deferred = self.whole_input is not None
        segments = [] if deferred else self._segments(schema)
        connection = self.engine.connection
        names = (*schema.fields, *schema.hidden)
        projection = ", ".join(f'"{_identifier(encode(name))}"' for name in names)
        if not deferred and all(segment.kind == "sql" for segment in segments):
            connection.execute(
                f'CREATE OR REPLACE TEMP VIEW "{INPUT}" AS SELECT {projection} FROM "{source}"'
            )
            try:
                output = self.engine.run_segments(
                    segments, None, self.context, sequence=self.sequence
                )
            finally:
                connection.execute(f'DROP VIEW IF EXISTS "{INPUT}"')
            self.kept_rows += output.num_rows
            self.kept.append(self._reduce(output))
            return
        reader = connection.sql(f'SELECT {projection} FROM "{source}"').to_arrow_reader(
            DEFAULT_BATCH_SIZE
        )
        for batch in reader:
            table = pa.Table.from_batches([batch])
            if self.whole_input is not None:
                self.whole_input.add(table)
                continue
            output = self.engine.run_segments(segments, table, self.context, sequence=self.sequence)
            self.kept_rows += output.num_rows
            self.kept.append(self._reduce(output))

    def _batch_schema(self, rows: list[Row]) -> Schema:
        if self.fixed_fields is not None:
            return Schema(self.fixed_fields, self.hidden)
        for row in rows:
            for name in row:
                self.seen_fields.setdefault(name)
        return Schema(tuple(self.seen_fields), self.hidden)

    def _segments(self, schema: Schema) -> list[Segment]:
        segments = self.compiled.get(schema)
        if segments is None:
            segments = compile_segments(self.prefix_stages, schema, self.lift)
            self.compiled[schema] = segments
            self.notices.update(dict.fromkeys(s.reason for s in segments if s.kind == "reference"))
        return segments

    def _reduce(self, output: pa.Table) -> pa.Table:
        """Keep only the rows of a batch that a leading head(), tail(), sort()
        or table() with a limit can output from the whole input."""
        if not self.rest_stages or output.num_rows == 0:
            return output
        first = self.rest_stages[0]
        if not isinstance(first, nodes.Apply):
            return output
        schema = _schema_of(output, self.hidden)
        try:
            candidates = compile_batch_candidates(
                first.call, schema, INPUT, lift_default_limits=self.lift
            )
        except UnsupportedFeatureError:
            return output
        if candidates is None:
            return output
        segment = Segment("sql", (first,), schema, schema, (candidates,))
        quiet = RunContext(lift_default_limits=self.lift)
        return _restore_order(self.engine.run_segments([segment], output, quiet))

    def finish(self) -> EngineResult:
        """Run the rest of the plan over everything the prefix kept. A plan with join()
        or defineTable() first runs its sub-queries, then its prefix over every kept batch."""
        if self.whole_input is None:
            return self._finish()
        try:
            plan, notices = self.whole_input.bind(self.engine, self.plan, self.context)
            self.notices.update(dict.fromkeys(notices))
            self.prefix_stages, self.rest_stages = split_stages(plan, self.lift)
            for table in self.whole_input.batches:
                segments = self._segments(_schema_of(table, self.hidden))
                output = self.engine.run_segments(
                    segments, table, self.context, sequence=self.sequence
                )
                self.kept_rows += output.num_rows
                self.kept.append(self._reduce(output))
            return self._finish()
        finally:
            self.whole_input.close(self.engine)

    def _finish(self) -> EngineResult:
        middle = self._middle_table()
        schema = _schema_of(middle, self.hidden)
        segments = compile_segments(self.rest_stages, schema, self.lift)
        self.notices.update(dict.fromkeys(s.reason for s in segments if s.kind == "reference"))
        final = self.engine.run_segments(
            segments, middle, self.context, first_total=self.kept_rows, sequence=self.sequence
        )
        rows = arrow_to_rows(_restore_order(final))
        for row in rows:
            row.origin = None
        return EngineResult(rows, list(self.context.warnings), list(self.notices))

    def _middle_table(self) -> pa.Table:
        if not self.kept:
            fields = self.fixed_fields if self.fixed_fields is not None else tuple(self.seen_fields)
            return empty_table(Schema(fields, self.hidden))
        return pa.concat_tables(self.kept, promote_options="permissive")


_STORE_SCAN = "cqlkit_store_scan"
# Rows of one part file get SEQ = file index * 2^32 + row number, so SEQ keeps the
# store's order without sorting the whole input.
# NOTE: read_parquet's file_row_number column cannot be renamed, so an event field of
# that name would collide with it.
_FILE_SEQ_FACTOR = 1 << 32


def store_scan(
    files: Sequence[str], columns: Sequence[str], needed: Sequence[str], free_text: bool
) -> str:
    """Return SQL that reads the needed columns of the part files, with the hidden columns."""
    file_list = "[" + ", ".join(_sql_text(name) for name in files) + "]"
    items = []
    for name in needed:
        # Part files name their columns with encoded field names, as SQL does.
        column = _identifier(encode(name))
        if name in columns:
            items.append(f'"{column}"')
        else:
            items.append(f'CAST(NULL AS VARCHAR) AS "{column}"')
    # file_index is read_parquet's virtual column: the position of the row's file in the list.
    items.append(f'file_index * {_FILE_SEQ_FACTOR} + file_row_number AS "{SEQ}"')
    items.append(f'CAST("{TIME}" AS DOUBLE) AS "{TIME}"')
    if free_text:
        searched = free_text_fields(columns)
        values = ", ".join(f'"{_identifier(encode(name))}"' for name in searched)
        items.append(f'list_filter([{values}], lambda v: v IS NOT NULL) AS "{VALUES}"')
    return (
        f"SELECT {', '.join(items)} FROM read_parquet({file_list}, union_by_name = true, "
        "file_row_number = true)"
    )


def _needed_columns(jobs: Sequence[_Job], columns: Sequence[str]) -> list[str]:
    needed: dict[str, None] = {}
    for job in jobs:
        names = columns if job.fixed_fields is None else job.fixed_fields
        needed.update(dict.fromkeys(names))
    return list(needed)


def _sql_text(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _identifier(name: str) -> str:
    return name.replace('"', '""')


def _shared_schema(jobs: Sequence[_Job]) -> Schema | None:
    """Return the union of the columns of the plans that read named fields, or
    None when every plan needs all fields."""
    fields: set[str] = set()
    hidden: dict[str, None] = {}
    found = False
    for job in jobs:
        if job.fixed_fields is None:
            continue
        found = True
        fields.update(job.fixed_fields)
        hidden.update(dict.fromkeys(job.hidden))
    return Schema(tuple(sorted(fields)), tuple(hidden)) if found else None


def _schema_of(table: pa.Table, hidden: tuple[str, ...]) -> Schema:
    names = field_names(table)
    present = tuple(name for name in hidden if name in table.column_names)
    return Schema(names, present)


def _restore_order(table: pa.Table) -> pa.Table:
    """Order rows by the hidden sequence column, which every stage keeps in output order."""
    if SEQ not in table.column_names or table.num_rows == 0:
        return table
    return table.sort_by([(SEQ, "ascending")])


def _batches(events: Iterable[dict[str, str]], size: int) -> Iterator[list[dict[str, str]]]:
    iterator = iter(events)
    while batch := list(itertools.islice(iterator, size)):
        yield batch


__all__ = ["CompiledStage", "DuckDBEngine", "EngineResult"]
