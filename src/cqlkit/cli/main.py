"""The ``cqlkit`` command line.

Commands import what they need when they run, so that ``cqlkit --help``
starts fast. Exit statuses:

* 0: the command succeeded (for ``hunt`` and ``run``, whether or not rows matched);
* 1: ``check`` found at least one error;
* 2: the command line is invalid (unknown option, missing argument);
* 3: the query cannot be parsed or LogScale would not compile it;
* 4: an input cannot be read, or a bad record was met with ``--strict``.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click

from cqlkit import __version__
from cqlkit.cli.input_formats import INPUT_FORMATS
from cqlkit.cli.resource_options import PARAM_OPTION, resource_options
from cqlkit.cli.test_command import STRICT_CHECK_OPTION

F = TypeVar("F", bound=Callable[..., Any])

EXIT_CHECK_FAILED = 1
EXIT_QUERY_ERROR = 3
EXIT_INPUT_ERROR = 4
RECURSION_LIMIT = 8000
OUTPUT_FORMATS = ("table", "ndjson", "json", "csv")


INPUT_FORMAT_OPTION = click.option(
    "--input-format",
    type=click.Choice(INPUT_FORMATS),
    help="Read every input in this format instead of detecting it per file.",
)
AIDMASTER_OPTION = click.option(
    "--aidmaster",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="aid_master CSV that gives raw FDR events their ComputerName (by aid).",
)


def _store_options(command: F) -> F:
    options = [
        click.option(
            "--store",
            type=click.Path(file_okay=False, path_type=Path),
            help="Query a store that cqlkit ingest wrote, instead of files.",
        ),
        click.option(
            "--start",
            metavar="TIME",
            help=(
                "With --store: only events at or after TIME"
                " (relative such as 7d or 24h, ISO 8601, or epoch ms)."
            ),
        ),
        click.option(
            "--end",
            metavar="TIME",
            help="With --store: only events before TIME (same forms as --start).",
        ),
    ]
    for option in reversed(options):
        command = option(command)
    return command


def _input_options(command: F) -> F:
    options = [
        INPUT_FORMAT_OPTION,
        AIDMASTER_OPTION,
        click.option(
            "--strict",
            is_flag=True,
            help="Stop at the first unreadable record instead of counting it and going on.",
        ),
        click.option(
            "--format",
            "output_format",
            type=click.Choice(OUTPUT_FORMATS),
            default="table",
            show_default=True,
            help="Output format of the result rows.",
        ),
        click.option(
            "--all",
            "all_rows",
            is_flag=True,
            help=(
                "Lift the implicit 200-row limit and the default 200-row limits"
                " of sort(), table(), head() and tail()."
            ),
        ),
        click.option(
            "--engine",
            type=click.Choice(["duckdb", "reference"]),
            help=(
                "Query engine. Default: duckdb for files, reference for standard input."
                " Both give the same rows."
            ),
        ),
        click.option("--debug", is_flag=True, help="Show tracebacks of errors."),
    ]
    for option in reversed(options):
        command = option(command)
    return command


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="cqlkit")
def cli() -> None:
    """Run CrowdStrike LogScale (CQL) queries and detections offline."""


@cli.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option(
    "--detection",
    "detection_ids",
    multiple=True,
    metavar="ID",
    help="Run only this detection (repeatable).",
)
@click.option(
    "--query",
    "query_name",
    metavar="NAME",
    help="Run this query of each detection (default: the detection's default query).",
)
@click.option(
    "--lenient",
    is_flag=True,
    help="Accept the known mistakes of published queries, with a warning for each.",
)
@click.option(
    "--tuning",
    "tuning",
    multiple=True,
    metavar="NAME",
    help=(
        "Apply this tuning set of each detection (repeatable):"
        " a CQL filter from its tuning/ folder."
    ),
)
@resource_options
@_input_options
@_store_options
def hunt(
    paths: tuple[Path, ...],
    detection_ids: tuple[str, ...],
    query_name: str | None,
    lenient: bool,
    tuning: tuple[str, ...],
    **options: Any,
) -> None:
    """Run the detections of the catalog over telemetry files, folders and globs, or a store."""
    from cqlkit.cli.commands import run_hunt

    _guard(
        options["debug"],
        lambda: run_hunt(paths, detection_ids, query_name, lenient, options, tuning=tuning),
    )


@cli.command()
@click.argument("query")
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path, allow_dash=True))
@click.option(
    "--lenient",
    is_flag=True,
    help="Accept the known mistakes of published queries, with a warning for each.",
)
@PARAM_OPTION
@resource_options
@_input_options
@_store_options
def run(
    query: str, paths: tuple[Path, ...], lenient: bool, parameters: tuple[str, ...], **options: Any
) -> None:
    """Run QUERY (text, or a file holding it) over telemetry files and folders.

    With no PATH, or with -, events are read as NDJSON from standard input.
    """
    from cqlkit.cli.commands import run_query

    _guard(options["debug"], lambda: run_query(query, paths, lenient, parameters, options))


@cli.command()
@click.argument("queries", nargs=-1, required=True, metavar="QUERY_OR_FILE...")
@click.option(
    "--lenient",
    is_flag=True,
    help="Accept the known mistakes of published queries, with a warning for each.",
)
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["text", "json", "ndjson"]),
    default="text",
    show_default=True,
    help="Report format; ndjson writes one result per query or file.",
)
@STRICT_CHECK_OPTION
@PARAM_OPTION
@resource_options
@click.option("--debug", is_flag=True, help="Show tracebacks of errors.")
def check(
    queries: tuple[str, ...],
    lenient: bool,
    output_format: str,
    strict: bool,
    parameters: tuple[str, ...],
    debug: bool,
    **options: Any,
) -> None:
    """Check queries as LogScale's compiler would: query text, .cql files, or
    folders of .cql files.

    Prints every error and warning with a fix, and one result per query; exits
    with 1 when any query has an error, and with --strict a warning too.
    """
    from cqlkit.cli.check_command import run_check

    _guard(
        debug,
        lambda: run_check(
            queries, lenient, output_format, strict=strict, parameters=parameters, options=options
        ),
    )


@cli.command()
@click.argument("query")
@click.option(
    "--lenient",
    is_flag=True,
    help="Accept the known mistakes of published queries, with a warning for each.",
)
@PARAM_OPTION
@resource_options
@click.option("--debug", is_flag=True, help="Show tracebacks of errors.")
def explain(
    query: str, lenient: bool, parameters: tuple[str, ...], debug: bool, **options: Any
) -> None:
    """Print the logical plan of QUERY and the SQL that the DuckDB engine runs."""
    from cqlkit.cli.commands import run_explain

    _guard(debug, lambda: run_explain(query, lenient, parameters, options))


@cli.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option(
    "--store",
    required=True,
    type=click.Path(file_okay=False, path_type=Path),
    help="Store folder to create or add to.",
)
@INPUT_FORMAT_OPTION
@AIDMASTER_OPTION
@click.option("--debug", is_flag=True, help="Show tracebacks of errors.")
def ingest(
    paths: tuple[Path, ...],
    store: Path,
    input_format: str | None,
    aidmaster: Path | None,
    debug: bool,
) -> None:
    """Add telemetry files to a Parquet store, partitioned by day and event type.

    A file already in the store (same content) is skipped, so ingesting again adds nothing.
    """
    from cqlkit.cli.commands import run_ingest

    _guard(debug, lambda: run_ingest(paths, store, input_format, aidmaster))


def _guard(debug: bool, action: Callable[[], int | None]) -> None:
    """Run a command, turning cqlkit's errors into a message and an exit status."""
    from cqlkit.errors import CqlError, SourceError

    # Planning recurses once per operand of an or-chain; IOC queries list hundreds.
    sys.setrecursionlimit(max(sys.getrecursionlimit(), RECURSION_LIMIT))
    try:
        status = action()
    except CqlError as exc:
        if debug:
            raise
        click.echo(f"error[{exc.kind}]: {exc}", err=True)
        sys.exit(EXIT_INPUT_ERROR if isinstance(exc, SourceError) else EXIT_QUERY_ERROR)
    except RecursionError:
        if debug:
            raise
        click.echo(
            "error[syntax]: the query is nested too deeply for cqlkit"
            f" (more than about {RECURSION_LIMIT // 10} levels of parentheses, calls or operators)",
            err=True,
        )
        sys.exit(EXIT_QUERY_ERROR)
    sys.exit(status or 0)


def _register_commands() -> None:
    from cqlkit.cli.convert_command import convert
    from cqlkit.cli.investigate_command import investigate
    from cqlkit.cli.test_command import test_command

    cli.add_command(convert)
    cli.add_command(investigate)
    cli.add_command(test_command, "test")


_register_commands()


def main() -> None:
    """Entry point of the ``cqlkit`` console script."""
    cli()
