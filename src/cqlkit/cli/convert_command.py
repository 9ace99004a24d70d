"""The ``cqlkit convert`` command: a detection's Sigma rule in another query language.

Exit statuses:

* 0: success;
* 1: a LogScale query is not scoped to a Falcon event type, or cqlkit rejects it;
* 2: the command line is invalid;
* 3: the rule cannot be found, read or converted.
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

EXIT_CHECK_FAILED = 1
EXIT_CONVERSION_ERROR = 3

# The names of cqlkit.conversion.TARGETS, written out so that --help does not import the
# conversion package; a test checks that the two lists agree.
TARGET_NAMES = (
    "splunk",
    "sentinel",
    "defender",
    "elastic-esql",
    "elastic-eql",
    "sigma",
    "logscale",
)


@click.command("convert")
@click.argument("detection")
@click.option(
    "--to",
    "target",
    type=click.Choice(TARGET_NAMES),
    required=True,
    help=(
        "Target query language: Splunk SPL, Sentinel KQL (ASIM), Defender XDR KQL,"
        " Elastic ES|QL or EQL (ECS), the Sigma rule itself, or LogScale CQL (Falcon)."
    ),
)
@click.option(
    "--output",
    "-o",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write the queries to this file instead of standard output.",
)
@click.option("--debug", is_flag=True, help="Show tracebacks of errors.")
def convert(detection: str, target: str, output: Path | None, debug: bool) -> None:
    """Convert the Sigma rule of DETECTION to another query language with pySigma.

    DETECTION is a detection id of the catalog, a detection folder or a Sigma rule file.
    Each rule's queries are written one per line. LogScale output is checked with cqlkit:
    the command fails with status 1, and writes nothing, when a query does not plan or is
    not scoped to a Falcon event type (#event_simpleName) on every path of its filters.
    """
    from cqlkit.conversion import LogScaleCheckError
    from cqlkit.errors import CqlError

    try:
        run_convert(detection, target, output)
    except LogScaleCheckError as exc:
        if debug:
            raise
        click.echo(f"error[{exc.kind}]: {exc}", err=True)
        sys.exit(EXIT_CHECK_FAILED)
    except CqlError as exc:
        if debug:
            raise
        click.echo(f"error[{exc.kind}]: {exc}", err=True)
        sys.exit(EXIT_CONVERSION_ERROR)


def run_convert(argument: str, target: str, output: Path | None) -> None:
    """Convert the rule, check LogScale output, and write the result.

    Raises:
        LogScaleCheckError: if a LogScale query fails the check; nothing is written then.
        CqlError: if the rule cannot be found, read or converted.
    """
    from cqlkit.conversion import (
        LOGSCALE_TARGET,
        check_logscale_conversion,
        convert_sigma,
        read_sigma_source,
        require_passed,
    )

    conversion = convert_sigma(read_sigma_source(argument), target)
    if target == LOGSCALE_TARGET:
        for check in check_logscale_conversion(conversion):
            for warning in check.warnings:
                click.echo(f"{check.rule.title}: {warning.render(check.query)}", err=True)
            require_passed(check, conversion)

    if output is None:
        click.echo(conversion.text, nl=False)
        return
    try:
        output.write_text(conversion.text, encoding="utf-8")
    except OSError as exc:
        raise click.FileError(str(output), hint=exc.strerror) from exc
