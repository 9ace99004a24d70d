"""Tables and text of test runs and coverage reports, as plain text and Markdown.

The CLI draws the same :class:`Table` objects with rich on a terminal.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from cqlkit.testing.report import CoverageReport, Outcome, Signal
from cqlkit.testing.runner import CaseResult, FixtureRun

PASS = "pass"
FAIL = "FAIL"
NOT_RUN = "-"


@dataclass(frozen=True)
class Table:
    """A titled table of text cells."""

    title: str
    headers: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]


def to_plain(table: Table) -> str:
    """Lay out ``table`` in columns padded with spaces, under a title line."""
    widths = [len(header) for header in table.headers]
    for row in table.rows:
        widths = [max(width, len(cell)) for width, cell in zip(widths, row, strict=True)]
    lines = [table.title, _plain_line(table.headers, widths)]
    lines.append("  ".join("-" * width for width in widths))
    lines += [_plain_line(row, widths) for row in table.rows]
    return "\n".join(lines)


def _plain_line(cells: Sequence[str], widths: Sequence[int]) -> str:
    return "  ".join(cell.ljust(width) for cell, width in zip(cells, widths, strict=True)).rstrip()


def to_markdown(table: Table) -> str:
    """Write ``table`` as a GitHub-flavoured Markdown table (the title is left out)."""
    lines = [_markdown_line(table.headers), "|" + "---|" * len(table.headers)]
    lines += [_markdown_line(row) for row in table.rows]
    return "\n".join(lines)


def _markdown_line(cells: Sequence[str]) -> str:
    return "| " + " | ".join(cell.replace("|", "\\|") for cell in cells) + " |"


# --- test runs ---------------------------------------------------------------


def results_table(run: FixtureRun) -> Table:
    """Build the pass/fail table: one row per detection, fixture and query, one column
    per engine and event format, and the number of rows the query returned."""
    columns: dict[tuple[str, str], None] = {}
    groups: dict[tuple[str, str, str], dict[tuple[str, str], CaseResult]] = {}
    for result in run.results:
        case = result.case
        columns.setdefault((case.engine, case.event_format))
        key = (case.detection, case.fixture, case.query)
        groups.setdefault(key, {})[(case.engine, case.event_format)] = result
    headers = ("Detection", "Fixture", "Query", *(f"{e} {f}" for e, f in columns), "Rows")
    rows = []
    for (detection, fixture, query), results in groups.items():
        cells = [_status_cell(results.get(column)) for column in columns]
        rows.append((detection, fixture, query, *cells, _row_count(list(results.values()), run)))
    title = "Fixture tests" + (f" with tuning {', '.join(run.tuning)}" if run.tuning else "")
    return Table(title, headers, tuple(rows))


def _status_cell(result: CaseResult | None) -> str:
    if result is None:
        return NOT_RUN
    return PASS if result.passed else FAIL


def _row_count(results: Sequence[CaseResult], run: FixtureRun) -> str:
    """Show the rows of the first case, and the untuned expectation when tuning changed it."""
    first = results[0]
    count = str(len(first.actual))
    if run.tuning and len(first.untuned_expected) != len(first.expected):
        return f"{count} (untuned {len(first.untuned_expected)})"
    return count


def failure_text(run: FixtureRun) -> str:
    """Describe every failed case: its name, then one indented line per problem."""
    blocks = []
    for result in run.failures:
        lines = [f"FAIL {result.case.name}"]
        lines += [f"  {problem}" for problem in result.problems]
        blocks.append("\n".join(lines))
    return "\n\n".join(blocks)


def tuning_summary(run: FixtureRun) -> list[str]:
    """Describe what the tuning sets of the run removed, one line per query and fixture."""
    if not run.tuning:
        return []
    removed: dict[tuple[str, str, str], int] = {}
    for result in run.results:
        lost = len(result.untuned_expected) - len(result.expected)
        if lost > 0:
            case = result.case
            key = (case.detection, case.query, case.fixture)
            removed[key] = max(removed.get(key, 0), lost)
    names = ", ".join(run.tuning)
    if not removed:
        return [f"tuning {names}: removes no expected row"]
    return [
        f"tuning {names}: removes {_rows(lost)} of {query} on {fixture} ({detection})"
        for (detection, query, fixture), lost in removed.items()
    ]


def closing_line(run: FixtureRun) -> str:
    """Return the count line, in the ``N passed, N failed`` form that CI systems read."""
    failed = len(run.failures)
    return f"{len(run.results) - failed} passed, {failed} failed"


# --- coverage reports ---------------------------------------------------------


def coverage_table(report: CoverageReport) -> Table:
    """Build the table of each compared query's outcome on each fixture."""
    headers = ("Fixture", "Verdict", *report.queries)
    rows = tuple(
        (entry.fixture.id, entry.fixture.verdict, *(describe_outcome(o) for o in entry.outcomes))
        for entry in report.fixtures
    )
    return Table(f"Coverage of {report.detection.id} ({report.engine} engine)", headers, rows)


