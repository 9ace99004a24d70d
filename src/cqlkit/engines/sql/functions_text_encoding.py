"""SQL compilation of base64Decode(), urlDecode(), shannonEntropy() and the
crypto: hashes, with the rules of the reference engine's
functions_text_encoding module."""

from __future__ import annotations

from collections.abc import Callable

from sqlglot import exp

from cqlkit.engines.reference.functions_text_encoding import HASH_SEPARATOR
from cqlkit.engines.sql.columns import Schema
from cqlkit.engines.sql.family import Values
from cqlkit.engines.sql.functions_text_templates import (
    latin1_from_hex,
    template,
    utf8_from_hex,
)
from cqlkit.engines.sql.typed import DOUBLE, Typed, call
from cqlkit.errors import UnsupportedFeatureError
from cqlkit.plan import nodes

_ALPHABET = "A-Za-z0-9+/"
_SKIPPED = f"[^{_ALPHABET}=]"
_LETTER = f"(?:{_SKIPPED}*[{_ALPHABET}])"
_AFTER_PADDING = f"[^{_ALPHABET}]*"
# The inputs that functions_text_encoding.decode_base64 accepts: whole units
# of 4 letters, then 0, 2 or 3 letters, the last two optionally padded
# (``xx==``, ``xxx=``), with skipped characters anywhere before the padding
# and no letter after it.
BASE64_VALID = (
    f"(?:{_LETTER}{{4}})*"
    f"(?:{_SKIPPED}*"
    f"|{_LETTER}{{2}}{_SKIPPED}*(?:=={_AFTER_PADDING})?"
    f"|{_LETTER}{{3}}{_SKIPPED}*(?:={_AFTER_PADDING})?)"
)


def _base64_decode(call_node: nodes.BoundCall, schema: Schema) -> Typed:
    charset = str(call_node.get("charset"))
    if charset not in ("utf-8", "iso-8859-1"):
        raise UnsupportedFeatureError(
            f"base64Decode(charset={charset.upper()})",
            "UTF-16 decoding is not compiled to SQL",
            engine="sql",
        )
    value = schema.field(call_node.text())
    letters = template(
        f"regexp_replace(regexp_extract(:v, '^[^=]*'), '[^{_ALPHABET}]', '', 'g')", v=value
    )
    data = template(
        "hex(from_base64(:letters || repeat('=', (4 - length(:letters) % 4) % 4)))",
        letters=letters,
    )
    text = utf8_from_hex(data) if charset == "utf-8" else latin1_from_hex(data)
    checked = template(
        f"CASE WHEN regexp_full_match(:v, '{BASE64_VALID}') THEN :text END", v=value, text=text
    )
    return Typed(checked, "text")


_ESCAPE = r"%(?:[0-9A-Fa-f]{2}|\+[0-9A-Fa-f]|-0)"
_URL_DECODE = f"""
CASE
    WHEN NOT regexp_full_match(:v, '(?s)(?:[^%]|{_ESCAPE})*') THEN NULL
    WHEN strpos(:v, '%') = 0 THEN replace(:v, '+', ' ')
    ELSE :decoded
END
"""
# Each escape becomes its byte and each + a space, in hex, so that runs of
# escapes decode as UTF-8 together.
_URL_BYTES = f"""
array_to_string(list_transform(
    regexp_extract_all(:v, '(?s){_ESCAPE}|[+]|[^%+]+'),
    lambda token: CASE
        WHEN token = '+' THEN '20'
        WHEN starts_with(token, '%+') THEN '0' || upper(substr(token, 3, 1))
        WHEN token = '%-0' THEN '00'
        WHEN starts_with(token, '%') THEN upper(substr(token, 2, 2))
        ELSE hex(encode(token))
    END
), '')
"""


def _url_decode(call_node: nodes.BoundCall, schema: Schema) -> Typed:
    value = schema.field(call_node.text())
    decoded = utf8_from_hex(template(_URL_BYTES, v=value))
    return Typed(template(_URL_DECODE, v=value, decoded=decoded), "text")


# The UTF-16 code units of the text: a code point above U+FFFF is a surrogate pair.
_UTF16_UNITS = """
flatten(list_transform(string_split(:v, ''), lambda char: CASE
    WHEN unicode(char) < 65536 THEN [unicode(char)]
    ELSE [55296 + ((unicode(char) - 65536) >> 10), 56320 + ((unicode(char) - 65536) & 1023)]
END))
"""
_COUNTS = """
list_transform(list_sort(list_distinct(:units)),
    lambda unit: len(list_filter(:units, lambda other: other = unit)))
"""


def _shannon_entropy(call_node: nodes.BoundCall, schema: Schema) -> Typed:
    """Add the terms in code unit order, left to right, as the reference engine does."""
    value = schema.field(call_node.text())
    units = template(_UTF16_UNITS, v=value)
    total = template("CAST(len(:units) AS DOUBLE)", units=units)
    probability = template("CAST(occurrences AS DOUBLE) / :total", total=total)
    # log2 is built as a plain call: sqlglot would write it as LOG(2, x),
    # which DuckDB computes differently.
    term = template("-(:p * :log)", p=probability, log=call("log2", probability.copy()))
    terms = template(
        "list_transform(:counts, lambda occurrences: :term)",
        counts=template(_COUNTS, units=units),
        term=term,
    )
    entropy = template(
        "CASE WHEN :v = '' THEN CAST(0.0 AS DOUBLE)"
        " ELSE list_reduce(:terms, lambda total, term: total + term) END",
        v=value,
        terms=terms,
    )
    return Typed(entropy, "number")


def _hasher(function: str) -> Callable[[nodes.BoundCall, Schema], Typed]:
    """Return a compiler that hashes the concatenated fields, missing ones as empty text."""

    def hash_fields(call_node: nodes.BoundCall, schema: Schema) -> Typed:
        parts = [
            exp.Coalesce(this=schema.field(name), expressions=[exp.Literal.string("")])
            for name in call_node.names("field")
        ]
        joined = exp.Concat(expressions=parts) if parts else exp.Literal.string("")
        return Typed(call(function, joined), "text")

    return hash_fields


def _hash(call_node: nodes.BoundCall, schema: Schema) -> Typed:
    """Compile functions_text_encoding._hash: MD5 of the seed and the fields,
    separated by HASH_SEPARATOR, read as an unsigned 32-bit number."""
    seed = call_node.get("seed")
    parts: list[exp.Expr] = [exp.Literal.string("" if seed is None else str(seed))]
    for name in call_node.names("field"):
        parts.append(exp.Literal.string(HASH_SEPARATOR))
        parts.append(exp.Coalesce(this=schema.field(name), expressions=[exp.Literal.string("")]))
    digest = call("md5", exp.Concat(expressions=parts))
    number = template("CAST('0x' || substr(:digest, 1, 8) AS UBIGINT)", digest=digest)
    limit = call_node.get("limit")
    if isinstance(limit, int | float):
        number = template(f"(:n % {int(limit)})", n=number)
    return Typed(exp.cast(number, DOUBLE), "number")


VALUES: Values = {
    "hash": _hash,
    "base64Decode": _base64_decode,
    "urlDecode": _url_decode,
    "shannonEntropy": _shannon_entropy,
    "crypto:md5": _hasher("md5"),
    "crypto:sha1": _hasher("sha1"),
    "crypto:sha256": _hasher("sha256"),
}
