"""Loader tests on small detection folders built in a temporary directory."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from cqlkit.detections import (
    Detection,
    DetectionError,
    Problem,
    find_detections,
    load_catalog,
    load_detection,
)
from cqlkit.detections.catalog import MAX_LISTED_PROBLEMS
from cqlkit.detections.schema import json_schema
from cqlkit.errors import CqlError

VALID_TOML = """\
[metadata]
id = "T1059.001-demo"
name = "Demo detection"
description = "A detection used only by the loader tests."
author = "cqlkit"
created = 2026-12-01
updated = 2026-12-04
maturity = "development"

[rule]
tactic = "TA0002"
technique = "T1059"
subtechnique = "T1059.001"
reference = "https://attack.mitre.org/techniques/T1059/001/"
severity = "medium"
confidence = "low"
data_sources = ["CrowdStrike Falcon ProcessRollup2"]
required_event_types = ["ProcessRollup2"]
false_positives = ["Administrators running scripts."]
tuning = ["Exclude known script paths."]
default_query = "logscale"
sigma = "sigma.yml"

[rule.queries]
logscale = "query.cql"
"""

VALID_FILES = {
    "query.cql": "#event_simpleName=ProcessRollup2 ImageFileName=/\\\\powershell\\.exe$/i\n",
    "sigma.yml": (
        "title: Demo\n"
        "logsource:\n  product: windows\n  category: process_creation\n"
        "detection:\n  selection:\n    Image|endswith: '\\powershell.exe'\n"
        "  condition: selection\n"
    ),
}

MakeFolder = Callable[..., Path]


@pytest.fixture
def make_folder(tmp_path: Path) -> MakeFolder:
    """Return a function that writes a detection folder and returns its path.

    ``toml`` replaces detection.toml. ``files`` adds or replaces files, and a value of
    None deletes the file.
    """

    def make(
        toml: str = VALID_TOML,
        files: dict[str, str | None] | None = None,
        name: str = "T1059.001-demo",
        root: Path = tmp_path,
    ) -> Path:
        folder = root / name
        folder.mkdir(parents=True)
        (folder / "detection.toml").write_text(toml, encoding="utf-8")
        for file_name, text in {**VALID_FILES, **(files or {})}.items():
            if text is not None:
                (folder / file_name).write_text(text, encoding="utf-8")
        return folder

    return make


def edit(old: str, new: str) -> str:
    """Return VALID_TOML with one exact piece of text replaced."""
    assert old in VALID_TOML, f"test setup: {old!r} is not in VALID_TOML"
    return VALID_TOML.replace(old, new, 1)


def load_problems(folder: Path) -> list[Problem]:
    with pytest.raises(DetectionError) as caught:
        load_detection(folder)
    return list(caught.value.problems)


def test_valid_folder_loads(make_folder: MakeFolder) -> None:
    folder = make_folder()

    detection = load_detection(folder)

    assert detection.id == "T1059.001-demo"
    assert detection.path == folder
    assert detection.subtechnique == "T1059.001"
    assert detection.severity == "medium"
    assert detection.data_sources == ("CrowdStrike Falcon ProcessRollup2",)
    assert detection.queries == {"logscale": VALID_FILES["query.cql"]}
    assert detection.sigma_path == folder / "sigma.yml"
    assert str(detection.created) == "2026-12-01"


def test_optional_keys_may_be_absent(make_folder: MakeFolder) -> None:
    toml = edit('subtechnique = "T1059.001"\n', "")
    toml = toml.replace('sigma = "sigma.yml"\n', "")
    toml = toml.replace("T1059.001-demo", "T1059-demo")
    toml = toml.replace("T1059/001/", "T1059/")

    detection = load_detection(make_folder(toml, name="T1059-demo"))

    assert detection.subtechnique is None
    assert detection.sigma_path is None


# Each case edits one entry of VALID_TOML and names the key and message the loader must report.
SCHEMA_CASES = [
    pytest.param(
        edit('severity = "medium"\n', ""),
        ("rule", "severity"),
        "missing required key",
        id="missing-key",
    ),
    pytest.param(
        edit('severity = "medium"', 'severity = "hgh"'),
        ("rule", "severity"),
        "'hgh' is not one of informational, low, medium, high, critical",
        id="bad-severity",
    ),
    pytest.param(
        edit('confidence = "low"', "confidence = 3"),
        ("rule", "confidence"),
        "3 is not one of low, medium, high",
        id="bad-confidence",
    ),
    pytest.param(
        edit('technique = "T1059"', 'technique = "T159"'),
        ("rule", "technique"),
        "'T159' is not an ATT&CK technique id",
        id="bad-technique",
    ),
    pytest.param(
        edit('tactic = "TA0002"', 'tactic = "T0002"'),
        ("rule", "tactic"),
        "'T0002' is not an ATT&CK tactic id",
        id="bad-tactic",
    ),
    pytest.param(
        edit('subtechnique = "T1059.001"', 'subtechnique = "T1059.1"'),
        ("rule", "subtechnique"),
        "'T1059.1' is not an ATT&CK sub-technique id",
        id="bad-subtechnique",
    ),
    pytest.param(
        edit('subtechnique = "T1059.001"', 'subtechnique = "T1218.001"'),
        ("rule", "subtechnique"),
        "'T1218.001' is not a sub-technique of T1059",
        id="subtechnique-of-other-technique",
    ),
    pytest.param(
        edit('id = "T1059.001-demo"', 'id = "T1059-demo"'),
        ("metadata", "id"),
        "must start with the most specific ATT&CK id T1059.001-",
        id="id-without-subtechnique",
    ),
    pytest.param(
        edit('id = "T1059.001-demo"', 'id = "T1059.001_Demo"'),
        ("metadata", "id"),
        "is not a detection id",
        id="bad-id",
    ),
    pytest.param(
        edit('reference = "https://', 'reference = "ftp://'),
        ("rule", "reference"),
        "is not an http(s) URL",
        id="bad-reference",
    ),
    pytest.param(
        edit("updated = 2026-12-04", "updated = 2026-11-30"),
        ("metadata", "updated"),
        "2026-11-30 is earlier than created (2026-12-01)",
        id="updated-before-created",
    ),
    pytest.param(
        edit("created = 2026-12-01", 'created = "2026-12-01"'),
        ("metadata", "created"),
        "expected a TOML date such as 2026-12-04 (no quotes), got string '2026-12-01'",
        id="quoted-date",
    ),
    pytest.param(
        edit("created = 2026-12-01", "created = 2026-12-01T10:00:00"),
        ("metadata", "created"),
        "got date-time",
        id="date-time-instead-of-date",
    ),
    pytest.param(
        edit('maturity = "development"', 'maturity = "beta"'),
        ("metadata", "maturity"),
        "'beta' is not one of development, experimental, production, deprecated",
        id="bad-maturity",
    ),
    pytest.param(
        edit('data_sources = ["CrowdStrike Falcon ProcessRollup2"]', 'data_sources = ["a", 5]'),
        ("rule", "data_sources"),
        "item 2: expected a string, got integer 5",
        id="list-item-not-string",
    ),
    pytest.param(
        edit('tuning = ["Exclude known script paths."]', 'tuning = "Exclude paths."'),
        ("rule", "tuning"),
        "expected an array of strings, got string 'Exclude paths.'",
        id="string-instead-of-list",
    ),
    pytest.param(
        edit('required_event_types = ["ProcessRollup2"]', "required_event_types = []"),
        ("rule", "required_event_types"),
        "must list at least 1 entry",
        id="empty-required-list",
    ),
    pytest.param(
        edit('name = "Demo detection"', 'name = "  "'),
        ("metadata", "name"),
        "must not be empty",
        id="blank-name",
    ),
    pytest.param(
        edit('default_query = "logscale"', 'default_query = "splunk"'),
        ("rule", "default_query"),
        "'splunk' is not a key of [rule.queries] (known: logscale)",
        id="unknown-default-query",
    ),
    pytest.param(
        edit('logscale = "query.cql"', 'logscale = "../query.cql"'),
        ("rule", "queries", "logscale"),
        "'../query.cql' is not a file name inside the detection folder",
        id="query-path-leaves-folder",
    ),
    pytest.param(
        edit('logscale = "query.cql"', '"Log Scale" = "query.cql"'),
        ("rule", "queries", "Log Scale"),
        "invalid key: 'Log Scale' is not a query name",
        id="bad-query-name",
    ),
    pytest.param(
        edit('severity = "medium"', 'severity = "medium"\nseverty = "high"'),
        ("rule", "severty"),
        "unknown key (expected one of: tactic, technique",
        id="unknown-key",
    ),
    pytest.param(
        VALID_TOML + "\n[extra]\nx = 1\n",
        ("extra",),
        "unknown table (expected one of: metadata, rule)",
        id="unknown-table",
    ),
    pytest.param(
        VALID_TOML[VALID_TOML.index("[rule]") :],
        ("metadata",),
        "missing table",
        id="missing-table",
    ),
]


@pytest.mark.parametrize(("toml", "key", "message"), SCHEMA_CASES)
def test_schema_problem_names_key(
    make_folder: MakeFolder, toml: str, key: tuple[str, ...], message: str
) -> None:
    problems = load_problems(make_folder(toml))

    assert [problem.key for problem in problems] == [key]
    assert problems[0].file == "detection.toml"
    assert message in problems[0].message


# Each case changes the files next to a valid detection.toml.
FILE_CASES = [
    pytest.param(
        {"query.cql": None},
        "detection.toml",
        ("rule", "queries", "logscale"),
        "file 'query.cql' not found in",
        id="missing-query-file",
    ),
    pytest.param(
        {"query.cql": "  \n"},
        "query.cql",
        (),
        "query file for [rule.queries] logscale is empty",
        id="empty-query-file",
    ),
    pytest.param(
        {"sigma.yml": None},
        "detection.toml",
        ("rule", "sigma"),
        "file 'sigma.yml' not found in",
        id="missing-sigma-file",
    ),
    pytest.param(
        {"sigma.yml": "title: [unclosed\n"},
        "sigma.yml",
        (),
        "invalid YAML at line 2, column 1",
        id="sigma-not-yaml",
    ),
    pytest.param(
        {"sigma.yml": "- a list\n"},
        "sigma.yml",
        (),
        "expected a YAML mapping that holds one Sigma rule",
        id="sigma-not-mapping",
    ),
    pytest.param(
        {"sigma.yml": "title: Demo\nlogsource: {}\n"},
        "sigma.yml",
        (),
        "missing Sigma key: detection",
        id="sigma-without-detection",
    ),
    pytest.param(
        {"sigma.yml": "!!python/object/apply:os.system ['true']\n"},
        "sigma.yml",
        (),
        "invalid YAML",
        id="sigma-python-tag-rejected",
    ),
]


@pytest.mark.parametrize(("files", "file", "key", "message"), FILE_CASES)
def test_file_problem_names_file_and_key(
    make_folder: MakeFolder,
    files: dict[str, str | None],
    file: str,
    key: tuple[str, ...],
    message: str,
) -> None:
    problems = load_problems(make_folder(files=files))

    assert len(problems) == 1
    assert problems[0].file == file
    assert problems[0].key == key
    assert message in problems[0].message


def test_missing_toml_reported(make_folder: MakeFolder) -> None:
    folder = make_folder()
    (folder / "detection.toml").unlink()

    problems = load_problems(folder)

    assert problems == [Problem("detection.toml", (), "file not found")]


def test_invalid_toml_reported(make_folder: MakeFolder) -> None:
    problems = load_problems(make_folder(VALID_TOML + "severity = = 2\n"))

    assert len(problems) == 1
    assert problems[0].file == "detection.toml"
    assert problems[0].message.startswith("invalid TOML:")


def test_invalid_toml_chains_cause(make_folder: MakeFolder) -> None:
    with pytest.raises(DetectionError) as caught:
        load_detection(make_folder("[metadata\n"))

    assert isinstance(caught.value.__cause__, ValueError)


def test_missing_folder_rejected(tmp_path: Path) -> None:
    with pytest.raises(DetectionError, match="is not a directory"):
        load_detection(tmp_path / "absent")


def test_all_problems_reported_at_once(make_folder: MakeFolder) -> None:
    toml = edit('severity = "medium"', 'severity = "hgh"')
    toml = toml.replace('technique = "T1059"', 'technique = "T10"')
    folder = make_folder(toml, files={"query.cql": None})

    problems = load_problems(folder)

    assert [problem.key for problem in problems] == [
        ("rule", "technique"),
        ("rule", "severity"),
        ("rule", "queries", "logscale"),
    ]


def test_error_text_names_file_and_key(make_folder: MakeFolder) -> None:
    folder = make_folder(edit('severity = "medium"', 'severity = "hgh"'))

    with pytest.raises(DetectionError) as caught:
        load_detection(folder)

    error = caught.value
    assert isinstance(error, CqlError)
    assert error.path == folder
    assert str(error).splitlines() == [
        f"invalid detection in {folder}",
        "  detection.toml: [rule] severity: "
        "'hgh' is not one of informational, low, medium, high, critical",
    ]


def test_error_text_caps_problem_list(make_folder: MakeFolder) -> None:
    extra = "".join(f'unknown_{index} = "x"\n' for index in range(MAX_LISTED_PROBLEMS + 3))
    folder = make_folder(edit("[rule.queries]\n", f"{extra}\n[rule.queries]\n"))

    with pytest.raises(DetectionError) as caught:
        load_detection(folder)

    assert len(caught.value.problems) == MAX_LISTED_PROBLEMS + 3
    assert str(caught.value).splitlines()[-1] == "  … and 3 more"


def test_catalog_sorted_and_skips_hidden(tmp_path: Path, make_folder: MakeFolder) -> None:
    make_folder(name="T1059.001-demo")
    second = edit('id = "T1059.001-demo"', 'id = "T1059.001-another"')
    make_folder(second, name="T1059.001-another")
    (tmp_path / ".cache").mkdir()
    (tmp_path / "_drafts").mkdir()
    (tmp_path / "notes.txt").write_text("not a detection", encoding="utf-8")

    detections = load_catalog(tmp_path)

    assert [detection.id for detection in detections] == ["T1059.001-another", "T1059.001-demo"]


def test_catalog_collects_every_folder(tmp_path: Path, make_folder: MakeFolder) -> None:
    make_folder(edit('severity = "medium"', 'severity = "hgh"'), name="first")
    make_folder(files={"query.cql": None}, name="second")
    (tmp_path / "third").mkdir()

    with pytest.raises(DetectionError) as caught:
        load_catalog(tmp_path)

    assert [str(problem) for problem in caught.value.problems] == [
        "first/detection.toml: [rule] severity: "
        "'hgh' is not one of informational, low, medium, high, critical",
        "second/detection.toml: [rule.queries] logscale: "
        f"file 'query.cql' not found in {tmp_path / 'second'}",
        "third/detection.toml: file not found",
    ]


def test_catalog_rejects_duplicate_ids(tmp_path: Path, make_folder: MakeFolder) -> None:
    make_folder(name="a")
    make_folder(name="b")

    with pytest.raises(DetectionError) as caught:
        load_catalog(tmp_path)

    assert [str(problem) for problem in caught.value.problems] == [
        "a/detection.toml: [metadata] id: duplicate id 'T1059.001-demo', also used in b",
        "b/detection.toml: [metadata] id: duplicate id 'T1059.001-demo', also used in a",
    ]


def test_catalog_root_must_exist(tmp_path: Path) -> None:
    with pytest.raises(DetectionError, match="is not a directory"):
        load_catalog(tmp_path / "absent")


def test_find_detections_order_and_repeats(tmp_path: Path, make_folder: MakeFolder) -> None:
    make_folder()
    make_folder(edit('id = "T1059.001-demo"', 'id = "T1059.001-b"'), name="T1059.001-b")

    found = find_detections(["T1059.001-demo", "T1059.001-b", "T1059.001-demo"], root=tmp_path)

    assert [detection.id for detection in found] == ["T1059.001-demo", "T1059.001-b"]


def test_find_detections_unknown_id(tmp_path: Path, make_folder: MakeFolder) -> None:
    make_folder()

    with pytest.raises(DetectionError) as caught:
        find_detections(["T1059.001-demo", "T9999-nope"], root=tmp_path)

    assert caught.value.description == "unknown detection id: T9999-nope"
    assert caught.value.hint == "known ids: T1059.001-demo"


def test_find_detections_rejects_bare_string() -> None:
    with pytest.raises(TypeError, match=r"not the string 'T1218\.003-cmstp'"):
        find_detections("T1218.003-cmstp")


def test_find_detections_in_bundled_catalog() -> None:
    (detection,) = find_detections(["T1218.003-cmstp"])

    assert detection.subtechnique == "T1218.003"


def test_query_default_and_by_name(make_folder: MakeFolder) -> None:
    detection = load_detection(make_folder())

    assert detection.query() == VALID_FILES["query.cql"]
    assert detection.query("logscale") == VALID_FILES["query.cql"]
    with pytest.raises(DetectionError, match="has no query named 'splunk'") as caught:
        detection.query("splunk")
    assert caught.value.hint == "known queries: logscale"


def test_detection_is_immutable(make_folder: MakeFolder) -> None:
    detection = load_detection(make_folder())

    with pytest.raises(TypeError):
        detection.queries["logscale"] = "changed"  # type: ignore[index]
    assert isinstance(hash(detection), int)


def test_detection_rejects_unknown_default(make_folder: MakeFolder) -> None:
    detection = load_detection(make_folder())
    fields = {name: getattr(detection, name) for name in Detection.__dataclass_fields__}

    with pytest.raises(DetectionError, match="default query 'other' is not in queries"):
        Detection(**{**fields, "default_query": "other"})


def test_json_schema_lists_tables() -> None:
    schema = json_schema()
    rule = schema["properties"]["rule"]

    assert schema["required"] == ["metadata", "rule"]
    assert rule["properties"]["severity"]["enum"] == [
        "informational",
        "low",
        "medium",
        "high",
        "critical",
    ]
    assert rule["properties"]["technique"]["pattern"] == r"^(?:T\d{4})$"
    assert "subtechnique" not in rule["required"]
    assert rule["properties"]["queries"]["additionalProperties"]["type"] == "string"
