"""Command-line options that locate the local data a query may use, and query
parameters; both shape how a query is planned."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, TypeVar

import click

F = TypeVar("F", bound=Callable[..., Any])

_DIRECTORY = click.Path(exists=True, file_okay=False, path_type=Path)
_FILE = click.Path(exists=True, dir_okay=False, path_type=Path)

PARAM_OPTION = click.option(
    "--param",
    "parameters",
    multiple=True,
    metavar="NAME=VALUE",
    help="Value of a query parameter ?NAME (repeatable).",
)


def resource_options(command: F) -> F:
    """Add the options that locate lookup files, saved searches and enrichment data."""
    options = [
        click.option(
            "--lookup-dir",
            type=_DIRECTORY,
            help="Folder of the CSV and JSON lookup files that match() and readFile() read.",
        ),
        click.option(
            "--library",
            "library_dir",
            type=_DIRECTORY,
            help='Folder of saved searches: $NAME() runs NAME.cql, $"pkg/NAME"() pkg/NAME.cql.',
        ),
        click.option(
            "--geoip-db",
            type=_FILE,
            help="MaxMind-format city or country database (.mmdb) for ipLocation().",
        ),
        click.option("--asn-db", type=_FILE, help="MaxMind-format ASN database (.mmdb) for asn()."),
        click.option(
            "--ioc-file",
            type=_FILE,
            help="Indicator file for ioc:lookup() (format: docs/ioc-file.md).",
        ),
        click.option(
            "--now",
            "now_text",
            metavar="TIME",
            help=(
                "Query time that now() returns (ISO 8601 or epoch ms)."
                " Default: the clock when the query starts."
            ),
        ),
    ]
    for option in reversed(options):
        command = option(command)
    return command


def resources_from(options: dict[str, Any]) -> Any:
    """Return the :class:`~cqlkit.plan.resources.Resources` that ``options`` give."""
    from cqlkit.plan.resources import Resources
    from cqlkit.timeranges import parse_time

    resources = Resources()
    now_text = options.get("now_text")
    try:
        now_ms = None if now_text is None else parse_time(now_text, resources.query_time())
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="--now") from None
    return Resources(
        lookup_dir=options.get("lookup_dir"),
        library_dir=options.get("library_dir"),
        geoip_database=options.get("geoip_db"),
        asn_database=options.get("asn_db"),
        ioc_file=options.get("ioc_file"),
        now_ms=now_ms,
    )


def parameters_from(items: Sequence[str]) -> dict[str, str]:
    """Return the ``--param NAME=VALUE`` options as a mapping."""
    values: dict[str, str] = {}
    for item in items:
        name, separator, value = item.partition("=")
        if not separator or not name:
            raise click.BadParameter(f"expected NAME=VALUE, got {item!r}", param_hint="--param")
        values[name] = value
    return values
