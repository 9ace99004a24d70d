"""lower() and upper() with their ``locale`` parameter.

The core implementation ignores ``locale``. These replace it: Java's case
mapping, which LogScale uses, differs from the root locale only for Turkish
and Azerbaijani (dotted and dotless i) and Lithuanian, so only those change
the result here.
NOTE: Lithuanian's extra dot above i with accents is not applied; lt maps as
the root locale does.
"""

from __future__ import annotations

from cqlkit.engines.reference.family import ValueFunctions
from cqlkit.engines.reference.row import Row
from cqlkit.engines.reference.values import Value
from cqlkit.plan import nodes

TURKIC_LANGUAGES = frozenset({"tr", "az"})


def locale_language(call: nodes.BoundCall) -> str | None:
    """Return the lower-case language of the call's ``locale`` (``tr`` for ``tr_TR``)."""
    locale = call.get("locale")
    if locale is None:
        return None
    return str(locale).replace("-", "_").split("_")[0].lower()


def _lower(call: nodes.BoundCall, event: Row) -> Value:
    value = event.get(call.text())
    if value is None:
        return None
    if locale_language(call) in TURKIC_LANGUAGES:
        # I with a combining dot above, then dotted and dotless capitals.
        value = value.replace("I\u0307", "i").replace("I", "\u0131").replace("\u0130", "i")
    return value.lower()


def _upper(call: nodes.BoundCall, event: Row) -> Value:
    value = event.get(call.text())
    if value is None:
        return None
    if locale_language(call) in TURKIC_LANGUAGES:
        value = value.replace("i", "\u0130")
    return value.upper()


VALUE_FUNCTIONS: ValueFunctions = {"lower": _lower, "upper": _upper}
