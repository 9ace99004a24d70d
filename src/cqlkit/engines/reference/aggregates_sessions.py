"""The reference engine's session aggregates, session() and series(), which split
rows into runs by event time, and the table of every aggregate of this family.

:mod:`cqlkit.engines.reference.aggregates_windows` has accumulate(),
slidingWindow() and partition(), which split rows in input order instead.

Both functions order their rows by event time (@timestamp, else the time the
event entered with), then input order. Rows without an event time are
skipped, as bucket() and timeChart() skip them.
"""

from __future__ import annotations

from collections.abc import Iterable

from cqlkit.engines.reference import aggregates_windows
from cqlkit.engines.reference.aggregates_base import AggregatorFactories, SubPlanRunner
from cqlkit.engines.reference.aggregates_charts import run_function
from cqlkit.engines.reference.aggregates_windows import matches
from cqlkit.engines.reference.context import RunContext
from cqlkit.engines.reference.row import Row
from cqlkit.engines.reference.values import format_number
from cqlkit.plan import nodes
from cqlkit.timeranges import parse_duration

TimedRow = tuple[float, Row]


def duration_argument(call: nodes.BoundCall, name: str) -> float | None:
    """Return a relative-time argument such as ``maxpause=15m`` in milliseconds,
    or None when the call leaves it out."""
    value = call.get(name)
    return None if value is None else float(parse_duration(str(value).lower()))


class _TimeOrdered:
    """Collects the rows that have an event time, in input order."""

    def __init__(self) -> None:
        self.timed: list[TimedRow] = []

    def add(self, row: Row) -> None:
        time = row.event_time()
        if time is not None:
            self.timed.append((time, row))

    def ordered(self) -> list[TimedRow]:
        """Return the rows by event time; rows with equal times keep input order."""
        return sorted(self.timed, key=lambda item: item[0])


class Session(_TimeOrdered):
    """session(): the outputs of ``function`` over each session, one session
    after the other.

    A session is a run of rows in time order in which each row comes at most
    ``maxpause`` after the one before it: a longer pause starts a new session.
    The outputs of ``function`` combine as stats() combines them, so each
    session gives at least one row.
    """

    def __init__(self, call: nodes.BoundCall, context: RunContext, runner: SubPlanRunner) -> None:
        super().__init__()
        self.function = call.get("function")
        self.maxpause = duration_argument(call, "maxpause") or 0.0
        self.context, self.runner = context, runner

    def rows(self) -> list[Row]:
        output: list[Row] = []
        for session in split_by_pause(self.ordered(), self.maxpause):
            members = [row for _, row in session]
            output.extend(run_function(self.function, members, self.context, self.runner))
        return output


def split_by_pause(rows: Iterable[TimedRow], maxpause: float) -> list[list[TimedRow]]:
    """Split time-ordered rows where the time from one row to the next exceeds ``maxpause``."""
    runs: list[list[TimedRow]] = []
    for item in rows:
        if runs and item[0] - runs[-1][-1][0] <= maxpause:
            runs[-1].append(item)
        else:
            runs.append([item])
    return runs


class Series(_TimeOrdered):
    """series(): one row per series of rows. The row has ``@timestamp``, the
    time of the series' first row, and ``_duration``, the milliseconds from its
    first row to its last. Each ``collect`` field has the series' values of that
    field in time order, joined by ``separator``, and is absent when no row of
    the series has it.

    Without options all rows form one series. ``maxpause`` ends a series before
    a row that comes longer than that after the previous row, and ``maxduration``
    before a row that comes longer than that after the series' first row.
    ``endmatch`` ends a series after a row that passes it. With ``startmatch``
    a series starts only at a row that passes it, and a passing row always
    starts a new series: rows before the first start, or after a series ended
    and before the next start, belong to no series and are ignored.
    """

    def __init__(self, call: nodes.BoundCall, context: RunContext, runner: SubPlanRunner) -> None:
        super().__init__()
        self.fields = tuple(dict.fromkeys(call.names("collect")))
        self.separator = call.text("separator")
        start, end = call.get("startmatch"), call.get("endmatch")
        self.start = start if isinstance(start, nodes.Plan) else None
        self.end = end if isinstance(end, nodes.Plan) else None
        self.maxpause = duration_argument(call, "maxpause")
        self.maxduration = duration_argument(call, "maxduration")
        self.context, self.runner = context, runner

    def rows(self) -> list[Row]:
        return [self._series_row(series) for series in self._split()]

    def _split(self) -> list[list[TimedRow]]:
        runs: list[list[TimedRow]] = []
        current: list[TimedRow] | None = None
        for time, row in self.ordered():
            starts = self.start is not None and self._passes(self.start, row)
            if current is not None and (starts or self._breaks(current, time)):
                current = None
            if current is None:
                if self.start is not None and not starts:
                    continue
                current = []
                runs.append(current)
            current.append((time, row))
            if self.end is not None and self._passes(self.end, row):
                current = None
        return runs

    def _breaks(self, current: list[TimedRow], time: float) -> bool:
        """Tell whether a row at ``time`` falls outside the series ``current``."""
        if self.maxpause is not None and time - current[-1][0] > self.maxpause:
            return True
        return self.maxduration is not None and time - current[0][0] > self.maxduration

    def _passes(self, condition: nodes.Plan, row: Row) -> bool:
        return matches(condition, row, self.context, self.runner)

    def _series_row(self, series: list[TimedRow]) -> Row:
        first, last = series[0][0], series[-1][0]
        output = Row({"@timestamp": format_number(first), "_duration": format_number(last - first)})
        for field in self.fields:
            values = [row[field] for _, row in series if field in row]
            if values:
                output[field] = self.separator.join(values)
        return output


AGGREGATORS: AggregatorFactories = {
    "session": Session,
    "series": Series,
    **aggregates_windows.AGGREGATORS,
}
