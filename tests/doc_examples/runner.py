"""Run the worked examples of LogScale's function reference and compare their rows.

    python -m tests.doc_examples.runner [--include-skipped] [NAME ...]

Each ``*.yaml`` file of this folder contains the worked examples of one function:
the query, the example events and the rows that the documentation shows. The
runner runs every example on the reference engine and on DuckDB (through
``tests.helpers.run``, which also fails when the two engines disagree), compares
the rows with the documented ones, prints one line per example and the share
that passes. NAME selects a file (``groupBy``) or one example (``groupBy-2``).
``--include-skipped`` also runs the examples that carry a ``skip_reason``, to
check that they still fail for the stated reason; they stay out of the share.

Rows are compared as the documentation shows them:

- the compared fields are ``fields`` when the example lists them. Otherwise
  they are the fields of the documented rows and every output field whose name
  does not start with ``@`` or ``#``, so metadata such as ``@id`` or
  ``@timestamp`` is compared only where the documentation shows it;
- a missing field and an empty value compare equal, because a result table
  shows both as an empty cell;
- two numbers compare equal when their values are equal (``7.0`` and ``7``), or
  when the documented number has N decimals and the output rounds to it at N
  decimals, because the documentation rounds long fractions;
- rows compare in order when ``ordered`` is true, else as multisets.
"""

from __future__ import annotations

import math
import re
import sys
import traceback
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from tests.helpers import make_events, run

from cqlkit.plan.resources import Resources

FOLDER = Path(__file__).resolve().parent
LOOKUPS = FOLDER / "lookups"
LIBRARY = FOLDER / "library"
# The share of examples that must give the documented rows; skipped examples are left out.
TARGET_SHARE = 0.95

_REQUIRED_KEYS = {"page", "title", "query", "events", "rows", "ordered"}
_OPTIONAL_KEYS = {"fields", "parameters", "now_ms", "lookup_dir", "notes", "skip_reason"}
# A decimal number without a leading zero before another digit: "007" stays an identifier.
_NUMBER = re.compile(r"[+-]?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?")


class ExampleFormatError(ValueError):
    """A YAML file of examples does not follow the format described in README.md."""


@dataclass(frozen=True)
class Example:
    """One worked example: a query, its events and the documented rows."""

    id: str
    page: str
    title: str
    query: str
    events: tuple[Mapping[str, str], ...]
    rows: tuple[Mapping[str, str], ...]
    ordered: bool
    fields: tuple[str, ...] | None = None
    parameters: Mapping[str, str] = field(default_factory=dict)
    now_ms: int | None = None
    lookup_dir: str = ""
    notes: str = ""
    skip_reason: str = ""


@dataclass(frozen=True)
class Outcome:
    """The result of running one example: passed, or the reason it did not."""

    example: Example
    passed: bool
    reason: str = ""


def load_examples(folder: Path = FOLDER) -> list[Example]:
    """Load every example of ``folder``, ids ``<file stem>-<position from 1>``, in file order.

    Raises ExampleFormatError naming the file and the example when an entry
    lacks a required key, has an unknown key, or gives a value that is not a
    string (quote numbers in YAML, so that ``0700`` or ``1.10`` stay as written).
    """
    examples = []
    for path in sorted(folder.glob("*.yaml"), key=lambda p: p.stem.lower()):
        entries = yaml.safe_load(path.read_text(encoding="utf-8")) or []
        if not isinstance(entries, list):
            raise ExampleFormatError(f"{path.name}: expected a list of examples")
        for position, entry in enumerate(entries, start=1):
            example_id = f"{path.stem}-{position}"
            try:
                examples.append(_parse_example(example_id, entry))
            except ExampleFormatError as error:
                raise ExampleFormatError(f"{path.name}, example {example_id}: {error}") from None
    return examples


