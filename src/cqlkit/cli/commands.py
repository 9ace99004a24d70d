"""Implementations of the CLI commands, apart from option parsing."""

from __future__ import annotations

import sys
import tempfile
import time
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from cqlkit.cli.output import plural, write_rows
from cqlkit.cli.resource_options import parameters_from, resources_from
from cqlkit.engines.reference.context import RunContext
from cqlkit.engines.reference.interpreter import run_plan
from cqlkit.engines.reference.row import Row
from cqlkit.errors import CqlError
from cqlkit.plan.nodes import Plan

if TYPE_CHECKING:
    from cqlkit.sources.prefilter import LineFilter
from cqlkit.plan.planner import plan_query
from cqlkit.sources import ReadReport, raw_line_field, read_events

MAX_PROBLEMS_SHOWN = 5


@dataclass
class Job:
    """One query to run: a name for the output and its plan."""

    name: str
    plan: Plan
    source: str


def read_query(argument: str) -> str:
    """Return the query text: the file's content when ``argument`` names a file.

    Raises CqlError for a ``.cql`` name that is not a readable UTF-8 file, so a
    mistyped path is not read as query text.
    """
    path = named_path(argument)
    if path is not None and path.is_file():
        return read_query_file(path)
    if looks_like_query_file(argument):
        raise CqlError(
            f"query file not found: {argument}",
            hint="check the path; query text that ends in .cql needs a space or a pipe",
        )
    return argument


def named_path(argument: str) -> Path | None:
    """Return ``argument`` as a path when it can be one (a single short line), else None."""
    return Path(argument) if len(argument) < 4096 and "\n" not in argument else None


def read_query_file(path: Path) -> str:
    """Return the text of a query file, without a leading byte order mark."""
    try:
        return path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise CqlError(f"cannot read the query file {path}: {exc}") from None


def looks_like_query_file(argument: str) -> bool:
    """Tell whether an argument that names no file was meant as a ``.cql`` path."""
    stripped = argument.strip()
    return stripped.lower().endswith(".cql") and not any(c in stripped for c in " |=(\n")


def run_query(
    argument: str,
    paths: Sequence[Path],
    lenient: bool,
    parameters: Sequence[str],
    options: dict[str, Any],
) -> int:
    """Run one query over the inputs and print its rows."""
    text = read_query(argument)
    plan = plan_query(
        text,
        lenient=lenient,
        parameters=parameters_from(parameters),
        resources=resources_from(options),
    )
    _print_plan_warnings(text, plan, "query")
    return _run_jobs([Job("query", plan, text)], paths, options, with_names=False)


def run_hunt(
    paths: Sequence[Path],
    ids: Sequence[str],
    query_name: str | None,
    lenient: bool,
    options: dict[str, Any],
    *,
    tuning: Sequence[str] = (),
) -> int:
    """Run catalog detections over the inputs and print each one's rows."""
    from cqlkit.detections import apply_tuning
    from cqlkit.detections.catalog import find_detections, load_catalog

    detections = find_detections(list(ids)) if ids else load_catalog()
    resources = resources_from(options)
    jobs = []
    for detection in detections:
        text = apply_tuning(detection, detection.query(query_name), tuning)
        try:
            plan = plan_query(text, lenient=lenient, resources=resources)
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
    if options.get("store") is not None:
        if paths:
            raise click.UsageError("give either input paths or --store, not both")
        results, engine, summary = _run_on_store(jobs, options)
    else:
        if options.get("start") or options.get("end"):
            raise click.UsageError(
                "--start and --end select events of a store; use them with --store"
            )
        results, engine = _run_on_files(jobs, paths, options, report)
        summary = f"{plural(report.events_read, 'event')} read, {report.rejected} rejected"
    write_rows(results, options["output_format"], with_names=with_names)
    _print_read_problems(report)
    seconds = time.perf_counter() - started
    total_rows = sum(len(rows) for _, rows in results)
    click.echo(f"{summary}, {plural(total_rows, 'row')}, {seconds:.2f} s ({engine})", err=True)
    return 0


def _run_on_files(
    jobs: list[Job], paths: Sequence[Path], options: dict[str, Any], report: ReadReport
) -> tuple[list[tuple[str, list[Row]]], str]:
    from_stdin = not paths or any(str(path) == "-" for path in paths)
    engine = options.get("engine") or ("reference" if from_stdin else "duckdb")
    with _inputs(paths) as inputs:
        events = read_events(
            inputs,
            input_format=options["input_format"],
            aidmaster=options["aidmaster"],
            report=report,
            strict=options["strict"],
            line_filter=_line_filter(jobs, aidmaster=options["aidmaster"] is not None),
        )
        return run_engine(engine, jobs, events, lift_default_limits=options["all_rows"]), engine


