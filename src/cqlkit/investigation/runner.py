"""Running a detection, choosing one hit, and running its pivot queries over the same events.

The events are read once and kept in memory, because every pivot searches all of them.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from cqlkit.detections.catalog import Detection
from cqlkit.engines.reference.row import Row
from cqlkit.errors import CqlError
from cqlkit.investigation.pivots import InvestigationError, Pivot
from cqlkit.language.diagnostics import Diagnostic
from cqlkit.plan import nodes
from cqlkit.plan.planner import plan_query
from cqlkit.sources.values import Event

ENGINES = ("duckdb", "reference")

PROCESS_LOOKUP_QUERY = (
    "#event_simpleName=/^(ProcessRollup2|SyntheticProcessRollup2)$/"
    " aid=?aid TargetProcessId=?TargetProcessId"
)
"""The query that finds the start event of one process, for ``--aid`` and ``--process-id``."""

PROCESS_KEY_FIELDS = ("aid", "TargetProcessId", "ParentProcessId")
"""The fields that identify a process on its host, and its parent. Every hit shows them."""

_SHAPING_FUNCTIONS = frozenset({"select", "drop"})
_ORDERING_FUNCTIONS = frozenset({"sort", "head", "tail"})


@dataclass(frozen=True, kw_only=True)
class QueryResult:
    """The rows of one query run, with the engine's warnings and notices."""

    rows: list[Row]
    warnings: list[str] = field(default_factory=list)
    notices: list[str] = field(default_factory=list)


@dataclass(frozen=True, kw_only=True)
class Hit:
    """The event that an investigation starts from."""

    event: Row
    """Every field of the event, including those the detection's select() leaves out."""
    number: int
    """The 1-based position among the detection's hits, or 1 for a process given by id."""
    total: int
    fields: tuple[str, ...]
    """The fields to show: those the detection selects, then the process key."""

    def shown(self) -> Row:
        """Return the hit with only :attr:`fields`, in that order."""
        return Row({name: self.event[name] for name in self.fields if name in self.event})


@dataclass(frozen=True, kw_only=True)
class PivotRun:
    """The outcome of one pivot: its rows over every run, or why it did not run."""

    pivot: Pivot
    parameters: list[dict[str, str]] = field(default_factory=list)
    """The parameter values of each run, in order."""
    result: QueryResult = field(default_factory=lambda: QueryResult(rows=[]))
    skipped: str | None = None
    """Why the pivot did not run: a parameter has no value, or its source step found nothing."""
    missing: tuple[str, ...] = ()
    """The parameters that had no value, when that is why the pivot did not run."""


def run_query(plan: nodes.Plan, events: Sequence[Event], engine: str) -> QueryResult:
    """Run ``plan`` over ``events`` on the engine named ``engine``, without changing the events."""
    if engine == "duckdb":
        from cqlkit.engines.duckdb.engine import DuckDBEngine

        (outcome,) = DuckDBEngine().run([plan], events)
        return QueryResult(rows=outcome.rows, warnings=outcome.warnings, notices=outcome.notices)
    if engine == "reference":
        from cqlkit.engines.reference.context import RunContext
        from cqlkit.engines.reference.interpreter import run_plan

        context = RunContext()
        rows = run_plan(plan, events, context)
        return QueryResult(rows=rows, warnings=list(context.warnings))
    raise ValueError(f"unknown engine {engine!r}; expected one of {', '.join(ENGINES)}")


def find_hits(
    detection: Detection,
    events: Sequence[Event],
    *,
    engine: str = "duckdb",
    query_name: str | None = None,
    lenient: bool = False,
) -> tuple[QueryResult, tuple[str, ...]]:
    """Run the detection and return its hits with every field, and the fields it selects.

    The trailing ``select()`` and ``drop()`` stages of the query are left out, so each hit
    keeps the fields that identify its process (``aid``, ``TargetProcessId``). The order of
    the hits does not change.
    """
    text = detection.query(query_name)
    try:
        plan = plan_query(text, lenient=lenient)
    except CqlError as exc:
        exc.add_note(f"while planning detection {detection.id}")
        raise
    full_plan, selected = keep_all_fields(plan)
    result = run_query(full_plan, events, engine)
    # Warnings of the plan, such as those of --lenient, come before the engine's own.
    planned = [
        f"{_place(item)}{item.message} [{item.code}]"
        for item in plan.diagnostics
        if isinstance(item, Diagnostic)
    ]
    return dataclasses.replace(result, warnings=[*planned, *result.warnings]), selected