def _parse_example(example_id: str, entry: Any) -> Example:
    if not isinstance(entry, dict):
        raise ExampleFormatError("expected a mapping")
    missing = _REQUIRED_KEYS - entry.keys()
    unknown = entry.keys() - _REQUIRED_KEYS - _OPTIONAL_KEYS
    if missing or unknown:
        raise ExampleFormatError(f"missing keys {sorted(missing)}, unknown keys {sorted(unknown)}")
    if not isinstance(entry["ordered"], bool):
        raise ExampleFormatError("ordered must be true or false")
    now_ms = entry.get("now_ms")
    if now_ms is not None and not isinstance(now_ms, int):
        raise ExampleFormatError("now_ms must be an integer (epoch milliseconds)")
    lookup_dir = _text(entry, "lookup_dir", required=False)
    if lookup_dir and not (LOOKUPS / lookup_dir).is_dir():
        raise ExampleFormatError(f"lookup_dir {lookup_dir!r} is not a folder of {LOOKUPS}")
    fields = entry.get("fields")
    return Example(
        id=example_id,
        page=_text(entry, "page"),
        title=_text(entry, "title"),
        query=_text(entry, "query"),
        events=_string_maps(entry["events"], "events"),
        rows=_string_maps(entry["rows"], "rows"),
        ordered=entry["ordered"],
        fields=None if fields is None else tuple(_strings(fields, "fields")),
        parameters=_string_maps([entry.get("parameters", {})], "parameters")[0],
        now_ms=now_ms,
        lookup_dir=lookup_dir,
        notes=_text(entry, "notes", required=False),
        skip_reason=_text(entry, "skip_reason", required=False),
    )


def _text(entry: Mapping[str, Any], key: str, *, required: bool = True) -> str:
    value = entry.get(key, None if required else "")
    if not isinstance(value, str):
        raise ExampleFormatError(f"{key} must be a string")
    return value


def _strings(values: Any, key: str) -> list[str]:
    if not isinstance(values, list) or not all(isinstance(v, str) for v in values):
        raise ExampleFormatError(f"{key} must be a list of strings")
    return values


def _string_maps(values: Any, key: str) -> tuple[Mapping[str, str], ...]:
    if not isinstance(values, list):
        raise ExampleFormatError(f"{key} must be a list of mappings")
    for value in values:
        if not isinstance(value, dict):
            raise ExampleFormatError(f"{key} must be a list of mappings")
        wrong = [name for name, text in value.items() if not isinstance(text, str)]
        if wrong:
            raise ExampleFormatError(f"{key}: values of {wrong} are not strings; quote them")
    return tuple(values)


def run_example(example: Example) -> Outcome:
    """Run ``example`` on both engines and compare its rows with the documented ones.

    Any error, including a planning error or a disagreement between the two
    engines, makes the example fail with the error as the reason.
    """
    lookups = LOOKUPS / example.lookup_dir
    resources = Resources(
        lookup_dir=lookups if lookups.is_dir() else None,
        library_dir=LIBRARY if LIBRARY.is_dir() else None,
        now_ms=example.now_ms,
    )
    try:
        rows = run(
            example.query,
            make_events(*example.events),
            parameters=example.parameters or None,
            resources=resources,
            lift_default_limits=False,
        )
    # Any error, from the parser, the planner or an engine, is a reported outcome.
    except Exception as error:
        return Outcome(example, passed=False, reason=_describe_error(error))
    mismatch = compare_rows(example.rows, rows, ordered=example.ordered, fields=example.fields)
    return Outcome(example, passed=mismatch is None, reason=mismatch or "")


def _describe_error(error: Exception) -> str:
    message = str(error).strip().splitlines()
    first_line = message[0] if message else ""
    if isinstance(error, AssertionError) and not first_line:
        frame = traceback.extract_tb(error.__traceback__)[-1]
        first_line = f"assertion failed at {Path(frame.filename).name}:{frame.lineno}"
    return f"{type(error).__name__}: {first_line}"


