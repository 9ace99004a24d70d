"""Value types of detection files: controlled vocabularies and id patterns.

The schema in :mod:`cqlkit.detections.schema` reads these annotations to validate
``detection.toml`` and to build its JSON Schema. A ``Literal`` lists the allowed
strings, and ``Annotated[str, Pattern(...)]`` adds a regular expression that the
whole value must match.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Annotated, Final, Literal


@dataclass(frozen=True)
class Pattern:
    """A regular expression that a whole string value must match, with its wording for errors."""

    regex: str
    description: str

    def violation(self, value: str) -> str | None:
        """Describe why ``value`` does not match, or return None when it matches."""
        if re.fullmatch(self.regex, value) is not None:
            return None
        return f"{value!r} is not {self.description}"


@dataclass(frozen=True)
class MinItems:
    """Minimum number of entries that a list must have."""

    count: int

    def violation(self, value: list[object]) -> str | None:
        """Describe why ``value`` is too short, or return None when it is long enough."""
        if len(value) >= self.count:
            return None
        return f"must list at least {self.count} entry" + ("" if self.count == 1 else "s")


Severity = Literal["informational", "low", "medium", "high", "critical"]
# The kind of activity in a fixture's events, from the point of view of one detection.
# A detection must report an attack (malicious) and stay quiet on normal activity
# (benign). It must not report activity outside its scope either (unrelated), whether
# that activity is malicious or not.
Verdict = Literal["malicious", "benign", "unrelated"]
# Reader formats that a fixture's event files may use, as ``--input-format`` names them.
# Sysmon events in OTRF or Winlogbeat JSON use the winlogbeat reader.
EventFormat = Literal["fdr", "logscale", "winlogbeat", "evtx"]
Confidence = Literal["low", "medium", "high"]
Maturity = Literal["development", "experimental", "production", "deprecated"]

TACTIC_PATTERN: Final = Pattern(r"TA\d{4}", "an ATT&CK tactic id (TA and four digits, e.g. TA0005)")
TECHNIQUE_PATTERN: Final = Pattern(
    r"T\d{4}", "an ATT&CK technique id (T and four digits, e.g. T1218)"
)
SUBTECHNIQUE_PATTERN: Final = Pattern(
    r"T\d{4}\.\d{3}",
    "an ATT&CK sub-technique id (technique id, a dot and three digits, e.g. T1218.003)",
)
# A detection id is its most specific ATT&CK id, a hyphen and a lowercase slug, so that ids sort
# by technique. The catalog folder of a detection has the same name.
DETECTION_ID_PATTERN: Final = Pattern(
    r"T\d{4}(?:\.\d{3})?-[a-z0-9]+(?:-[a-z0-9]+)*",
    "a detection id (ATT&CK technique or sub-technique id, a hyphen and a lowercase slug, "
    "e.g. T1218.003-cmstp)",
)
URL_PATTERN: Final = Pattern(r"https?://\S+", "an http(s) URL without spaces")
# Query names become keys in code and on the command line, so they stay identifier-like.
QUERY_NAME_PATTERN: Final = Pattern(
    r"[a-z][a-z0-9_]*", "a query name (lowercase letters, digits and underscores, e.g. logscale)"
)
# Fixture ids and tuning set names are folder and file names, and appear in test case names.
FIXTURE_ID_PATTERN: Final = Pattern(
    r"[a-z0-9]+(?:-[a-z0-9]+)*",
    "a fixture id (lowercase letters and digits in words joined by hyphens, e.g. art-test-1)",
)
TUNING_NAME_PATTERN: Final = Pattern(
    r"[a-z][a-z0-9_]*",
    "a tuning set name (lowercase letters, digits and underscores, e.g. sccm)",
)
# Event field names as queries write them, including tags (#event_simpleName) and
# metadata fields (@timestamp).
FIELD_NAME_PATTERN: Final = Pattern(
    r"[#@]?[A-Za-z_][A-Za-z0-9_.]*", "a field name (e.g. CommandLine, #event_simpleName)"
)
# Files are named relative to the detection folder. Rejecting separators and a leading dot keeps
# every referenced file inside that folder.
FILE_NAME_PATTERN: Final = Pattern(
    r"[A-Za-z0-9_][A-Za-z0-9_.-]*", "a file name inside the detection folder (no path separators)"
)

TacticId = Annotated[str, TACTIC_PATTERN]
TechniqueId = Annotated[str, TECHNIQUE_PATTERN]
SubtechniqueId = Annotated[str, SUBTECHNIQUE_PATTERN]
DetectionId = Annotated[str, DETECTION_ID_PATTERN]
Url = Annotated[str, URL_PATTERN]
QueryName = Annotated[str, QUERY_NAME_PATTERN]
FileName = Annotated[str, FILE_NAME_PATTERN]
FixtureId = Annotated[str, FIXTURE_ID_PATTERN]
TuningName = Annotated[str, TUNING_NAME_PATTERN]
FieldName = Annotated[str, FIELD_NAME_PATTERN]
NonEmptyTextList = Annotated[list[str], MinItems(1)]
# TOML has a native date type (``created = 2026-12-04``), which tomllib returns as datetime.date.
Date = dt.date
