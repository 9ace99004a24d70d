"""Load detections from catalog folders.

A detection is a folder that contains ``detection.toml`` and the query and Sigma files
it names, and optionally test fixtures (``fixtures/<id>/fixture.toml``) and tuning sets
(``tuning/<name>.cql``). :func:`load_detection` reads one folder, :func:`load_catalog` reads every
folder under a root (by default the catalog shipped with cqlkit), and
:func:`find_detections` selects detections by id.
"""

from __future__ import annotations

import datetime as dt
import tomllib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from types import MappingProxyType
from typing import Any

import yaml

from cqlkit.detections import vocabulary as v
from cqlkit.detections.fixtures import Fixture, SignalFields, load_fixtures
from cqlkit.detections.schema import DETECTION_FILE, Problem, validate_document
from cqlkit.detections.tuning import TuningSet, load_tuning_sets
from cqlkit.errors import CqlError

BUNDLED_CATALOG = Path(__file__).parent / "catalog"
"""Folder of the detections shipped with cqlkit. A plain path is enough because
setuptools installs the package data as files, not inside a zip."""

MAX_LISTED_PROBLEMS = 25
"""Maximum number of problems that the text of a DetectionError lists. The rest are counted."""

SIGMA_REQUIRED_KEYS = ("title", "logsource", "detection")
"""Top-level keys that a Sigma rule needs. The loader checks only these, and the catalog
tests parse every rule with pySigma."""


class DetectionError(CqlError):
    """A detection folder or catalog is invalid, or a requested detection or query does not exist.

    ``problems`` lists each invalid entry with its file and key. The message shows the
    first :data:`MAX_LISTED_PROBLEMS` of them.
    """

    kind = "detection"

    def __init__(
        self,
        description: str,
        *,
        path: Path | None = None,
        problems: Sequence[Problem] = (),
        hint: str | None = None,
    ) -> None:
        super().__init__(description, hint=hint)
        self.path = path
        self.problems = tuple(problems)

    def __str__(self) -> str:
        lines = [self.description]
        listed = self.problems[:MAX_LISTED_PROBLEMS]
        lines += [f"  {problem}" for problem in listed]
        if len(self.problems) > len(listed):
            lines.append(f"  … and {len(self.problems) - len(listed)} more")
        if self.hint:
            lines.append(f"hint: {self.hint}")
        return "\n".join(lines)


@dataclass(frozen=True, kw_only=True)
class Detection:
    """A validated detection: metadata, ATT&CK mapping, triage notes and query texts."""

    id: v.DetectionId
    name: str
    description: str
    path: Path
    """Folder the detection was loaded from."""
    author: str
    created: dt.date
    updated: dt.date
    maturity: v.Maturity
    tactic: v.TacticId
    technique: v.TechniqueId
    subtechnique: v.SubtechniqueId | None
    reference: v.Url
    severity: v.Severity
    confidence: v.Confidence
    data_sources: tuple[str, ...]
    required_event_types: tuple[str, ...]
    false_positives: tuple[str, ...]
    tuning: tuple[str, ...]
    queries: Mapping[str, str] = field(hash=False)
    """Query name to query text. The loader reads the texts from the files in ``[rule.queries]``."""
    default_query: str
    sigma_path: Path | None
    lenient_queries: frozenset[str] = frozenset()
    """Queries kept as published although LogScale rejects them; they plan only leniently."""
    indicators: tuple[str, ...] = ()
    """Output fields that are "1" when an indicator fires."""
    score_field: str | None = None
    """Output field that contains a row's risk score."""
    report_queries: tuple[str, ...] = ()
    """Queries that the coverage report compares; empty means every query a fixture names."""
    fixtures: tuple[Fixture, ...] = field(default=(), hash=False)
    tuning_sets: Mapping[str, TuningSet] = field(default_factory=dict, hash=False)
    """Tuning set name to tuning set, sorted by name."""

    def __post_init__(self) -> None:
        # A read-only copy keeps the frozen dataclass immutable even if the caller's dict changes.
        object.__setattr__(self, "queries", MappingProxyType(dict(self.queries)))
        object.__setattr__(self, "tuning_sets", MappingProxyType(dict(self.tuning_sets)))
        if self.default_query not in self.queries:
            raise DetectionError(
                f"detection {self.id}: default query {self.default_query!r} is not in queries",
                path=self.path,
                hint=f"known queries: {', '.join(sorted(self.queries))}",
            )

    def query(self, name: str | None = None) -> str:
        """Return the text of query ``name``, or of the default query when ``name`` is None.

        Raises:
            DetectionError: if the detection has no query of that name.
        """
        key = self.default_query if name is None else name
        try:
            return self.queries[key]
        except KeyError:
            raise DetectionError(
                f"detection {self.id} has no query named {key!r}",
                path=self.path,
                hint=f"known queries: {', '.join(sorted(self.queries))}",
            ) from None


