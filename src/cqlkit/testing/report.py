"""The coverage report: what each query of a detection does on each fixture.

For every fixture the report runs each compared query and states its status. A query
caught a malicious fixture when it returned rows, else it missed it. On a benign or
unrelated fixture it reported a false positive when it returned rows, else it stayed quiet.
The report also lists the indicators that fired and the highest risk score. It then
applies each tuning set alone and counts the rows it removes. The report reads the rows
the queries return, not the fixtures' expectations, so it shows what the queries do even
while a fixture test fails.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from cqlkit.detections.catalog import Detection
from cqlkit.detections.fixtures import Fixture
from cqlkit.testing.engines import EngineRunner
from cqlkit.testing.runner import CaseResult, plan_queries, run_fixture

STATUS_CAUGHT = "caught"
STATUS_MISSED = "missed"
STATUS_FALSE_POSITIVE = "false positive"
STATUS_QUIET = "quiet"


@dataclass(frozen=True)
class Signal:
    """The result of one query on the events of one format of a fixture."""

    rows: int
    indicators: tuple[str, ...]
    """Indicators that are "1" in at least one row, in the detection's order."""
    score: int | None
    """Highest risk score of the rows, or None without rows or a score field."""


@dataclass(frozen=True)
class Outcome:
    """The status of one query on one fixture, with its result per event format."""

    query: str
    status: str
    signals: tuple[tuple[str, Signal], ...]
    """(event format, signal) pairs, in the order of the fixture's event files."""
    note: str | None

    @property
    def formats_agree(self) -> bool:
        """True when every event format gave the same signal."""
        return len({signal for _, signal in self.signals}) <= 1


@dataclass(frozen=True)
class FixtureCoverage:
    """The outcome of each compared query on one fixture."""

    fixture: Fixture
    outcomes: tuple[Outcome, ...]


@dataclass(frozen=True)
class TuningEffect:
    """The rows that one tuning set removes from one query's results."""

    tuning: str
    query: str
    removed: tuple[tuple[str, int], ...]
    """(fixture id, rows removed) for each fixture that lost rows."""
    removed_from_attacks: int
    """Rows removed from malicious fixtures: true positives that the tuning set hides."""


@dataclass(frozen=True)
class CoverageReport:
    """Coverage of one detection's fixtures by its compared queries, with tuning effects."""

    detection: Detection
    queries: tuple[str, ...]
    engine: str
    fixtures: tuple[FixtureCoverage, ...]
    tuning: tuple[TuningEffect, ...]


def build_report(
    detection: Detection, *, engine: str = "reference", queries: Sequence[str] = ()
) -> CoverageReport:
    """Run the fixtures of ``detection`` and build its coverage report.

    ``queries`` defaults to the detection's ``report_queries``, or else every query a
    fixture names. Every tuning set of the detection is applied alone to measure its effect.
    """
    compared = tuple(queries) or _default_queries(detection)
    runner = EngineRunner()
    baseline = _run(detection, compared, engine, (), runner)
    coverage = tuple(
        FixtureCoverage(
            fixture,
            tuple(_outcome(detection, fixture, query, baseline) for query in compared),
        )
        for fixture in detection.fixtures
    )
    effects = []
    for name in detection.tuning_sets:
        tuned = _run(detection, compared, engine, (name,), runner)
        effects += [_tuning_effect(detection, name, query, baseline, tuned) for query in compared]
    return CoverageReport(detection, compared, engine, coverage, tuple(effects))


def status_of(fixture: Fixture, caught: bool) -> str:
    """Name the outcome of a query on a fixture from its verdict and whether rows came back."""
    if fixture.verdict == "malicious":
        return STATUS_CAUGHT if caught else STATUS_MISSED
    return STATUS_FALSE_POSITIVE if caught else STATUS_QUIET


# Results of a run, by (fixture id, query, event format).
_Rows = dict[tuple[str, str, str], tuple[dict[str, str], ...]]


def _run(
    detection: Detection,
    queries: Sequence[str],
    engine: str,
    tuning: Sequence[str],
    runner: EngineRunner,
) -> _Rows:
    plans = plan_queries(detection, queries, tuning)
    rows: _Rows = {}
    for fixture in detection.fixtures:
        results: list[CaseResult] = run_fixture(detection, fixture, plans, [engine], tuning, runner)
        for result in results:
            rows[(fixture.id, result.case.query, result.case.event_format)] = result.actual
    return rows


def _default_queries(detection: Detection) -> tuple[str, ...]:
    if detection.report_queries:
        return detection.report_queries
    named = {name for fixture in detection.fixtures for name in fixture.expectations}
    return tuple(name for name in detection.queries if name in named)


def _outcome(detection: Detection, fixture: Fixture, query: str, rows: _Rows) -> Outcome:
    signals = tuple(
        (event_format, _signal(detection, rows.get((fixture.id, query, event_format), ())))
        for event_format in fixture.events
    )
    caught = any(signal.rows for _, signal in signals)
    expectation = fixture.expectations.get(query)
    note = expectation.note if expectation is not None else None
    return Outcome(query, status_of(fixture, caught), signals, note)


def _signal(detection: Detection, rows: Sequence[dict[str, str]]) -> Signal:
    fired = tuple(
        name for name in detection.indicators if any(row.get(name) == "1" for row in rows)
    )
    scores = []
    if detection.score_field is not None:
        for row in rows:
            text = row.get(detection.score_field, "")
            if text.lstrip("-").isdigit():
                scores.append(int(text))
    return Signal(len(rows), fired, max(scores) if scores else None)


def _tuning_effect(
    detection: Detection, name: str, query: str, baseline: _Rows, tuned: _Rows
) -> TuningEffect:
    removed = []
    from_attacks = 0
    for fixture in detection.fixtures:
        if query not in fixture.expectations:
            continue
        # Each event format contains the same activity, so the largest loss counts once.
        lost = max(
            len(baseline.get((fixture.id, query, fmt), ()))
            - len(tuned.get((fixture.id, query, fmt), ()))
            for fmt in fixture.events
        )
        if lost > 0:
            removed.append((fixture.id, lost))
            if fixture.verdict == "malicious":
                from_attacks += lost
    return TuningEffect(name, query, tuple(removed), from_attacks)
