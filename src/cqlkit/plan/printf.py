"""Parsing of format() templates (Java printf syntax), shared by the engines."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

_SPEC = re.compile(r"%(?:(\d+)\$|(<))?([-#+ 0,(]*)(\d+)?(?:\.(\d+))?([a-zA-Z%])")


@dataclass(frozen=True)
class Conversion:
    """One ``%...`` conversion. ``index`` is the 0-based argument it formats
    (``%2$s`` and ``%<s`` resolved), or -1 for ``%%`` and ``%n``."""

    index: int
    flags: str
    width: str | None
    precision: str | None
    conversion: str

    @property
    def literal(self) -> str | None:
        """The text of ``%%`` or ``%n``, which take no argument; None for others."""
        if self.conversion == "%":
            return "%"
        if self.conversion == "n":
            return "\n"
        return None


def parse_template(template: str) -> Iterator[str | Conversion]:
    """Yield the literal text pieces and conversions of ``template`` in order."""
    position = 0
    next_index = 0
    previous = -1
    for spec in _SPEC.finditer(template):
        if spec.start() > position:
            yield template[position : spec.start()]
        position = spec.end()
        explicit, relative, flags, width, precision, conversion = spec.groups()
        if conversion in "%n":
            yield Conversion(-1, flags, width, precision, conversion)
            continue
        if relative:
            index = previous
        elif explicit:
            index = int(explicit) - 1
        else:
            index = next_index
            next_index += 1
        previous = index
        yield Conversion(index, flags, width, precision, conversion)
    if position < len(template):
        yield template[position:]