def _place(diagnostic: Diagnostic) -> str:
    span = diagnostic.span
    return "" if span is None else f"line {span.line}, column {span.col}: "


def keep_all_fields(plan: nodes.Plan) -> tuple[nodes.Plan, tuple[str, ...]]:
    """Drop the ``select()`` and ``drop()`` stages at the end of ``plan``.

    Only stages followed by nothing but ``sort()``, ``head()``, ``tail()``, ``select()`` and
    ``drop()`` are dropped, because those keep every row as it is. Returns the new plan and
    the fields of the last ``select()`` dropped (empty when there was none).
    """
    stages = list(plan.stages)
    kept_tail: list[nodes.Stage] = []
    selected: tuple[str, ...] = ()
    while stages:
        stage = stages[-1]
        if not isinstance(stage, nodes.Apply):
            break
        name = stage.call.name
        if name in _SHAPING_FUNCTIONS:
            if name == "select" and not selected:
                selected = stage.call.names("fields")
        elif name in _ORDERING_FUNCTIONS:
            kept_tail.insert(0, stage)
        else:
            break
        stages.pop()
    return dataclasses.replace(plan, stages=(*stages, *kept_tail)), selected


def choose_hit(hits: list[Row], number: int, detection: Detection) -> Row:
    """Return hit ``number`` (1-based) of the detection's hits.

    Raises:
        InvestigationError: if there are no hits or fewer than ``number``.
    """
    if not hits:
        raise InvestigationError(
            f"detection {detection.id} found no hits in the input, so there is nothing to"
            " investigate",
            hint="to start from a process instead, give --aid and --process-id",
        )
    if not 1 <= number <= len(hits):
        raise InvestigationError(
            f"detection {detection.id} found {len(hits)} hits, so there is no hit {number}",
            hint=f"choose --hit between 1 and {len(hits)}",
        )
    hit = hits[number - 1]
    missing = [name for name in PROCESS_KEY_FIELDS[:2] if name not in hit]
    if missing:
        raise InvestigationError(
            f"hit {number} of detection {detection.id} has no field {', '.join(missing)},"
            " so its process cannot be found",
            hint="give the process with --aid and --process-id",
        )
    return hit


def find_process(
    events: Sequence[Event], aid: str, process_id: str, *, engine: str = "duckdb"
) -> QueryResult:
    """Return the process-start events of the process ``process_id`` on host ``aid``."""
    plan = plan_query(PROCESS_LOOKUP_QUERY, parameters={"aid": aid, "TargetProcessId": process_id})
    return run_query(plan, events, engine)


def run_pivots(
    pivots: Sequence[Pivot],
    hit: Mapping[str, str],
    events: Sequence[Event],
    *,
    overrides: Mapping[str, str] | None = None,
    engine: str = "duckdb",
) -> list[PivotRun]:
    """Run each pivot with parameters taken from the hit, in order.

    A follow-up step runs once per row of the pivot it follows, with parameters taken from
    that row first and from the hit second. ``overrides`` give values that win over both.
    A pivot with a parameter that has no value is skipped, and the reason is recorded.
    """
    overrides = dict(overrides or {})
    runs: dict[str, PivotRun] = {}
    for pivot in pivots:
        runs[pivot.name] = _run_pivot(pivot, hit, events, overrides, runs, engine)
    return list(runs.values())