def describe_outcome(outcome: Outcome) -> str:
    """Describe an outcome, e.g. ``caught, score 3: AutoClose, HasINF``.

    When the event formats disagree, each format is described on its own.
    """
    if outcome.formats_agree:
        return _describe_signal(outcome.status, outcome.signals[0][1])
    return "; ".join(
        f"{event_format}: {_describe_signal(_format_status(outcome, signal), signal)}"
        for event_format, signal in outcome.signals
    )


def _format_status(outcome: Outcome, signal: Signal) -> str:
    if outcome.status in ("caught", "missed"):
        return "caught" if signal.rows else "missed"
    return "false positive" if signal.rows else "quiet"


def _describe_signal(status: str, signal: Signal) -> str:
    text = status
    if signal.score is not None:
        text += f", score {signal.score}"
    if signal.indicators:
        text += ": " + ", ".join(signal.indicators)
    return text


def summary_lines(report: CoverageReport) -> list[str]:
    """Count, per query, the malicious fixtures caught and the others it reported rows on."""
    attacks = [entry for entry in report.fixtures if entry.fixture.verdict == "malicious"]
    others = [entry for entry in report.fixtures if entry.fixture.verdict != "malicious"]
    lines = []
    for index, query in enumerate(report.queries):
        caught = sum(1 for entry in attacks if entry.outcomes[index].status == "caught")
        noisy = sum(1 for entry in others if entry.outcomes[index].status == "false positive")
        lines.append(
            f"{query}: caught {caught} of {len(attacks)} malicious fixtures; "
            f"false positives on {noisy} of {len(others)} benign or unrelated fixtures"
        )
    return lines


def note_lines(report: CoverageReport) -> list[str]:
    """List the fixtures' notes on the compared queries, as ``fixture, query: note``."""
    return [
        f"{entry.fixture.id}, {outcome.query}: {outcome.note}"
        for entry in report.fixtures
        for outcome in entry.outcomes
        if outcome.note
    ]


def tuning_table(report: CoverageReport) -> Table:
    """Build the table of rows that each tuning set, applied alone, removes per query."""
    rows = []
    for effect in report.tuning:
        fixtures = ", ".join(f"{fixture} ({count})" for fixture, count in effect.removed)
        total = sum(count for _, count in effect.removed)
        rows.append(
            (
                effect.tuning,
                effect.query,
                str(total),
                fixtures or NOT_RUN,
                str(effect.removed_from_attacks),
            )
        )
    headers = ("Tuning set", "Query", "Rows removed", "From fixtures", "Attack rows removed")
    return Table(f"Tuning sets of {report.detection.id}, each applied alone", headers, tuple(rows))


def report_markdown(report: CoverageReport) -> str:
    """Write the report as the Markdown block that a detection's README.md contains."""
    command = f"cqlkit test {report.detection.id} --report --markdown"
    parts = [
        f"Generated by `{command}` on the {report.engine} engine. Statuses: *caught* and "
        "*missed* for malicious fixtures, *false positive* and *quiet* for the others; "
        "the score is the highest of the rows, and the indicators are those that fired.",
        to_markdown(coverage_table(report)),
        "\n".join(f"- {line}" for line in summary_lines(report)),
    ]
    notes = note_lines(report)
    if notes:
        parts.append("Notes:\n\n" + "\n".join(f"- {line}" for line in notes))
    if report.tuning:
        parts.append("Tuning sets, each applied alone:\n\n" + to_markdown(tuning_table(report)))
    return "\n\n".join(parts)


def report_text(report: CoverageReport) -> str:
    """Write the report as plain text, for a pipe or a file."""
    parts = [to_plain(coverage_table(report)), "\n".join(summary_lines(report))]
    notes = note_lines(report)
    if notes:
        parts.append("Notes:\n" + "\n".join(f"  {line}" for line in notes))
    if report.tuning:
        parts.append(to_plain(tuning_table(report)))
    return "\n\n".join(parts)


def _rows(count: int) -> str:
    return f"{count} row" if count == 1 else f"{count} rows"
