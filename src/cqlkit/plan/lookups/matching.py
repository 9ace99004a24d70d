"""The rules by which match() finds the rows of a lookup table for one event.

The rules come from https://library.humio.com/data-analysis/functions-match.html:

- ``mode=string`` compares whole values exactly, ``mode=glob`` reads each key
  as a glob (``*`` is any text) and ``mode=cidr`` reads each key as a subnet;
- every field must match its column;
- when several rows match, the last one in the file comes first. In cidr
  mode the most specific subnet comes first, and among equally specific
  subnets the later row;
- ``nrows`` rows at most are returned.

Both engines use this module, so they agree on which rows match.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Literal

from cqlkit.plan.lookups.addresses import Network, in_any, parse_address, parse_network
from cqlkit.plan.lookups.tables import LookupTable

MatchMode = Literal["string", "glob", "cidr"]

GlobCompiler = Callable[[str, bool], re.Pattern[str]]
"""``(pattern, ignore_case) -> regex``: how an engine turns an anchored glob
into a regex that matches the same values."""


def fold_case(text: str) -> str:
    """Lower-case ``text`` with each character's one-character lowercase mapping.

    Java's equalsIgnoreCase and DuckDB's lower() fold case this way. So capital
    I with dot above (U+0130) folds to a plain ``i``, and a capital sigma to the
    small sigma even at the end of a word. Python's str.lower() gives ``i``
    plus a combining dot, and the final sigma.
    """
    if text.isascii():
        return text.lower()
    return "".join(char.lower()[0] for char in text)


@dataclass(frozen=True, eq=False)
class Matcher:
    """The rows of ``table`` whose ``key_positions`` columns match an event's values."""

    table: LookupTable
    key_positions: tuple[int, ...]
    mode: MatchMode
    ignore_case: bool
    nrows: int
    # string mode: key values (folded with ignore_case) -> matching rows, best first.
    exact: dict[tuple[str, ...], tuple[int, ...]] = field(default_factory=dict)
    # cidr mode: the subnets of each row; rows whose keys are not subnets are left out.
    subnets: tuple[tuple[int, tuple[Network, ...]], ...] = ()
    # Rows that can never match because a key is missing or is not a valid subnet.
    unusable_rows: int = 0
    # glob mode: the compiled keys of each row; rows with a missing key are left out.
    globs: tuple[tuple[int, tuple[re.Pattern[str], ...]], ...] = ()

    def rows_for(self, values: Sequence[str]) -> list[int]:
        """Return the positions of the rows that match ``values``, best first."""
        if self.mode == "string":
            key = tuple(fold_case(v) for v in values) if self.ignore_case else tuple(values)
            return list(self.exact.get(key, ()))
        if self.mode == "glob":
            return self._glob_rows(values)
        return self._cidr_rows(values)

    def _glob_rows(self, values: Sequence[str]) -> list[int]:
        found = []
        for position, patterns in reversed(self.globs):
            if all(
                pattern.match(value) is not None
                for pattern, value in zip(patterns, values, strict=True)
            ):
                found.append(position)
                if len(found) == self.nrows:
                    break
        return found

    def _cidr_rows(self, values: Sequence[str]) -> list[int]:
        parsed = [parse_address(value) for value in values]
        addresses = [address for address in parsed if address is not None]
        if len(addresses) != len(parsed):
            return []
        ranked = []
        for position, networks in self.subnets:
            if all(
                in_any(address, (network,))
                for address, network in zip(addresses, networks, strict=True)
            ):
                specificity = sum(network.prefixlen for network in networks)
                ranked.append((specificity, position))
        ranked.sort(reverse=True)
        return [position for _, position in ranked[: self.nrows]]


def build_matcher(
    table: LookupTable,
    key_positions: tuple[int, ...],
    mode: MatchMode,
    *,
    ignore_case: bool,
    nrows: int,
    compile_glob: GlobCompiler | None = None,
) -> Matcher:
    """Index ``table`` for lookups on the columns at ``key_positions``;
    ``compile_glob`` is required in glob mode."""
    if mode == "string":
        exact, unusable = _exact_index(table, key_positions, ignore_case, nrows)
        return Matcher(table, key_positions, mode, ignore_case, nrows, exact, (), unusable)
    if mode == "cidr":
        subnets, unusable = _subnet_rows(table, key_positions)
        return Matcher(table, key_positions, mode, ignore_case, nrows, {}, subnets, unusable)
    assert compile_glob is not None, "a glob-mode matcher needs a glob compiler"
    globs = []
    unusable = 0
    for position, row in enumerate(table.rows):
        keys = [row[column] for column in key_positions]
        if any(key is None for key in keys):
            unusable += 1
            continue
        patterns = tuple(compile_glob(key, ignore_case) for key in keys if key is not None)
        globs.append((position, patterns))
    return Matcher(table, key_positions, mode, ignore_case, nrows, {}, (), unusable, tuple(globs))


def _exact_index(
    table: LookupTable, key_positions: tuple[int, ...], ignore_case: bool, nrows: int
) -> tuple[dict[tuple[str, ...], tuple[int, ...]], int]:
    index: dict[tuple[str, ...], list[int]] = {}
    unusable = 0
    # Walk from the last row so that each list starts with the row that wins.
    for position in range(len(table.rows) - 1, -1, -1):
        keys = [table.rows[position][column] for column in key_positions]
        if any(key is None for key in keys):
            unusable += 1
            continue
        text_keys = tuple(fold_case(k) if ignore_case else k for k in keys if k is not None)
        found = index.setdefault(text_keys, [])
        if len(found) < nrows:
            found.append(position)
    return {key: tuple(rows) for key, rows in index.items()}, unusable


def _subnet_rows(
    table: LookupTable, key_positions: tuple[int, ...]
) -> tuple[tuple[tuple[int, tuple[Network, ...]], ...], int]:
    rows = []
    unusable = 0
    for position, row in enumerate(table.rows):
        networks = [_network(row[column]) for column in key_positions]
        if any(network is None for network in networks):
            unusable += 1
            continue
        rows.append((position, tuple(n for n in networks if n is not None)))
    return tuple(rows), unusable


def _network(key: str | None) -> Network | None:
    return None if key is None else parse_network(key)
