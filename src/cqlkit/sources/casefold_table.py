"""Non-ASCII characters that case-insensitive matching can equate with an ASCII letter.

A byte-level prefilter that compares ASCII letters case-insensitively would skip a line
containing ``CM\\u017fTP.EXE``, yet ``(?i)cmstp`` matches that text in the ``regex`` package,
because U+017F (long s) case-folds to ``s``. :data:`CASE_PARTNERS` lists every such
character for each ASCII letter, so the prefilter can keep lines that contain one.

The table is the union of three tests of every code point from U+0080 to U+10FFFF
(surrogates excluded) against every ASCII character:

- the ``regex`` package in V0 mode with IGNORECASE, as cqlkit runs LogScale regexes;
- the standard ``re`` module with IGNORECASE, as cqlkit runs globs with ``ignoreCase``;
- ``str.lower()``, ``str.upper()`` and ``str.casefold()`` of the character containing the
  letter, which covers engines that lowercase both sides or use full case folding
  (U+00DF sharp s folds to ``ss``).

Only letters have partners. Regenerate with ``python -m cqlkit.sources.casefold_table``
after upgrading Python or ``regex``; a test recomputes the table and compares.
"""

from __future__ import annotations

import re

import regex

CASE_PARTNERS: dict[str, str] = {
    "a": "\u1e9a",
    "f": "\ufb00\ufb01\ufb02\ufb03\ufb04",
    "h": "\u1e96",
    "i": "\u0130\u0131\ufb01\ufb03",
    "j": "\u01f0",
    "k": "\u212a",
    "l": "\ufb02\ufb04",
    "n": "\u0149",
    "s": "\u00df\u017f\u1e9e\ufb05\ufb06",
    "t": "\u1e97\ufb05\ufb06",
    "w": "\u1e98",
    "y": "\u1e99",
}
"""For each lowercase ASCII letter, the non-ASCII characters, in code point order, that
case-insensitive matching may equate with it (with Python 3.11 and ``regex`` 2026.11)."""


def compute_case_partners() -> dict[str, str]:
    """Compute :data:`CASE_PARTNERS` from the running Python and ``regex`` package.

    Takes a few seconds, because it scans all 1.1 million code points for each of the
    128 ASCII characters with both regex engines.
    """
    candidates = "".join(
        chr(code) for code in range(0x80, 0x110000) if not 0xD800 <= code <= 0xDFFF
    )
    partners: dict[str, set[str]] = {}

    for code in range(0x80):
        ascii_char = chr(code)
        for variant in {ascii_char, ascii_char.lower(), ascii_char.upper()}:
            found = regex.findall(
                regex.escape(variant), candidates, flags=regex.V0 | regex.IGNORECASE
            )
            found += re.findall(re.escape(variant), candidates, flags=re.IGNORECASE)
            partners.setdefault(ascii_char.lower(), set()).update(found)

    for char in candidates:
        for mapped in (char.lower(), char.upper(), char.casefold()):
            for mapped_char in mapped:
                if mapped_char.isascii():
                    partners.setdefault(mapped_char.lower(), set()).add(char)

    return {
        ascii_char: "".join(sorted(chars))
        for ascii_char, chars in sorted(partners.items())
        if chars
    }


def _format_table(table: dict[str, str]) -> str:
    lines = ["CASE_PARTNERS: dict[str, str] = {"]
    for ascii_char, chars in table.items():
        escaped = "".join(f"\\u{ord(char):04x}" for char in chars)
        lines.append(f'    "{ascii_char}": "{escaped}",')
    lines.append("}")
    return "\n".join(lines)


if __name__ == "__main__":
    print(_format_table(compute_case_partners()))
