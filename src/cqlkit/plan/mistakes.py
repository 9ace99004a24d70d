"""Known mistakes of published detections, and their corrections.

Published LogScale detections often carry mistakes that LogScale rejects or
silently mis-reads. ``cqlkit check`` reports each with corrected text, and
``--lenient`` accepts exactly these and gives them their evident meaning:

* ``if(Field = ~/re/, "1", "0")``: ``= ~`` is no operator, a regex literal is
  not allowed in an expression, and ``then``/``else`` must be named. The
  evident meaning is ``if(regex("re", field=Field), then="1", else="0")``.
* ``#timestamp``: no such field exists; the event time is ``@timestamp``.
"""

from __future__ import annotations

from cqlkit.language import ast

MISTAKEN_TIME_FIELD = "#timestamp"
TIME_FIELD = "@timestamp"


def regex_as_string(regex: ast.RegexLit) -> str:
    """Return CQL string text that the regex() function reads as the same regex.

    Inside a regex literal ``\\/`` is an escaped slash; in a string it is not
    needed. Backslashes and quotes are escaped for the string layer.
    """
    pattern = regex.pattern.replace("\\/", "/")
    return '"' + pattern.replace("\\", "\\\\").replace('"', '\\"') + '"'


def corrected_regex_call(field: str, regex: ast.RegexLit) -> str:
    """Return ``regex("...", field=F)`` text for a mistaken ``F = ~/re/``."""
    flags = f', flags="{regex.flags}"' if regex.flags else ""
    return f"regex({regex_as_string(regex)}, field={field}{flags})"


def corrected_if(call: ast.Call, source: str) -> str | None:
    """Return the corrected text of a mistaken ``if(F = ~/re/, A, B)`` call,
    or None when the call does not have that shape."""
    arguments = call.arguments
    if len(arguments) != 3 or not isinstance(arguments[0].value, ast.TildeRegex):
        return None
    field = arguments[0].name or ""
    condition = corrected_regex_call(field, arguments[0].value.regex)
    branches = []
    for name, argument in zip(("then", "else"), arguments[1:], strict=True):
        text = source[argument.value.span.start : argument.value.span.end]
        branches.append(
            f"{name}={text}"
            if argument.name is None
            else source[argument.span.start : argument.span.end]
        )
    return f"{call.name}({condition}, {branches[0]}, {branches[1]})"
