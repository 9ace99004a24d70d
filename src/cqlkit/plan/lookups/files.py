"""Lookup files that a query names: where the planner finds them, how it reads
them, and the check error it records when one is missing or invalid."""

from __future__ import annotations

import functools
from pathlib import Path

from cqlkit.language.span import Span
from cqlkit.plan.context import PlanContext
from cqlkit.plan.lookups.tables import (
    LookupFileError,
    LookupTable,
    is_lookup_file_name,
    read_lookup_file,
)


def load_table(
    context: PlanContext, function: str, name: str, span: Span | None
) -> LookupTable | None:
    """Read the lookup file ``name`` from the lookup folder, or record why it
    cannot be read and return None.

    Names may contain folders, as package files do (``falcon/investigate/chassis.csv``),
    but must stay inside the lookup folder.
    """
    folder = context.resources.lookup_dir
    if folder is None:
        context.error(
            "lookup-file-not-found",
            f"{function}() reads the lookup file {name}, but no lookup folder was given",
            span,
            hint=f"pass --lookup-dir DIR, where DIR holds {name}",
        )
        return None
    path = _inside(folder, name)
    if path is None:
        context.error(
            "invalid-argument",
            f"the lookup file name {name!r} leads outside the lookup folder",
            span,
            hint="name the file by its path relative to --lookup-dir",
        )
        return None
    if not path.is_file():
        context.error(
            "lookup-file-not-found",
            f"the lookup file {name} is not in the lookup folder {folder}",
            span,
            hint=f"put {name} in {folder}, or pass the folder that holds it with --lookup-dir",
        )
        return None
    try:
        stat = path.stat()
        return _read(path, name, stat.st_mtime_ns, stat.st_size)
    except LookupFileError as exc:
        context.error("invalid-lookup-file", f"the lookup file {name} is invalid: {exc}", span)
    except (OSError, UnicodeDecodeError) as exc:
        context.error("invalid-lookup-file", f"the lookup file {name} cannot be read: {exc}", span)
    return None


def check_file_name(context: PlanContext, function: str, name: str, span: Span | None) -> bool:
    """Tell whether ``name`` names a lookup file (True) or an ad-hoc table
    (False); record an error for a name with another file type."""
    if is_lookup_file_name(name):
        return True
    if "/" in name or Path(name).suffix:
        context.error(
            "invalid-argument",
            f"{function}() cannot read {name}: lookup files are .csv or .json files",
            span,
            hint="name a .csv or .json file, or a table that defineTable() builds",
        )
    return False


def _inside(folder: Path, name: str) -> Path | None:
    base = folder.resolve()
    path = (base / name).resolve()
    return path if path.is_relative_to(base) else None


@functools.lru_cache(maxsize=32)
def _read(path: Path, name: str, mtime_ns: int, size: int) -> LookupTable:
    # mtime_ns and size are part of the cache key: a changed file is read anew.
    return read_lookup_file(path, name)
