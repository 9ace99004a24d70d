"""The cases that run_benchmark.py times: cqlkit runs of the CMSTP detection and baselines.

Every case returns its result rows as plain dicts of text, so that the benchmark can check
that all cases compute the same rows. The baselines (a naive Python loop and hand-written
DuckDB SQL) follow the detection's logic for one :class:`Variant`: an ``ImageFileName``
regex built from a binary name, the six indicators of the catalog query, and a minimum
``RiskScore``. Like the query, they keep the 200 newest rows, because a ``sort()`` without
a limit keeps 200 rows in LogScale.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import duckdb

from cqlkit.cli.commands import Job, _line_filter
from cqlkit.detections.catalog import find_detections
from cqlkit.engines.duckdb.engine import DuckDBEngine
from cqlkit.engines.reference.context import RunContext
from cqlkit.engines.reference.interpreter import run_plan
from cqlkit.plan.nodes import Plan
from cqlkit.plan.planner import plan_query
from cqlkit.plan.requirements import required_event_types
from cqlkit.sources import read_events
from cqlkit.store import select_files

DETECTION_ID = "T1218.003-cmstp"
SORT_LIMIT = 200
"""Rows that the query's ``sort(field=@timestamp, order=desc)`` keeps, LogScale's default."""

# LOLBins for the variants of the detection. regsvr32.exe, rundll32.exe and msiexec.exe
# are common in the generated data, so their variants keep many events. The others are
# rare or absent, as cmstp.exe is.
VARIANT_BINARIES = (
    "cmstp.exe",
    "regsvr32.exe",
    "mshta.exe",
    "rundll32.exe",
    "msiexec.exe",
    "certutil.exe",
    "wmic.exe",
    "installutil.exe",
    "regasm.exe",
    "regsvcs.exe",
    "msbuild.exe",
    "odbcconf.exe",
    "msxsl.exe",
    "cscript.exe",
    "wscript.exe",
    "bitsadmin.exe",
    "forfiles.exe",
    "pcalua.exe",
    "presentationhost.exe",
    "infdefaultinstall.exe",
)
VARIANT_THRESHOLDS = (0, 1, 2, 3, 4)

# The indicators of the catalog query, as (column, field, pattern). regex() in CQL
# defaults to the m flag, so the Python loop compiles these with re.MULTILINE.
INDICATORS = (
    ("AutoClose", "CommandLine", r"(?i)/s|/au"),
    ("NoUI", "CommandLine", r"(?i)/ns|/ni"),
    ("HasINF", "CommandLine", r"(?i)\.inf"),
    (
        "SuspiciousPath",
        "CommandLine",
        r"(?i)(Temp|AppData|Downloads|Public|ProgramData|\\Users\\)",
    ),
    ("RemoteLoad", "CommandLine", r"(?i)https?://"),
    (
        "SuspiciousParent",
        "ParentBaseFileName",
        r"(?i)(cmd\.exe|powershell\.exe|wscript\.exe|cscript\.exe|mshta\.exe|winword\.exe"
        r"|excel\.exe|outlook\.exe)$",
    ),
)

# The query's image filter and score filter, which the variants replace.
_IMAGE_FILTER = r"ImageFileName = /(?i)\\cmstp\.exe$/"
_SCORE_FILTER = "| RiskScore > 0\n"

Rows = list[dict[str, str]]


@dataclass(frozen=True)
class Variant:
    """One variant of the CMSTP detection: the process binary and the minimum score."""

    binary: str
    threshold: int

    @property
    def image_pattern(self) -> str:
        """Return the ImageFileName regex, as the catalog query writes it for cmstp.exe."""
        return r"(?i)\\" + re.escape(self.binary) + "$"


CMSTP = Variant("cmstp.exe", 0)
"""The variant that is the catalog's default query."""


def variants(count: int) -> list[Variant]:
    """Return ``count`` variants, the catalog query first, thresholds varying fastest."""
    every = [
        Variant(binary, threshold)
        for binary in VARIANT_BINARIES
        for threshold in VARIANT_THRESHOLDS
    ]
    if not 1 <= count <= len(every):
        raise ValueError(f"variant count must be from 1 to {len(every)}, got {count}")
    return every[:count]


def cmstp_query() -> str:
    """Return the text of the catalog's default CMSTP query."""
    return find_detections([DETECTION_ID])[0].query()