def _run_pivot(
    pivot: Pivot,
    hit: Mapping[str, str],
    events: Sequence[Event],
    overrides: Mapping[str, str],
    earlier: Mapping[str, PivotRun],
    engine: str,
) -> PivotRun:
    if pivot.source is None:
        sources: list[Mapping[str, str]] = [{}]
    else:
        source = earlier.get(pivot.source)
        if source is None or source.skipped is not None:
            return PivotRun(pivot=pivot, skipped=f"{pivot.source} did not run")
        if not source.result.rows:
            return PivotRun(pivot=pivot, skipped=f"{pivot.source} found no rows")
        sources = list(source.result.rows)

    parameters = []
    for row in sources:
        values, missing = _fill_parameters(pivot, overrides, row, hit)
        if missing:
            origin = "the hit" if pivot.source is None else f"the hit or the {pivot.source} row"
            return PivotRun(
                pivot=pivot,
                skipped=f"{origin} has no field {', '.join(missing)} for"
                f" {', '.join('?' + name for name in missing)}",
                missing=tuple(missing),
            )
        parameters.append(values)
    result = _run_each(pivot, parameters, events, engine)
    return PivotRun(pivot=pivot, parameters=parameters, result=result)


def _run_each(
    pivot: Pivot, parameters: list[dict[str, str]], events: Sequence[Event], engine: str
) -> QueryResult:
    """Run the pivot once per set of parameter values and join the rows in run order."""
    rows: list[Row] = []
    warnings: list[str] = []
    notices: list[str] = []
    for values in parameters:
        try:
            plan = plan_query(pivot.text, parameters=values)
        except CqlError as exc:
            exc.add_note(f"while planning pivot {pivot.path}")
            raise
        result = run_query(plan, events, engine)
        rows += result.rows
        # Each run repeats the same notices, such as a stage that runs on the reference engine.
        warnings += [warning for warning in result.warnings if warning not in warnings]
        notices += [notice for notice in result.notices if notice not in notices]
    return QueryResult(rows=rows, warnings=warnings, notices=notices)


def _fill_parameters(pivot: Pivot, *sources: Mapping[str, str]) -> tuple[dict[str, str], list[str]]:
    """Take each parameter from the first source that has a field of its name."""
    values: dict[str, str] = {}
    missing: list[str] = []
    for name in pivot.parameters:
        for source in sources:
            if name in source:
                values[name] = source[name]
                break
        else:
            missing.append(name)
    return values, missing


@dataclass(frozen=True, kw_only=True)
class Investigation:
    """A hit and what each pivot query found around it."""

    detection: Detection
    hit: Hit
    hit_search: QueryResult
    """The run that found the hit: the detection, or the process lookup of ``--aid``."""
    runs: list[PivotRun]


def investigate(
    detection: Detection,
    pivots: Sequence[Pivot],
    events: Sequence[Event],
    *,
    hit_number: int = 1,
    process: tuple[str, str] | None = None,
    overrides: Mapping[str, str] | None = None,
    engine: str = "duckdb",
    query_name: str | None = None,
    lenient: bool = False,
) -> Investigation:
    """Find the hit and run ``pivots`` around it.

    The hit is hit ``hit_number`` of the detection, in the order of the detection's output,
    or, when ``process`` gives ``(aid, TargetProcessId)``, the start event of that process.

    Raises:
        InvestigationError: if the hit or the process is not in ``events``.
        CqlError: if the detection or a pivot query cannot be planned.
    """
    if process is None:
        search, selected = find_hits(
            detection, events, engine=engine, query_name=query_name, lenient=lenient
        )
        event = choose_hit(search.rows, hit_number, detection)
        number, total = hit_number, len(search.rows)
    else:
        aid, process_id = process
        search = find_process(events, aid, process_id, engine=engine)
        if not search.rows:
            raise InvestigationError(
                f"no ProcessRollup2 or SyntheticProcessRollup2 event has aid={aid} and"
                f" TargetProcessId={process_id}",
                hint="check the ids, or start from a detection hit with --hit",
            )
        event, number, total = search.rows[0], 1, 1
        selected = ("@timestamp", "ComputerName", "UserName", "CommandLine", "ParentBaseFileName")

    fields = tuple(dict.fromkeys((*selected, *PROCESS_KEY_FIELDS)))
    hit = Hit(event=event, number=number, total=total, fields=fields)
    runs = run_pivots(pivots, event, events, overrides=overrides, engine=engine)
    return Investigation(detection=detection, hit=hit, hit_search=search, runs=runs)
