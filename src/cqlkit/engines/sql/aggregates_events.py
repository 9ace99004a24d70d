"""SQL compilation of createEvents(): a VALUES list that ignores its input."""

from __future__ import annotations

from sqlglot import exp

from cqlkit.engines.sql.aggregates_common import hidden_columns, integer, output_schema
from cqlkit.engines.sql.columns import Schema, alias
from cqlkit.engines.sql.family import Aggregates
from cqlkit.engines.sql.stages_base import CompiledStage
from cqlkit.engines.sql.typed import DOUBLE
from cqlkit.plan import nodes
from cqlkit.plan.signatures_parsing import QUERY_TIME

_RAW, _POSITION = "raw", "position"


def _create_events(
    call: nodes.BoundCall, schema: Schema, source: str, lift_default_limits: bool
) -> CompiledStage:
    """Compile createEvents([...]) to one row per string, in order, with
    ``@rawstring`` and ``@timestamp`` (the query time) and nothing of ``source``."""
    rawstrings = call.names("rawstring")
    query_time = call.get(QUERY_TIME)
    assert isinstance(query_time, int), "createEvents() is bound with the query time"
    rows = [
        exp.Tuple(expressions=[exp.Literal.string(raw), integer(position)])
        for position, raw in enumerate(rawstrings)
    ]
    if not rows:
        # VALUES needs a row; this one is filtered out below.
        rows = [exp.Tuple(expressions=[exp.Literal.string(""), integer(-1)])]
    values = exp.Values(
        expressions=rows,
        alias=exp.TableAlias(
            this=exp.to_identifier("events"),
            columns=[exp.to_identifier(_RAW), exp.to_identifier(_POSITION)],
        ),
    )
    position = exp.column(_POSITION)
    select = exp.select(
        alias(exp.column(_RAW), "@rawstring"),
        alias(exp.Literal.string(str(query_time)), "@timestamp"),
        *hidden_columns(position, exp.cast(exp.Literal.number(query_time), DOUBLE)),
    ).from_(values)
    select = select.where(exp.GTE(this=position.copy(), expression=integer(0)))
    return CompiledStage(
        select.order_by(position.copy()), output_schema(("@rawstring", "@timestamp")), schema
    )


AGGREGATES: Aggregates = {"createEvents": _create_events}