def variant_query(variant: Variant) -> str:
    """Return the catalog query with the binary and the score threshold of ``variant``."""
    text = cmstp_query()
    if text.count(_IMAGE_FILTER) != 1 or text.count(_SCORE_FILTER) != 1:
        raise ValueError(
            f"the catalog query of {DETECTION_ID} no longer contains {_IMAGE_FILTER!r} and "
            f"{_SCORE_FILTER!r} once each, so variants cannot be made from it; update "
            "bench/cases.py"
        )
    image_filter = f"ImageFileName = /{variant.image_pattern}/"
    score_filter = f"| RiskScore > {variant.threshold}\n"
    return text.replace(_IMAGE_FILTER, image_filter).replace(_SCORE_FILTER, score_filter)


def plan_variants(selected: Sequence[Variant]) -> list[Plan]:
    """Plan the query of each variant."""
    return [plan_query(variant_query(variant)) for variant in selected]


def plain_rows(rows: Sequence[dict[str, str | None]]) -> Rows:
    """Return engine rows as plain dicts, without the fields that have no value."""
    return [{name: value for name, value in row.items() if value is not None} for row in rows]


def cqlkit_duckdb(path: str, plans: Sequence[Plan]) -> list[Rows]:
    """Run ``plans`` in one pass over ``path`` on the DuckDB engine, as ``cqlkit hunt`` does."""
    jobs = [Job(f"plan {index}", plan, "") for index, plan in enumerate(plans)]
    events = read_events([path], line_filter=_line_filter(jobs, aidmaster=False))
    outcomes = DuckDBEngine().run(list(plans), events)
    return [plain_rows(outcome.rows) for outcome in outcomes]


def cqlkit_reference(path: str, plan: Plan, *, prefilter: bool) -> Rows:
    """Run ``plan`` over ``path`` on the reference engine, with or without the line prefilter."""
    line_filter = _line_filter([Job("plan", plan, "")], aidmaster=False) if prefilter else None
    events = read_events([path], line_filter=line_filter)
    return plain_rows(run_plan(plan, events, RunContext()))


def cqlkit_store(store_dir: str, plans: Sequence[Plan]) -> list[Rows]:
    """Run ``plans`` on a store, as ``cqlkit hunt --store`` does without a time range."""
    types: set[str] | None = set()
    for plan in plans:
        required = required_event_types(plan)
        types = None if required is None or types is None else types | required
    selection = select_files(store_dir, event_types=None if types is None else frozenset(types))
    outcomes = DuckDBEngine().run_store(
        list(plans), [str(path) for path in selection.files], selection.columns
    )
    return [plain_rows(outcome.rows) for outcome in outcomes]


class _CompiledVariant:
    """The compiled regexes of one variant, for the naive loop."""

    def __init__(self, variant: Variant) -> None:
        self.threshold = variant.threshold
        self.image = re.compile(variant.image_pattern)
        self.indicators = [
            (column, field, re.compile(pattern, re.MULTILINE))
            for column, field, pattern in INDICATORS
        ]
        self.rows: Rows = []

    def add_if_matching(self, event: dict[str, str]) -> None:
        image = event.get("ImageFileName")
        if image is None or not self.image.search(image):
            return
        row = {"@timestamp": event["timestamp"]}
        for field in ("CommandLine", "ParentBaseFileName"):
            if field in event:
                row[field] = event[field]
        score = 0
        for column, field, regex in self.indicators:
            value = event.get(field)
            hit = value is not None and regex.search(value) is not None
            row[column] = "1" if hit else "0"
            score += hit
        if score > self.threshold:
            row["RiskScore"] = str(score)
            self.rows.append(row)


def naive_loop(path: str, selected: Sequence[Variant]) -> list[Rows]:
    """Parse every line with ``json.loads`` and apply each variant's logic with ``re``.

    Assumes FDR events, whose ``timestamp`` is epoch milliseconds (cqlkit's
    ``@timestamp``).
    """
    compiled = [_CompiledVariant(variant) for variant in selected]
    with open(path, "rb") as lines:
        for line in lines:
            event = json.loads(line)
            if event.get("event_simpleName") != "ProcessRollup2":
                continue
            for variant in compiled:
                variant.add_if_matching(event)
    results = []
    for variant in compiled:
        # sorted() is stable, so rows of equal time keep file order, as in cqlkit.
        newest = sorted(variant.rows, key=lambda row: -int(row["@timestamp"]))
        results.append(newest[:SORT_LIMIT])
    return results


