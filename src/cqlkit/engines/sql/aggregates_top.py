"""top() as SQL: the value combinations with the highest count, sum or maximum."""

from __future__ import annotations

from sqlglot import exp

from cqlkit.engines.sql.aggregates_common import (
    hidden_columns,
    integer,
    merge_outputs,
    names_argument,
    null_double,
    ordered_sum,
    relation,
    unique,
    when,
)
from cqlkit.engines.sql.columns import SEQ, Schema, alias, column
from cqlkit.engines.sql.typed import DOUBLE, call, not_null
from cqlkit.plan import nodes

# Names of the query's CTEs and helper columns.
_SCORES, _RANKED, _TOTALS = "__cqlkit_scores", "__cqlkit_ranked", "__cqlkit_totals"
_WEIGHT, _SCORE, _FIRST = "__cqlkit_weight", "__cqlkit_score", "__cqlkit_first"
_RANK, _TOTAL, _REST, _REST_COUNT = (
    "__cqlkit_rank",
    "__cqlkit_total",
    "__cqlkit_rest",
    "__cqlkit_rest_count",
)


def top_select(
    call_node: nodes.BoundCall, schema: Schema, source: str
) -> tuple[exp.Select, tuple[str, ...]]:
    """Return top()'s query and output fields, with the reference engine's rules.

    Rows that lack a key field are skipped, and so are rows whose sum= or max=
    field is not a number. Rows come ranked by score, highest first, with ties
    in ascending key order, and a ``rest=`` row follows. SEQ is the rank.
    """
    fields = names_argument(call_node, "field")
    sum_field, max_field = call_node.get("sum"), call_node.get("max")
    # Like the reference engine, sum= names the measured field whenever it is
    # given, and max= then still makes the score a maximum.
    measure = sum_field or max_field
    default_output = "_count"
    if sum_field:
        default_output = "_sum"
    elif max_field:
        default_output = "_max"
    output = str(call_node.get("as") or default_output)
    limit_value = call_node.get("limit")
    limit = int(limit_value) if isinstance(limit_value, int | float) and limit_value else 10
    percent = bool(call_node.get("percent"))
    rest_label = call_node.get("rest")

    scores = _scores(fields, schema, source, None if not measure else str(measure), bool(max_field))
    rank_order = [
        exp.Ordered(this=column(_SCORE), desc=True),
        *(exp.Ordered(this=column(name)) for name in unique(fields)),
    ]
    rank = exp.Window(this=exp.RowNumber(), order=exp.Order(expressions=rank_order), over="OVER")
    ranked = exp.select(exp.Star(), alias(rank, _RANK)).from_(relation(_SCORES))
    beyond_limit = exp.GT(this=column(_RANK), expression=integer(limit))
    totals = exp.select(
        alias(ordered_sum(column(_SCORE), column(_FIRST)), _TOTAL),
        alias(ordered_sum(when(beyond_limit, column(_SCORE)), column(_RANK)), _REST),
        alias(exp.Count(this=when(beyond_limit.copy(), integer(1))), _REST_COUNT),
    ).from_(relation(_RANKED))

    top_outputs: list[tuple[str, exp.Expr]] = [(name, column(name)) for name in fields]
    top_outputs.extend(_score_outputs(output, column(_SCORE), percent))
    top_rows = (
        exp.select(*_items(top_outputs), *hidden_columns(column(_RANK), null_double()))
        .from_(relation(_RANKED))
        .join(relation(_TOTALS), join_type="CROSS")
        .where(exp.LTE(this=column(_RANK), expression=integer(limit)))
    )
    rows: exp.Query = top_rows
    if rest_label is not None:
        label = exp.Literal.string(str(rest_label))
        rest_outputs: list[tuple[str, exp.Expr]] = [(name, label.copy()) for name in fields]
        rest_outputs.extend(_score_outputs(output, column(_REST), percent))
        rest = (
            exp.select(*_items(rest_outputs), *hidden_columns(integer(limit + 1), null_double()))
            .from_(relation(_TOTALS))
            .where(exp.GT(this=column(_REST_COUNT), expression=integer(0)))
        )
        rows = exp.union(top_rows, rest, distinct=False)
    select = (
        exp.select(exp.Star())
        .from_(rows.subquery("__cqlkit_top"))
        .order_by(column(SEQ))
        .with_(relation(_SCORES), as_=scores)
        .with_(relation(_RANKED), as_=ranked)
        .with_(relation(_TOTALS), as_=totals)
    )
    return select, tuple(name for name, _ in merge_outputs(top_outputs))


def _scores(
    fields: tuple[str, ...], schema: Schema, source: str, measure: str | None, maximum: bool
) -> exp.Select:
    """Return one row per key combination with its score and its first SEQ."""
    keys = [schema.field(name) for name in unique(fields)]
    rows: exp.Select | exp.Identifier = relation(source)
    present = [not_null(key.copy()) for key in keys]
    if measure is None:
        score: exp.Expr = exp.cast(exp.Count(this=exp.Star()), DOUBLE)
    else:
        weight = call("cql_number", schema.field(measure))
        rows = exp.select(exp.Star(), alias(weight, _WEIGHT)).from_(rows)
        present.append(not_null(column(_WEIGHT)))
        # The reference engine adds weights in input order, starting from 0.0.
        if maximum:
            score = exp.Max(this=column(_WEIGHT))
        else:
            score = ordered_sum(column(_WEIGHT), column(SEQ))
    source_rows = rows.subquery("__cqlkit_rows") if isinstance(rows, exp.Select) else rows
    return (
        exp.select(
            *(alias(key, name) for key, name in zip(keys, unique(fields), strict=True)),
            alias(score, _SCORE),
            alias(exp.Min(this=column(SEQ)), _FIRST),
        )
        .from_(source_rows)
        .where(exp.and_(*present))
        .group_by(*(key.copy() for key in keys))
    )


def _score_outputs(output: str, score: exp.Expr, percent: bool) -> list[tuple[str, exp.Expr]]:
    """Return the score field and, with percent=true, the score's share of the
    total. The share is absent when the total is 0."""
    outputs = [(output, call("cql_number_text", score))]
    if percent:
        share = exp.Mul(
            this=exp.paren(exp.Div(this=score.copy(), expression=column(_TOTAL))),
            expression=exp.cast(integer(100), DOUBLE),
        )
        nonzero = exp.NEQ(this=column(_TOTAL), expression=integer(0))
        outputs.append(("percent", when(nonzero, call("cql_number_text", share))))
    return outputs


def _items(outputs: list[tuple[str, exp.Expr]]) -> list[exp.Expr]:
    return [alias(value, name) for name, value in merge_outputs(outputs)]
