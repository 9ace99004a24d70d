"""SQL compilation of the calendar functions (time:hour() and its kin),
duration(), parseUrl() and parseCsv().

Every form compiles to SQL. The time:* functions read one part of the
wall-clock TIMESTAMP that :func:`~cqlkit.engines.sql.functions_calendar_zones.local_time`
builds; DuckDB's ``week()`` and ``isodow()`` follow ISO 8601 as the reference
engine does, and its ``%A``/``%B`` names are English. duration() is the
number bound at check time. parseUrl() and parseCsv() are stages in
:mod:`~cqlkit.engines.sql.functions_calendar_urls` and
:mod:`~cqlkit.engines.sql.functions_calendar_csv`.
"""

from __future__ import annotations

from collections.abc import Callable

from sqlglot import exp

from cqlkit.engines.sql.columns import Schema
from cqlkit.engines.sql.family import Transforms, Values
from cqlkit.engines.sql.functions_calendar_csv import compile_parse_csv
from cqlkit.engines.sql.functions_calendar_urls import compile_parse_url
from cqlkit.engines.sql.functions_calendar_zones import local_time
from cqlkit.engines.sql.typed import DOUBLE, Typed, call, number_literal
from cqlkit.plan import nodes
from cqlkit.plan.signatures_calendar import DURATION_MS, TIME_PARTS

# The DuckDB function that reads each numeric part of a TIMESTAMP.
_NUMERIC_PARTS = {
    "time:dayOfMonth": "day",
    "time:dayOfWeek": "isodow",
    "time:dayOfYear": "dayofyear",
    "time:hour": "hour",
    "time:minute": "minute",
    "time:month": "month",
    "time:second": "second",
    "time:weekOfYear": "week",
    "time:year": "year",
}
# The strftime() code of each part that is a name.
_NAMED_PARTS = {"time:dayOfWeekName": "%A", "time:monthName": "%B"}


def _part(local: exp.Expr, name: str) -> Typed:
    if name in _NAMED_PARTS:
        return Typed(call("strftime", local, exp.Literal.string(_NAMED_PARTS[name])), "text")
    if name == "time:millisecond":
        # DuckDB's millisecond() counts from the start of the minute.
        value: exp.Expr = exp.Mod(
            this=call("millisecond", local), expression=exp.Literal.number(1000)
        )
    else:
        value = call(_NUMERIC_PARTS[name], local)
    return Typed(exp.cast(value, DOUBLE), "number")


def _time_part(name: str) -> Callable[[nodes.BoundCall, Schema], Typed]:
    def compile_part(call_node: nodes.BoundCall, schema: Schema) -> Typed:
        in_range, local = local_time(call_node, schema)
        part = _part(local, name)
        return Typed(exp.Case(ifs=[exp.If(this=in_range, true=part.sql)]), part.kind)

    return compile_part


def _duration(call_node: nodes.BoundCall, schema: Schema) -> Typed:
    length = call_node.get(DURATION_MS)
    assert isinstance(length, int), "duration() is bound with its length"
    return number_literal(length)


VALUES: Values = {name: _time_part(name) for name in TIME_PARTS}
VALUES["duration"] = _duration
TRANSFORMS: Transforms = {"parseUrl": compile_parse_url, "parseCsv": compile_parse_csv}
