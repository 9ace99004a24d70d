"""Test fixtures of a detection: event files and the rows each query must return for them.

A fixture is a folder ``fixtures/<fixture-id>/`` inside the detection folder. Its
``fixture.toml`` describes the events, names the event file of each format, and states
per query the expected rows, field by field, and the expected signal: the indicators
that fire and the highest risk score. ``[[must_not_match]]`` entries name events that no
query may report. :func:`load_fixtures` reads and validates every fixture of a detection.
See ``docs/detection-package.md`` for the file format.
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from types import GenericAlias, MappingProxyType
from typing import Any, get_args

from cqlkit.detections import vocabulary as v
from cqlkit.detections.schema import Key, Problem, Table, check_value

FIXTURES_FOLDER = "fixtures"
FIXTURE_FILE = "fixture.toml"

EVENT_FORMATS: tuple[str, ...] = get_args(v.EventFormat)

# A row maps field names to expected text. A key that names an event format contains a table
# of fields that only the rows read from that format have, such as UserName, which raw FDR
# events lack.
_ROW = dict[v.FieldName, str | dict[v.FieldName, str]]

_EXPECTATION = Table(
    (
        Key(
            "indicators",
            list[v.FieldName],
            'Indicators that are "1" in at least one expected row.',
            required=False,
        ),
        Key("score", int, "Highest risk score among the expected rows.", required=False),
        Key("note", str, "Why the query reports, misses or over-fires.", required=False),
        Key("rows", list[_ROW], "Every row the query returns, in output order."),
    )
)

# A Table is a value, not a class, so the types that contain one are built with GenericAlias:
# GenericAlias(list, (T,)) is list[T] to the schema checks.
_EXCLUSION = Table(
    (
        Key("reason", str, "Why no query may report these events."),
        Key("fields", dict[v.FieldName, str], "Field values that pick out the events."),
    )
)

FIXTURE_DOCUMENT = Table(
    (
        Key(
            "fixture",
            Table(
                (
                    Key("description", str, "What happens in the events."),
                    Key("verdict", v.Verdict, "Whether the detection must report the events."),
                    Key("synthetic", bool, "True when the events were written by hand."),
                    Key("emulates", str, "The procedure or activity the events reproduce."),
                    Key("references", list[v.Url], "Sources of the procedure.", required=False),
                    Key("events", dict[v.EventFormat, v.FileName], "Event file of each format."),
                    Key(
                        "aidmaster",
                        v.FileName,
                        "aid_master CSV that gives raw FDR events their ComputerName.",
                        required=False,
                    ),
                    Key(
                        "suppressed_by",
                        list[v.TuningName],
                        "Tuning sets that remove every row of this fixture.",
                        required=False,
                    ),
                )
            ),
            "Description and event files.",
        ),
        Key("expect", GenericAlias(dict, (v.QueryName, _EXPECTATION)), "Result of each query."),
        Key(
            "must_not_match",
            GenericAlias(list, (_EXCLUSION,)),
            "Events that no query may report.",
            required=False,
        ),
    )
)
"""Schema of ``fixture.toml``."""


@dataclass(frozen=True)
class ExpectedRow:
    """One expected output row: fields of every format, and fields of one format only."""

    fields: Mapping[str, str] = field(hash=False)
    by_format: Mapping[str, Mapping[str, str]] = field(default_factory=dict, hash=False)

    def for_format(self, event_format: str) -> dict[str, str]:
        """Return the complete row expected when the events are read from ``event_format``."""
        return {**self.fields, **self.by_format.get(event_format, {})}


@dataclass(frozen=True)
class Expectation:
    """The result one query must give on a fixture."""

    query: str
    rows: tuple[ExpectedRow, ...]
    indicators: tuple[str, ...] | None
    """Indicators that fire in at least one row, or None when the fixture does not state them."""
    score: int | None
    note: str | None


@dataclass(frozen=True)
class Exclusion:
    """Events that no query may report, picked out by field values."""

    fields: Mapping[str, str] = field(hash=False)
    reason: str

    def matches(self, values: Mapping[str, str]) -> bool:
        """Return True when ``values`` has every field of the exclusion with the same text."""
        return all(values.get(name) == value for name, value in self.fields.items())


@dataclass(frozen=True, kw_only=True)
class Fixture:
    """A validated fixture: event files, verdict and the expected result of each query."""

    id: str
    path: Path
    """Folder of the fixture."""
    description: str
    verdict: v.Verdict
    synthetic: bool
    emulates: str
    references: tuple[str, ...]
    events: Mapping[str, Path] = field(hash=False)
    """Event format to event file, in the order fixture.toml lists them."""
    aidmaster: Path | None
    suppressed_by: frozenset[str]
    expectations: Mapping[str, Expectation] = field(hash=False)
    """Query name to expected result, in the order fixture.toml lists them."""
    must_not_match: tuple[Exclusion, ...]

    def expected_rows(
        self, query: str, event_format: str, tuning: Sequence[str] = ()
    ) -> list[dict[str, str]]:
        """Return the rows ``query`` must give on the events of ``event_format``.

        With a tuning set from ``suppressed_by`` applied, the query must give no rows.
        """
        if self.suppressed_by.intersection(tuning):
            return []
        return [row.for_format(event_format) for row in self.expectations[query].rows]


@dataclass(frozen=True)
class SignalFields:
    """The output fields of a detection that carry its signal, for checking fixtures."""

    indicators: tuple[str, ...] = ()
    score_field: str | None = None


def load_fixtures(
    folder: Path,
    *,
    queries: Sequence[str],
    tuning_names: Sequence[str],
    signal: SignalFields,
) -> tuple[tuple[Fixture, ...], list[Problem]]:
    """Load every fixture under ``folder/fixtures`` and return them sorted by id.

    ``queries`` and ``tuning_names`` are the query and tuning set names of the detection,
    which fixtures may name. Problems name the fixture file relative to ``folder`` and the
    TOML key. Fixtures with problems are left out of the result.
    """
    root = folder / FIXTURES_FOLDER
    if not root.is_dir():
        return (), []
    fixtures: list[Fixture] = []
    problems: list[Problem] = []
    context = _Context(tuple(queries), tuple(tuning_names), signal)
    for fixture_folder in sorted(root.iterdir()):
        if not fixture_folder.is_dir() or fixture_folder.name.startswith((".", "_")):
            continue
        fixture, fixture_problems = _load_fixture(fixture_folder, context)
        problems += fixture_problems
        if fixture is not None:
            fixtures.append(fixture)
    return tuple(fixtures), problems


@dataclass(frozen=True)
class _Context:
    queries: tuple[str, ...]
    tuning_names: tuple[str, ...]
    signal: SignalFields


def _load_fixture(folder: Path, context: _Context) -> tuple[Fixture | None, list[Problem]]:
    file_name = f"{FIXTURES_FOLDER}/{folder.name}/{FIXTURE_FILE}"
    violation = v.FIXTURE_ID_PATTERN.violation(folder.name)
    if violation:
        return None, [
            Problem(f"{FIXTURES_FOLDER}/{folder.name}", (), f"invalid folder name: {violation}")
        ]
    try:
        with (folder / FIXTURE_FILE).open("rb") as handle:
            document = tomllib.load(handle)
    except FileNotFoundError:
        return None, [Problem(file_name, (), "file not found")]
    except (OSError, ValueError) as exc:
        return None, [Problem(file_name, (), f"cannot read the file as TOML: {exc}")]

    problems = [
        Problem(file_name, key, message) for key, message in check_value(FIXTURE_DOCUMENT, document)
    ]
    if problems:
        return None, problems
    problems = [
        Problem(file_name, key, message) for key, message in _cross_check(folder, document, context)
    ]
    if problems:
        return None, problems
    return _build_fixture(folder, document), []


def _cross_check(
    folder: Path, document: Mapping[str, Any], context: _Context
) -> list[tuple[tuple[str, ...], str]]:
    """Check what the schema cannot: names that refer to the detection, files, and signals."""
    findings: list[tuple[tuple[str, ...], str]] = []
    meta = document["fixture"]
    for event_format, file_name in meta["events"].items():
        if not (folder / file_name).is_file():
            findings.append(
                (("fixture", "events", event_format), f"file {file_name!r} not found in {folder}")
            )
    if "aidmaster" in meta and not (folder / meta["aidmaster"]).is_file():
        findings.append(
            (("fixture", "aidmaster"), f"file {meta['aidmaster']!r} not found in {folder}")
        )
    for name in meta.get("suppressed_by", []):
        if name not in context.tuning_names:
            known = ", ".join(context.tuning_names) or "none"
            findings.append(
                (("fixture", "suppressed_by"), f"unknown tuning set {name!r} (known: {known})")
            )
    for query, expectation in document["expect"].items():
        key = ("expect", query)
        if query not in context.queries:
            known = ", ".join(context.queries)
            findings.append((key, f"unknown query {query!r} (known: {known})"))
            continue
        findings += _check_rows(key, expectation["rows"], tuple(meta["events"]))
        findings += _check_signal(key, expectation, tuple(meta["events"]), context.signal)
    return findings


def _check_rows(
    key: tuple[str, ...], rows: list[dict[str, Any]], formats: tuple[str, ...]
) -> list[tuple[tuple[str, ...], str]]:
    findings = []
    for index, row in enumerate(rows, start=1):
        for name, value in row.items():
            if isinstance(value, dict) and name not in formats:
                message = (
                    f"item {index}: {name!r} contains a table, so it must name an event format "
                    f"of [fixture.events] (known: {', '.join(formats)})"
                )
                findings.append(((*key, "rows", name), message))
    return findings


def _check_signal(
    key: tuple[str, ...],
    expectation: Mapping[str, Any],
    formats: tuple[str, ...],
    signal: SignalFields,
) -> list[tuple[tuple[str, ...], str]]:
    """Check that the stated indicators and score agree with the expected rows."""
    rows = [_build_row(row) for row in expectation["rows"]]
    variants = [row.for_format(event_format) for row in rows for event_format in formats]
    findings: list[tuple[tuple[str, ...], str]] = []

    if signal.indicators:
        stated = expectation.get("indicators")
        if stated is None:
            findings.append(
                ((*key, "indicators"), "missing required key (the detection declares indicators)")
            )
        else:
            unknown = [name for name in stated if name not in signal.indicators]
            if unknown:
                known = ", ".join(signal.indicators)
                findings.append(
                    (
                        (*key, "indicators"),
                        f"unknown indicator {', '.join(unknown)} (known: {known})",
                    )
                )
            fired = [
                name for name in signal.indicators if any(row.get(name) == "1" for row in variants)
            ]
            if not unknown and sorted(stated) != sorted(fired):
                message = f"states {_names(stated)} but the expected rows fire {_names(fired)}"
                findings.append(((*key, "indicators"), message))

    if signal.score_field is not None and variants:
        scores = [row.get(signal.score_field) for row in variants]
        numbers = [int(score) for score in scores if score is not None and _is_integer(score)]
        top = max(numbers) if numbers else None
        stated_score = expectation.get("score")
        if stated_score is None:
            findings.append(
                ((*key, "score"), "missing required key (the expected rows are not empty)")
            )
        elif stated_score != top:
            message = (
                f"states {stated_score} but the highest {signal.score_field} "
                f"of the expected rows is {top}"
            )
            findings.append(((*key, "score"), message))
    elif not variants and "score" in expectation:
        findings.append(((*key, "score"), "a query that returns no rows has no score"))
    return findings


def _is_integer(text: str) -> bool:
    return text.lstrip("-").isdigit()


def _names(names: Sequence[str]) -> str:
    return "[" + ", ".join(sorted(names)) + "]"


def _build_row(row: Mapping[str, Any]) -> ExpectedRow:
    fields = {name: value for name, value in row.items() if isinstance(value, str)}
    by_format = {
        name: MappingProxyType(dict(value))
        for name, value in row.items()
        if isinstance(value, dict)
    }
    return ExpectedRow(MappingProxyType(fields), MappingProxyType(by_format))


def _prose(text: str) -> str:
    """Join the lines of a wrapped TOML string into one paragraph."""
    return " ".join(text.split())


def _build_fixture(folder: Path, document: Mapping[str, Any]) -> Fixture:
    """Build a Fixture from a document that passed validation."""
    meta = document["fixture"]
    expectations = {
        query: Expectation(
            query=query,
            rows=tuple(_build_row(row) for row in expectation["rows"]),
            indicators=None
            if "indicators" not in expectation
            else tuple(expectation["indicators"]),
            score=expectation.get("score"),
            note=_prose(expectation["note"]) if "note" in expectation else None,
        )
        for query, expectation in document["expect"].items()
    }
    exclusions = tuple(
        Exclusion(MappingProxyType(dict(entry["fields"])), _prose(entry["reason"]))
        for entry in document.get("must_not_match", [])
    )
    return Fixture(
        id=folder.name,
        path=folder,
        description=_prose(meta["description"]),
        verdict=meta["verdict"],
        synthetic=meta["synthetic"],
        emulates=_prose(meta["emulates"]),
        references=tuple(meta.get("references", [])),
        events=MappingProxyType({fmt: folder / name for fmt, name in meta["events"].items()}),
        aidmaster=folder / meta["aidmaster"] if "aidmaster" in meta else None,
        suppressed_by=frozenset(meta.get("suppressed_by", [])),
        expectations=MappingProxyType(expectations),
        must_not_match=exclusions,
    )
