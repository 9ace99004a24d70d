"""The ``cqlkit test`` command, and the exit status of ``cqlkit check --strict``.

``cqlkit test`` runs the fixtures of the catalog's detections on every engine, prints a
pass/fail table and the differences of each failed case, and exits with 1 when a case
fails. ``--report`` adds each detection's coverage report. The command imports the test
machinery only when it runs, so that ``cqlkit --help`` stays fast.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

if TYPE_CHECKING:
    from cqlkit.detections.catalog import Detection
    from cqlkit.language.diagnostics import Diagnostic
    from cqlkit.testing.render import Table

EXIT_TEST_FAILED = 1

# Written out so that --help does not import the engines; a test checks it against
# cqlkit.testing.engines.ENGINE_NAMES.
ENGINE_CHOICES = ("reference", "duckdb")


def check_strict_exit(diagnostics: Sequence[Diagnostic], *, strict: bool) -> int:
    """Return the exit status of ``cqlkit check`` for the diagnostics of a query.

    The status is 1 when a diagnostic is an error. With ``strict`` it is 1 for a warning
    too, such as ``#timestamp`` read as ``@timestamp`` or a mistake that ``--lenient``
    accepted, because LogScale would not run that text as written. Otherwise it is 0.
    """
    failing = ("error", "warning") if strict else ("error",)
    return 1 if any(diagnostic.severity in failing for diagnostic in diagnostics) else 0


STRICT_CHECK_OPTION = click.option(
    "--strict",
    is_flag=True,
    help=(
        "Exit with 1 on warnings too (such as #timestamp, or a mistake that --lenient"
        " accepted), not only on errors."
    ),
)
"""The ``--strict`` option of ``cqlkit check``; its value goes to :func:`check_strict_exit`."""


@click.command("test")
@click.argument("detection_ids", nargs=-1, metavar="[DETECTION]...")
@click.option(
    "--engine",
    "engines",
    multiple=True,
    type=click.Choice(ENGINE_CHOICES),
    help="Run on this engine only (repeatable). Default: every engine.",
)
@click.option(
    "--query",
    "queries",
    multiple=True,
    metavar="NAME",
    help=(
        "Run only this query of each detection (repeatable)."
        " Default: every query that a fixture names."
    ),
)
@click.option(
    "--tuning",
    "tuning",
    multiple=True,
    metavar="NAME",
    help=(
        "Apply this tuning set of each detection (repeatable). Fixtures that it suppresses"
        " then expect no rows, and the table shows the rows it removed."
    ),
)
@click.option(
    "--junit",
    "junit_path",
    type=click.Path(dir_okay=False, writable=True, path_type=Path),
    help="Also write the results as JUnit XML to this file, for CI systems.",
)
@click.option(
    "--report",
    is_flag=True,
    help="Also print each detection's coverage report: what every query did on every fixture.",
)
@click.option(
    "--markdown",
    is_flag=True,
    help="With --report: print the coverage report as Markdown, as README.md contains it.",
)
@click.option(
    "--update-readme",
    is_flag=True,
    help="With --report: rewrite the coverage report block of each detection's README.md.",
)
@click.option("--debug", is_flag=True, help="Show tracebacks of errors.")
def test_command(
    detection_ids: tuple[str, ...],
    engines: tuple[str, ...],
    queries: tuple[str, ...],
    tuning: tuple[str, ...],
    junit_path: Path | None,
    report: bool,
    markdown: bool,
    update_readme: bool,
    debug: bool,
) -> None:
    """Run the test fixtures of the catalog's detections (all, or each DETECTION id).

    Every query that a fixture names runs on every engine and event format of the
    fixture, and its rows are compared field by field with the fixture's expected rows.
    Exits with 1 when a case fails.
    """
    from cqlkit.cli.main import _guard

    if (markdown or update_readme) and not report:
        raise click.UsageError("--markdown and --update-readme need --report")
    options = {
        "engines": engines,
        "queries": queries,
        "tuning": tuning,
        "junit_path": junit_path,
        "report": report,
        "markdown": markdown,
        "update_readme": update_readme,
    }
    _guard(debug, lambda: run_tests(detection_ids, options))


def run_tests(detection_ids: Sequence[str], options: dict[str, Any]) -> int:
    """Run the fixture tests, print the results and return the exit status."""
    from cqlkit.detections.catalog import find_detections, load_catalog
    from cqlkit.testing import ENGINE_NAMES, run_fixture_tests
    from cqlkit.testing.junit import write_junit
    from cqlkit.testing.render import closing_line, failure_text, results_table, tuning_summary

    detections = find_detections(list(detection_ids)) if detection_ids else load_catalog()
    engines = options["engines"] or ENGINE_NAMES
    run = run_fixture_tests(
        detections, engines=engines, queries=options["queries"], tuning=options["tuning"]
    )
    if not run.results:
        click.echo("no fixture to run: no detection selected has fixtures", err=True)

    _print_table(results_table(run))
    for line in tuning_summary(run):
        click.echo(line)
    if run.failures:
        click.echo("\n" + failure_text(run))
    if options["junit_path"] is not None:
        write_junit(run, options["junit_path"])
    if options["report"]:
        _print_reports(detections, options)
    click.echo(closing_line(run))
    return EXIT_TEST_FAILED if run.failures else 0


def _print_reports(detections: Sequence[Detection], options: dict[str, Any]) -> None:
    from cqlkit.testing.readme import README_FILE, replace_readme_report
    from cqlkit.testing.render import (
        coverage_table,
        note_lines,
        report_markdown,
        summary_lines,
        tuning_table,
    )
    from cqlkit.testing.report import build_report

    engine = options["engines"][0] if len(options["engines"]) == 1 else "reference"
    for detection in detections:
        if not detection.fixtures:
            continue
        report = build_report(detection, engine=engine, queries=options["queries"])
        click.echo()
        if options["markdown"] or options["update_readme"]:
            markdown = report_markdown(report)
            if options["update_readme"]:
                path = detection.path / README_FILE
                text = path.read_text(encoding="utf-8")
                path.write_text(replace_readme_report(text, markdown, path), encoding="utf-8")
                click.echo(f"updated the coverage report in {path}", err=True)
            else:
                click.echo(markdown)
            continue
        _print_table(coverage_table(report))
        click.echo("\n".join(summary_lines(report)))
        notes = note_lines(report)
        if notes:
            click.echo("Notes:\n" + "\n".join(f"  {line}" for line in notes))
        if report.tuning:
            click.echo()
            _print_table(tuning_table(report))


def _print_table(table: Table) -> None:
    """Print a table with rich on a terminal, and as plain columns otherwise."""
    from cqlkit.testing.render import FAIL, PASS, to_plain

    if not sys.stdout.isatty():
        click.echo(to_plain(table))
        return
    from rich.console import Console
    from rich.table import Table as RichTable

    rich_table = RichTable(title=table.title, title_justify="left")
    for header in table.headers:
        rich_table.add_column(header, overflow="fold")
    styles = {FAIL: "bold red", PASS: "green"}
    for row in table.rows:
        rich_table.add_row(
            *(f"[{styles[cell]}]{cell}[/]" if cell in styles else cell for cell in row)
        )
    Console().print(rich_table)
