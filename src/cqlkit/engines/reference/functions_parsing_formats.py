"""The reference engine's parsers of structured text: parseJson(), parseXml()
and kvParse(). Each sets fields named by the data, so only this engine runs them."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from functools import lru_cache
from xml.etree.ElementTree import Element, ParseError

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring as parse_xml_text

from cqlkit.engines.reference.context import RunContext
from cqlkit.engines.reference.kvpairs import scan_pairs
from cqlkit.engines.reference.row import Row
from cqlkit.plan import nodes

# --- parseJson() --------------------------------------------------------------------


def parse_json(call: nodes.BoundCall, event: Row, context: RunContext) -> None:
    """parseJson(): flatten the JSON in ``field`` into fields named by their
    paths, ``a.b`` for objects and ``a[0]`` for arrays.

    Numbers keep their text (``7.0`` stays ``7.0``), which is why this uses the
    standard library's parser with string hooks rather than orjson. A value
    that is not valid JSON leaves the event unchanged.
    NOTE: the documentation does not say what LogScale does with invalid JSON;
    cqlkit adds no error field.
    """
    text = event.get(call.text("field"))
    if text is None:
        return
    try:
        document = json.loads(text, parse_float=_Number, parse_int=_Number, parse_constant=_reject)
    except (ValueError, RecursionError):
        return
    prefix = call.text("prefix")
    handle_null = call.text("handleNull")
    exclude_empty = call.get("excludeEmpty") is True
    removed = _strings(call.get("removePrefixes"))
    excluded = _path_matcher(_strings(call.get("exclude")))
    included = _path_matcher(_strings(call.get("include")))
    for path, value in _flatten_json(document, ""):
        if value is None:
            if handle_null == "discard":
                continue
            value = "" if handle_null == "empty" else "null"
        if exclude_empty and value == "":
            continue
        name = prefix + _remove_prefix(path, removed)
        if excluded(name) and not included(name):
            continue
        event[name] = value


class _Number(str):
    """A JSON number, kept as the text it was written as."""


def _reject(constant: str) -> None:
    raise ValueError(f"{constant} is not valid JSON")


def _flatten_json(value: object, path: str) -> Iterator[tuple[str, str | None]]:
    if isinstance(value, dict):
        for key, item in value.items():
            yield from _flatten_json(item, f"{path}.{key}" if path else str(key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _flatten_json(item, f"{path}[{index}]")
    elif path:
        yield path, _json_text(value)


def _json_text(value: object) -> str | None:
    if value is None:
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _strings(value: object) -> tuple[str, ...]:
    return tuple(str(item) for item in value) if isinstance(value, tuple) else ()


def _remove_prefix(path: str, prefixes: tuple[str, ...]) -> str:
    """Remove the longest of ``prefixes`` that ends at a path step of ``path``."""
    best = ""
    for prefix in prefixes:
        stem = prefix.rstrip(".")
        if len(stem) > len(best) and path.startswith(stem + "."):
            best = stem
    return path[len(best) + 1 :] if best else path


def _path_matcher(paths: tuple[str, ...]) -> _Matcher:
    """Return a test of whether a field name starts with one of ``paths``,
    where ``[*]`` in a path stands for any array index."""
    if not paths:
        return _Matcher(None)
    return _Matcher(_path_regex(paths))


@lru_cache(maxsize=64)
def _path_regex(paths: tuple[str, ...]) -> re.Pattern[str]:
    parts = [re.escape(path).replace(r"\[\*\]", r"\[\d+\]") for path in paths]
    return re.compile("|".join(parts))


class _Matcher:
    """A prefix test of field names; it matches nothing without paths."""

    def __init__(self, regex: re.Pattern[str] | None) -> None:
        self.regex = regex

    def __call__(self, name: str) -> bool:
        return self.regex is not None and self.regex.match(name) is not None


# --- parseXml() -------------------------------------------------------------------


def parse_xml(call: nodes.BoundCall, event: Row, context: RunContext) -> None:
    """parseXml(): flatten the XML in ``field`` into fields named by element
    paths from the root, such as ``Task.Triggers.LogonTrigger.Enabled``.

    Namespaces are dropped from names. A repeated sibling element gets an
    index, ``a.b[0]`` and ``a.b[1]``. An attribute is written as a step below
    its element, ``a.b.id``. Text is stripped of surrounding white space.
    Documents with a DTD are refused, which rules out entity expansion, and
    text that is not well-formed XML leaves the event unchanged, as does XML
    nested too deeply to flatten (with a warning).
    NOTE: LogScale's naming of attributes is not documented; ``a.b.id`` is
    cqlkit's choice.
    """
    text = event.get(call.text("field"))
    if text is None:
        return
    try:
        root = parse_xml_text(text, forbid_dtd=True)
    except (ParseError, DefusedXmlException, ValueError):
        return
    prefix = call.text("prefix")
    try:
        fields = dict(_flatten_xml(root, prefix + _local_name(root.tag)))
    except RecursionError:
        context.warn("parseXml() left events unparsed whose XML is nested too deeply")
        return
    event.update(fields)


def _flatten_xml(element: Element, path: str) -> Iterator[tuple[str, str]]:
    for attribute, value in element.attrib.items():
        yield f"{path}.{_local_name(attribute)}", value
    children = list(element)
    text = (element.text or "").strip()
    if text or (not children and not element.attrib):
        yield path, text
    counts: dict[str, int] = {}
    for child in children:
        name = _local_name(child.tag)
        counts[name] = counts.get(name, 0) + 1
    seen: dict[str, int] = {}
    for child in children:
        name = _local_name(child.tag)
        if counts[name] > 1:
            index = seen.get(name, 0)
            seen[name] = index + 1
            name = f"{name}[{index}]"
        yield from _flatten_xml(child, f"{path}.{name}")


def _local_name(tag: str) -> str:
    """Return a tag or attribute name without its ``{namespace}``."""
    return tag.rsplit("}", 1)[-1]


# --- kvParse() --------------------------------------------------------------------


def kv_parse(call: nodes.BoundCall, event: Row, context: RunContext) -> None:
    """kvParse(): set a field for each ``key=value`` pair in the ``field`` fields.

    Fields the event had before the call keep their values unless
    ``override=true``. A key repeated in the text keeps its last value, or its
    first with ``onDuplicate=keepFirst``. ``as`` (alias ``prefix``) is put
    before every key as it is, so ``as="user."`` gives ``user.id``.
    """
    existing = set(event)
    prefix = str(call.get("as") or "")
    keep_first = call.text("onDuplicate") == "keepfirst"
    exclude_empty = call.get("excludeEmpty") is True
    override = call.get("override") is True
    parsed: dict[str, str] = {}
    for field in call.names("field"):
        text = event.get(field)
        if text is None:
            continue
        for key, value in scan_pairs(text, call.text("separator"), call.text("separatorPadding")):
            name = prefix + key
            if (exclude_empty and value == "") or (keep_first and name in parsed):
                continue
            parsed[name] = value
    for name, value in parsed.items():
        if override or name not in existing:
            event[name] = value
