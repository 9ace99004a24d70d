"""Hosts of URI authorities as Java's ``java.net.URI`` reads them: host
names, dotted IPv4 addresses and bracketed IPv6 addresses.

:mod:`cqlkit.language.javauri` reads the rest of the URI. A host that fails
these rules makes Java keep the authority as a registry name, without a host.
"""

from __future__ import annotations

ASCII_LETTERS = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz")
ASCII_DIGITS = frozenset("0123456789")
ALPHANUMERIC = ASCII_LETTERS | ASCII_DIGITS
HEX_DIGITS = "0123456789ABCDEFabcdef"
SCOPE_ID_PUNCTUATION = "_."
"""The characters an IPv6 scope id (``%eth0``) allows besides letters and digits."""

_HEX = frozenset(HEX_DIGITS)


class _InvalidAddress(ValueError):
    """The text is not an IPv6 address that Java accepts."""


def host_end(text: str) -> int | None:
    """Return where the host at the start of ``text`` ends, or None when there is none."""
    if text.startswith("["):
        close = text.find("]")
        if close <= 1 or not is_ipv6_reference(text[1:close]):
            return None
        return close + 1
    end = _ipv4_end(text)
    if end is not None and end < len(text) and text[end] != ":":
        # Java then reads the text as a host name: 1.2.3.4a.example is one.
        end = None
    if end is None:
        end = _hostname_end(text)
    if end is None or (end < len(text) and text[end] != ":"):
        return None
    return end


def _ipv4_end(text: str, *, strict: bool = False) -> int | None:
    """Return the end of a dotted IPv4 address at the start of ``text``.

    Java takes the whole run of digits and dots and needs it to be four
    numbers of at most 255 (with any number of leading zeros). ``strict``
    also needs the run to be all of ``text``.
    """
    run = 0
    while run < len(text) and (text[run] in ASCII_DIGITS or text[run] == "."):
        run += 1
    parts = text[:run].split(".")
    if run == 0 or (strict and run != len(text)) or len(parts) != 4:
        return None
    if any(not part or int(part) > 255 for part in parts):
        return None
    return run


def _hostname_end(text: str) -> int | None:
    """Return the end of the host name at the start of ``text``.

    Labels of letters, digits and inner hyphens, separated by single dots, with
    an optional final dot. When there are several labels, the last one starts
    with a letter, so ``10.0.0.256`` is not a host name.
    """
    index = 0
    last_label = -1
    while True:
        start = index
        while index < len(text) and (text[index] in ALPHANUMERIC or text[index] == "-"):
            index += 1
        if index == start or text[start] == "-":
            index = start
            break
        if text[index - 1] == "-":
            return None
        last_label = start
        if index < len(text) and text[index] == ".":
            index += 1
            continue
        break
    if last_label < 0:
        return None
    if last_label > 0 and text[last_label] not in ASCII_LETTERS:
        return None
    return index


def is_ipv6_reference(text: str) -> bool:
    """Tell whether ``text`` (between the brackets) is an IPv6 address that
    Java accepts, with an optional ``%scope`` of letters, digits, ``_`` and ``.``."""
    percent = text.find("%")
    if percent >= 0:
        scope = text[percent + 1 :]
        if percent == 0 or not scope:
            return False
        if any(char not in ALPHANUMERIC and char not in SCOPE_ID_PUNCTUATION for char in scope):
            return False
        text = text[:percent]
    try:
        return _ipv6_address(text)
    except _InvalidAddress:
        return False


def _ipv6_address(text: str) -> bool:
    """Check Java's IPv6 grammar: eight groups of up to four hex digits, or
    fewer with one ``::``, where an IPv4 address may stand for the last two."""
    left, left_bytes = _hex_groups(text, 0)
    position, total, compressed = left, left_bytes, False
    if text.startswith("::", position):
        compressed = True
        position, more = _after_double_colon(text, position + 2)
        total += more
    elif left_bytes and text.startswith(":", position):
        position = _take_ipv4(text, position + 1)
        total += 4
    if position < len(text) or total > 16:
        return False
    return total < 16 if compressed else total == 16


def _hex_groups(text: str, start: int) -> tuple[int, int]:
    """Read ``h:h:...`` from ``start``; return where it ends and its byte count.

    The run stops before ``::`` and before a group that begins an IPv4
    address (a group followed by a dot), which the caller reads instead.
    """
    position, count = start, 0
    while True:
        end = position
        while end < len(text) and text[end] in _HEX:
            end += 1
        if end == position:
            if count:
                raise _InvalidAddress("digits expected after :")
            return start, 0
        if text.startswith(".", end):
            return (position - 1, count) if count else (start, 0)
        if end - position > 4:
            raise _InvalidAddress("at most four hex digits per group")
        count += 2
        position = end
        if not text.startswith(":", position) or text.startswith("::", position):
            return position, count
        position += 1


def _after_double_colon(text: str, start: int) -> tuple[int, int]:
    if start == len(text):
        return start, 0
    end, count = _hex_groups(text, start)
    if count:
        if text.startswith(":", end):
            return _take_ipv4(text, end + 1), count + 4
        return end, count
    return _take_ipv4(text, start), 4


def _take_ipv4(text: str, start: int) -> int:
    end = _ipv4_end(text[start:], strict=True)
    if end is None:
        raise _InvalidAddress("an IPv4 address must end the IPv6 address")
    return start + end
