"""The key-value scanner behind kvParse().

It reads ``key=value``, ``key="value"``, ``key='value'`` and, unless
``separatorPadding=no``, ``key = value``. Keys and values may be quoted with
``"`` or ``'``, and a backslash inside quotes escapes the next character. An
unquoted key is a run of characters other than white space, quotes, commas and
the separator; an unquoted value runs to the next white space or comma, so
``id=123, name='john doe'`` gives ``id`` = ``123`` and ``name`` = ``john doe``.
Words not followed by the separator are skipped. Each character is read a
bounded number of times, so the scan is linear in the text.

``separatorPadding`` decides what an empty value looks like:

- ``no``: nothing may follow the separator, so in ``a= b=2`` ``a`` is empty;
- ``yes`` and ``unknown``: white space after the separator is skipped, and a
  value that is itself followed by the separator is the next key, so
  ``a= b=2`` still gives an empty ``a`` and ``b`` = ``2``.

NOTE: LogScale documents only the three ``separatorPadding`` names; the
reading of empty values above is cqlkit's.
"""

from __future__ import annotations

from collections.abc import Iterator

_QUOTES = "\"'"
_VALUE_END = frozenset(" \t\r\n\f\v,")


def scan_pairs(text: str, separator: str, padding: str) -> Iterator[tuple[str, str]]:
    """Yield the ``(key, value)`` pairs of ``text`` in order."""
    scanner = _Scanner(text, separator, padding != "no")
    while not scanner.at_end():
        pair = scanner.pair()
        if pair is not None:
            yield pair


class _Scanner:
    def __init__(self, text: str, separator: str, padded: bool) -> None:
        self.text = text
        self.separator = separator
        self.padded = padded
        self.index = 0

    def at_end(self) -> bool:
        self.index = self._skip_space(self.index)
        return self.index >= len(self.text)

    def pair(self) -> tuple[str, str] | None:
        """Read one pair at the cursor, or skip one word that is not a key."""
        start = self.index
        key, after_key = self._token(start, is_key=True)
        separator_at = self._skip_space(after_key) if self.padded else after_key
        if key is None or not self.text.startswith(self.separator, separator_at):
            self.index = max(after_key, start + 1)
            return None
        value_at = separator_at + len(self.separator)
        if self.padded:
            padded_at = self._skip_space(value_at)
            # Only a value after white space may be missing: in a=b=c the value is b=c.
            if padded_at != value_at and self._starts_key(padded_at):
                self.index = padded_at
                return key, ""
            value_at = padded_at
        value, after_value = self._token(value_at, is_key=False)
        if value is None:
            # An unterminated quote: nothing after it can be read as pairs.
            self.index = len(self.text)
            return None
        self.index = after_value
        return key, value

    def _starts_key(self, index: int) -> bool:
        """Tell whether a key and its separator start at ``index``, which means
        the value before it is empty."""
        if index >= len(self.text):
            return True
        if self.text[index] in _VALUE_END:
            return True
        if self.text.startswith(self.separator, index):
            return False
        word, after = self._token(index, is_key=True)
        if word is None:
            return False
        separator_at = self._skip_space(after) if self.padded else after
        return self.text.startswith(self.separator, separator_at)

    def _token(self, index: int, *, is_key: bool) -> tuple[str | None, int]:
        """Read a quoted or unquoted word at ``index``; return it (None for an
        unterminated quote or an empty key) and the index after it."""
        if index < len(self.text) and self.text[index] in _QUOTES:
            return self._quoted(index)
        end = index
        while end < len(self.text):
            char = self.text[end]
            if char in _VALUE_END:
                break
            if is_key and (char in _QUOTES or self.text.startswith(self.separator, end)):
                break
            end += 1
        word = self.text[index:end]
        return (None if is_key and not word else word), end

    def _quoted(self, index: int) -> tuple[str | None, int]:
        quote = self.text[index]
        out: list[str] = []
        position = index + 1
        while position < len(self.text):
            char = self.text[position]
            if char == "\\" and position + 1 < len(self.text):
                out.append(self.text[position + 1])
                position += 2
            elif char == quote:
                return "".join(out), position + 1
            else:
                out.append(char)
                position += 1
        return None, len(self.text)

    def _skip_space(self, index: int) -> int:
        while index < len(self.text) and self.text[index].isspace():
            index += 1
        return index
