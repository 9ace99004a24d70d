"""The declarative schema of ``detection.toml`` and its validation.

:data:`TABLES` lists the keys of each table with a type from
:mod:`cqlkit.detections.vocabulary`. :func:`validate_document` checks a parsed
document against those types, then runs the cross-field checks, and returns every
problem it finds instead of stopping at the first. :func:`json_schema` turns the
same table into a JSON Schema for editors.
"""

from __future__ import annotations

import datetime as dt
import types
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import Annotated, Any, Literal, get_args, get_origin

from cqlkit.detections import vocabulary as v

DETECTION_FILE = "detection.toml"


@dataclass(frozen=True)
class Problem:
    """One invalid, missing or unreadable entry of a detection folder."""

    file: str
    """File that contains the problem, relative to the detection folder or the catalog root."""

    key: tuple[str, ...]
    """TOML path of the offending entry, e.g. ``("rule", "severity")``. It is empty when the
    whole file is at fault."""

    message: str

    @property
    def location(self) -> str:
        """The key in TOML table notation, e.g. ``[rule] severity`` or ``[metadata]``."""
        if not self.key:
            return ""
        if len(self.key) == 1:
            return f"[{self.key[0]}]"
        return f"[{'.'.join(self.key[:-1])}] {self.key[-1]}"

    def __str__(self) -> str:
        return ": ".join(part for part in (self.file, self.location, self.message) if part)


@dataclass(frozen=True)
class Key:
    """One key of a ``detection.toml`` table and the type of its value."""

    name: str
    type: Any
    description: str
    required: bool = True


@dataclass(frozen=True)
class Table:
    """A TOML table type with a fixed set of keys, for tables nested inside a value.

    The keys of ``detection.toml`` are listed in :data:`TABLES`. Other files, such as
    ``fixture.toml``, describe their whole document as one Table.
    """

    keys: tuple[Key, ...]


TABLES: Mapping[str, tuple[Key, ...]] = {
    "metadata": (
        Key("id", v.DetectionId, "Detection id. The catalog folder has the same name."),
        Key("name", str, "Short human-readable title."),
        Key("description", str, "What the detection finds and why it matters."),
        Key("author", str, "Author or team."),
        Key("created", v.Date, "Date the detection was added."),
        Key("updated", v.Date, "Date of the last change. It must not be earlier than created."),
        Key("maturity", v.Maturity, "Development state of the detection."),
    ),
    "rule": (
        Key("tactic", v.TacticId, "MITRE ATT&CK tactic id."),
        Key("technique", v.TechniqueId, "MITRE ATT&CK technique id."),
        Key(
            "subtechnique",
            v.SubtechniqueId,
            "MITRE ATT&CK sub-technique id. It must belong to the technique.",
            required=False,
        ),
        Key("reference", v.Url, "ATT&CK page of the most specific technique."),
        Key("severity", v.Severity, "Impact of a true positive."),
        Key("confidence", v.Confidence, "Likelihood that a hit is a true positive."),
        Key("data_sources", v.NonEmptyTextList, "Telemetry sources the queries read."),
        Key("required_event_types", v.NonEmptyTextList, "Event types the queries search."),
        Key("false_positives", list[str], "Known benign activity that matches."),
        Key("tuning", list[str], "Known gaps of the queries and ways to tune them."),
        Key(
            "queries",
            dict[v.QueryName, v.FileName],
            "Table [rule.queries] that maps query names to CQL files in the folder.",
        ),
        Key("default_query", v.QueryName, "Name of the query that runs when none is chosen."),
        Key("sigma", v.FileName, "Sigma rule file in the folder.", required=False),
        Key(
            "lenient_queries",
            list[v.QueryName],
            "Queries kept as published although LogScale rejects them. cqlkit test plans "
            "them as --lenient does; every other query must pass cqlkit check as written.",
            required=False,
        ),
        Key(
            "indicators",
            list[v.FieldName],
            'Output fields that are "1" when an indicator fires and "0" when it does not. '
            "Fixtures and the coverage report name the indicators that fired.",
            required=False,
        ),
        Key(
            "score_field",
            v.FieldName,
            "Output field that contains the risk score of a row, such as RiskScore.",
            required=False,
        ),
        Key(
            "report_queries",
            list[v.QueryName],
            "Queries that the coverage report compares, in this order. By default it "
            "compares every query that a fixture names.",
            required=False,
        ),
    ),
}

# A problem found inside a value: the key path below the checked key, and the message.
_Finding = tuple[tuple[str, ...], str]

