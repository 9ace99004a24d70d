"""Investigation of a detection hit with pivot queries kept next to the detection.

:func:`load_pivots` reads a detection's ``investigations/*.cql`` files
(:mod:`cqlkit.investigation.pivots` describes their header), and :func:`investigate` runs
the detection, chooses one hit and runs every pivot with parameters filled from it.
"""

from __future__ import annotations

from cqlkit.investigation.pivots import (
    INVESTIGATIONS_FOLDER,
    InvestigationError,
    Pivot,
    load_pivots,
    query_parameters,
    read_pivot,
    select_pivots,
)
from cqlkit.investigation.runner import (
    ENGINES,
    Hit,
    Investigation,
    PivotRun,
    QueryResult,
    find_hits,
    find_process,
    investigate,
    keep_all_fields,
    run_pivots,
    run_query,
)

__all__ = [
    "ENGINES",
    "INVESTIGATIONS_FOLDER",
    "Hit",
    "Investigation",
    "InvestigationError",
    "Pivot",
    "PivotRun",
    "QueryResult",
    "find_hits",
    "find_process",
    "investigate",
    "keep_all_fields",
    "load_pivots",
    "query_parameters",
    "read_pivot",
    "run_pivots",
    "run_query",
    "select_pivots",
]
