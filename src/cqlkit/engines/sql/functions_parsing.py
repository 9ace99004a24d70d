"""SQL compilation of the time, parsing and event-making functions.

formatTime() and now() compile to values
(:mod:`~cqlkit.engines.sql.functions_parsing_time`), parseTimestamp() to a
stage (:mod:`~cqlkit.engines.sql.functions_parsing_timestamp`) and
createEvents() to an aggregate (:mod:`~cqlkit.engines.sql.aggregates_events`).
parseJson(), parseXml() and kvParse() set fields named by the data, which a
SQL query cannot list in advance, so they and the rest of the plan run on the
reference engine.
"""

from __future__ import annotations

from cqlkit.engines.sql.columns import Schema
from cqlkit.engines.sql.family import Transforms, Values
from cqlkit.engines.sql.functions_parsing_time import compile_format_time, compile_now
from cqlkit.engines.sql.functions_parsing_timestamp import compile_parse_timestamp
from cqlkit.engines.sql.stages_base import CompiledStage
from cqlkit.errors import UnsupportedFeatureError
from cqlkit.plan import nodes


def _data_named_fields(call: nodes.BoundCall, schema: Schema, source: str) -> CompiledStage:
    raise UnsupportedFeatureError(
        f"{call.name}()",
        f"{call.name}() sets fields named by the data, which SQL cannot list in advance",
        engine="sql",
    )


VALUES: Values = {"formatTime": compile_format_time, "now": compile_now}
TRANSFORMS: Transforms = {
    "parseTimestamp": compile_parse_timestamp,
    "parseJson": _data_named_fields,
    "parseXml": _data_named_fields,
    "kvParse": _data_named_fields,
}
