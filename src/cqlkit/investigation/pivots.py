"""Pivot queries: the LogScale queries an analyst runs around a detection hit.

A detection folder keeps them in ``investigations/*.cql``. Each file opens with a block of
``//`` comment lines that cqlkit reads:

- the first line names the pivot and describes what it finds.
- ``// Parameters: ?aid, ?TargetProcessId`` lists the query parameters it takes, which
  must be exactly the ``?name`` parameters of the query.
- ``// Runs once per row of: other.cql`` (optional) makes it a follow-up step: it runs once
  for each row that the other pivot returned.

A parameter takes its value from the field of the same name: of the source row for a
follow-up step, otherwise (or when that row lacks the field) of the hit.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from cqlkit.errors import CqlError
from cqlkit.language import ast
from cqlkit.language.parser import parse

INVESTIGATIONS_FOLDER = "investigations"
"""The folder of a detection that contains its pivot queries."""

PIVOT_SUFFIX = ".cql"

_PARAMETERS_LINE = re.compile(r"^Parameters:\s*(?P<names>.*)$")
_FOLLOW_UP_LINE = re.compile(r"^Runs once per row of:\s*(?P<file>\S+\.cql)\s*$")
_PARAMETER_NAME = re.compile(r"^\?(?P<name>[A-Za-z_@#][\w.@#]*)$")


class InvestigationError(CqlError):
    """A pivot file is invalid, or a hit to investigate cannot be found."""

    kind = "investigation"


@dataclass(frozen=True, kw_only=True)
class Pivot:
    """One pivot query with the facts its header declares."""

    name: str
    """The file name without ``.cql``, such as ``process-tree``."""
    title: str
    """The first header line, without ``//``."""
    path: Path
    text: str
    parameters: tuple[str, ...]
    """The parameter names without ``?``, in the order the header lists them."""
    source: str | None = None
    """For a follow-up step, the name of the pivot whose rows it runs on."""


def load_pivots(folder: Path) -> list[Pivot]:
    """Load every ``*.cql`` pivot of ``folder``, with each step after the pivot it follows.

    Pivots are otherwise in file-name order. A missing folder gives no pivots.

    Raises:
        InvestigationError: if a header is missing or malformed, declares parameters that
            differ from those of the query, or names a step that does not exist or that
            follows itself through a cycle.
    """
    if not folder.is_dir():
        return []
    pivots = {path.stem: read_pivot(path) for path in sorted(folder.glob(f"*{PIVOT_SUFFIX}"))}
    for pivot in pivots.values():
        if pivot.source is not None and pivot.source not in pivots:
            raise InvestigationError(
                f"pivot {pivot.path} runs on the rows of {pivot.source}{PIVOT_SUFFIX},"
                f" which is not in {folder}"
            )
    return _order_steps(pivots)


def read_pivot(path: Path) -> Pivot:
    """Read one pivot file and check its header against the query.

    Raises:
        InvestigationError: if the file cannot be read or parsed, or its header is invalid.
    """
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise InvestigationError(f"cannot read pivot file {path}: {exc}") from exc
    header = _header_lines(text)
    if not header or not header[0]:
        raise InvestigationError(
            f"pivot file {path} does not open with a // comment that names it",
            hint="start it with a line such as: // Process tree: the hit's parent and children",
        )

    declared: tuple[str, ...] | None = None
    source = None
    for line in header[1:]:
        if match := _PARAMETERS_LINE.match(line):
            declared = _parse_parameter_list(match["names"], path)
        elif match := _FOLLOW_UP_LINE.match(line):
            source = match["file"].removesuffix(PIVOT_SUFFIX)
    if declared is None:
        raise InvestigationError(
            f"pivot file {path} has no '// Parameters:' line in its header",
            hint="list the parameters the query takes, for example: // Parameters: ?aid",
        )

    try:
        used = query_parameters(text)
    except CqlError as exc:
        exc.add_note(f"while reading pivot file {path}")
        raise
    if set(declared) != set(used):
        raise InvestigationError(
            f"pivot file {path} declares the parameters {_listed(declared)}"
            f" but its query uses {_listed(used)}",
            hint="make the '// Parameters:' line list exactly the ?name parameters of the query",
        )
    if source == path.stem:
        raise InvestigationError(f"pivot file {path} runs once per row of itself")
    return Pivot(
        name=path.stem, title=header[0], path=path, text=text, parameters=declared, source=source
    )


def query_parameters(text: str) -> tuple[str, ...]:
    """Return the names of the ``?name`` parameters of a query, in order of first use.

    >>> query_parameters("aid=?aid | TargetProcessId=?TargetProcessId or ParentProcessId=?aid")
    ('aid', 'TargetProcessId')
    """
    names = (node.name for node in parse(text).walk() if isinstance(node, ast.Param))
    return tuple(dict.fromkeys(names))


def _header_lines(text: str) -> list[str]:
    """Return the text of the leading ``//`` comment lines, without the slashes."""
    lines = []
    for line in text.splitlines():
        stripped = line.strip()
        if not stripped.startswith("//"):
            break
        lines.append(stripped.removeprefix("//").strip())
    return lines


def _parse_parameter_list(names: str, path: Path) -> tuple[str, ...]:
    parameters = []
    for item in names.replace(",", " ").split():
        match = _PARAMETER_NAME.match(item)
        if match is None:
            raise InvestigationError(
                f"pivot file {path} lists {item!r} as a parameter",
                hint="write each parameter as ?name, separated by commas",
            )
        parameters.append(match["name"])
    return tuple(parameters)


def _listed(names: tuple[str, ...]) -> str:
    return ", ".join(f"?{name}" for name in names) or "none"


def _order_steps(pivots: dict[str, Pivot]) -> list[Pivot]:
    """Return the pivots with each follow-up step after the pivot whose rows it uses."""
    ordered: list[Pivot] = []
    placed: set[str] = set()

    def place(pivot: Pivot, chain: tuple[str, ...]) -> None:
        if pivot.name in placed:
            return
        if pivot.name in chain:
            cycle = " -> ".join((*chain, pivot.name))
            raise InvestigationError(f"pivot steps run on each other's rows in a cycle: {cycle}")
        if pivot.source is not None:
            place(pivots[pivot.source], (*chain, pivot.name))
        placed.add(pivot.name)
        ordered.append(pivot)

    for pivot in pivots.values():
        place(pivot, ())
    return ordered


def select_pivots(pivots: list[Pivot], names: Sequence[str]) -> list[Pivot]:
    """Return the pivots called ``names`` and the steps they run on, in load order.

    No names selects every pivot.

    Raises:
        InvestigationError: if a name is not a pivot. The hint lists the known names.
    """
    if not names:
        return pivots
    by_name = {pivot.name: pivot for pivot in pivots}
    unknown = [name for name in names if name not in by_name]
    if unknown:
        raise InvestigationError(
            f"unknown pivot: {', '.join(unknown)}",
            hint=f"known pivots: {', '.join(by_name) or 'none'}",
        )
    wanted: set[str] = set()
    for name in names:
        step: str | None = name
        while step is not None and step not in wanted:
            wanted.add(step)
            step = by_name[step].source
    return [pivot for pivot in pivots if pivot.name in wanted]