def load_detection(folder: Path) -> Detection:
    """Load and validate the detection in ``folder``.

    Every problem of the folder is collected before anything is raised, so one error
    lists them all.

    Raises:
        DetectionError: if ``detection.toml`` or a file it names is missing or invalid.
            Each entry of ``problems`` names its file and key.
    """
    folder = Path(folder)
    document = _read_document(folder)
    problems = validate_document(document)

    rule = document.get("rule")
    rule = rule if isinstance(rule, dict) else {}
    queries, query_problems = _read_queries(folder, rule.get("queries"))
    sigma_path, sigma_problems = _check_sigma(folder, rule.get("sigma"))
    tuning_sets, tuning_problems = load_tuning_sets(folder)
    fixtures, fixture_problems = _load_fixtures(folder, rule, tuning_sets)
    problems += query_problems + sigma_problems + tuning_problems + fixture_problems

    if problems:
        raise DetectionError(f"invalid detection in {folder}", path=folder, problems=problems)
    detection = _build_detection(folder, document, queries, sigma_path)
    return replace(detection, fixtures=fixtures, tuning_sets=tuning_sets)


def load_catalog(root: Path | None = None) -> list[Detection]:
    """Load every detection folder under ``root`` and return the detections sorted by id.

    ``root`` defaults to the catalog shipped with cqlkit. Subfolders whose names start
    with a dot or an underscore are skipped.

    Raises:
        DetectionError: if ``root`` is not a folder, if any detection is invalid, or if
            two detections share an id. The error lists the problems of every folder,
            with file names relative to ``root``.
    """
    root = BUNDLED_CATALOG if root is None else Path(root)
    if not root.is_dir():
        raise DetectionError(f"detection catalog {root} is not a directory", path=root)

    detections: list[Detection] = []
    problems: list[Problem] = []
    for folder in sorted(root.iterdir()):
        if not folder.is_dir() or folder.name.startswith((".", "_")):
            continue
        try:
            detections.append(load_detection(folder))
        except DetectionError as exc:
            problems += [replace(p, file=f"{folder.name}/{p.file}") for p in exc.problems]
    problems += _find_duplicate_ids(detections)

    if problems:
        raise DetectionError(f"invalid detections in catalog {root}", path=root, problems=problems)
    return sorted(detections, key=lambda detection: detection.id)


def find_detections(ids: Sequence[str], root: Path | None = None) -> list[Detection]:
    """Return the detections with the given ids, in the order requested and without repeats.

    Raises:
        DetectionError: if any id is not in the catalog. The hint lists the known ids.
        TypeError: if ``ids`` is a single string instead of a sequence of ids.
    """
    if isinstance(ids, str):
        # A bare string is also a Sequence[str], and would be read one character at a time.
        raise TypeError(f"ids must be a sequence of detection ids, not the string {ids!r}")
    catalog = {detection.id: detection for detection in load_catalog(root)}
    unknown = [detection_id for detection_id in ids if detection_id not in catalog]
    if unknown:
        raise DetectionError(
            f"unknown detection id: {', '.join(unknown)}",
            path=root or BUNDLED_CATALOG,
            hint=f"known ids: {', '.join(sorted(catalog)) or 'none'}",
        )
    return [catalog[detection_id] for detection_id in dict.fromkeys(ids)]


def _load_fixtures(
    folder: Path, rule: Mapping[str, Any], tuning_sets: Mapping[str, TuningSet]
) -> tuple[tuple[Fixture, ...], list[Problem]]:
    """Load the fixtures, checked against the query names and signal fields of ``rule``."""
    queries = rule.get("queries")
    indicators = rule.get("indicators")
    score_field = rule.get("score_field")
    signal = SignalFields(
        indicators=tuple(indicators) if isinstance(indicators, list) else (),
        score_field=score_field if isinstance(score_field, str) else None,
    )
    return load_fixtures(
        folder,
        queries=list(queries) if isinstance(queries, dict) else [],
        tuning_names=list(tuning_sets),
        signal=signal,
    )


def _read_document(folder: Path) -> dict[str, Any]:
    """Parse ``detection.toml``. A file that is missing or not TOML stops the load at once."""
    if not folder.is_dir():
        raise DetectionError(f"detection folder {folder} is not a directory", path=folder)
    try:
        with (folder / DETECTION_FILE).open("rb") as handle:
            return tomllib.load(handle)
    except (OSError, ValueError) as exc:
        problem = Problem(DETECTION_FILE, (), _describe_toml_error(exc))
        description = f"invalid detection in {folder}"
        raise DetectionError(description, path=folder, problems=[problem]) from exc


