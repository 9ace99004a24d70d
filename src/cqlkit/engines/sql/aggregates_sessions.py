"""SQL compilation of session() and series(), on their own or as the one
function of groupBy(), and the table of this family's aggregates.

Both read each group's rows by event time and split them into segments with
window functions: a row more than ``maxpause`` after the previous one starts a
new segment. :mod:`cqlkit.engines.sql.aggregates_segments` turns the segments
into output rows, and :mod:`cqlkit.engines.sql.aggregates_windows` compiles
accumulate(), slidingWindow() and partition().

Some forms run on the reference engine instead. series() with ``startmatch``,
``endmatch`` or ``maxduration`` does, because whether a row starts a series
then depends on where the previous series started. So does session() whose
``function`` can output several rows per session (see
:class:`~cqlkit.engines.sql.aggregates_grouped.PartCompiler`), and these
functions inside stats(), bucket() or timeChart(), or listed among other
functions in groupBy().
"""

from __future__ import annotations

from collections.abc import Callable

from sqlglot import exp

from cqlkit.engines.sql import aggregates_windows
from cqlkit.engines.sql.aggregates_charts import double
from cqlkit.engines.sql.aggregates_common import names_argument, text_argument, unique, unsupported
from cqlkit.engines.sql.aggregates_grouped import Part, PartCompiler
from cqlkit.engines.sql.aggregates_segments import (
    EVENT_TIME,
    FIRST,
    SEGMENT,
    GroupedCompiler,
    Grouping,
    keyed_rows,
    numbered_segments,
    segment_rows,
    time_ordered,
    window,
)
from cqlkit.engines.sql.columns import SEQ, Schema, column
from cqlkit.engines.sql.family import Aggregates
from cqlkit.engines.sql.stages_base import CompiledStage
from cqlkit.engines.sql.typed import call
from cqlkit.plan import nodes
from cqlkit.timeranges import parse_duration


def _pause_segments(
    call_node: nodes.BoundCall, schema: Schema, source: str, grouping: Grouping
) -> tuple[exp.Select, Schema]:
    """Return the group's rows that have an event time, in time order, with
    :data:`SEGMENT` numbering the runs that ``maxpause`` separates, and their schema."""
    rows, keyed = keyed_rows(schema, source, grouping, timed=True)
    ordered = time_ordered(rows, keyed)
    maxpause = call_node.get("maxpause")
    starts: exp.Expr = exp.false()
    if isinstance(maxpause, str):
        previous = window(
            exp.Anonymous(this="lag", expressions=[column(EVENT_TIME)]),
            grouping.partition(keyed),
            [column(SEQ)],
        )
        pause = exp.Sub(this=column(EVENT_TIME), expression=previous)
        starts = exp.GT(this=pause, expression=double(parse_duration(maxpause.lower())))
    segmented = numbered_segments(ordered, grouping, keyed, starts)
    return segmented, keyed.with_field(SEGMENT)


def compile_session(
    call_node: nodes.BoundCall,
    schema: Schema,
    source: str,
    grouping: Grouping,
    lift_default_limits: bool,
) -> CompiledStage:
    """Compile session(): the parts of ``function`` over each session; see the
    reference engine's Session for the rules."""
    rows, segmented = _pause_segments(call_node, schema, source, grouping)
    keys = (*grouping.keys, FIRST, SEGMENT)
    compiler = PartCompiler(segmented, keys, "session", lift_default_limits=lift_default_limits)
    parts = compiler.parts(call_node.get("function"), call_node)
    return segment_rows(rows, segmented, grouping, parts, source, schema)


def compile_series(
    call_node: nodes.BoundCall,
    schema: Schema,
    source: str,
    grouping: Grouping,
    lift_default_limits: bool,
) -> CompiledStage:
    """Compile series() split by ``maxpause`` only; see the reference engine's
    Series for the output fields."""
    for name in ("startmatch", "endmatch", "maxduration"):
        if call_node.get(name) is not None:
            raise unsupported(
                f"series({name}=...)",
                f"series() with {name}, where a series' end depends on where it started,"
                " is not compiled to SQL",
                call_node,
            )
    rows, segmented = _pause_segments(call_node, schema, source, grouping)
    part = _series_part(call_node, segmented)
    return segment_rows(rows, segmented, grouping, [part], source, schema)


def _series_part(call_node: nodes.BoundCall, schema: Schema) -> Part:
    """Return the outputs of one series: ``@timestamp`` and ``_duration`` from
    the event times, and each collected field's values joined in time order."""
    first, last = exp.Min(this=column(EVENT_TIME)), exp.Max(this=column(EVENT_TIME))
    outputs: list[tuple[str, exp.Expr]] = [
        ("@timestamp", call("cql_number_text", first)),
        ("_duration", call("cql_number_text", exp.Sub(this=last, expression=first.copy()))),
    ]
    separator = exp.Literal.string(text_argument(call_node, "separator"))
    for name in unique(names_argument(call_node, "collect")):
        values = exp.Order(this=schema.field(name), expressions=[exp.Ordered(this=column(SEQ))])
        outputs.append((name, exp.GroupConcat(this=values, separator=separator.copy())))
    return Part(outputs)


_GROUPED: dict[str, GroupedCompiler] = {
    "session": compile_session,
    "series": compile_series,
    **aggregates_windows.GROUPED,
}


def compile_grouped(
    group_by: nodes.BoundCall, schema: Schema, source: str, lift_default_limits: bool
) -> CompiledStage | None:
    """Compile a groupBy() whose ``function`` is one call of this family, such as
    ``groupBy(user, function=session(maxpause=15m))``; None for any other groupBy()."""
    function = group_by.get("function")
    if not isinstance(function, tuple) or len(function) != 1:
        return None
    (inner,) = function
    if not isinstance(inner, nodes.BoundCall) or inner.name not in _GROUPED:
        return None
    grouping = Grouping.of(group_by, lift_default_limits)
    return _GROUPED[inner.name](inner, schema, source, grouping, lift_default_limits)


def _on_its_own(
    compile_function: GroupedCompiler,
) -> Callable[[nodes.BoundCall, Schema, str, bool], CompiledStage]:
    """Return the compiler of a function of this family that no groupBy() surrounds."""

    def compile_call(
        call_node: nodes.BoundCall, schema: Schema, source: str, lift_default_limits: bool
    ) -> CompiledStage:
        return compile_function(call_node, schema, source, Grouping(), lift_default_limits)

    return compile_call


AGGREGATES: Aggregates = {name: _on_its_own(compiler) for name, compiler in _GROUPED.items()}
