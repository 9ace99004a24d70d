"""URIs as Java's ``java.net.URI`` reads them, for parseUrl().

LogScale's parseUrl() hands the field value to ``java.net.URI``, which follows
RFC 2396 with some deviations: ``[`` and ``]`` are reserved characters, an
IPv6 host may carry a scope id (``[fe80::1%eth0]``), and an empty authority
may precede a path. :func:`parse_uri` ports that grammar. A
value Java rejects (a space, a bad ``%`` escape, ``C:\\dir``) gives None.

Java reads an authority as ``[userinfo@]host[:port]`` when it can, and
otherwise keeps it as a registry name without a host: ``http://my_host/``
has no host, because ``_`` may not appear in a host name.

The character sets are shared with the SQL compiler, which builds regular
expressions from them, so that both engines accept the same values.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

from cqlkit.language.javauri_hosts import (
    ALPHANUMERIC,
    ASCII_DIGITS,
    ASCII_LETTERS,
    HEX_DIGITS,
    host_end,
)

MARK = "-_.!~*'()"
RESERVED = ";/?:@&=+$,[]"
# The ASCII punctuation each component allows besides letters, digits and MARK.
# Every one of them also allows %XX escapes and visible non-ASCII characters.
URIC_PUNCTUATION = MARK + RESERVED
PATH_PUNCTUATION = MARK + ":@&=+$,;/"
USERINFO_PUNCTUATION = MARK + ";:&=+$,"
REG_NAME_PUNCTUATION = MARK + "$,;:@&=+"
SCHEME_PUNCTUATION = "+-."
MAX_PORT = 2**31 - 1
"""Java reads the port as an int, so a larger port makes the authority a registry name."""

_HEX = frozenset(HEX_DIGITS)
_SEPARATORS = frozenset({"Zs", "Zl", "Zp"})


class _InvalidUri(ValueError):
    """The value is not a URI that Java accepts."""


@dataclass(frozen=True)
class UriParts:
    """The components of a URI, as written (escapes not decoded).

    A component the URI lacks is None; ``port`` is None when no port is given.
    ``host`` keeps the brackets of an IPv6 address.
    """

    scheme: str | None = None
    user_info: str | None = None
    host: str | None = None
    port: int | None = None
    path: str | None = None
    query: str | None = None
    fragment: str | None = None


def is_other(char: str) -> bool:
    """Tell whether ``char`` is a non-ASCII character that Java allows unescaped:
    above U+0080 (so not a C1 control) and not a Unicode space separator."""
    return ord(char) >= 0xA0 and unicodedata.category(char) not in _SEPARATORS


def parse_uri(text: str) -> UriParts | None:
    """Split ``text`` into its components, or return None when Java rejects it."""
    try:
        return _parse(text)
    except _InvalidUri:
        return None


def _parse(text: str) -> UriParts:
    colon = _first_of(text, ":/?#")
    if colon < len(text) and text[colon] == ":":
        scheme = text[:colon]
        _check_scheme(scheme)
        rest = text[colon + 1 :]
        if rest.startswith("/"):
            return _hierarchical(rest, scheme)
        return _opaque(rest, scheme)
    return _hierarchical(text, None)


def _first_of(text: str, characters: str, start: int = 0) -> int:
    """Return the index of the first of ``characters`` at or after ``start``, or len(text)."""
    for index in range(start, len(text)):
        if text[index] in characters:
            return index
    return len(text)


def _check_scheme(scheme: str) -> None:
    if not scheme or scheme[0] not in ASCII_LETTERS:
        raise _InvalidUri("a scheme starts with a letter")
    if any(char not in ALPHANUMERIC and char not in SCHEME_PUNCTUATION for char in scheme):
        raise _InvalidUri("invalid character in the scheme")


def _opaque(rest: str, scheme: str) -> UriParts:
    """Read ``mailto:a@b.org#top``: no host, path or query, only a fragment."""
    hash_index = rest.find("#")
    part = rest if hash_index < 0 else rest[:hash_index]
    if not part:
        raise _InvalidUri("an opaque URI needs a scheme-specific part")
    _check_component(part, URIC_PUNCTUATION)
    fragment = None if hash_index < 0 else rest[hash_index + 1 :]
    if fragment is not None:
        _check_component(fragment, URIC_PUNCTUATION)
    return UriParts(scheme=scheme, fragment=fragment)