def _describe_toml_error(exc: OSError | ValueError) -> str:
    if isinstance(exc, FileNotFoundError):
        return "file not found"
    if isinstance(exc, OSError):
        return f"cannot read the file: {exc.strerror}"
    # tomllib.TOMLDecodeError and UnicodeDecodeError are both ValueErrors.
    return f"invalid TOML: {exc}"


def _read_queries(folder: Path, queries: object) -> tuple[dict[str, str], list[Problem]]:
    """Read the query files of ``[rule.queries]``, skipping entries that the schema rejected."""
    if not isinstance(queries, dict):
        return {}, []
    texts: dict[str, str] = {}
    problems: list[Problem] = []
    for name, file_name in queries.items():
        if not isinstance(file_name, str) or v.FILE_NAME_PATTERN.violation(file_name):
            continue
        text, problem = _read_text(folder, file_name, ("rule", "queries", name))
        if problem is not None:
            problems.append(problem)
        elif not text.strip():
            message = f"query file for [rule.queries] {name} is empty"
            problems.append(Problem(file_name, (), message))
        else:
            texts[name] = text
    return texts, problems


def _check_sigma(folder: Path, file_name: object) -> tuple[Path | None, list[Problem]]:
    """Check that the Sigma file exists and is a YAML mapping with the keys of a rule."""
    if not isinstance(file_name, str) or v.FILE_NAME_PATTERN.violation(file_name):
        return None, []
    text, problem = _read_text(folder, file_name, ("rule", "sigma"))
    if problem is not None:
        return None, [problem]
    try:
        # safe_load builds only plain data, so a rule file cannot construct Python objects.
        rule = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        return None, [Problem(file_name, (), _describe_yaml_error(exc))]
    if not isinstance(rule, dict):
        return None, [Problem(file_name, (), "expected a YAML mapping that holds one Sigma rule")]
    missing = [key for key in SIGMA_REQUIRED_KEYS if key not in rule]
    if missing:
        return None, [Problem(file_name, (), f"missing Sigma key: {', '.join(missing)}")]
    return folder / file_name, []


def _describe_yaml_error(exc: yaml.YAMLError) -> str:
    """Describe a YAML error on one line, because PyYAML's own text spans several lines."""
    mark = getattr(exc, "problem_mark", None)
    problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
    if mark is None:
        return f"invalid YAML: {problem}"
    return f"invalid YAML at line {mark.line + 1}, column {mark.column + 1}: {problem}"


def _read_text(folder: Path, file_name: str, key: tuple[str, ...]) -> tuple[str, Problem | None]:
    """Read a UTF-8 file that ``detection.toml`` names under ``key``."""
    try:
        return (folder / file_name).read_text(encoding="utf-8"), None
    except FileNotFoundError:
        message = f"file {file_name!r} not found in {folder}"
    except UnicodeDecodeError as exc:
        message = f"file {file_name!r} is not valid UTF-8 ({exc.reason} at byte {exc.start})"
    except OSError as exc:
        message = f"cannot read file {file_name!r}: {exc.strerror}"
    return "", Problem(DETECTION_FILE, key, message)


def _find_duplicate_ids(detections: Sequence[Detection]) -> list[Problem]:
    folders_by_id: dict[str, list[str]] = {}
    for detection in detections:
        folders_by_id.setdefault(detection.id, []).append(detection.path.name)
    problems = []
    for detection_id, folders in folders_by_id.items():
        if len(folders) < 2:
            continue
        for folder in folders:
            others = ", ".join(other for other in folders if other != folder)
            message = f"duplicate id {detection_id!r}, also used in {others}"
            problems.append(Problem(f"{folder}/{DETECTION_FILE}", ("metadata", "id"), message))
    return problems


def _build_detection(
    folder: Path, document: Mapping[str, Any], queries: Mapping[str, str], sigma_path: Path | None
) -> Detection:
    """Build a Detection from a document that passed validation."""
    metadata, rule = document["metadata"], document["rule"]
    return Detection(
        id=metadata["id"],
        name=metadata["name"],
        description=metadata["description"],
        path=folder,
        author=metadata["author"],
        created=metadata["created"],
        updated=metadata["updated"],
        maturity=metadata["maturity"],
        tactic=rule["tactic"],
        technique=rule["technique"],
        subtechnique=rule.get("subtechnique"),
        reference=rule["reference"],
        severity=rule["severity"],
        confidence=rule["confidence"],
        data_sources=tuple(rule["data_sources"]),
        required_event_types=tuple(rule["required_event_types"]),
        false_positives=tuple(rule["false_positives"]),
        tuning=tuple(rule["tuning"]),
        queries=queries,
        default_query=rule["default_query"],
        sigma_path=sigma_path,
        lenient_queries=frozenset(rule.get("lenient_queries", [])),
        indicators=tuple(rule.get("indicators", [])),
        score_field=rule.get("score_field"),
        report_queries=tuple(rule.get("report_queries", [])),
    )
