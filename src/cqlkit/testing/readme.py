"""The generated coverage report inside a detection's README.md.

The report sits between the lines :data:`REPORT_START` and :data:`REPORT_END`, so it can
be regenerated with ``cqlkit test --report --update-readme`` and compared in the tests.
"""

from __future__ import annotations

from pathlib import Path

from cqlkit.errors import CqlError

README_FILE = "README.md"
REPORT_START = "<!-- coverage-report:start -->"
REPORT_END = "<!-- coverage-report:end -->"


class ReadmeError(CqlError):
    """A README.md has no report markers, or they are out of order."""

    kind = "readme"


def readme_report(text: str, path: Path) -> str:
    """Return the text between the report markers of a README, without the blank lines
    that surround it.

    Raises:
        ReadmeError: if a marker is missing or the end marker comes first.
    """
    start, end = _marker_positions(text, path)
    return text[start + len(REPORT_START) : end].strip("\n")


def replace_readme_report(text: str, report: str, path: Path) -> str:
    """Return the README text with the report between the markers replaced by ``report``.

    Raises:
        ReadmeError: if a marker is missing or the end marker comes first.
    """
    start, end = _marker_positions(text, path)
    return text[: start + len(REPORT_START)] + "\n\n" + report.strip("\n") + "\n\n" + text[end:]


def _marker_positions(text: str, path: Path) -> tuple[int, int]:
    start, end = text.find(REPORT_START), text.find(REPORT_END)
    if start < 0 or end < 0 or end < start:
        raise ReadmeError(
            f"{path} has no coverage report block",
            hint=f"add a line {REPORT_START} and, below it, a line {REPORT_END}",
        )
    return start, end
