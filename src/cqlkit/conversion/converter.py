"""Conversion of Sigma rules to other query languages with pySigma.

pySigma is imported only here and only when a rule is converted. The backends' default
output formats run offline; the Elasticsearch backends reach the MITRE ATT&CK download
only from their ``siem_rule`` formats, which cqlkit does not use.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from cqlkit.conversion.targets import SIGMA_TARGET, ConversionError, Target, find_target
from cqlkit.detections.catalog import Detection, find_detections, load_detection

if TYPE_CHECKING:
    from sigma.collection import SigmaCollection
    from sigma.rule import SigmaRule

SIGMA_SUFFIXES = (".yml", ".yaml")
"""File name endings of Sigma rule files, so that a missing rule file is not looked up as a
detection id."""


@dataclass(frozen=True, kw_only=True)
class SigmaSource:
    """The text of a Sigma rule file, where it came from, and its detection if any."""

    text: str
    path: Path
    detection: Detection | None = None


@dataclass(frozen=True, kw_only=True)
class RuleConversion:
    """The queries that one Sigma rule of a file converted to."""

    title: str
    rule_id: str | None
    queries: tuple[str, ...]

    @property
    def label(self) -> str:
        """The rule's title and id, as messages name the rule."""
        return f"{self.title!r} ({self.rule_id})" if self.rule_id else repr(self.title)


@dataclass(frozen=True, kw_only=True)
class Conversion:
    """The result of converting a Sigma file to one target."""

    target: Target
    source: Path
    rules: tuple[RuleConversion, ...]
    text: str
    """The output: the queries one per line, or the rule file itself for ``sigma``."""


def read_sigma_source(argument: str | Path) -> SigmaSource:
    """Find the Sigma rule that ``argument`` names.

    ``argument`` is a Sigma rule file, a detection folder, or the id of a detection in the
    bundled catalog, tried in that order.

    Raises:
        ConversionError: if the detection has no Sigma rule or the file cannot be read.
        DetectionError: if ``argument`` is neither a path nor a known detection id.
    """
    path = Path(argument)
    detection = None
    if path.is_dir():
        detection = load_detection(path)
    elif path.suffix.lower() in SIGMA_SUFFIXES and not path.exists():
        raise ConversionError(f"Sigma rule file {path} not found")
    elif not path.is_file():
        (detection,) = find_detections([str(argument)])
    if detection is not None:
        if detection.sigma_path is None:
            raise ConversionError(
                f"detection {detection.id} has no Sigma rule to convert",
                hint='name one in detection.toml with [rule] sigma = "sigma.yml"',
            )
        path = detection.sigma_path
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ConversionError(f"cannot read Sigma rule file {path}: {exc}") from exc
    return SigmaSource(text=text, path=path, detection=detection)


def convert_sigma(source: SigmaSource, target: Target | str) -> Conversion:
    """Convert every rule of ``source`` to ``target``.

    The ``sigma`` target checks that pySigma reads the rules and returns the file text
    unchanged.

    Raises:
        ConversionError: if pySigma cannot read a rule or the backend cannot convert it, if
            the file contains a correlation or filter rule, or if a backend package is missing.
    """
    target = find_target(target) if isinstance(target, str) else target
    rules = _parse_rules(source)
    if target.name == SIGMA_TARGET:
        conversions = tuple(_describe(rule, ()) for rule in rules)
        text = source.text if source.text.endswith("\n") else source.text + "\n"
        return Conversion(target=target, source=source.path, rules=conversions, text=text)

    conversions = tuple(_convert_rule(rule, target, source.path) for rule in rules)
    text = "".join(query + "\n" for rule in conversions for query in rule.queries)
    return Conversion(target=target, source=source.path, rules=conversions, text=text)


def _parse_rules(source: SigmaSource) -> list[SigmaRule]:
    from sigma.collection import SigmaCollection
    from sigma.exceptions import SigmaError
    from sigma.rule import SigmaRule

    try:
        collection: SigmaCollection = SigmaCollection.from_yaml(source.text)
    except SigmaError as exc:
        raise ConversionError(f"invalid Sigma rule file {source.path}: {exc}") from exc
    rules: list[SigmaRule] = []
    for item in collection.rules:
        if not isinstance(item, SigmaRule):
            raise ConversionError(
                f"{source.path} contains a {type(item).__name__}, which cqlkit cannot convert",
                hint="cqlkit converts detection rules only, so convert it with sigma-cli",
            )
        rules.append(item)
    if not rules:
        raise ConversionError(f"{source.path} contains no Sigma rule")
    return rules


def _convert_rule(rule: SigmaRule, target: Target, path: Path) -> RuleConversion:
    from sigma.exceptions import SigmaError

    backend = target.build_backend()
    backend.init_processing_pipeline()
    description = _describe(rule, ())
    try:
        queries = backend.convert_rule(rule)
    except SigmaError as exc:
        raise ConversionError(
            f"cannot convert Sigma rule {description.label} in {path} to {target.name}: {exc}",
            hint="the backend or its pipeline does not support a field, modifier or log source"
            " of this rule",
        ) from exc
    texts = []
    for query in queries:
        if not isinstance(query, str):
            raise ConversionError(
                f"the {target.name} backend returned a {type(query).__name__} instead of query"
                f" text for Sigma rule {description.label}"
            )
        texts.append(query)
    if not texts:
        raise ConversionError(
            f"Sigma rule {description.label} in {path} converted to no {target.name} query"
        )
    return _describe(rule, tuple(texts))


def _describe(rule: SigmaRule, queries: tuple[str, ...]) -> RuleConversion:
    rule_id = str(rule.id) if rule.id is not None else None
    return RuleConversion(title=rule.title, rule_id=rule_id, queries=queries)
