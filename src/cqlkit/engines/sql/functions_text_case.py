"""SQL compilation of lower() and upper() with their ``locale`` parameter:
the Turkish and Azerbaijani mappings run on the reference engine."""

from __future__ import annotations

from sqlglot import exp

from cqlkit.engines.reference.functions_text_case import TURKIC_LANGUAGES, locale_language
from cqlkit.engines.sql.columns import Schema
from cqlkit.engines.sql.family import Values
from cqlkit.engines.sql.typed import Typed
from cqlkit.errors import UnsupportedFeatureError
from cqlkit.plan import nodes


def _case_mapping(call_node: nodes.BoundCall, schema: Schema) -> Typed:
    language = locale_language(call_node)
    if language in TURKIC_LANGUAGES:
        raise UnsupportedFeatureError(
            f"{call_node.name}(locale={call_node.get('locale')})",
            "the dotted and dotless i of Turkish and Azerbaijani are not mapped in SQL",
            engine="sql",
        )
    function = exp.Lower if call_node.name == "lower" else exp.Upper
    return Typed(function(this=schema.field(call_node.text())), "text")


VALUES: Values = {"lower": _case_mapping, "upper": _case_mapping}
