"""Catalog-wide checks: each test checks one property of every bundled detection.

A test collects every offender before it fails, so one run lists all of them, one
line per detection in the form ``<id> <name>: <problem> (expected ...)``.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterable

from sigma.collection import SigmaCollection
from sigma.exceptions import SigmaError
from sigma.rule import SigmaRule
from sigma.validation import SigmaValidator
from sigma.validators.core import validators as sigma_validators

from cqlkit.detections import Detection, apply_tuning
from cqlkit.detections.tuning import check_filter_only
from cqlkit.detections.vocabulary import DETECTION_ID_PATTERN
from cqlkit.errors import CqlError
from cqlkit.language.parser import parse
from cqlkit.plan.planner import check_query, plan_query
from cqlkit.testing.readme import README_FILE, readme_report
from cqlkit.testing.render import report_markdown
from cqlkit.testing.report import build_report

# Published query texts, copied byte for byte from the public detection pages, so that a
# change to a published.cql file shows up as a test failure.
EXPECTED_PUBLISHED = {
    "T1218.003-cmstp": r"""#event_simpleName=ProcessRollup2
| ImageFileName = /(?i)\\cmstp\.exe$/
| AutoClose := if(CommandLine = ~/(?i)\/s|\/au/, "1", "0")
| NoUI := if(CommandLine = ~/(?i)\/ns|\/ni/, "1", "0")
| HasINF := if(CommandLine = ~/(?i)\.inf/, "1", "0")
| SuspiciousPath := if(CommandLine = ~/(?i)(Temp|AppData|Downloads|Public|ProgramData|\\Users\\)/, "1", "0")
| RemoteLoad := if(CommandLine = ~/(?i)https?:\/\//, "1", "0")
| SuspiciousParent := if(ParentBaseFileName = ~/(?i)(cmd\.exe|powershell\.exe|wscript\.exe|cscript\.exe|mshta\.exe|winword\.exe|excel\.exe|outlook\.exe)$/, "1", "0")
| RiskScore := AutoClose + NoUI + HasINF + SuspiciousPath + RemoteLoad + SuspiciousParent
| RiskScore > 0
| select([#timestamp, ComputerName, UserName, CommandLine, ParentBaseFileName, ParentCommandLine, AutoClose, NoUI, HasINF, SuspiciousPath, RemoteLoad, SuspiciousParent, RiskScore])
| sort(field=#timestamp, order=desc)
""",  # noqa: E501
}

# The validators that need MITRE ATT&CK or D3FEND data download it from the internet, so
# they are skipped. test_sigma_metadata_matches_detection checks the ATT&CK tag instead.
ONLINE_SIGMA_VALIDATORS = {"attacktag", "d3_fendtag"}


def assert_no_offenders(offenders: Iterable[str], rule: str) -> None:
    """Fail once, listing every offending detection on its own line."""
    offenders = list(offenders)
    listing = "\n".join(f"  {line}" for line in offenders)
    assert not offenders, f"{len(offenders)} detection(s) break the rule '{rule}':\n{listing}"


def label(detection: Detection) -> str:
    return f"{detection.id} {detection.name!r}"


def attack_id(detection: Detection) -> str:
    return detection.subtechnique or detection.technique


def query_files(detection: Detection) -> dict[str, str]:
    """Return ``[rule.queries]`` of the detection's TOML file: query name to file name."""
    with (detection.path / "detection.toml").open("rb") as handle:
        queries: dict[str, str] = tomllib.load(handle)["rule"]["queries"]
    return queries


def load_sigma(detection: Detection) -> SigmaCollection:
    assert detection.sigma_path is not None
    return SigmaCollection.from_yaml(detection.sigma_path.read_text(encoding="utf-8"))


def test_catalog_contains_cmstp(catalog: list[Detection]) -> None:
    assert "T1218.003-cmstp" in [detection.id for detection in catalog]


def test_catalog_sorted_by_id(catalog: list[Detection]) -> None:
    ids = [detection.id for detection in catalog]
    assert ids == sorted(ids)


def test_ids_match_pattern_and_folder(catalog: list[Detection]) -> None:
    offenders = []
    for detection in catalog:
        if DETECTION_ID_PATTERN.violation(detection.id):
            offenders.append(
                f"{label(detection)}: invalid id (expected {DETECTION_ID_PATTERN.description})"
            )
        if detection.path.name != detection.id:
            offenders.append(
                f"{label(detection)}: folder {detection.path.name!r} (expected {detection.id!r})"
            )
    assert_no_offenders(offenders, "id format and folder name")


def test_ids_start_with_attack_id(catalog: list[Detection]) -> None:
    offenders = []
    for detection in catalog:
        prefix = attack_id(detection) + "-"
        if not detection.id.startswith(prefix):
            offenders.append(f"{label(detection)}: id lacks the prefix (expected {prefix}<slug>)")
    assert_no_offenders(offenders, "id starts with the ATT&CK id")


def test_subtechnique_extends_technique(catalog: list[Detection]) -> None:
    offenders = []
    for detection in catalog:
        if detection.subtechnique is None:
            continue
        if not detection.subtechnique.startswith(detection.technique + "."):
            expected = f"{detection.technique}.NNN"
            offenders.append(f"{label(detection)}: {detection.subtechnique} (expected {expected})")
    assert_no_offenders(offenders, "sub-technique belongs to the technique")


def test_reference_is_attack_page(catalog: list[Detection]) -> None:
    offenders = []
    for detection in catalog:
        expected = f"https://attack.mitre.org/techniques/{attack_id(detection).replace('.', '/')}/"
        if detection.reference != expected:
            offenders.append(
                f"{label(detection)}: reference {detection.reference} (expected {expected})"
            )
    assert_no_offenders(offenders, "reference is the ATT&CK page of the technique")


def test_triage_notes_present(catalog: list[Detection]) -> None:
    offenders = []
    for detection in catalog:
        if not detection.false_positives:
            offenders.append(f"{label(detection)}: no false_positives (expected at least one)")
        if not detection.tuning:
            offenders.append(f"{label(detection)}: no tuning notes (expected at least one)")
    assert_no_offenders(offenders, "false positives and tuning notes are documented")


def test_query_files_exist_and_not_empty(catalog: list[Detection]) -> None:
    offenders = []
    for detection in catalog:
        for name, file_name in query_files(detection).items():
            path = detection.path / file_name
            if not path.is_file():
                offenders.append(
                    f"{label(detection)}: query {name}: {file_name} missing (expected a file)"
                )
            elif not path.read_text(encoding="utf-8").strip():
                offenders.append(
                    f"{label(detection)}: query {name}: {file_name} is empty (expected CQL)"
                )
            elif detection.queries[name] != path.read_text(encoding="utf-8"):
                offenders.append(
                    f"{label(detection)}: query {name}: loaded text differs from {file_name}"
                )
    assert_no_offenders(offenders, "query files exist and are not empty")


def test_default_query_searches_required_events(catalog: list[Detection]) -> None:
    offenders = []
    for detection in catalog:
        for event_type in detection.required_event_types:
            if event_type not in detection.query():
                problem = f"default query does not mention {event_type}"
                offenders.append(f"{label(detection)}: {problem} (expected an event filter)")
    assert_no_offenders(offenders, "default query searches the required event types")


def test_runnable_queries_avoid_published_mistakes(catalog: list[Detection]) -> None:
    """Every query except the published text avoids the constructs LogScale rejects.

    LogScale has no ``#timestamp`` field (the event time is ``@timestamp``), no ``~``
    operator, and its ``if()`` requires named ``then=`` and ``else=`` arguments.
    """
    offenders = []
    for detection in catalog:
        for name, text in detection.queries.items():
            if name == "published":
                continue
            for number, line in enumerate(text.splitlines(), start=1):
                where = f"{label(detection)}: query {name} line {number}"
                if "#timestamp" in line:
                    offenders.append(f"{where}: uses #timestamp (expected @timestamp)")
                if "~/" in line:
                    offenders.append(
                        f"{where}: uses '= ~/regex/' (expected regex(\"...\", field=F))"
                    )
                if "if(" in line and not ("then=" in line and "else=" in line):
                    offenders.append(
                        f"{where}: if() without then=/else= (expected named arguments)"
                    )
    assert_no_offenders(offenders, "runnable queries use valid CQL constructs")


def test_runnable_queries_parse(catalog: list[Detection]) -> None:
    offenders = []
    for detection in catalog:
        for name, text in detection.queries.items():
            if name == "published":
                continue
            try:
                parse(text)
            except CqlError as exc:
                first_line = str(exc).splitlines()[0]
                offenders.append(
                    f"{label(detection)}: query {name}: {first_line} (expected valid CQL)"
                )
    assert_no_offenders(offenders, "runnable queries parse with the cqlkit parser")


def test_published_queries_match_reference(catalog: list[Detection]) -> None:
    offenders = []
    for detection in catalog:
        if "published" not in detection.queries:
            continue
        expected = EXPECTED_PUBLISHED.get(detection.id)
        if expected is None:
            offenders.append(
                f"{label(detection)}: no entry in EXPECTED_PUBLISHED (expected the text)"
            )
            continue
        file_bytes = (detection.path / query_files(detection)["published"]).read_bytes()
        if file_bytes != expected.encode("utf-8"):
            offenders.append(f"{label(detection)}: published file differs from the published text")
    assert_no_offenders(offenders, "published.cql equals the published text byte for byte")


def test_embedded_published_text_shape() -> None:
    # Guards the embedded text itself: twelve lines, and all but the first start with a pipe.
    lines = EXPECTED_PUBLISHED["T1218.003-cmstp"].splitlines()
    assert len(lines) == 12
    assert all(line.startswith("| ") for line in lines[1:])


def test_sigma_rules_parse_with_pysigma(catalog: list[Detection]) -> None:
    offline = [cls for name, cls in sigma_validators.items() if name not in ONLINE_SIGMA_VALIDATORS]
    validator = SigmaValidator(offline)
    offenders = []
    for detection in catalog:
        if detection.sigma_path is None:
            continue
        try:
            rules = load_sigma(detection).rules
        except SigmaError as exc:
            offenders.append(f"{label(detection)}: pySigma rejects the rule: {exc}")
            continue
        if len(rules) != 1 or not isinstance(rules[0], SigmaRule):
            offenders.append(
                f"{label(detection)}: {len(rules)} rules (expected one detection rule)"
            )
            continue
        offenders += [f"{label(detection)}: {issue}" for issue in validator.validate_rule(rules[0])]
    # finalize() runs the checks across rules, such as duplicate ids and titles.
    offenders += [f"catalog: {issue}" for issue in validator.finalize()]
    assert_no_offenders(offenders, "Sigma rules parse and pass the offline pySigma validators")


def test_sigma_metadata_matches_detection(catalog: list[Detection]) -> None:
    offenders = []
    for detection in catalog:
        if detection.sigma_path is None:
            continue
        rule = load_sigma(detection).rules[0]
        tags = {f"{tag.namespace}.{tag.name}" for tag in rule.tags}
        expected_tag = f"attack.{attack_id(detection).lower()}"
        if expected_tag not in tags:
            offenders.append(
                f"{label(detection)}: Sigma tags {sorted(tags)} (expected {expected_tag})"
            )
        if rule.level is None or rule.level.name.lower() != detection.severity:
            offenders.append(
                f"{label(detection)}: Sigma level {rule.level} (expected {detection.severity})"
            )
        if detection.reference not in rule.references:
            offenders.append(f"{label(detection)}: Sigma references lack {detection.reference}")
        if rule.author != detection.author:
            offenders.append(
                f"{label(detection)}: Sigma author {rule.author!r} (expected {detection.author!r})"
            )
    assert_no_offenders(offenders, "Sigma metadata agrees with detection.toml")


def test_sigma_tactic_tag_present(catalog: list[Detection]) -> None:
    # ATT&CK tactic ids map to the kebab-case tactic names that Sigma tags use.
    tactic_tags = {"TA0005": "attack.defense-evasion"}
    offenders = []
    for detection in catalog:
        if detection.sigma_path is None:
            continue
        expected = tactic_tags.get(detection.tactic)
        if expected is None:
            known = ", ".join(sorted(tactic_tags))
            offenders.append(f"{label(detection)}: tactic {detection.tactic} (expected {known})")
            continue
        tags = {f"{tag.namespace}.{tag.name}" for tag in load_sigma(detection).rules[0].tags}
        if expected not in tags:
            offenders.append(f"{label(detection)}: Sigma tags lack {expected}")
    assert_no_offenders(offenders, "Sigma rules carry the tactic tag")


def test_sigma_ids_unique(catalog: list[Detection]) -> None:
    owners: dict[str, list[str]] = {}
    for detection in catalog:
        if detection.sigma_path is not None:
            owners.setdefault(str(load_sigma(detection).rules[0].id), []).append(detection.id)
    offenders = [
        f"{', '.join(ids)}: share Sigma id {rule_id}"
        for rule_id, ids in owners.items()
        if len(ids) > 1
    ]
    assert_no_offenders(offenders, "Sigma rule ids are unique")


def test_sigma_image_filter_matches_query(catalog: list[Detection]) -> None:
    # A cheap cross-check that both formats search the same binary.
    offenders = []
    for detection in catalog:
        if detection.sigma_path is None:
            continue
        sigma_text = detection.sigma_path.read_text(encoding="utf-8").lower()
        for binary in set(re.findall(r"\\\\([a-z0-9_]+)\\\.exe", detection.query().lower())):
            if f"\\{binary}.exe" not in sigma_text:
                offenders.append(f"{label(detection)}: Sigma rule does not mention \\{binary}.exe")
    assert_no_offenders(offenders, "Sigma rule and default query search the same image")


def test_runnable_queries_pass_strict_check(catalog: list[Detection]) -> None:
    """Every query that is not kept as published compiles with no error and no warning."""
    offenders = []
    for detection in catalog:
        for name, text in detection.queries.items():
            if name in detection.lenient_queries:
                continue
            _, diagnostics = check_query(text)
            offenders += [
                f"{label(detection)}: query {name}: {d.severity}[{d.code}] (expected none)"
                for d in diagnostics
            ]
    assert_no_offenders(offenders, "runnable queries pass cqlkit check --strict")


def test_lenient_queries_need_lenient(catalog: list[Detection]) -> None:
    """A query listed in lenient_queries must really fail the strict check."""
    offenders = []
    for detection in catalog:
        for name in sorted(detection.lenient_queries):
            _, diagnostics = check_query(detection.query(name))
            if not diagnostics:
                offenders.append(f"{label(detection)}: query {name} has no diagnostic")
    assert_no_offenders(offenders, "lenient_queries lists only queries LogScale rejects")


def test_tuning_sets_are_filters_that_plan(catalog: list[Detection]) -> None:
    offenders = []
    for detection in catalog:
        for name, tuning_set in detection.tuning_sets.items():
            try:
                check_filter_only(tuning_set, detection.id)
                plan_query(apply_tuning(detection, detection.query(), [name]))
            except CqlError as exc:
                first_line = str(exc).splitlines()[0]
                offenders.append(f"{label(detection)}: tuning set {name}: {first_line}")
    assert_no_offenders(offenders, "tuning sets are filters that plan with the default query")


def test_fixture_queries_have_signal_fields(catalog: list[Detection]) -> None:
    """Detections with fixtures declare indicators and a score field for the report."""
    offenders = []
    for detection in catalog:
        if detection.fixtures and not (detection.indicators and detection.score_field):
            offenders.append(f"{label(detection)}: fixtures without indicators or score_field")
    assert_no_offenders(offenders, "detections with fixtures declare their signal fields")


def test_readme_report_is_current(catalog: list[Detection]) -> None:
    """The coverage report in each README.md equals the report of the current queries."""
    offenders = []
    for detection in catalog:
        if not detection.fixtures:
            continue
        path = detection.path / README_FILE
        current = report_markdown(build_report(detection))
        if readme_report(path.read_text(encoding="utf-8"), path) != current:
            command = f"cqlkit test {detection.id} --report --update-readme"
            offenders.append(f"{label(detection)}: README.md report is stale (run {command})")
    assert_no_offenders(offenders, "README.md holds the current coverage report")
