"""The reference engine's time, parsing and event-making functions.

The functions live in two modules, one per concept: time
(:mod:`~cqlkit.engines.reference.functions_parsing_time`) and parsers of
structured text (:mod:`~cqlkit.engines.reference.functions_parsing_formats`).
createEvents() is an aggregate, in :mod:`~cqlkit.engines.reference.aggregates_events`.
"""

from __future__ import annotations

from cqlkit.engines.reference.family import Expanders, Transforms, ValueFunctions
from cqlkit.engines.reference.functions_parsing_formats import kv_parse, parse_json, parse_xml
from cqlkit.engines.reference.functions_parsing_time import format_time, now, parse_timestamp

VALUE_FUNCTIONS: ValueFunctions = {"formatTime": format_time, "now": now}
TRANSFORMS: Transforms = {
    "parseTimestamp": parse_timestamp,
    "parseJson": parse_json,
    "parseXml": parse_xml,
    "kvParse": kv_parse,
}
EXPANDERS: Expanders = {}
