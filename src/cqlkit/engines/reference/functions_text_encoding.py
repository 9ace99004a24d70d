"""Decoding and hashing functions of the reference engine: base64Decode(),
urlDecode(), shannonEntropy() and crypto:md5(), crypto:sha1(), crypto:sha256()."""

from __future__ import annotations

import hashlib
import math
import re
from collections import Counter
from collections.abc import Callable

from cqlkit.engines.reference.family import ValueFunctions
from cqlkit.engines.reference.row import Row
from cqlkit.engines.reference.values import Value
from cqlkit.plan import nodes

BASE64_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
_BASE64_VALUES = {char: index for index, char in enumerate(BASE64_ALPHABET)}
# Python codec names of the charsets base64Decode() accepts.
PYTHON_CHARSETS = {
    "utf-8": "utf-8",
    "iso-8859-1": "latin-1",
    "utf-16be": "utf-16-be",
    "utf-16le": "utf-16-le",
}


def decode_base64(text: str) -> bytes | None:
    """Decode Base64 as Java's MIME decoder does, which LogScale's documented
    behaviour matches; None when the encoding is invalid.

    Characters outside the alphabet are skipped. ``=`` ends the data, and must
    follow 3 characters of a unit, or 2 and be doubled at once (``xx==``). A
    final unit of 2 or 3 characters needs no padding, and one of 1 character
    is invalid. After the padding, only characters outside the alphabet may
    follow.
    """
    output = bytearray()
    bits = count = 0
    position = 0
    while position < len(text):
        char = text[position]
        position += 1
        if char == "=":
            if count == 0 or (count == 2 and text[position : position + 1] != "="):
                return None
            position += 1 if count == 2 else 0
            break
        value = _BASE64_VALUES.get(char)
        if value is None:
            continue
        bits = (bits << 6) | value
        count += 1
        if count == 4:
            output += bits.to_bytes(3, "big")
            bits = count = 0
    if count == 1:
        return None
    if count == 2:
        output.append(bits >> 4 & 0xFF)
    elif count == 3:
        output += (bits >> 2 & 0xFFFF).to_bytes(2, "big")
    if any(char in _BASE64_VALUES for char in text[position:]):
        return None
    return bytes(output)


def _base64_decode(call: nodes.BoundCall, event: Row) -> Value:
    value = event.get(call.text())
    decoded = None if value is None else decode_base64(value)
    if decoded is None:
        return None
    # Invalid byte sequences become U+FFFD, as Java's String constructor writes them.
    return decoded.decode(PYTHON_CHARSETS[str(call.get("charset"))], errors="replace")


# One percent escape, as Java's Integer.parseInt(text, 16) reads two characters
# without a negative result: two hex digits, a + and one digit, or -0.
_ESCAPE = r"%(?:[0-9A-Fa-f]{2}|\+[0-9A-Fa-f]|-0)"
URL_VALID_PATTERN = rf"(?:[^%]|{_ESCAPE})*"
_URL_VALID = re.compile(URL_VALID_PATTERN, re.DOTALL)
_URL_ESCAPES = re.compile(rf"(?:{_ESCAPE})+")


def decode_url(text: str) -> str | None:
    """Decode ``text`` as Java's URLDecoder does with UTF-8, or return None when
    an escape is invalid: ``+`` becomes a space, and each run of ``%XX``
    escapes is decoded as UTF-8 with U+FFFD for invalid bytes."""
    if _URL_VALID.fullmatch(text) is None:
        return None
    parts = _URL_ESCAPES.split(text)
    runs = _URL_ESCAPES.findall(text)
    decoded = [parts[0].replace("+", " ")]
    for run, literal in zip(runs, parts[1:], strict=True):
        decoded.append(_escape_bytes(run).decode("utf-8", errors="replace"))
        decoded.append(literal.replace("+", " "))
    return "".join(decoded)


def _escape_bytes(run: str) -> bytes:
    return bytes(int(escape.replace("+", "0"), 16) for escape in run.split("%")[1:])


def _url_decode(call: nodes.BoundCall, event: Row) -> Value:
    value = event.get(call.text())
    return None if value is None else decode_url(value)


def utf16_units(text: str) -> list[int]:
    """Return the UTF-16 code units of ``text``: a JVM string's characters."""
    units: list[int] = []
    for char in text:
        point = ord(char)
        if point < 0x10000:
            units.append(point)
        else:
            point -= 0x10000
            units.extend((0xD800 + (point >> 10), 0xDC00 + (point & 0x3FF)))
    return units


def shannon_entropy(text: str) -> float:
    """Return the Shannon entropy in bits of the characters of ``text``.

    Characters are UTF-16 code units, as on the JVM. The terms are added in
    the order of their code units, so that the SQL engine, which adds them in
    the same order, gives the same bits.
    """
    units = utf16_units(text)
    total = len(units)
    entropy = 0.0
    for _, count in sorted(Counter(units).items()):
        probability = count / total
        entropy -= probability * math.log2(probability)
    return entropy


def _shannon_entropy(call: nodes.BoundCall, event: Row) -> Value:
    value = event.get(call.text())
    return None if value is None else shannon_entropy(value)


def _hasher(algorithm: str) -> Callable[[nodes.BoundCall, Row], Value]:
    """Return a function that hashes the UTF-8 concatenation of the call's fields;
    missing fields count as empty text."""

    def hash_fields(call: nodes.BoundCall, event: Row) -> Value:
        text = "".join(event.get(name, "") for name in call.names("field"))
        # Java writes a lone surrogate as ? when it encodes UTF-8.
        data = text.encode("utf-8", errors="replace")
        return hashlib.new(algorithm, data).hexdigest()

    return hash_fields


HASH_SEPARATOR = "\x1f"
"""Written between the seed and the field values that hash() digests, so that
[ab, c] and [a, bc] hash apart."""


def _hash(call: nodes.BoundCall, event: Row) -> Value:
    """Return the first 32 bits of the MD5 digest of the seed and the fields,
    modulo ``limit``. NOTE: LogScale does not document its hash function, so
    these values differ from LogScale's; check emits a warning."""
    seed = call.get("seed")
    parts = ["" if seed is None else str(seed)]
    parts.extend(event.get(name, "") for name in call.names("field"))
    data = HASH_SEPARATOR.join(parts).encode("utf-8", errors="replace")
    value = int(hashlib.md5(data).hexdigest()[:8], 16)
    limit = call.get("limit")
    return value % int(limit) if isinstance(limit, int | float) else value


VALUE_FUNCTIONS: ValueFunctions = {
    "hash": _hash,
    "base64Decode": _base64_decode,
    "urlDecode": _url_decode,
    "shannonEntropy": _shannon_entropy,
    "crypto:md5": _hasher("md5"),
    "crypto:sha1": _hasher("sha1"),
    "crypto:sha256": _hasher("sha256"),
}
