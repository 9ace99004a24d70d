"""groupBy(), stats() and the aggregates that output at most one row per group.

Each sub-aggregate compiles to a :class:`Part`: aggregate expressions over
the group's rows, plus helper columns that window functions compute first
(the first occurrence of a value, the row that head() would keep). One
GROUP BY query then computes every part, and the parts' fields merge into
one row per group as the reference engine's ``stats()`` merges them.

Sub-aggregates that can output several rows for a group (top(), groupBy(),
collect(multival=false), head() with a limit above 1, sub-queries) need the
reference engine's Cartesian product of outputs, which is not compiled:
they raise UnsupportedFeatureError.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from sqlglot import exp

from cqlkit.engines.sql.aggregates_common import (
    all_of,
    any_of,
    effective_limit,
    first_seq,
    hidden_columns,
    integer,
    merge_outputs,
    names_argument,
    null_double,
    ordered_sum,
    relation,
    sort_arguments,
    text_argument,
    unique,
    unsupported,
    when,
)
from cqlkit.engines.sql.aggregates_ordering import event_time, field_order, time_order
from cqlkit.engines.sql.columns import SEQ, Schema, alias, column, null_text
from cqlkit.engines.sql.typed import VARCHAR, call, is_null, not_null
from cqlkit.plan import nodes

ROW_LAYER, WINDOW_LAYER, SECOND_WINDOW_LAYER = 1, 2, 3
"""Helper columns are computed in layers: values of each row, then window
functions over them, then window functions over those."""


@dataclass(frozen=True)
class Helper:
    """A column that a part computes before the GROUP BY."""

    layer: int
    name: str
    expression: exp.Expr


@dataclass
class Part:
    """One sub-aggregate as aggregate expressions over a group's rows.

    ``outputs`` are the output fields in the reference engine's order, and a
    NULL value is an absent field. ``has_row`` is the aggregate condition
    under which the sub-aggregate outputs a row on its own (sum() of no
    numbers does not). None means always.
    """

    outputs: list[tuple[str, exp.Expr]]
    helpers: list[Helper] = field(default_factory=list)
    has_row: exp.Expr | None = None


class PartCompiler:
    """Compiles the sub-aggregates of one groupBy() or stats() call."""

    def __init__(
        self, schema: Schema, keys: Sequence[str], owner: str, *, lift_default_limits: bool
    ) -> None:
        self.schema = schema
        self.keys = tuple(keys)
        self.owner = owner
        self.lift_default_limits = lift_default_limits
        self.helper_count = 0

    def parts(self, functions: object, outer: nodes.BoundCall) -> list[Part]:
        """Compile the ``function`` argument of groupBy() or stats()."""
        if isinstance(functions, nodes.Plan):
            raise _sub_query_error(self.owner, outer)
        assert isinstance(functions, tuple)
        parts: list[Part] = []
        for function in functions:
            if isinstance(function, nodes.Plan):
                raise _sub_query_error(self.owner, outer)
            assert isinstance(function, nodes.BoundCall)
            parts.extend(self.part(function))
        return parts

    def part(self, function: nodes.BoundCall) -> list[Part]:
        """Compile one sub-aggregate. A nested stats() gives one part per function."""
        name = function.name
        family = _family_parts().get(name)
        if family is not None:
            return family(self, function)
        if name == "count":
            return [self.count(function)]
        if name in ("sum", "avg", "min", "max"):
            return [self.numeric(function)]
        if name == "collect" and function.get("multival"):
            return [self.collect(function)]
        if name == "stats":
            return self.parts(function.get("function"), function)
        if name in ("head", "tail", "sort", "table"):
            limit = effective_limit(
                function, liftable=True, lift_default_limits=self.lift_default_limits
            )
            if limit is not None and limit <= 1:
                return [self.pick(function, limit)]
        raise _several_rows_error(function, self.owner)

    def helper(self, layer: int, kind: str, expression: exp.Expr) -> Helper:
        """Return a helper column with a name that no other helper of the query has."""
        self.helper_count += 1
        return Helper(layer, f"__cqlkit_{kind}_{self.helper_count}", expression)

    def count(self, function: nodes.BoundCall) -> Part:
        """Compile count(): rows, rows that have the field, or distinct values of the field."""
        field_name = function.get("field")
        if field_name is None:
            counted = exp.Count(this=exp.Star())
        elif function.get("distinct"):
            value = self.schema.field(str(field_name))
            counted = exp.Count(this=exp.Distinct(expressions=[value]))
        else:
            counted = exp.Count(this=self.schema.field(str(field_name)))
        return Part([(text_argument(function, "as"), exp.cast(counted, VARCHAR))])

    def numeric(self, function: nodes.BoundCall) -> Part:
        """Compile sum(), avg(), min() or max() of the values that read as numbers."""
        value = self.schema.field(text_argument(function, "field"))
        number = self.helper(ROW_LAYER, "number", call("cql_number", value))
        numbers = column(number.name)
        present = exp.GT(this=exp.Count(this=numbers.copy()), expression=integer(0))
        kind = function.name
        result: exp.Expr
        if kind == "sum":
            result = ordered_sum(numbers.copy(), column(SEQ))
        elif kind == "avg":
            total = ordered_sum(numbers.copy(), column(SEQ))
            result = exp.Div(this=total, expression=exp.Count(this=numbers.copy()))
        else:
            result = exp.Min(this=numbers.copy()) if kind == "min" else exp.Max(this=numbers.copy())
        text = exp.Case(ifs=[exp.If(this=present.copy(), true=call("cql_number_text", result))])
        return Part([(text_argument(function, "as"), text)], [number], present)

    def collect(self, function: nodes.BoundCall) -> Part:
        """Compile collect(multival=true): per field, the first ``limit`` distinct
        values in order of first appearance, joined by the separator."""
        limit = effective_limit(function, liftable=False, lift_default_limits=False)
        separator = exp.Literal.string(text_argument(function, "separator"))
        outputs: list[tuple[str, exp.Expr]] = []
        helpers: list[Helper] = []
        any_value: list[exp.Expr] = []
        for name in unique(names_argument(function, "fields")):
            if not self.schema.has(name):
                outputs.append((name, null_text()))
                continue
            value = column(name)
            occurrence = self.helper(
                WINDOW_LAYER,
                "occurrence",
                _window(exp.RowNumber(), [*self._partition(), value.copy()], [_ascending(SEQ)]),
            )
            helpers.append(occurrence)
            first_occurrence = all_of(
                exp.EQ(this=column(occurrence.name), expression=integer(1)),
                not_null(value.copy()),
            )
            collected = first_occurrence
            if limit is not None:
                # The number of distinct values seen so far, in input order.
                first_count = exp.Sum(this=when(first_occurrence.copy(), integer(1), integer(0)))
                rank = self.helper(
                    SECOND_WINDOW_LAYER,
                    "rank",
                    _window(first_count, self._partition(), [_ascending(SEQ)], running=True),
                )
                helpers.append(rank)
                collected = all_of(
                    collected, exp.LTE(this=column(rank.name), expression=integer(limit))
                )
            collected_value = exp.Case(ifs=[exp.If(this=collected, true=value.copy())])
            joined = exp.GroupConcat(
                this=exp.Order(this=collected_value, expressions=[exp.Ordered(this=column(SEQ))]),
                separator=separator.copy(),
            )
            outputs.append((name, joined))
            any_value.append(exp.GT(this=exp.Count(this=value.copy()), expression=integer(0)))
        has_row = any_of(*any_value) if any_value else exp.false()
        return Part(outputs, helpers, has_row)

    def pick(self, function: nodes.BoundCall, limit: int) -> Part:
        """Compile head(), tail(), sort() or table() with a limit of 0 or 1: the
        fields of the one row that they keep from a group."""
        name = function.name
        if name == "table":
            fields = unique(names_argument(function, "fields"))
        else:
            fields = self.schema.fields
        if limit == 0:
            return Part([])
        helpers: list[Helper] = []
        if name in ("head", "tail"):
            time = self.helper(ROW_LAYER, "time", event_time(self.schema))
            helpers.append(time)
            # Rows without a time are skipped, so they sort after every other row.
            untimed = exp.Ordered(this=when(is_null(column(time.name)), integer(1), integer(0)))
            order = [untimed, *time_order(column(time.name), newest_first=name == "tail")]
            eligible: exp.Expr = not_null(column(time.name))
        else:
            order = field_order(self.schema, *sort_arguments(function))
            eligible = exp.true()
        position = self.helper(
            WINDOW_LAYER, "position", _window(exp.RowNumber(), self._partition(), order)
        )
        helpers.append(position)
        chosen = all_of(exp.EQ(this=column(position.name), expression=integer(1)), eligible)
        outputs: list[tuple[str, exp.Expr]] = [
            (field_name, exp.Max(this=exp.Case(ifs=[exp.If(this=chosen.copy(), true=value)])))
            for field_name in fields
            for value in [self.schema.field(field_name)]
        ]
        return Part(outputs, helpers)

    def _partition(self) -> list[exp.Expr]:
        return [self.schema.field(key) for key in self.keys]


def _family_parts() -> dict[str, Callable[[PartCompiler, nodes.BoundCall], list[Part]]]:
    """Return the part compilers of the aggregate families, by function name."""
    # Imported here because the family modules import this module.
    from cqlkit.engines.sql.aggregates_selection import PARTS

    return PARTS


def grouped_select(
    source: str,
    schema: Schema,
    keys: Sequence[str],
    parts: Sequence[Part],
    *,
    having: exp.Expr | None = None,
    limit: int | None = None,
) -> tuple[exp.Select, tuple[str, ...]]:
    """Return one row per group of ``keys`` (one row in all without keys) and the
    output field names.

    Rows that lack a key are skipped. Groups come in order of their first row,
    and ``limit`` keeps the groups seen first. Each output row's SEQ is the
    smallest SEQ of its group, so that later stages keep that order.
    """
    key_values = [schema.field(key) for key in keys]
    rows: exp.Select | exp.Identifier = relation(source)
    helpers = [helper for part in parts for helper in part.helpers]
    key_filter = all_of(*(not_null(value.copy()) for value in key_values)) if keys else None
    if helpers:
        rows = _helper_layers(relation(source), helpers, key_filter)
        key_filter = None
    outputs = merge_outputs(
        [
            *((key, value.copy()) for key, value in zip(keys, key_values, strict=True)),
            *(output for part in parts for output in part.outputs),
        ]
    )
    select = exp.select(
        *(alias(value, name) for name, value in outputs),
        *hidden_columns(first_seq(), null_double()),
    )
    select = select.from_(rows.subquery("__cqlkit_rows") if isinstance(rows, exp.Select) else rows)
    if key_filter is not None:
        select = select.where(key_filter)
    if keys:
        select = select.group_by(*(value.copy() for value in key_values))
        select = select.order_by(exp.Min(this=column(SEQ)))
    if having is not None:
        select = select.having(having)
    if limit is not None:
        select = select.limit(limit)
    return select, tuple(name for name, _ in outputs)


def collect_rows(
    function: nodes.BoundCall, schema: Schema, source: str
) -> tuple[exp.Select, tuple[str, ...]]:
    """Compile collect(multival=false) as a whole query: one row per distinct
    value, with only that value's field, field by field in order of first appearance."""
    limit = effective_limit(function, liftable=False, lift_default_limits=False)
    fields = unique(names_argument(function, "fields"))
    index_name, value_name, first_name = "__cqlkit_field", "__cqlkit_value", "__cqlkit_first"
    branches: list[exp.Select] = []
    for index, name in enumerate(fields):
        if not schema.has(name):
            continue
        branch = (
            exp.select(
                alias(integer(index), index_name),
                alias(column(name), value_name),
                alias(exp.Min(this=column(SEQ)), first_name),
            )
            .from_(relation(source))
            .where(not_null(column(name)))
            .group_by(column(name))
            .order_by(exp.Min(this=column(SEQ)))
        )
        if limit is not None:
            branch = branch.limit(limit)
        branches.append(exp.select(exp.Star()).from_(branch.subquery(f"__cqlkit_values_{index}")))
    order = [_ascending(index_name), _ascending(first_name)]
    position = _window(exp.RowNumber(), [], order)
    items = [
        alias(
            exp.Case(
                ifs=[
                    exp.If(
                        this=exp.EQ(this=column(index_name), expression=integer(index)),
                        true=column(value_name),
                    )
                ]
            ),
            name,
        )
        for index, name in enumerate(fields)
    ]
    if not branches:
        empty = exp.select(*(alias(null_text(), name) for name in fields)).from_(relation(source))
        return empty.where(exp.false()), fields
    union: exp.Query = branches[0]
    for branch in branches[1:]:
        union = exp.union(union, branch, distinct=False)
    select = (
        exp.select(*items, *hidden_columns(position, null_double()))
        .from_(union.subquery("__cqlkit_distinct"))
        .order_by(*(item.copy() for item in order))
    )
    return select, fields