def _line_filter(jobs: list[Job], *, aidmaster: bool) -> LineFilter | None:
    """Build a prefilter of raw lines when every query needs a literal; None otherwise."""
    from cqlkit.plan.requirements import required_literals

    requirements = []
    for job in jobs:
        requirement = required_literals(
            job.plan, searchable=lambda field: raw_line_field(field, aidmaster=aidmaster)
        )
        if requirement is None:
            return None
        requirements.append(requirement)
    if not requirements:
        return None
    from cqlkit.sources.prefilter import LineFilter

    return LineFilter(requirements)


def _run_on_store(
    jobs: list[Job], options: dict[str, Any]
) -> tuple[list[tuple[str, list[Row]]], str, str]:
    from cqlkit.plan.requirements import required_event_types
    from cqlkit.store import select_files
    from cqlkit.timeranges import parse_time

    if options.get("engine") == "reference":
        raise click.UsageError("--store runs on the duckdb engine; drop --engine reference")
    now_ms = int(time.time() * 1000)
    start = _time_option(parse_time, options.get("start"), now_ms, "--start")
    end = _time_option(parse_time, options.get("end"), now_ms, "--end")
    types: set[str] | None = set()
    for job in jobs:
        required = required_event_types(job.plan)
        if required is None or types is None:
            types = None
        else:
            types |= required
    selection = select_files(
        options["store"],
        start_ms=start,
        end_ms=end,
        event_types=None if types is None else frozenset(types),
    )
    plans = [_time_bounded(job.plan, start, end) for job in jobs]
    from cqlkit.engines.duckdb.engine import DuckDBEngine

    outcomes = DuckDBEngine().run_store(
        plans,
        [str(path) for path in selection.files],
        selection.columns,
        lift_default_limits=options["all_rows"],
    )
    results = _report_outcomes(jobs, outcomes)
    summary = f"{selection.total - selection.pruned} of {plural(selection.total, 'part file')} read"
    return results, "duckdb", summary


def _time_option(parse: Any, text: str | None, now_ms: int, name: str) -> int | None:
    if text is None:
        return None
    try:
        return int(parse(text, now_ms))
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint=name) from exc


def _time_bounded(plan: Plan, start: int | None, end: int | None) -> Plan:
    """Add the time range to the plan as a filter, because pruning works on whole files."""
    from cqlkit.plan.timerange import with_time_range

    return with_time_range(plan, start, end)


def run_engine(
    engine: str, jobs: list[Job], events: Iterable[dict[str, str]], *, lift_default_limits: bool
) -> list[tuple[str, list[Row]]]:
    """Run every job over ``events`` in one pass, printing warnings and notices."""
    if engine == "duckdb":
        from cqlkit.engines.duckdb.engine import DuckDBEngine

        outcomes = DuckDBEngine().run(
            [job.plan for job in jobs], events, lift_default_limits=lift_default_limits
        )
        return _report_outcomes(jobs, outcomes)
    materialized: Iterable[dict[str, str]] = events if len(jobs) == 1 else list(events)
    results = []
    for job in jobs:
        context = RunContext(lift_default_limits=lift_default_limits)
        rows = run_plan(job.plan, materialized, context)
        for warning in context.warnings:
            click.echo(f"warning: {job.name}: {warning}", err=True)
        results.append((job.name, rows))
    return results


def _report_outcomes(jobs: list[Job], outcomes: Sequence[Any]) -> list[tuple[str, list[Row]]]:
    """Print each job's notices and warnings and return its rows."""
    results = []
    for job, outcome in zip(jobs, outcomes, strict=True):
        for notice in outcome.notices:
            click.echo(f"notice: {job.name}: {notice}", err=True)
        for warning in outcome.warnings:
            click.echo(f"warning: {job.name}: {warning}", err=True)
        results.append((job.name, outcome.rows))
    return results


def run_ingest(
    paths: Sequence[Path], store: Path, input_format: str | None, aidmaster: Path | None
) -> int:
    """Ingest files into a store and print what was added."""
    from cqlkit.store import ingest

    report = ReadReport()
    result = ingest(
        list(paths), store, input_format=input_format, aidmaster=aidmaster, report=report
    )
    for skipped in result.skipped:
        click.echo(
            f"skipped {skipped.path}: already in the store as {skipped.stored_path}", err=True
        )
    _print_read_problems(report)
    click.echo(
        f"{plural(result.events, 'event')} from {plural(len(result.inputs), 'new file')} "
        f"added to {store} in {plural(len(result.parts), 'part file')}, "
        f"{result.rejected} rejected, {result.seconds:.2f} s",
        err=True,
    )
    return 0


def run_explain(
    argument: str, lenient: bool, parameters: Sequence[str], options: dict[str, Any]
) -> int:
    """Print the logical plan and the SQL of each engine."""
    from cqlkit.cli.explain import explain_text

    text = read_query(argument)
    plan = plan_query(
        text,
        lenient=lenient,
        parameters=parameters_from(parameters),
        resources=resources_from(options),
    )
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
