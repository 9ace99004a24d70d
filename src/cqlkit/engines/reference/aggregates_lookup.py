"""readFile() on the reference engine: a source of rows that ignores its input
(https://library.humio.com/data-analysis/functions-readfile.html)."""

from __future__ import annotations

from cqlkit.engines.reference.aggregates_base import AggregatorFactories, SubPlanRunner
from cqlkit.engines.reference.context import RunContext
from cqlkit.engines.reference.functions_lookup_match import ad_hoc_table
from cqlkit.engines.reference.row import Row
from cqlkit.plan import nodes
from cqlkit.plan.lookups.bound import LookupSource


class ReadFile:
    """readFile(): the rows of each file or table in the order named, each in
    file order, cut at ``limit``; ``include`` keeps only the listed columns.
    Whatever came before readFile() in the query is discarded."""

    def __init__(self, call: nodes.BoundCall, context: RunContext, runner: SubPlanRunner) -> None:
        self.call = call
        self.context = context

    def add(self, row: Row) -> None:
        """Discard an input row: readFile() outputs only the files' rows."""

    def rows(self) -> list[Row]:
        sources = self.call.get("sources")
        assert isinstance(sources, tuple), "readFile() reached the engine without its files"
        include = self.call.get("include")
        limit = self.call.get("limit")
        out: list[Row] = []
        for source in sources:
            assert isinstance(source, LookupSource)
            table = source.table or ad_hoc_table(source.name, self.context, "readFile", self.call)
            columns = table.value_columns
            if isinstance(include, tuple):
                columns = tuple(name for name in include if name in table.value_columns)
            for position in range(len(table.rows)):
                if isinstance(limit, int | float) and len(out) >= limit:
                    return out
                out.append(Row(table.row_fields(position, columns)))
        return out


AGGREGATORS: AggregatorFactories = {"readFile": ReadFile}