def compare_rows(
    expected: Sequence[Mapping[str, str]],
    actual: Sequence[Mapping[str, str]],
    *,
    ordered: bool,
    fields: Sequence[str] | None = None,
) -> str | None:
    """Return None when ``actual`` gives the documented rows, else a one-line reason."""
    names = _compared_fields(expected, actual, fields)
    documented = [_project(row, names) for row in expected]
    output = [_project(row, names) for row in actual]
    if len(documented) != len(output):
        return f"expected {len(documented)} rows, got {len(output)}: {_preview(output)}"
    if ordered:
        pairs = zip(documented, output, strict=True)
        for position, (documented_row, output_row) in enumerate(pairs, start=1):
            if not _rows_equal(documented_row, output_row):
                return f"row {position}: expected {documented_row}, got {output_row}"
        return None
    unmatched = list(output)
    for documented_row in documented:
        match = next((row for row in unmatched if _rows_equal(documented_row, row)), None)
        if match is None:
            return f"documented row {documented_row} not found in {_preview(unmatched)}"
        unmatched.remove(match)
    return None


def _compared_fields(
    expected: Sequence[Mapping[str, str]],
    actual: Sequence[Mapping[str, str]],
    fields: Sequence[str] | None,
) -> list[str]:
    if fields is not None:
        return list(fields)
    names = {name for row in expected for name in row}
    names.update(name for row in actual for name in row if not name.startswith(("@", "#")))
    return sorted(names)


def _project(row: Mapping[str, str], names: Sequence[str]) -> dict[str, str]:
    return {name: row[name] for name in names if row.get(name, "") != ""}


def _rows_equal(documented: Mapping[str, str], output: Mapping[str, str]) -> bool:
    if documented.keys() != output.keys():
        return False
    return all(_values_equal(documented[name], output[name]) for name in documented)


def _values_equal(documented: str, output: str) -> bool:
    if documented == output:
        return True
    if not (_NUMBER.fullmatch(documented) and _NUMBER.fullmatch(output)):
        return False
    documented_number, output_number = float(documented), float(output)
    if documented_number == output_number:
        return True
    decimals = len(documented.partition(".")[2]) if "e" not in documented.lower() else 0
    return decimals > 0 and math.isclose(round(output_number, decimals), documented_number)


def _preview(rows: Sequence[Mapping[str, str]], limit: int = 3) -> str:
    listed = ", ".join(str(dict(row)) for row in rows[:limit])
    more = f" and {len(rows) - limit} more" if len(rows) > limit else ""
    return f"[{listed}{more}]"


def select(examples: Sequence[Example], names: Sequence[str]) -> list[Example]:
    """Return the examples whose id or file stem is in ``names``; all when empty."""
    if not names:
        return list(examples)
    selected = {name.lower() for name in names}
    return [
        e
        for e in examples
        if e.id.lower() in selected or e.id.rpartition("-")[0].lower() in selected
    ]


def share_passing(outcomes: Sequence[Outcome]) -> float:
    """Return the share of ``outcomes`` that passed (1.0 when there are none)."""
    return sum(o.passed for o in outcomes) / len(outcomes) if outcomes else 1.0


def main(argv: Sequence[str] | None = None) -> int:
    """Print one line per example and the share passing; exit 1 below the target share."""
    arguments = list(sys.argv[1:] if argv is None else argv)
    include_skipped = "--include-skipped" in arguments
    names = [name for name in arguments if name != "--include-skipped"]
    examples = select(load_examples(), names)
    outcomes = []
    for example in examples:
        if example.skip_reason:
            print(f"skip {example.id}: {example.skip_reason}")
            if include_skipped:
                skipped = run_example(example)
                state = "passes" if skipped.passed else f"fails: {skipped.reason}"
                print(f"     (run anyway) {state}")
            continue
        outcome = run_example(example)
        outcomes.append(outcome)
        print(f"ok   {example.id}" if outcome.passed else f"FAIL {example.id}: {outcome.reason}")
    passed = sum(o.passed for o in outcomes)
    skipped = len(examples) - len(outcomes)
    share = share_passing(outcomes)
    print(
        f"{passed} of {len(outcomes)} examples give the documented rows ({share:.1%});"
        f" {skipped} skipped; target {TARGET_SHARE:.0%}"
    )
    return 0 if share >= TARGET_SHARE else 1


if __name__ == "__main__":
    sys.exit(main())
