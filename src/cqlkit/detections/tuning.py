"""Tuning sets: named CQL filters that exclude known-benign activity at run time.

A tuning set is a file ``tuning/<name>.cql`` in the detection folder that contains a CQL
filter, such as ``ParentBaseFileName != /^ccmexec\\.exe$/i``. Its leading ``//`` comment
lines describe it. :func:`apply_tuning` inserts the filters of the chosen sets into a query
text, so a detection is tuned for one site without editing its query files.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from cqlkit.detections import vocabulary as v
from cqlkit.detections.schema import Problem

if TYPE_CHECKING:
    from cqlkit.detections.catalog import Detection

TUNING_FOLDER = "tuning"
TUNING_SUFFIX = ".cql"

# Functions before which a tuning filter goes: they drop fields or end the row-by-row part
# of a query. Any aggregate function does so as well (see _ends_event_stage).
_FIELD_DROPPING_FUNCTIONS = frozenset({"select", "drop"})

# Names of the syntax tree's step types that are not filters, for error messages.
_STEP_NAMES = {
    "Assignment": "an assignment (:=)",
    "AggregateList": "an aggregate list ([...])",
    "CaseStatement": "a case statement",
    "MatchStatement": "a match statement",
}


@dataclass(frozen=True)
class TuningSet:
    """A named CQL filter from ``tuning/<name>.cql``."""

    name: str
    path: Path
    text: str
    """The file's text, comments included."""
    description: str
    """The leading ``//`` comment lines without their slashes, joined by spaces."""


def load_tuning_sets(folder: Path) -> tuple[dict[str, TuningSet], list[Problem]]:
    """Read every ``tuning/*.cql`` file of a detection folder, keyed by set name.

    Files with other suffixes are ignored. Problems name the file relative to ``folder``.
    """
    root = folder / TUNING_FOLDER
    if not root.is_dir():
        return {}, []
    sets: dict[str, TuningSet] = {}
    problems: list[Problem] = []
    for path in sorted(root.glob(f"*{TUNING_SUFFIX}")):
        file_name = f"{TUNING_FOLDER}/{path.name}"
        violation = v.TUNING_NAME_PATTERN.violation(path.stem)
        if violation:
            problems.append(Problem(file_name, (), f"invalid file name: {violation}"))
            continue
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            problems.append(Problem(file_name, (), f"cannot read the file: {exc}"))
            continue
        if not _filter_lines(text):
            problems.append(
                Problem(file_name, (), "contains no filter, only comments or blank lines")
            )
            continue
        sets[path.stem] = TuningSet(path.stem, path, text, _description(text))
    return sets, problems


def apply_tuning(detection: Detection, query_text: str, names: Sequence[str]) -> str:
    """Return ``query_text`` with the filters of the named tuning sets of ``detection`` inserted.

    Each filter becomes its own pipeline step, in the order of ``names``. The steps go right
    before the first step that drops fields or aggregates, such as ``select()``, ``drop()``,
    ``sort()``, ``table()`` or ``groupBy()``, or at the end of a query without one. There a
    filter can test every event field and every field the query computed, and the rows it
    drops do not count against a row limit. A comment line names each set.

    Raises:
        DetectionError: if a name is not a tuning set of the detection, or if a tuning file
            contains more than filters (an assignment, or a function that is not a filter).
        ParseError: if the query or a tuning filter is not valid CQL.
    """
    from cqlkit.detections.catalog import DetectionError

    if not names:
        return query_text
    steps = []
    for name in dict.fromkeys(names):
        tuning_set = detection.tuning_sets.get(name)
        if tuning_set is None:
            known = ", ".join(sorted(detection.tuning_sets)) or "none"
            raise DetectionError(
                f"detection {detection.id} has no tuning set named {name!r}",
                path=detection.path,
                hint=f"known tuning sets: {known}",
            )
        check_filter_only(tuning_set, detection.id)
        comment = f"// tuning set {name} ({TUNING_FOLDER}/{tuning_set.path.name})"
        steps.append((comment, "\n".join(_filter_lines(tuning_set.text))))
    return _insert_steps(query_text, steps)


def check_filter_only(tuning_set: TuningSet, detection_id: str) -> None:
    """Raise DetectionError unless every step of the tuning set is a filter.

    Raises:
        ParseError: if the tuning set is not valid CQL.
    """
    from cqlkit.detections.catalog import DetectionError
    from cqlkit.language.parser import parse

    for step in parse(tuning_set.text).steps:
        reason = _non_filter_reason(step)
        if reason is not None:
            raise DetectionError(
                f"tuning set {tuning_set.name} of detection {detection_id} is not a filter: "
                f"{reason}",
                path=tuning_set.path,
                hint='a tuning set may only drop events, e.g. ParentBaseFileName != "ccmexec.exe"',
            )


def _non_filter_reason(step: object) -> str | None:
    from cqlkit.language import ast
    from cqlkit.plan.functions import FunctionKind, lookup

    if not isinstance(step, ast.FilterStep):
        kind = _STEP_NAMES.get(type(step).__name__, f"a {type(step).__name__}")
        return f"it has {kind} step"
    expression = step.expression
    if isinstance(expression, ast.Call):
        spec = lookup(expression.name)
        if spec is not None and spec.kind is not FunctionKind.FILTER:
            article = "an" if spec.kind is FunctionKind.AGGREGATE else "a"
            return f"{expression.name}() is {article} {spec.kind.value} function"
    return None


def _insert_steps(query_text: str, steps: Sequence[tuple[str, str]]) -> str:
    """Insert (comment, filter) steps before the first step that ends the event stage."""
    from cqlkit.language.parser import parse

    tree = parse(query_text)
    position = next(
        (index for index, step in enumerate(tree.steps) if _ends_event_stage(step)), None
    )
    if position is None:
        block = "".join(f"\n{comment}\n| {text}" for comment, text in steps)
        return query_text.rstrip("\n") + block + "\n"
    if position == 0:
        # The query starts with an aggregate, so the filters come first.
        block = "".join(f"{comment}\n{text}\n| " for comment, text in steps)
        return block + query_text
    end = tree.steps[position - 1].span.end
    block = "".join(f"\n{comment}\n| {text}" for comment, text in steps)
    return query_text[:end] + block + query_text[end:]


def _ends_event_stage(step: object) -> bool:
    from cqlkit.language import ast
    from cqlkit.plan.functions import FunctionKind, lookup

    if isinstance(step, ast.AggregateList):
        return True
    if not isinstance(step, ast.FilterStep) or not isinstance(step.expression, ast.Call):
        return False
    name = step.expression.name
    if name in _FIELD_DROPPING_FUNCTIONS:
        return True
    spec = lookup(name)
    return spec is not None and spec.kind is FunctionKind.AGGREGATE


def _filter_lines(text: str) -> list[str]:
    """Return the lines of a tuning file that are not blank and not whole-line comments."""
    return [
        line.rstrip()
        for line in text.splitlines()
        if line.strip() and not line.lstrip().startswith("//")
    ]


def _description(text: str) -> str:
    lines = []
    for line in text.splitlines():
        stripped = line.strip()
        if not stripped.startswith("//"):
            break
        lines.append(stripped.removeprefix("//").strip())
    return " ".join(line for line in lines if line)
