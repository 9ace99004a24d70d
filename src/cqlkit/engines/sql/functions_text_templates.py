"""SQL templates of the text functions, and the UTF-8 decoding they share.

The longer compiled forms read best as DuckDB SQL text with ``:name``
placeholders; :func:`template` parses such text once and fills in the
compiled arguments.
"""

from __future__ import annotations

import functools

import sqlglot
from sqlglot import exp

DIALECT = "duckdb"

_HEX = "[0-9A-F]"
_CONTINUATION = f"[89AB]{_HEX}"
# One well-formed UTF-8 sequence, as uppercase hex (RFC 3629: no overlong
# forms, no surrogates, nothing above U+10FFFF).
UTF8_SEQUENCE = "|".join(
    (
        f"[0-7]{_HEX}",
        f"C[2-9A-F]{_CONTINUATION}",
        f"D{_HEX}{_CONTINUATION}",
        f"E0[AB]{_HEX}{_CONTINUATION}",
        f"E[1-9A-CEF]{_CONTINUATION}{_CONTINUATION}",
        f"ED[89]{_HEX}{_CONTINUATION}",
        f"F0[9AB]{_HEX}{_CONTINUATION}{_CONTINUATION}",
        f"F[1-3]{_CONTINUATION}{_CONTINUATION}{_CONTINUATION}",
        f"F48{_HEX}{_CONTINUATION}{_CONTINUATION}",
    )
)
# The start of a well-formed sequence that the data cuts short: decoders
# replace it with one U+FFFD (the "maximal subpart" of the Unicode standard,
# which Python and Java both follow).
_CUT_SHORT = "|".join(
    (
        f"F0[9AB]{_HEX}{_CONTINUATION}",
        f"F[1-3]{_CONTINUATION}{_CONTINUATION}",
        f"F48{_HEX}{_CONTINUATION}",
        f"E0[AB]{_HEX}",
        f"E[1-9A-CEF]{_CONTINUATION}",
        f"ED[89]{_HEX}",
        f"F0[9AB]{_HEX}",
        f"F[1-3]{_CONTINUATION}",
        f"F48{_HEX}",
    )
)
# Every match starts and ends on a byte boundary, so the scan never splits a byte.
UTF8_TOKEN = f"{UTF8_SEQUENCE}|{_CUT_SHORT}|{_HEX}{{2}}"
REPLACEMENT_HEX = "EFBFBD"

_UTF8_FROM_HEX = f"""
CASE
    WHEN regexp_full_match(:hex, '(?:{UTF8_SEQUENCE})*') THEN decode(unhex(:hex))
    ELSE decode(unhex(array_to_string(list_transform(
        regexp_extract_all(:hex, '{UTF8_TOKEN}'),
        lambda token: CASE
            WHEN regexp_full_match(token, '{UTF8_SEQUENCE}') THEN token
            ELSE '{REPLACEMENT_HEX}'
        END
    ), '')))
END
"""


@functools.cache
def _parse(sql: str) -> exp.Expr:
    return sqlglot.parse_one(sql, dialect=DIALECT)


def template(sql: str, **values: exp.Expr) -> exp.Expr:
    """Parse DuckDB ``sql`` and replace each ``:name`` placeholder by a copy of ``values[name]``."""

    def substitute(node: exp.Expr) -> exp.Expr:
        if isinstance(node, exp.Placeholder) and node.name in values:
            return values[node.name].copy()
        return node

    return _parse(sql).transform(substitute)


def utf8_from_hex(hex_text: exp.Expr) -> exp.Expr:
    """Decode uppercase hex bytes as UTF-8, writing U+FFFD for each invalid part
    as Python's and Java's decoders do, where DuckDB's decode() would fail."""
    return template(_UTF8_FROM_HEX, hex=hex_text)


def latin1_from_hex(hex_text: exp.Expr) -> exp.Expr:
    """Decode uppercase hex bytes as ISO-8859-1: each byte is the code point of one character."""
    return template(
        "array_to_string(list_transform(regexp_extract_all(:hex, '..'),"
        " lambda byte: chr(CAST('0x' || byte AS INTEGER))), '')",
        hex=hex_text,
    )


def sql_string(text: str) -> str:
    """Quote ``text`` as a SQL string literal for a template."""
    return "'" + text.replace("'", "''") + "'"
