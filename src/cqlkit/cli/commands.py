"""Implementations of the CLI commands, apart from option parsing."""

from __future__ import annotations

import sys
import tempfile
import time
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import click

from cqlkit.cli.output import plural, write_check_report, write_rows
from cqlkit.engines.reference.context import RunContext
from cqlkit.engines.reference.interpreter import run_plan
from cqlkit.engines.reference.row import Row
from cqlkit.errors import CqlError
from cqlkit.plan.nodes import Plan
from cqlkit.plan.planner import check_query, plan_query
from cqlkit.sources import ReadReport, read_events

MAX_PROBLEMS_SHOWN = 5


@dataclass
class Job:
    """One query to run: a name for the output and its plan."""

    name: str
    plan: Plan
    source: str


def read_query(argument: str) -> str:
    """Return the query text: the file's content when ``argument`` names a file."""
    path = Path(argument)
    if len(argument) < 4096 and "\n" not in argument and path.is_file():
        return path.read_text(encoding="utf-8")
    return argument


def run_check(argument: str, lenient: bool, output_format: str) -> int:
    """Check a query and print its diagnostics; return 1 on any error."""
    text = read_query(argument)
    try:
        _, diagnostics = check_query(text, lenient=lenient)
    except CqlError as exc:
        write_check_report(text, [], output_format, syntax_error=exc)
        return 1
    write_check_report(text, diagnostics, output_format)
    return 1 if any(d.severity == "error" for d in diagnostics) else 0


def run_query(
    argument: str,
    paths: Sequence[Path],
    lenient: bool,
    parameters: Sequence[str],
    options: dict[str, Any],
) -> int:
    """Run one query over the inputs and print its rows."""
    text = read_query(argument)
    values = dict(_parse_parameter(item) for item in parameters)
    plan = plan_query(text, lenient=lenient, parameters=values)
    _print_plan_warnings(text, plan, "query")
    return _run_jobs([Job("query", plan, text)], paths, options, with_names=False)


def run_hunt(
    paths: Sequence[Path],
    ids: Sequence[str],
    query_name: str | None,
    lenient: bool,
    options: dict[str, Any],
) -> int:
    """Run catalog detections over the inputs and print each one's rows."""
    from cqlkit.detections.catalog import find_detections, load_catalog

    detections = find_detections(list(ids)) if ids else load_catalog()
    jobs = []
    for detection in detections:
        text = detection.query(query_name)
        try:
            plan = plan_query(text, lenient=lenient)
        except CqlError as exc:
            exc.add_note(f"while planning detection {detection.id}")
            raise
        _print_plan_warnings(text, plan, detection.id)
        jobs.append(Job(detection.id, plan, text))
    return _run_jobs(jobs, paths, options, with_names=True)


def _run_jobs(
    jobs: list[Job], paths: Sequence[Path], options: dict[str, Any], *, with_names: bool
) -> int:
    started = time.perf_counter()
    report = ReadReport()
    from_stdin = not paths or any(str(path) == "-" for path in paths)
    engine = options.get("engine") or ("reference" if from_stdin else "duckdb")
    with _inputs(paths) as inputs:
        events = read_events(
            inputs,
            input_format=options["input_format"],
            aidmaster=options["aidmaster"],
            report=report,
            strict=options["strict"],
        )
        results = run_engine(engine, jobs, events, lift_default_limits=options["all_rows"])
    write_rows(results, options["output_format"], with_names=with_names)
    _print_read_problems(report)
    seconds = time.perf_counter() - started
    total_rows = sum(len(rows) for _, rows in results)
    click.echo(
        f"{plural(report.events_read, 'event')} read, {report.rejected} rejected, "
        f"{plural(total_rows, 'row')}, {seconds:.2f} s ({engine})",
        err=True,
    )
    return 0


def run_engine(
    engine: str, jobs: list[Job], events: Iterable[dict[str, str]], *, lift_default_limits: bool
) -> list[tuple[str, list[Row]]]:
    """Run every job over ``events`` in one pass, printing warnings and notices."""
    if engine == "duckdb":
        from cqlkit.engines.duckdb.engine import DuckDBEngine

        outcomes = DuckDBEngine().run(
            [job.plan for job in jobs], events, lift_default_limits=lift_default_limits
        )
        results = []
        for job, outcome in zip(jobs, outcomes, strict=True):
            for notice in outcome.notices:
                click.echo(f"notice: {job.name}: {notice}", err=True)
            for warning in outcome.warnings:
                click.echo(f"warning: {job.name}: {warning}", err=True)
            results.append((job.name, outcome.rows))
        return results
    materialized: Iterable[dict[str, str]] = events if len(jobs) == 1 else list(events)
    results = []
    for job in jobs:
        context = RunContext(lift_default_limits=lift_default_limits)
        rows = run_plan(job.plan, materialized, context)
        for warning in context.warnings:
            click.echo(f"warning: {job.name}: {warning}", err=True)
        results.append((job.name, rows))
    return results


def run_explain(argument: str, lenient: bool) -> int:
    """Print the logical plan and the SQL of each engine."""
    from cqlkit.cli.explain import explain_text

    text = read_query(argument)
    plan = plan_query(text, lenient=lenient)
    click.echo(explain_text(plan))
    return 0


class _inputs:
    """Input paths, with standard input saved to a temporary file when asked for."""

    def __init__(self, paths: Sequence[Path]) -> None:
        self.paths = list(paths)
        self.temporary: tempfile._TemporaryFileWrapper[bytes] | None = None

    def __enter__(self) -> list[Path]:
        if self.paths and all(str(path) != "-" for path in self.paths):
            return self.paths
        self.temporary = tempfile.NamedTemporaryFile(prefix="cqlkit-stdin-", suffix=".ndjson")
        for chunk in iter(lambda: sys.stdin.buffer.read(1 << 20), b""):
            self.temporary.write(chunk)
        self.temporary.flush()
        rest = [path for path in self.paths if str(path) != "-"]
        return [Path(self.temporary.name), *rest]

    def __exit__(self, *exc: object) -> None:
        if self.temporary is not None:
            self.temporary.close()


def _parse_parameter(item: str) -> tuple[str, str]:
    name, separator, value = item.partition("=")
    if not separator or not name:
        raise click.BadParameter(f"expected NAME=VALUE, got {item!r}", param_hint="--param")
    return name, value


def _print_plan_warnings(text: str, plan: Plan, name: str) -> None:
    for diagnostic in _diagnostics(plan):
        click.echo(f"{name}: {diagnostic.render(text)}", err=True)


def _diagnostics(plan: Plan) -> Iterator[Any]:
    yield from plan.diagnostics


def _print_read_problems(report: ReadReport) -> None:
    for problem in report.problems[:MAX_PROBLEMS_SHOWN]:
        click.echo(f"warning: skipped unreadable record {problem}", err=True)
    hidden = report.rejected - min(len(report.problems), MAX_PROBLEMS_SHOWN)
    if hidden > 0:
        click.echo(f"warning: ... and {hidden} more unreadable records", err=True)
