"""The ``cqlkit investigate`` command: a detection hit and the pivot queries around it.

Exit statuses:

* 0: success, even when a pivot finds nothing or does not run;
* 1: there is no such hit or process to investigate, or no such pivot;
* 2: the command line is invalid;
* 3: the detection or a pivot query is invalid;
* 4: an input cannot be read.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from cqlkit.cli.input_formats import INPUT_FORMATS
from cqlkit.cli.resource_options import parameters_from

if TYPE_CHECKING:
    from cqlkit.engines.reference.row import Row
    from cqlkit.investigation import Investigation

EXIT_NOTHING_TO_INVESTIGATE = 1
EXIT_QUERY_ERROR = 3
EXIT_INPUT_ERROR = 4
OUTPUT_FORMATS = ("table", "ndjson", "json")
HIT_RESULT_NAME = "hit"
"""The ``pivot`` value of the hit's record in ndjson and json output."""

# The names of cqlkit.sources.FORMATS, written out so that --help does not import the
# readers; a test checks that the two lists agree.


@click.command("investigate")
@click.argument("detection")
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option(
    "--hit",
    "hit_number",
    type=click.IntRange(min=1),
    help="Investigate this hit of the detection, counted from 1 in its output order. Default: 1.",
)
@click.option(
    "--aid",
    metavar="AID",
    help=(
        "Start from a process instead of a hit: the Falcon agent id of its host"
        " (with --process-id)."
    ),
)
@click.option(
    "--process-id",
    metavar="ID",
    help="The TargetProcessId of the process to start from (with --aid).",
)
@click.option(
    "--pivot",
    "pivot_names",
    multiple=True,
    metavar="NAME",
    help="Run only this pivot, and the step it runs on (repeatable). Default: every pivot.",
)
@click.option(
    "--param",
    "parameters",
    multiple=True,
    metavar="NAME=VALUE",
    help="Value of pivot parameter ?NAME, used instead of the hit's field NAME (repeatable).",
)
@click.option(
    "--query",
    "query_name",
    metavar="NAME",
    help="Find hits with this query of the detection. Default: the detection's default query.",
)
@click.option(
    "--lenient",
    is_flag=True,
    help="Accept the known mistakes of published queries, with a warning for each.",
)
@click.option(
    "--input-format",
    type=click.Choice(INPUT_FORMATS),
    help="Read every input in this format instead of detecting it per file.",
)
@click.option(
    "--aidmaster",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="aid_master CSV that gives raw FDR events their ComputerName (by aid).",
)
@click.option(
    "--strict",
    is_flag=True,
    help="Stop at the first unreadable record instead of counting it and going on.",
)
@click.option(
    "--engine",
    type=click.Choice(["duckdb", "reference"]),
    default="duckdb",
    show_default=True,
    help="Query engine. Both give the same rows.",
)
@click.option(
    "--format",
    "output_format",
    type=click.Choice(OUTPUT_FORMATS),
    default="table",
    show_default=True,
    help="Output format of the hit and the pivot rows.",
)
@click.option("--debug", is_flag=True, help="Show tracebacks of errors.")
def investigate(detection: str, paths: tuple[Path, ...], **options: Any) -> None:
    """Run DETECTION over PATHs, pick one hit and run the detection's pivot queries around it.

    DETECTION is a detection id of the catalog or a detection folder. Its pivot queries are
    the files investigations/*.cql. Each query parameter ?NAME takes the value of the hit's
    field NAME. A step that runs once per row of another pivot takes it from that row first.
    A pivot with a parameter that has no value is skipped with a warning.
    """
    from cqlkit.errors import CqlError, SourceError
    from cqlkit.investigation import InvestigationError

    debug = options.pop("debug")
    try:
        run_investigate(detection, paths, options)
    except CqlError as exc:
        if debug:
            raise
        click.echo(f"error[{exc.kind}]: {exc}", err=True)
        if isinstance(exc, InvestigationError):
            sys.exit(EXIT_NOTHING_TO_INVESTIGATE)
        sys.exit(EXIT_INPUT_ERROR if isinstance(exc, SourceError) else EXIT_QUERY_ERROR)


