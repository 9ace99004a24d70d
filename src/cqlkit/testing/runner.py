"""The fixture test runner: one case per detection, fixture, query, engine and event format.

For each fixture and event format the runner reads the events once, runs every query the
fixture names on each engine, and compares the rows with the fixture's expected rows field
by field. A case fails when the rows differ, when a row matches a ``[[must_not_match]]``
entry, or when the query cannot be planned or the events cannot be read.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass, field

from cqlkit.detections.catalog import Detection
from cqlkit.detections.fixtures import Fixture
from cqlkit.detections.tuning import apply_tuning
from cqlkit.errors import CqlError
from cqlkit.plan.nodes import Plan
from cqlkit.plan.planner import plan_query
from cqlkit.sources import ReadReport, read_events
from cqlkit.sources.values import Event
from cqlkit.testing.compare import diff_rows
from cqlkit.testing.engines import ENGINE_NAMES, EngineRunner, defines_order


@dataclass(frozen=True)
class Case:
    """One test case: a query of a detection on one fixture, engine and event format."""

    detection: str
    fixture: str
    query: str
    engine: str
    event_format: str

    @property
    def name(self) -> str:
        """The case as one line, e.g. ``T1218.003-cmstp art-test-1 tuned duckdb fdr``."""
        return " ".join((self.detection, self.fixture, self.query, self.engine, self.event_format))


@dataclass(frozen=True)
class CaseResult:
    """The outcome of one case. It passed when ``problems`` is empty."""

    case: Case
    problems: tuple[str, ...]
    """One line per difference or error."""
    expected: tuple[dict[str, str], ...] = ()
    actual: tuple[dict[str, str], ...] = ()
    untuned_expected: tuple[dict[str, str], ...] = ()
    """Rows expected without tuning sets, to show what the tuning sets removed."""
    seconds: float = 0.0

    @property
    def passed(self) -> bool:
        """True when the case has no problem."""
        return not self.problems


@dataclass(frozen=True)
class FixtureRun:
    """The results of a run, in detection, fixture, event format, engine and query order."""

    results: tuple[CaseResult, ...]
    tuning: tuple[str, ...] = ()

    @property
    def failures(self) -> tuple[CaseResult, ...]:
        """The results that failed."""
        return tuple(result for result in self.results if not result.passed)


@dataclass(frozen=True)
class PlannedQuery:
    """A query of a detection, planned with the tuning sets applied, or the reason it is not."""

    name: str
    text: str
    plan: Plan | None
    error: str | None = None


@dataclass
class FixtureEvents:
    """The events of one fixture file, or the reason they could not be read."""

    events: list[Event] = field(default_factory=list)
    error: str | None = None


def run_fixture_tests(
    detections: Sequence[Detection],
    *,
    engines: Sequence[str] = ENGINE_NAMES,
    queries: Sequence[str] = (),
    tuning: Sequence[str] = (),
) -> FixtureRun:
    """Run the fixtures of every detection and return one result per case.

    ``queries`` limits the run to those query names (all that the fixtures name when
    empty). ``tuning`` names tuning sets that every detection must have. They are applied
    to every query, so fixtures that name one in ``suppressed_by`` then expect no rows.

    Raises:
        DetectionError: if a detection has no tuning set of a name in ``tuning``.
    """
    runner = EngineRunner()
    results: list[CaseResult] = []
    for detection in detections:
        plans = plan_queries(detection, _query_names(detection, queries), tuning)
        for fixture in detection.fixtures:
            results += run_fixture(detection, fixture, plans, engines, tuning, runner)
    return FixtureRun(tuple(results), tuple(tuning))


def plan_queries(
    detection: Detection, names: Sequence[str], tuning: Sequence[str] = ()
) -> dict[str, PlannedQuery]:
    """Plan each named query of ``detection`` with the tuning sets applied.

    Queries in the detection's ``lenient_queries`` are planned as ``--lenient`` does. A
    query that cannot be planned gets its error text instead of a plan.

    Raises:
        DetectionError: if a name in ``tuning`` is not a tuning set of the detection.
    """
    planned = {}
    for name in names:
        text = apply_tuning(detection, detection.query(name), tuning)
        try:
            plan = plan_query(text, lenient=name in detection.lenient_queries)
        except CqlError as exc:
            first_line = str(exc).splitlines()[0]
            planned[name] = PlannedQuery(
                name, text, None, f"cannot plan query {name}: {first_line}"
            )
            continue
        planned[name] = PlannedQuery(name, text, plan)
    return planned


def run_fixture(
    detection: Detection,
    fixture: Fixture,
    plans: dict[str, PlannedQuery],
    engines: Sequence[str],
    tuning: Sequence[str],
    runner: EngineRunner,
) -> list[CaseResult]:
    """Run the queries that ``fixture`` names, of those in ``plans``, on every engine and format."""
    names = [name for name in fixture.expectations if name in plans]
    results: list[CaseResult] = []
    for event_format in fixture.events:
        loaded = read_fixture_events(fixture, event_format)
        setup_problems = (
            [loaded.error]
            if loaded.error
            else _vacuous_exclusions(fixture, loaded.events, event_format)
        )
        for engine in engines:
            results += _run_cases(
                detection,
                fixture,
                plans,
                names,
                engine,
                event_format,
                loaded,
                setup_problems,
                tuning,
                runner,
            )
    return results


def read_fixture_events(fixture: Fixture, event_format: str) -> FixtureEvents:
    """Read the event file of one format of ``fixture``; raw FDR gets the fixture's aid_master."""
    path = fixture.events[event_format]
    aidmaster = fixture.aidmaster if event_format == "fdr" else None
    try:
        events = list(
            read_events(
                [path],
                input_format=event_format,
                aidmaster=aidmaster,
                report=ReadReport(),
                strict=True,
            )
        )
    except CqlError as exc:
        return FixtureEvents(error=f"cannot read the {event_format} events of {path}: {exc}")
    return FixtureEvents(events)


