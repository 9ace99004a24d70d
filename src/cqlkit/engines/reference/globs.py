"""Globs of LogScale filters: ``*`` matches any text, ``\\*`` a literal star."""

from __future__ import annotations

import functools
import re


@functools.lru_cache(maxsize=4096)
def compile_glob(pattern: str, ignore_case: bool = False, anchored: bool = True) -> re.Pattern[str]:
    """Compile a glob into a regex made only of literals and ``.*``, so matching
    never backtracks exponentially."""
    parts: list[str] = []
    index = 0
    while index < len(pattern):
        char = pattern[index]
        if char == "\\" and pattern[index + 1 : index + 2] == "*":
            parts.append(re.escape("*"))
            index += 2
            continue
        parts.append(".*" if char == "*" else re.escape(char))
        index += 1
    body = "".join(parts)
    flags = re.DOTALL | (re.IGNORECASE if ignore_case else 0)
    return re.compile(rf"\A(?:{body})\Z" if anchored else body, flags)


def glob_matches(pattern: str, value: str, ignore_case: bool = False) -> bool:
    """Return True when ``value`` matches the anchored glob ``pattern``."""
    if "*" not in pattern and not ignore_case:
        return value == pattern
    return compile_glob(pattern, ignore_case).match(value) is not None