def run_investigate(argument: str, paths: Sequence[Path], options: dict[str, Any]) -> None:
    """Read the inputs once, investigate the chosen hit, and print every result."""
    from cqlkit.cli.output import plural
    from cqlkit.investigation import INVESTIGATIONS_FOLDER, investigate, load_pivots, select_pivots
    from cqlkit.sources import ReadReport, read_events

    process = _process_option(options["aid"], options["process_id"], options["hit_number"])
    overrides = parameters_from(options["parameters"])
    detection = _find_detection(argument)
    pivots = select_pivots(
        load_pivots(detection.path / INVESTIGATIONS_FOLDER), list(options["pivot_names"])
    )

    started = time.perf_counter()
    report = ReadReport()
    events = list(
        read_events(
            list(paths),
            input_format=options["input_format"],
            aidmaster=options["aidmaster"],
            report=report,
            strict=options["strict"],
        )
    )
    result = investigate(
        detection,
        pivots,
        events,
        hit_number=options["hit_number"] or 1,
        process=process,
        overrides=overrides,
        engine=options["engine"],
        query_name=options["query_name"],
        lenient=options["lenient"],
    )
    _print_messages(result)
    _write_results(result, options["output_format"])

    for problem in report.problems[:5]:
        click.echo(f"warning: skipped unreadable record {problem}", err=True)
    ran = sum(run.skipped is None for run in result.runs)
    skipped = len(result.runs) - ran
    seconds = time.perf_counter() - started
    click.echo(
        f"{plural(report.events_read, 'event')} read, {report.rejected} rejected,"
        f" {plural(ran, 'pivot')} run, {skipped} not run, {seconds:.2f} s ({options['engine']})",
        err=True,
    )


def _find_detection(argument: str) -> Any:
    from cqlkit.detections import find_detections, load_detection

    path = Path(argument)
    if path.is_dir():
        return load_detection(path)
    (detection,) = find_detections([argument])
    return detection


def _process_option(
    aid: str | None, process_id: str | None, hit_number: int | None
) -> tuple[str, str] | None:
    if aid is None and process_id is None:
        return None
    if aid is None or process_id is None:
        raise click.UsageError("give --aid and --process-id together")
    if hit_number is not None:
        raise click.UsageError("give either --hit or --aid and --process-id, not both")
    return aid, process_id


def _print_messages(result: Investigation) -> None:
    """Print, on standard error, what each pivot ran with and the engines' messages."""
    for notice in result.hit_search.notices:
        click.echo(f"notice: {result.detection.id}: {notice}", err=True)
    for warning in result.hit_search.warnings:
        click.echo(f"warning: {result.detection.id}: {warning}", err=True)
    for run in result.runs:
        name = run.pivot.name
        if run.missing:
            given = " ".join(f"--param {key}=VALUE" for key in run.missing)
            click.echo(f"warning: {name}: skipped, because {run.skipped}; give {given}", err=True)
            continue
        if run.skipped is not None:
            click.echo(f"{name}: not run, because {run.skipped}", err=True)
            continue
        for values in run.parameters:
            shown = " ".join(f"?{key}={value}" for key, value in values.items())
            click.echo(f"{name}: ran with {shown}", err=True)
        for notice in run.result.notices:
            click.echo(f"notice: {name}: {notice}", err=True)
        for warning in run.result.warnings:
            click.echo(f"warning: {name}: {warning}", err=True)


def _write_tables(results: list[tuple[str, list[Row]]]) -> None:
    from cqlkit.cli.output import write_rows

    for name, rows in results:
        if rows:
            write_rows([(name, rows)], "table", with_names=True)
        else:
            # A table with no columns would print as an empty line.
            click.echo(f"{name}: 0 rows")


def _write_results(result: Investigation, output_format: str) -> None:
    hit = result.hit
    results: list[tuple[str, list[Row]]] = [
        (f"{result.detection.id} hit {hit.number} of {hit.total}", [hit.shown()])
    ]
    results += [(run.pivot.name, run.result.rows) for run in result.runs if run.skipped is None]
    if output_format == "table":
        _write_tables(results)
        return

    import orjson

    names = [HIT_RESULT_NAME, *(name for name, _ in results[1:])]
    records = [
        {"pivot": name, **row}
        for name, (_, rows) in zip(names, results, strict=True)
        for row in rows
    ]
    out = sys.stdout.buffer
    if output_format == "json":
        out.write(orjson.dumps(records, option=orjson.OPT_INDENT_2) + b"\n")
    else:
        for record in records:
            out.write(orjson.dumps(record) + b"\n")
    out.flush()
