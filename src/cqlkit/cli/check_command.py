"""``cqlkit check``: check queries, files and folders of .cql files as LogScale's
compiler would, with one result per query."""

from __future__ import annotations

import sys
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import click
import orjson

from cqlkit.cli.commands import looks_like_query_file, named_path, read_query_file
from cqlkit.cli.output import diagnostic_record, error_record, plural, write_check_report
from cqlkit.cli.resource_options import parameters_from, resources_from
from cqlkit.cli.test_command import check_strict_exit
from cqlkit.errors import CqlError
from cqlkit.language.diagnostics import Diagnostic
from cqlkit.plan.planner import check_query
from cqlkit.plan.resources import Resources


@dataclass
class CheckResult:
    """The outcome of checking one query."""

    name: str
    text: str
    diagnostics: list[Diagnostic]
    failure: CqlError | None = None  # a syntax error, or a file that cannot be read

    @property
    def errors(self) -> int:
        """The number of errors, the syntax error or read failure included."""
        return sum(d.severity == "error" for d in self.diagnostics) + (self.failure is not None)

    @property
    def warnings(self) -> int:
        """The number of warnings."""
        return sum(d.severity == "warning" for d in self.diagnostics)

    def record(self) -> dict[str, object]:
        """Return the result as one JSON object."""
        records = [diagnostic_record(d) for d in self.diagnostics]
        if self.failure is not None:
            records.append(error_record(self.failure))
        return {
            "query": self.name,
            "accepted": self.errors == 0,
            "errors": self.errors,
            "warnings": self.warnings,
            "diagnostics": records,
        }


def run_check(
    arguments: Sequence[str],
    lenient: bool,
    output_format: str,
    *,
    strict: bool = False,
    parameters: Sequence[str] = (),
    options: dict[str, Any] | None = None,
) -> int:
    """Check each query, print the results and return the exit status: 1 when a
    query has an error, or with ``strict`` a warning."""
    resources = resources_from(options or {})
    values = parameters_from(parameters)
    results = [
        _check_one(name, text, failure, lenient, values, resources)
        for name, text, failure in _queries(arguments)
    ]
    if len(arguments) == 1 and len(results) == 1 and output_format in ("text", "json"):
        _write_single(results[0], output_format, strict)
    elif output_format == "ndjson" or output_format == "json":
        _write_records(results, output_format)
    else:
        _write_many(results)
    return max((_status(result, strict) for result in results), default=0)


def _queries(arguments: Sequence[str]) -> Iterator[tuple[str, str, CqlError | None]]:
    """Yield (name, text, read failure) for each query: text, a file, or each .cql
    file of a folder."""
    for argument in arguments:
        path = named_path(argument)
        if path is not None and path.is_dir():
            files = sorted(file for file in path.rglob("*.cql") if file.is_file())
            if not files:
                yield argument, "", CqlError(f"the folder {argument} contains no .cql file")
            for file in files:
                yield from _read(file)
        elif path is not None and path.is_file():
            yield from _read(path)
        elif looks_like_query_file(argument):
            yield argument, "", CqlError(f"query file not found: {argument}")
        else:
            yield "<query>", argument, None


def _read(path: Path) -> Iterator[tuple[str, str, CqlError | None]]:
    try:
        yield str(path), read_query_file(path), None
    except CqlError as exc:
        yield str(path), "", exc


def _check_one(
    name: str,
    text: str,
    failure: CqlError | None,
    lenient: bool,
    parameters: dict[str, str],
    resources: Resources,
) -> CheckResult:
    if failure is not None:
        return CheckResult(name, text, [], failure)
    try:
        _, diagnostics = check_query(
            text,
            lenient=lenient,
            parameters=parameters,
            resources=resources,
            parameters_optional=True,
        )
    except CqlError as exc:
        return CheckResult(name, text, [], exc)
    return CheckResult(name, text, diagnostics)


def _status(result: CheckResult, strict: bool) -> int:
    if result.failure is not None:
        return 1
    return check_strict_exit(result.diagnostics, strict=strict)


def _write_single(result: CheckResult, output_format: str, strict: bool) -> None:
    write_check_report(result.text, result.diagnostics, output_format, syntax_error=result.failure)
    if output_format == "text" and strict and result.errors == 0 and _status(result, strict) != 0:
        click.echo("--strict: the warnings above count as failures")


def _write_records(results: list[CheckResult], output_format: str) -> None:
    if output_format == "json":
        payload = [result.record() for result in results]
        sys.stdout.buffer.write(orjson.dumps(payload, option=orjson.OPT_INDENT_2) + b"\n")
    else:
        for result in results:
            sys.stdout.buffer.write(orjson.dumps(result.record()) + b"\n")
    sys.stdout.buffer.flush()


def _write_many(results: list[CheckResult]) -> None:
    for result in results:
        if result.failure is not None:
            click.echo(f"{result.name}: error[{result.failure.kind}]: {result.failure}")
        for diagnostic in result.diagnostics:
            rendered = diagnostic.render(result.text).replace("\n", "\n  ")
            click.echo(f"{result.name}: {rendered}\n")
        verdict = "rejected" if result.errors else "accepted"
        counts = f"{plural(result.errors, 'error')}, {plural(result.warnings, 'warning')}"
        click.echo(f"{result.name}: {counts}: {verdict}")
    rejected = sum(result.errors > 0 for result in results)
    files = all(result.name != "<query>" for result in results)
    noun = ("file", "files") if files else ("query", "queries")
    checked = f"{len(results)} {noun[0] if len(results) == 1 else noun[1]}"
    click.echo(f"checked {checked}: {len(results) - rejected} accepted, {rejected} rejected")
