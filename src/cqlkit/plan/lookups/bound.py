"""The records of match() and readFile() calls that the planner stores in the
bound call, so that engines never open a file."""

from __future__ import annotations

from dataclasses import dataclass

from cqlkit.plan.lookups.matching import MatchMode
from cqlkit.plan.lookups.tables import KEY_COLUMN, LookupTable


@dataclass(frozen=True, eq=False)
class LookupSource:
    """A lookup file read at plan time, or an ad-hoc table by name.

    ``table`` is None for an ad-hoc table: defineTable() builds it when the
    query runs, and the engine finds it by ``name``.
    """

    name: str
    table: LookupTable | None

    def __repr__(self) -> str:
        return repr(self.table) if self.table is not None else f"<table {self.name}>"


@dataclass(frozen=True, eq=False)
class MatchLookup:
    """A match() call's table and options, checked at plan time.

    ``include`` None means every column of the matching row except the
    columns that were matched, which the docs call "all other columns".
    """

    source: LookupSource
    fields: tuple[str, ...]
    columns: tuple[str, ...]
    include: tuple[str, ...] | None
    mode: MatchMode
    ignore_case: bool
    nrows: int
    strict: bool

    def __repr__(self) -> str:
        return f"<match {self.source!r} on {', '.join(self.columns)}>"

    def key_positions(self, table: LookupTable) -> tuple[int, ...] | None:
        """Return the positions of the matched columns in ``table``, or None when
        it lacks one. In a JSON file of the object form, a name that is no
        attribute of the objects stands for the top-level key."""
        positions = []
        for name in self.columns:
            position = table.index(name)
            if position is None and table.keyed:
                position = table.index(KEY_COLUMN)
            if position is None:
                return None
            positions.append(position)
        return tuple(positions)

    def output_columns(self, table: LookupTable) -> tuple[str, ...]:
        """Return the columns that a matching row copies into the event."""
        if self.include is not None:
            return tuple(name for name in self.include if name in table.value_columns)
        return tuple(name for name in table.value_columns if name not in self.columns)
