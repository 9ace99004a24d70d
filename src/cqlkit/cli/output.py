"""Rendering of result rows and check reports."""

from __future__ import annotations

import csv
import datetime as dt
import sys
from collections.abc import Sequence
from typing import Any

import click
import orjson

from cqlkit.engines.reference.row import Row
from cqlkit.engines.reference.values import to_number
from cqlkit.errors import CqlError
from cqlkit.language.diagnostics import Diagnostic

TIME_FIELDS = frozenset({"@timestamp", "@ingesttimestamp"})


def plural(count: int, noun: str) -> str:
    """Return ``"1 row"`` or ``"2 rows"``."""
    return f"{count} {noun}" if count == 1 else f"{count} {noun}s"


def columns_of(rows: Sequence[Row]) -> list[str]:
    """Return the field names of ``rows`` in order of first appearance."""
    seen: dict[str, None] = {}
    for row in rows:
        for name in row:
            seen.setdefault(name)
    return list(seen)


def iso_time(value: str) -> str:
    """Show epoch milliseconds as ISO 8601 UTC; other text is returned unchanged."""
    number = to_number(value)
    if number is None:
        return value
    moment = dt.datetime.fromtimestamp(number / 1000, tz=dt.UTC)
    return moment.isoformat(timespec="milliseconds").replace("+00:00", "Z")


def write_rows(
    results: Sequence[tuple[str, list[Row]]], output_format: str, *, with_names: bool
) -> None:
    """Write each result set in ``output_format`` to standard output."""
    if output_format == "table":
        _write_tables(results, with_names)
        return
    records = [
        {"detection": name, **row} if with_names else dict(row)
        for name, rows in results
        for row in rows
    ]
    if output_format == "ndjson":
        out = sys.stdout.buffer
        for record in records:
            out.write(orjson.dumps(record) + b"\n")
        out.flush()
    elif output_format == "json":
        sys.stdout.buffer.write(orjson.dumps(records, option=orjson.OPT_INDENT_2) + b"\n")
        sys.stdout.buffer.flush()
    else:
        _write_csv(records)


def _write_csv(records: list[dict[str, str]]) -> None:
    names: dict[str, None] = {}
    for record in records:
        for name in record:
            names.setdefault(name)
    writer = csv.DictWriter(sys.stdout, fieldnames=list(names), lineterminator="\n")
    writer.writeheader()
    writer.writerows(records)


def _write_tables(results: Sequence[tuple[str, list[Row]]], with_names: bool) -> None:
    """Print one table per result set, or one field/value card per row when the
    table would be wider than the terminal."""
    from rich.console import Console

    console = Console(soft_wrap=False)
    for name, rows in results:
        title = f"{name}: {plural(len(rows), 'row')}" if with_names else None
        columns = columns_of(rows)
        cells = [[_cell(column, row.get(column)) for column in columns] for row in rows]
        if _table_width(columns, cells) <= console.width:
            console.print(_wide_table(title, columns, cells))
        else:
            if title:
                console.print(title, style="bold")
            for index, values in enumerate(cells, start=1):
                console.print(_card(f"row {index} of {len(cells)}", columns, values))


def _table_width(columns: list[str], cells: list[list[str]]) -> int:
    widths = [len(column) for column in columns]
    for values in cells:
        widths = [max(width, len(value)) for width, value in zip(widths, values, strict=True)]
    return sum(widths) + 3 * len(columns) + 1


def _wide_table(title: str | None, columns: list[str], cells: list[list[str]]) -> Any:
    from rich.table import Table

    table = Table(title=title)
    for column in columns:
        table.add_column(column, overflow="fold")
    for values in cells:
        table.add_row(*values)
    return table


def _card(title: str, columns: list[str], values: list[str]) -> Any:
    from rich.table import Table

    table = Table(title=title, title_justify="left", show_header=False)
    table.add_column("field", style="bold")
    table.add_column("value", overflow="fold")
    for column, value in zip(columns, values, strict=True):
        if value:
            table.add_row(column, value)
    return table


def _cell(column: str, value: str | None) -> str:
    if value is None:
        return ""
    return iso_time(value) if column in TIME_FIELDS else value


def write_check_report(
    text: str,
    diagnostics: Sequence[Diagnostic],
    output_format: str,
    syntax_error: CqlError | None = None,
) -> None:
    """Write the result of ``cqlkit check``."""
    if output_format == "json":
        records = [diagnostic_record(d) for d in diagnostics]
        if syntax_error is not None:
            records.append(error_record(syntax_error))
        sys.stdout.buffer.write(orjson.dumps(records, option=orjson.OPT_INDENT_2) + b"\n")
        sys.stdout.buffer.flush()
        return
    if syntax_error is not None:
        click.echo(f"error[{syntax_error.kind}]: {syntax_error}")
    for diagnostic in diagnostics:
        click.echo(diagnostic.render(text) + "\n")
    errors = sum(d.severity == "error" for d in diagnostics) + (syntax_error is not None)
    warnings = sum(d.severity == "warning" for d in diagnostics)
    lacking = sum(d.code == "unsupported-function" for d in diagnostics)
    if errors and errors == lacking:
        verdict = "LogScale would accept this query, but cqlkit lacks the functions above"
    elif errors:
        verdict = "LogScale would reject this query"
    else:
        verdict = "LogScale would accept this query"
    click.echo(f"{plural(errors, 'error')}, {plural(warnings, 'warning')}: {verdict}")


def diagnostic_record(diagnostic: Diagnostic) -> dict[str, object]:
    span = diagnostic.span
    return {
        "severity": diagnostic.severity,
        "code": diagnostic.code,
        "message": diagnostic.message,
        "line": span.line if span else None,
        "column": span.col if span else None,
        "hint": diagnostic.hint,
        "fix": diagnostic.fix,
    }


def error_record(error: CqlError) -> dict[str, object]:
    span = error.span
    return {
        "severity": "error",
        "code": error.kind,
        "message": error.description,
        "line": span.line if span else None,
        "column": span.col if span else None,
        "hint": error.hint,
        "fix": None,
    }
