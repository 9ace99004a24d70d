"""Field names as SQL column names.

LogScale field names are case-sensitive (``ProcessId`` and ``ProcessID`` are two
fields, and Windows event exports carry both), but DuckDB matches column names
case-insensitively. SQL engines therefore name each field's column with
:func:`encode`: every upper-case letter becomes ``^`` and its lower-case form,
and ``^`` itself is doubled. The encoding is reversible and keeps names that are
already lower case unchanged.

>>> encode("ProcessId"), encode("ProcessID")
('^process^id', '^process^i^d')
>>> decode(encode("a^B"))
'a^B'
"""

from __future__ import annotations

import functools

MARK = "^"

# Parquet schema metadata that marks files whose column names are encoded.
ENCODED_NAMES_KEY = b"cqlkit.field_names"
ENCODED_NAMES_VALUE = b"encoded"


@functools.lru_cache(maxsize=65536)
def encode(name: str) -> str:
    """Return the column name of field ``name``."""
    if name.islower() or not any(char.isupper() or char == MARK for char in name):
        return name
    out = []
    for char in name:
        if char == MARK:
            out.append(MARK + MARK)
        elif char.isupper():
            lowered = char.lower()
            # Only letters whose lower-case form maps back to them are encoded, so
            # that decode() is exact; the Kelvin sign K, for one, lowers to k.
            reversible = len(lowered) == 1 and lowered != char and lowered.upper() == char
            out.append(MARK + lowered if reversible else char)
        else:
            out.append(char)
    return "".join(out)


@functools.lru_cache(maxsize=65536)
def decode(column: str) -> str:
    """Return the field name of column ``column`` (the inverse of :func:`encode`)."""
    if MARK not in column:
        return column
    out = []
    index = 0
    while index < len(column):
        char = column[index]
        if char == MARK and index + 1 < len(column):
            following = column[index + 1]
            out.append(MARK if following == MARK else following.upper())
            index += 2
        else:
            out.append(char)
            index += 1
    return "".join(out)