def _helper_layers(
    source: exp.Identifier, helpers: Sequence[Helper], key_filter: exp.Expr | None
) -> exp.Select:
    """Return the rows that have every key, with every helper column, in one
    subquery per layer. The row layer is always present because it filters."""
    rows = exp.select(exp.Star(), *_layer_columns(helpers, ROW_LAYER)).from_(source)
    if key_filter is not None:
        rows = rows.where(key_filter)
    previous = ROW_LAYER
    for layer in (WINDOW_LAYER, SECOND_WINDOW_LAYER):
        columns = _layer_columns(helpers, layer)
        if columns:
            inner = rows.subquery(f"__cqlkit_layer_{previous}")
            rows = exp.select(exp.Star(), *columns).from_(inner)
            previous = layer
    return rows


def _layer_columns(helpers: Sequence[Helper], layer: int) -> list[exp.Expr]:
    return [alias(helper.expression, helper.name) for helper in helpers if helper.layer == layer]


def _window(
    function: exp.Expr,
    partition: list[exp.Expr],
    order: Sequence[exp.Ordered],
    *,
    running: bool = False,
) -> exp.Window:
    """Return ``function OVER (PARTITION BY ... ORDER BY ...)``. A ``running``
    window frames the rows from the first up to the current one."""
    ordered = list(order)
    spec = (
        exp.WindowSpec(kind="ROWS", start="UNBOUNDED", start_side="PRECEDING", end="CURRENT ROW")
        if running
        else None
    )
    return exp.Window(
        this=function,
        partition_by=partition or None,
        order=exp.Order(expressions=ordered) if ordered else None,
        spec=spec,
        over="OVER",
    )


def _ascending(name: str) -> exp.Ordered:
    return exp.Ordered(this=column(name))


def _sub_query_error(owner: str, call: nodes.BoundCall) -> Exception:
    return unsupported(
        f"sub-query in {owner}()",
        f"a sub-query as a function of {owner}() is not compiled to SQL",
        call,
    )


def _several_rows_error(function: nodes.BoundCall, owner: str) -> Exception:
    return unsupported(
        f"{function.name}() in {owner}()",
        f"{function.name}() can output several rows for a group. The SQL engine combines"
        " only aggregates that output at most one row",
        function,
    )