def _hierarchical(text: str, scheme: str | None) -> UriParts:
    """Read ``[//authority]path[?query][#fragment]``."""
    user_info = host = None
    port = None
    rest = text
    if rest.startswith("//"):
        end = _first_of(rest, "/?#", 2)
        authority = rest[2:end]
        rest = rest[end:]
        if authority:
            user_info, host, port = _authority(authority)
        elif not rest:
            raise _InvalidUri("// needs an authority, a path, a query or a fragment")
    path_end = _first_of(rest, "?#")
    path = rest[:path_end]
    _check_component(path, PATH_PUNCTUATION)
    rest = rest[path_end:]
    query = fragment = None
    if rest.startswith("?"):
        query_end = _first_of(rest, "#")
        query = rest[1:query_end]
        _check_component(query, URIC_PUNCTUATION)
        rest = rest[query_end:]
    if rest.startswith("#"):
        fragment = rest[1:]
        _check_component(fragment, URIC_PUNCTUATION)
    return UriParts(scheme, user_info, host, port, path, query, fragment)


def _check_component(text: str, punctuation: str) -> None:
    """Raise unless every character is allowed: a letter, a digit, one of
    ``punctuation``, a valid %XX escape or a visible non-ASCII character."""
    index = 0
    while index < len(text):
        char = text[index]
        if char == "%":
            if text[index + 1 : index + 2] not in _HEX or text[index + 2 : index + 3] not in _HEX:
                raise _InvalidUri("malformed escape")
            index += 3
            continue
        if char not in ALPHANUMERIC and char not in punctuation and not is_other(char):
            raise _InvalidUri(f"illegal character {char!r}")
        index += 1


def _authority(authority: str) -> tuple[str | None, str | None, int | None]:
    """Return user info, host and port, or (None, None, None) for a registry name."""
    server = _server(authority)
    if server is not None:
        return server
    _check_component(authority, REG_NAME_PUNCTUATION)
    return None, None, None


def _server(authority: str) -> tuple[str | None, str, int | None] | None:
    """Read ``[userinfo@]host[:port]``, or return None when the authority is not one."""
    user_info = None
    rest = authority
    at = rest.find("@")
    if at >= 0:
        user_info = rest[:at]
        try:
            _check_component(user_info, USERINFO_PUNCTUATION)
        except _InvalidUri:
            return None
        rest = rest[at + 1 :]
    end = host_end(rest)
    if end is None:
        return None
    host, rest = rest[:end], rest[end:]
    port = None
    if rest.startswith(":"):
        digits = rest[1:]
        if any(char not in ASCII_DIGITS for char in digits):
            return None
        if digits:
            port = int(digits)
            if port > MAX_PORT:
                return None
    elif rest:
        return None
    return user_info, host, port


def decode_component(text: str) -> str:
    """Decode the %XX escapes of a component as Java's URI getters do.

    Each run of escapes is read as UTF-8, with U+FFFD for invalid bytes.
    Escapes between ``[`` and ``]`` stay as written.
    """
    if "%" not in text:
        return text
    pieces: list[str] = []
    index = 0
    in_brackets = False
    while index < len(text):
        char = text[index]
        if char == "[":
            in_brackets = True
        elif char == "]":
            in_brackets = False
        if char != "%" or in_brackets:
            pieces.append(char)
            index += 1
            continue
        run = bytearray()
        while index < len(text) and text[index] == "%":
            run.append(int(text[index + 1 : index + 3], 16))
            index += 3
        pieces.append(run.decode("utf-8", errors="replace"))
    return "".join(pieces)