# TOML names of the Python types that tomllib returns, for "expected X, got Y" messages.
# Subclasses come before their base class: bool before int, datetime before date.
_TOML_TYPE_NAMES: tuple[tuple[type, str], ...] = (
    (bool, "boolean"),
    (int, "integer"),
    (float, "float"),
    (str, "string"),
    (list, "array"),
    (dict, "table"),
    (dt.datetime, "date-time"),
    (dt.date, "date"),
    (dt.time, "time"),
)


@dataclass(frozen=True)
class CheckedValues:
    """The values of a document after the per-key checks, input to the cross-field checks."""

    valid: Mapping[str, Mapping[str, Any]]
    """Table name to the keys that are present and passed their type check."""

    rejected: frozenset[tuple[str, str]]
    """(table, key) pairs with a problem: missing, unknown or failing their type check."""


def validate_document(document: Mapping[str, Any]) -> list[Problem]:
    """Check a parsed ``detection.toml`` and return every problem found.

    Problems come in the order of :data:`TABLES`. Cross-field checks only look at keys
    that passed their own type check, so one bad value is reported once and not again
    by every cross-field check that reads it.
    """
    problems: list[Problem] = []
    valid: dict[str, Mapping[str, Any]] = {}
    for table_name, keys in TABLES.items():
        table_problems, valid[table_name] = _validate_table(document, table_name, keys)
        problems += table_problems
    problems += [
        _problem((name,), f"unknown table (expected one of: {_join(TABLES)})")
        for name in document
        if name not in TABLES
    ]

    rejected = frozenset((p.key[0], p.key[1]) for p in problems if len(p.key) >= 2)
    checked = CheckedValues(valid, rejected)
    for check in CROSS_FIELD_CHECKS:
        problems += check(checked)
    return problems


def _validate_table(
    document: Mapping[str, Any], table_name: str, keys: tuple[Key, ...]
) -> tuple[list[Problem], dict[str, Any]]:
    """Check one table and return its problems and the values that passed."""
    table = document.get(table_name)
    if table is None:
        return [_problem((table_name,), "missing table")], {}
    if not isinstance(table, dict):
        return [_problem((table_name,), f"expected a table, got {_show(table)}")], {}

    problems: list[Problem] = []
    valid: dict[str, Any] = {}
    for key in keys:
        path = (table_name, key.name)
        if key.name not in table:
            if key.required:
                problems.append(_problem(path, "missing required key"))
            continue
        findings = list(_check(key.type, table[key.name]))
        problems += [_problem(path + suffix, message) for suffix, message in findings]
        if not findings:
            valid[key.name] = table[key.name]

    known = [key.name for key in keys]
    problems += [
        _problem((table_name, name), f"unknown key (expected one of: {_join(known)})")
        for name in table
        if name not in known
    ]
    return problems, valid


def check_value(annotation: Any, value: object) -> Iterator[_Finding]:
    """Yield each problem of ``value`` against a schema type as (key path, message).

    The key path is relative to ``value``: it is empty for a problem with the value
    itself, and names the nested keys of a problem inside a table.
    """
    return _check(annotation, value)


def _check(annotation: Any, value: object) -> Iterator[_Finding]:
    """Yield the findings of ``value`` against a type from the vocabulary."""
    origin = get_origin(annotation)
    if isinstance(annotation, Table):
        yield from _check_table_keys(annotation, value)
    elif origin is types.UnionType:
        yield from _check_union(annotation, value)
    elif origin is Annotated:
        yield from _check_annotated(annotation, value)
    elif origin is Literal:
        yield from _check_literal(annotation, value)
    elif origin is list:
        yield from _check_list(annotation, value)
    elif origin is dict:
        yield from _check_table(annotation, value)
    elif annotation is str:
        yield from _check_text(value)
    elif annotation is dt.date:
        yield from _check_date(value)
    elif annotation is bool:
        yield from _check_type(value, bool, "a boolean (true or false)")
    elif annotation is int:
        yield from _check_integer(value)
    else:
        raise TypeError(f"the detection schema has no check for type {annotation!r}")


def _check_annotated(annotation: Any, value: object) -> Iterator[_Finding]:
    base, *constraints = get_args(annotation)
    findings = list(_check(base, value))
    if findings:
        yield from findings
        return
    for constraint in constraints:
        message = constraint.violation(value)
        if message is not None:
            yield (), message


def _check_literal(annotation: Any, value: object) -> Iterator[_Finding]:
    choices = get_args(annotation)
    if value not in choices:
        yield (), f"{value!r} is not one of {_join(choices)}"