def _vacuous_exclusions(fixture: Fixture, events: Sequence[Event], event_format: str) -> list[str]:
    """Report ``[[must_not_match]]`` entries that match no event: they would check nothing."""
    problems = []
    for number, exclusion in enumerate(fixture.must_not_match, start=1):
        if not any(exclusion.matches(event) for event in events):
            problems.append(
                f"must_not_match entry {number} matches no event of the {event_format} events, "
                "so it checks nothing"
            )
    return problems


def _run_cases(
    detection: Detection,
    fixture: Fixture,
    plans: dict[str, PlannedQuery],
    names: Sequence[str],
    engine: str,
    event_format: str,
    loaded: FixtureEvents,
    setup_problems: Sequence[str],
    tuning: Sequence[str],
    runner: EngineRunner,
) -> list[CaseResult]:
    runnable = [name for name in names if plans[name].plan is not None]
    started = time.perf_counter()
    outputs: dict[str, list[dict[str, str]]] = {}
    engine_error = None
    if loaded.error is None and runnable:
        try:
            rows = runner.run(engine, [_plan(plans[name]) for name in runnable], loaded.events)
            outputs = dict(zip(runnable, rows, strict=True))
        except CqlError as exc:
            engine_error = f"the {engine} engine failed: {exc}"
    seconds = (time.perf_counter() - started) / max(len(names), 1)

    results = []
    for name in names:
        case = Case(detection.id, fixture.id, name, engine, event_format)
        expected = fixture.expected_rows(name, event_format, tuning)
        untuned = fixture.expected_rows(name, event_format)
        problems = list(setup_problems)
        planned = plans[name]
        if planned.error is not None:
            problems.append(planned.error)
        elif engine_error is not None:
            problems.append(engine_error)
        actual = outputs.get(name, [])
        if name in outputs:
            problems += diff_rows(expected, actual, ordered=defines_order(_plan(planned)))
            problems += _excluded_rows(fixture, actual)
        results.append(
            CaseResult(
                case, tuple(problems), tuple(expected), tuple(actual), tuple(untuned), seconds
            )
        )
    return results


def _excluded_rows(fixture: Fixture, rows: Sequence[dict[str, str]]) -> list[str]:
    problems = []
    for row_number, row in enumerate(rows, start=1):
        for number, exclusion in enumerate(fixture.must_not_match, start=1):
            if exclusion.matches(row):
                problems.append(
                    f"row {row_number} matches must_not_match entry {number}: {exclusion.reason}"
                )
    return problems


def _plan(planned: PlannedQuery) -> Plan:
    assert planned.plan is not None, f"query {planned.name} has no plan"
    return planned.plan


def _query_names(detection: Detection, requested: Sequence[str]) -> list[str]:
    """Return the queries the fixtures name, in [rule.queries] order, limited to ``requested``."""
    named = {name for fixture in detection.fixtures for name in fixture.expectations}
    return [
        name for name in detection.queries if name in named and (not requested or name in requested)
    ]