def hand_sql_text(path: str, variant: Variant) -> str:
    """Return a hand-written DuckDB query of ``variant``'s logic over an FDR NDJSON file."""
    indicators = ",\n    ".join(
        f"CASE WHEN regexp_matches({field}, {_sql_text(pattern)}) THEN 1 ELSE 0 END AS {column}"
        for column, field, pattern in INDICATORS
    )
    columns = ", ".join(column for column, _, _ in INDICATORS)
    score = " + ".join(column for column, _, _ in INDICATORS)
    return f"""
WITH process AS (
  SELECT "timestamp", CommandLine, ParentBaseFileName,
    {indicators}
  FROM read_ndjson({_sql_text(path)}, columns = {{
    event_simpleName: 'VARCHAR', "timestamp": 'VARCHAR', ImageFileName: 'VARCHAR',
    CommandLine: 'VARCHAR', ParentBaseFileName: 'VARCHAR'}})
  WHERE event_simpleName = 'ProcessRollup2'
    AND regexp_matches(ImageFileName, {_sql_text(variant.image_pattern)})
)
SELECT "timestamp" AS "@timestamp", CommandLine, ParentBaseFileName, {columns},
  {score} AS RiskScore
FROM process
WHERE {score} > {variant.threshold}
ORDER BY CAST("timestamp" AS BIGINT) DESC
LIMIT {SORT_LIMIT}
"""


def hand_sql(path: str, variant: Variant) -> Rows:
    """Run :func:`hand_sql_text` on a new in-memory DuckDB connection."""
    connection = duckdb.connect()
    try:
        connection.execute("SET enable_progress_bar = false")
        cursor = connection.execute(hand_sql_text(path, variant))
        names = [description[0] for description in cursor.description]
        records = cursor.fetchall()
    finally:
        connection.close()
    return [
        {name: str(value) for name, value in zip(names, record, strict=True) if value is not None}
        for record in records
    ]


def cli_hunt(path: str) -> Rows:
    """Run ``cqlkit hunt`` on ``path`` in a new process and return its NDJSON rows."""
    command = [
        str(Path(sys.executable).parent / "cqlkit"),
        "hunt",
        "--detection",
        DETECTION_ID,
        "--format",
        "ndjson",
        path,
    ]
    completed = subprocess.run(command, check=True, capture_output=True)
    rows = []
    for line in completed.stdout.splitlines():
        row = json.loads(line)
        row.pop("detection")
        rows.append(row)
    return rows


def read_floor(path: str, chunk_bytes: int = 8 << 20) -> int:
    """Read ``path`` in large chunks and write them to /dev/null. Return the bytes read."""
    buffer = bytearray(chunk_bytes)
    view = memoryview(buffer)
    total = 0
    with open(path, "rb", buffering=0) as source, open(os.devnull, "wb", buffering=0) as sink:
        while count := source.readinto(buffer):
            sink.write(view[:count])
            total += count
    return total


def count_lines(path: str | Path, chunk_bytes: int = 8 << 20) -> int:
    """Count the newline-terminated lines of ``path``."""
    lines = 0
    with open(path, "rb", buffering=0) as source:
        while chunk := source.read(chunk_bytes):
            lines += chunk.count(b"\n")
    return lines


def kept_lines(path: str, plans: Sequence[Plan], chunk_bytes: int = 8 << 20) -> int:
    """Count the lines of ``path`` that the CLI's prefilter keeps for ``plans``."""
    jobs = [Job(f"plan {index}", plan, "") for index, plan in enumerate(plans)]
    line_filter = _line_filter(jobs, aidmaster=False)
    if line_filter is None:
        return count_lines(path)
    kept_count = 0
    remainder = b""
    with open(path, "rb") as source:
        while data := source.read(chunk_bytes):
            data = remainder + data
            cut = data.rfind(b"\n") + 1
            chunk, remainder = data[:cut], data[cut:]
            kept_count += sum(1 for _ in line_filter.filter_chunk(chunk))
    if remainder:
        kept_count += sum(1 for _ in line_filter.filter_chunk(remainder))
    return kept_count


def _sql_text(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"