def _check_list(annotation: Any, value: object) -> Iterator[_Finding]:
    if not isinstance(value, list):
        yield (), f"expected {_describe(annotation)}, got {_show(value)}"
        return
    (item_type,) = get_args(annotation)
    for index, item in enumerate(value, start=1):
        for suffix, message in _check(item_type, item):
            yield suffix, f"item {index}: {message}"


def _check_table(annotation: Any, value: object) -> Iterator[_Finding]:
    if not isinstance(value, dict):
        yield (), f"expected {_describe(annotation)}, got {_show(value)}"
        return
    if not value:
        yield (), "must contain at least one entry"
    key_type, value_type = get_args(annotation)
    for name, item in value.items():
        for _, message in _check(key_type, name):
            yield (name,), f"invalid key: {message}"
        for suffix, message in _check(value_type, item):
            yield (name, *suffix), message


def _check_table_keys(table: Table, value: object) -> Iterator[_Finding]:
    if not isinstance(value, dict):
        yield (), f"expected a table, got {_show(value)}"
        return
    for key in table.keys:
        if key.name not in value:
            if key.required:
                yield (key.name,), "missing required key"
            continue
        for suffix, message in _check(key.type, value[key.name]):
            yield (key.name, *suffix), message
    known = [key.name for key in table.keys]
    for name in value:
        if name not in known:
            yield (name,), f"unknown key (expected one of: {_join(known)})"


def _check_union(annotation: Any, value: object) -> Iterator[_Finding]:
    """Accept a value that passes any member type, else report every member's findings."""
    findings = [list(_check(member, value)) for member in get_args(annotation)]
    if any(not member_findings for member_findings in findings):
        return
    expected = " or ".join(_describe(member) for member in get_args(annotation))
    # A value of the right container type reports its own inner problems, which are more precise.
    for member, member_findings in zip(get_args(annotation), findings, strict=True):
        if _is_instance_of(member, value):
            yield from member_findings
            return
    yield (), f"expected {expected}, got {_show(value)}"


def _is_instance_of(annotation: Any, value: object) -> bool:
    if get_origin(annotation) is Annotated:
        return _is_instance_of(get_args(annotation)[0], value)
    if isinstance(annotation, Table) or get_origin(annotation) is dict:
        return isinstance(value, dict)
    if get_origin(annotation) is list:
        return isinstance(value, list)
    return isinstance(annotation, type) and isinstance(value, annotation)


def _check_type(value: object, kind: type, description: str) -> Iterator[_Finding]:
    if not isinstance(value, kind):
        yield (), f"expected {description}, got {_show(value)}"


def _check_integer(value: object) -> Iterator[_Finding]:
    # bool is a subclass of int in Python, but TOML's true is no integer.
    if not isinstance(value, int) or isinstance(value, bool):
        yield (), f"expected an integer, got {_show(value)}"


def _check_text(value: object) -> Iterator[_Finding]:
    if not isinstance(value, str):
        yield (), f"expected a string, got {_show(value)}"
    elif not value.strip():
        yield (), "must not be empty"


def _check_date(value: object) -> Iterator[_Finding]:
    # A TOML date-time also loads as a date subclass, but the schema wants a bare date.
    if not isinstance(value, dt.date) or isinstance(value, dt.datetime):
        yield (), f"expected a TOML date such as 2026-12-04 (no quotes), got {_show(value)}"


def _check_subtechnique_parent(checked: CheckedValues) -> list[Problem]:
    """Report a sub-technique id that does not extend its technique id (T1218.003 extends T1218)."""
    rule = checked.valid["rule"]
    if "technique" not in rule or "subtechnique" not in rule:
        return []
    if rule["subtechnique"].startswith(rule["technique"] + "."):
        return []
    message = f"{rule['subtechnique']!r} is not a sub-technique of {rule['technique']}"
    return [_problem(("rule", "subtechnique"), message)]


def _check_id_prefix(checked: CheckedValues) -> list[Problem]:
    """Report a detection id that does not start with its most specific ATT&CK id."""
    rule, metadata = checked.valid["rule"], checked.valid["metadata"]
    if "id" not in metadata or "technique" not in rule:
        return []
    # A sub-technique that is invalid or belongs to another technique is reported by
    # its own check, and the id cannot be judged without it.
    if ("rule", "subtechnique") in checked.rejected:
        return []
    subtechnique = rule.get("subtechnique")
    if subtechnique is not None and not subtechnique.startswith(rule["technique"] + "."):
        return []

    attack_id = subtechnique or rule["technique"]
    if metadata["id"].startswith(attack_id + "-"):
        return []
    message = f"{metadata['id']!r} must start with the most specific ATT&CK id {attack_id}-"
    return [_problem(("metadata", "id"), message)]


