"""Helpers that run a query as SQL and return one output field.

The public helpers run through ``helpers.run`` with ``sql_only=True``, so they
also fail when the reference engine and DuckDB disagree or DuckDB sent a stage
back to the reference engine.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from typing import Any

from helpers import make_events, run


def output(query: str, fields: Mapping[str, str], name: str) -> str | None:
    """Run ``query`` as SQL on one event made of ``fields`` and return field ``name``."""
    (row,) = run(query, make_events(fields), sql_only=True)
    return row.get(name)


@functools.cache
def _outputs_by_value(query: str, values: tuple[str, ...], name: str) -> dict[str, str | None]:
    """Run ``query`` as SQL once over one event per value and return field ``name`` by value."""
    events = make_events(*({"v": value} for value in values))
    rows = run(query, events, sql_only=True, lift_default_limits=True)
    by_id = {row["@id"]: row.get(name) for row in rows}
    return {value: by_id[event["@id"]] for value, event in zip(values, events, strict=True)}


def case_output(cases: list[Any], query: str, value: str, name: str = "v") -> str | None:
    """Return field ``name`` for ``value`` after ``query``, running each query of
    the case table once for all of its values."""
    values = tuple(dict.fromkeys(case.values[1] for case in cases if case.values[0] == query))
    return _outputs_by_value(query, values, name)[value]
