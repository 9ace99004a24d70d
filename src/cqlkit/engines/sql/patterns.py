"""Regexes and globs as SQL pattern strings (RE2 syntax)."""

from __future__ import annotations

import dataclasses
import re

from cqlkit.language.regex_re2 import Re2Regex, to_re2
from cqlkit.language.regexes import LogScaleRegex

_RE2_META = frozenset("\\.+*?()|[]{}^$")
_EMPTY_GROUP = re.compile(r"\(\?[a-zA-Z-]*:\)")


def re2(regex: LogScaleRegex) -> Re2Regex:
    """Return the RE2 form of a LogScale regex, without empty groups.

    Raises UnsupportedFeatureError (engine "re2") for constructs RE2 lacks, such
    as lookahead; the caller then runs that stage on the reference engine.
    """
    translated = to_re2(regex)
    cleaned = without_empty_groups(translated.pattern)
    if cleaned == translated.pattern:
        return translated
    return dataclasses.replace(translated, pattern=cleaned)


def without_empty_groups(pattern: str) -> str:
    """Remove empty non-capturing groups such as ``(?:)`` and ``(?i:)``.

    They match nothing and change nothing, but DuckDB 2.0.1 rewrites a constant
    pattern that starts or ends with one into an anchored prefix or suffix test
    (``a(?:)`` becomes "ends with a"), which changes the result.
    """
    out: list[str] = []
    index = 0
    in_class = False
    while index < len(pattern):
        char = pattern[index]
        if char == "\\":
            out.append(pattern[index : index + 2])
            index += 2
            continue
        if in_class:
            in_class = char != "]"
        elif char == "[":
            in_class = True
            # A ] right after [ or [^ is a member of the class, not its end.
            opening = (
                "[^]"
                if pattern.startswith("[^]", index)
                else "[]"
                if pattern.startswith("[]", index)
                else "["
            )
            out.append(opening)
            index += len(opening)
            continue
        else:
            match = _EMPTY_GROUP.match(pattern, index)
            if match is not None:
                index = match.end()
                continue
        out.append(char)
        index += 1
    return "".join(out)


def glob_to_re2(pattern: str, ignore_case: bool) -> str:
    """Return an RE2 pattern that matches what the anchored glob matches:
    ``*`` is any text (newlines included) and ``\\*`` a literal star."""
    parts = ["(?s)"]
    if ignore_case:
        parts.append("(?i)")
    parts.append(r"\A")
    index = 0
    while index < len(pattern):
        char = pattern[index]
        if char == "\\" and pattern[index + 1 : index + 2] == "*":
            parts.append(r"\*")
            index += 2
            continue
        if char == "*":
            parts.append(".*")
        elif char in _RE2_META:
            parts.append("\\" + char)
        else:
            parts.append(char)
        index += 1
    parts.append(r"\z")
    return "".join(parts)


def literal_glob(pattern: str) -> str | None:
    """Return the text of a glob without wildcards, or None if it has one."""
    if "*" in pattern:
        return None
    return pattern


def contains_glob(pattern: str) -> str | None:
    """Return ``x`` for a glob ``*x*`` whose middle has no wildcard or escape."""
    if len(pattern) >= 2 and pattern.startswith("*") and pattern.endswith("*"):
        inner = pattern[1:-1]
        if "*" not in inner and "\\" not in inner:
            return inner
    return None