def _check_dates_in_order(checked: CheckedValues) -> list[Problem]:
    """Report an update date earlier than the creation date."""
    metadata = checked.valid["metadata"]
    if "created" not in metadata or "updated" not in metadata:
        return []
    if metadata["updated"] >= metadata["created"]:
        return []
    message = f"{metadata['updated']} is earlier than created ({metadata['created']})"
    return [_problem(("metadata", "updated"), message)]


def _check_default_query(checked: CheckedValues) -> list[Problem]:
    """Report a default query name that is missing from ``[rule.queries]``."""
    rule = checked.valid["rule"]
    if "default_query" not in rule or "queries" not in rule:
        return []
    if rule["default_query"] in rule["queries"]:
        return []
    message = (
        f"{rule['default_query']!r} is not a key of [rule.queries] "
        f"(known: {_join(sorted(rule['queries']))})"
    )
    return [_problem(("rule", "default_query"), message)]


def _check_query_lists(checked: CheckedValues) -> list[Problem]:
    """Report names in lenient_queries or report_queries that are not keys of ``[rule.queries]``."""
    rule = checked.valid["rule"]
    if "queries" not in rule:
        return []
    problems = []
    for key in ("lenient_queries", "report_queries"):
        for name in rule.get(key, []):
            if name not in rule["queries"]:
                known = _join(sorted(rule["queries"]))
                message = f"{name!r} is not a key of [rule.queries] (known: {known})"
                problems.append(_problem(("rule", key), message))
    return problems


CROSS_FIELD_CHECKS: tuple[Callable[[CheckedValues], list[Problem]], ...] = (
    _check_subtechnique_parent,
    _check_id_prefix,
    _check_dates_in_order,
    _check_default_query,
    _check_query_lists,
)
"""Checks that relate two or more keys, run after every key passed or failed its own check."""


def json_schema() -> dict[str, Any]:
    """Build a JSON Schema (draft 2020-12) of ``detection.toml`` for TOML-aware editors.

    >>> json_schema()["properties"]["rule"]["properties"]["severity"]["enum"]
    ['informational', 'low', 'medium', 'high', 'critical']
    """
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": "cqlkit detection.toml",
        "type": "object",
        "required": list(TABLES),
        "additionalProperties": False,
        "properties": {name: _json_table(keys) for name, keys in TABLES.items()},
    }


def _json_table(keys: tuple[Key, ...]) -> dict[str, Any]:
    return {
        "type": "object",
        "required": [key.name for key in keys if key.required],
        "additionalProperties": False,
        "properties": {
            key.name: {**_json_type(key.type), "description": key.description} for key in keys
        },
    }


def _json_type(annotation: Any) -> dict[str, Any]:
    origin = get_origin(annotation)
    if origin is Annotated:
        base, *constraints = get_args(annotation)
        schema = _json_type(base)
        for constraint in constraints:
            if isinstance(constraint, v.Pattern):
                schema["pattern"] = f"^(?:{constraint.regex})$"
            elif isinstance(constraint, v.MinItems):
                schema["minItems"] = constraint.count
        return schema
    if origin is Literal:
        return {"enum": list(get_args(annotation))}
    if origin is list:
        return {"type": "array", "items": _json_type(get_args(annotation)[0])}
    if origin is dict:
        key_type, value_type = get_args(annotation)
        return {
            "type": "object",
            "minProperties": 1,
            "propertyNames": _json_type(key_type),
            "additionalProperties": _json_type(value_type),
        }
    if annotation is dt.date:
        return {"type": "string", "format": "date"}
    if annotation is str:
        return {"type": "string", "minLength": 1}
    raise TypeError(f"the detection schema has no JSON Schema for type {annotation!r}")


def _describe(annotation: Any) -> str:
    """Name a schema type in words, for "expected …" messages."""
    if get_origin(annotation) is Annotated:
        return _describe(get_args(annotation)[0])
    if isinstance(annotation, Table):
        return "a table"
    if annotation is bool:
        return "a boolean"
    if annotation is int:
        return "an integer"
    if get_origin(annotation) is list:
        return f"an array of {_describe(get_args(annotation)[0]).removeprefix('a ')}s"
    if get_origin(annotation) is dict:
        return "a table"
    return "a string"


def _show(value: object) -> str:
    """Name a TOML value with its type, e.g. ``integer 5``."""
    type_name = next((name for kind, name in _TOML_TYPE_NAMES if isinstance(value, kind)), "value")
    return f"{type_name} {value!r}"


def _join(names: Iterable[object]) -> str:
    return ", ".join(str(name) for name in names)


def _problem(key: tuple[str, ...], message: str) -> Problem:
    return Problem(DETECTION_FILE, key, message)
