"""Saved searches: ``$name(arg=value)`` and ``$"package/name"()``.

LogScale stores saved searches (user functions) in the tenant. Offline they
come from a library folder (``--library DIR``) with one ``NAME.cql`` file per
saved search; a package's saved search, ``$"scope/package:name"()`` (or
``$scope/package:name()``), reads ``DIR/scope/package/name.cql``. A call
runs the saved query in place, as if its text were written there, with each
argument giving the value of the query parameter of that name (``?arg``).
A parameter that the call leaves out takes its ``?{arg=default}`` default.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from cqlkit.errors import CqlError
from cqlkit.language import ast
from cqlkit.language.diagnostics import Diagnostic
from cqlkit.language.parser import parse
from cqlkit.plan import nodes
from cqlkit.plan.context import PlanContext

if TYPE_CHECKING:
    from cqlkit.plan.planner import Planner

# A saved search may call others; this bounds the depth and stops cycles.
MAX_DEPTH = 10


def inline_saved_search(planner: Planner, call: ast.SavedSearchCall) -> list[nodes.Stage]:
    """Plan the saved search that ``call`` names and return its stages, or record
    why it cannot be resolved."""
    context = planner.context
    path = _resolve(context, call)
    if path is None:
        return []
    if len(context.saved_search_stack) >= MAX_DEPTH or call.name in context.saved_search_stack:
        chain = " -> ".join(f"${name}()" for name in (*context.saved_search_stack, call.name))
        context.error("saved-search-cycle", f"saved searches call each other: {chain}", call.span)
        return []
    arguments = _arguments(planner, call)
    if arguments is None:
        return []
    text = path.read_text(encoding="utf-8")
    child = PlanContext(
        text,
        lenient=context.lenient,
        parameters=arguments,
        resources=context.resources,
        saved_search_stack=(*context.saved_search_stack, call.name),
        parameters_optional=context.parameters_optional,
    )
    sub_planner = type(planner)(child)
    try:
        stages = sub_planner.pipeline(parse(text))
    except CqlError as exc:
        context.error(
            "saved-search-syntax",
            f"the saved search ${call.name}() in {path} cannot be parsed: {exc}",
            call.span,
        )
        return []
    planner.uses_free_text = planner.uses_free_text or sub_planner.uses_free_text
    for diagnostic in child.diagnostics:
        context.diagnostics.append(_relocated(diagnostic, call, path))
    return stages


def _resolve(context: PlanContext, call: ast.SavedSearchCall) -> Path | None:
    library = context.resources.library_dir
    relative = call.name.replace(":", "/")
    if library is None:
        context.error(
            "saved-search",
            f"the saved search ${call.name}() cannot be resolved: no saved-search library",
            call.span,
            hint=f"pass --library DIR, with the saved query in DIR/{relative}.cql",
        )
        return None
    root = library.resolve()
    path = (root / f"{relative}.cql").resolve()
    if not path.is_relative_to(root):
        context.error(
            "saved-search",
            f"the saved search name ${call.name}() leads outside the library folder",
            call.span,
        )
        return None
    if not path.is_file():
        known = sorted(p.relative_to(root).with_suffix("").as_posix() for p in root.rglob("*.cql"))
        listed = ", ".join(known[:10]) if known else "none"
        context.error(
            "saved-search",
            f"the saved search ${call.name}() is not in the library {library}",
            call.span,
            hint=f"add {relative}.cql to {library}; saved searches there: {listed}",
        )
        return None
    return path


def _arguments(planner: Planner, call: ast.SavedSearchCall) -> dict[str, str] | None:
    """Return the call's arguments as parameter values, or None after an error."""
    values: dict[str, str] = {}
    for argument in call.arguments:
        if argument.name is None:
            planner.context.error(
                "saved-search-argument",
                f"the arguments of ${call.name}() must be named, as in name=value",
                argument.span,
            )
            return None
        text = planner.text_value(argument.value)
        if text is None:
            planner.context.error(
                "saved-search-argument",
                f"the argument {argument.name} of ${call.name}() must be a plain value",
                argument.span,
            )
            return None
        values[argument.name] = text
    return values


def _relocated(diagnostic: Diagnostic, call: ast.SavedSearchCall, path: Path) -> Diagnostic:
    """Point a diagnostic found inside a saved search at the call, naming the place."""
    where = (
        f" (at line {diagnostic.span.line}, column {diagnostic.span.col} of {path})"
        if diagnostic.span is not None
        else f" (in {path})"
    )
    return replace(
        diagnostic,
        message=f"in ${call.name}(): {diagnostic.message}{where}",
        span=call.span,
        fix=None,
        fix_span=None,
    )
