"""Compilation of ``case { ... }`` and ``field match { ... }`` statements.

Each input row gets a key (``row_number()``). Each branch (or match arm) runs
its stages as a chain of CTEs over the keyed rows. UNION ALL combines the
branch outputs, each tagged with its branch position. For a case statement,
only the rows of the first branch that emitted a key are kept, and the arms of
a match statement take disjoint rows. A branch thus reads the fields its
earlier stages assigned, and an event that no branch emits is dropped, as in
the reference engine.

Only branches made of row stages that emit at most one row per input row
compile. Aggregates, stages that expand rows (joins, unnest) and stages whose
output fields depend on the data raise UnsupportedFeatureError, so the whole
statement runs on the reference engine with a notice.
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlglot import exp

from cqlkit.engines.sql import stages as row_stages
from cqlkit.engines.sql.columns import Schema, alias, column, null_text
from cqlkit.engines.sql.predicates import compile_predicate
from cqlkit.engines.sql.stages_base import CompiledStage
from cqlkit.engines.sql.typed import definitely
from cqlkit.errors import UnsupportedFeatureError
from cqlkit.plan import nodes
from cqlkit.plan.functions import FunctionKind
from cqlkit.plan.subqueries import reads_whole_stream

_BRANCH = "__cqlkit_branch"
_ROW_KEY = "__cqlkit_case_row"


def compile_case(stage: nodes.Case, schema: Schema, source: str) -> CompiledStage:
    """Compile a case statement: the first branch that emits a row gives its output."""
    branches = [(None, branch.stages) for branch in stage.branches]
    return _compile_branches("case", branches, schema, source, first_only=True)


def compile_match(stage: nodes.Match, schema: Schema, source: str) -> CompiledStage:
    """Compile a match statement: only the first arm whose guard accepts the row runs."""
    guards = [definitely(compile_predicate(arm.guard, schema)) for arm in stage.arms]
    arms: list[tuple[exp.Expr | None, Sequence[nodes.Stage]]] = []
    for index, arm in enumerate(stage.arms):
        # The guards of earlier arms must fail, so the arms take disjoint rows.
        earlier = [exp.Not(this=exp.paren(guard.copy())) for guard in guards[:index]]
        arms.append((exp.and_(guards[index].copy(), *earlier), arm.body.stages))
    return _compile_branches("match", arms, schema, source, first_only=False)


def _compile_branches(
    feature: str,
    branches: Sequence[tuple[exp.Expr | None, Sequence[nodes.Stage]]],
    schema: Schema,
    source: str,
    *,
    first_only: bool,
) -> CompiledStage:
    # Nested statements get their own key column and CTE names, derived from
    # the depth of the hidden columns and from the (unique) source name.
    if not branches:
        raise UnsupportedFeatureError(
            feature, f"a {feature} statement without branches", engine="sql"
        )
    key = f"{_ROW_KEY}_{len(schema.hidden)}"
    keyed = Schema(schema.fields, (*schema.hidden, key))
    keyed_name = f"{source}_keyed"
    numbered = exp.select(
        *schema.projection(),
        exp.alias_(exp.Window(this=exp.RowNumber()), exp.to_identifier(key, quoted=True)),
    ).from_(exp.to_identifier(source, quoted=True))

    ctes: list[tuple[str, exp.Select]] = [(keyed_name, numbered)]
    outputs: list[tuple[str, Schema]] = []
    for index, (condition, stages) in enumerate(branches):
        prefix = f"{source}_{feature}{index}"
        relation = keyed_name
        if condition is not None:
            guarded = exp.select(*keyed.projection()).from_(
                exp.to_identifier(keyed_name, quoted=True)
            )
            relation = f"{prefix}_guard"
            ctes.append((relation, guarded.where(condition)))
        branch_ctes, branch_schema, relation = _compile_branch(
            feature, stages, keyed, relation, prefix
        )
        if not set(keyed.hidden) <= set(branch_schema.hidden):
            raise UnsupportedFeatureError(
                feature, f"a {feature} branch drops the hidden columns of its rows", engine="sql"
            )
        ctes.extend(branch_ctes)
        outputs.append((relation, branch_schema))

    result = _output_schema(schema, [branch_schema for _, branch_schema in outputs])
    combined = _union(outputs, result, key)
    picked = exp.select(*result.projection()).from_(combined.subquery("branches"))
    if first_only:
        first = exp.Min(this=column(_BRANCH))
        window = exp.Window(this=first, partition_by=[column(key)])
        picked = picked.qualify(exp.EQ(this=column(_BRANCH), expression=window))
    for name, select in ctes:
        picked = picked.with_(exp.to_identifier(name, quoted=True), as_=select, copy=False)
    return CompiledStage(picked, result, schema)


def _compile_branch(
    feature: str, stages: Sequence[nodes.Stage], schema: Schema, source: str, prefix: str
) -> tuple[list[tuple[str, exp.Select]], Schema, str]:
    """Compile one branch's stages as a chain of CTEs that starts at ``source``."""
    ctes: list[tuple[str, exp.Select]] = []
    current = schema
    relation = source
    for index, stage in enumerate(stages):
        _check_row_stage(feature, stage)
        try:
            compiled = row_stages.compile_row_stage(stage, current, relation)
        except UnsupportedFeatureError as exc:
            raise UnsupportedFeatureError(
                feature,
                f"a {feature} branch uses {exc.feature}: {exc}",
                engine=exc.engine,
            ) from exc
        nested = isinstance(stage, (nodes.Case, nodes.Match))
        if not nested and _may_expand(compiled.select):
            raise UnsupportedFeatureError(
                feature,
                f"a {feature} branch has a stage that may emit several rows per event",
                engine="sql",
            )
        relation = f"{prefix}_{index}"
        ctes.append((relation, compiled.select))
        current = compiled.schema
    return ctes, current, relation


def _check_row_stage(feature: str, stage: nodes.Stage) -> None:
    """Raise UnsupportedFeatureError for stages a branch cannot run as one SELECT."""
    if isinstance(stage, nodes.Apply):
        call = stage.call
        if call.kind is FunctionKind.AGGREGATE or reads_whole_stream(stage):
            raise UnsupportedFeatureError(
                feature, f"a {feature} branch uses the aggregate {call.name}()", engine="sql"
            )
        if call.spec.dynamic_outputs:
            raise UnsupportedFeatureError(
                feature,
                f"a {feature} branch uses {call.name}(), whose output fields depend on the data",
                engine="sql",
            )
        return
    if not isinstance(
        stage, (nodes.Filter, nodes.Assign, nodes.ExtractRegex, nodes.Case, nodes.Match)
    ):
        raise UnsupportedFeatureError(
            feature,
            f"a {feature} branch uses a {type(stage).__name__} stage",
            engine="sql",
        )


def _may_expand(select: exp.Select) -> bool:
    """Tell whether ``select`` may emit more than one row per row it reads.

    Joins, a set-returning unnest in the SELECT list of the query or of the
    subqueries it reads from, and CTEs (which this check does not follow) may.
    """
    if select.args.get("joins") or select.args.get("with_") or select.args.get("with"):
        return True
    for item in select.expressions:
        for node in item.find_all(exp.Unnest, exp.Explode, exp.Lateral):
            if node.find_ancestor(exp.Select) is select:
                return True
    source = select.args.get("from_") or select.args.get("from")
    relation = source.this if isinstance(source, exp.From) else None
    if isinstance(relation, (exp.Unnest, exp.Lateral)):
        return True
    if isinstance(relation, exp.Subquery) and isinstance(relation.this, exp.Select):
        return _may_expand(relation.this)
    return False


def _output_schema(schema: Schema, branches: Sequence[Schema]) -> Schema:
    """Return the input fields followed by every field some branch may set."""
    names = list(schema.fields)
    for branch in branches:
        names.extend(name for name in branch.fields if name not in names)
    return Schema(tuple(names), schema.hidden)


def _union(outputs: Sequence[tuple[str, Schema]], result: Schema, key: str) -> exp.Query:
    """Return the branch outputs with the same columns, tagged with the branch position."""
    selects: list[exp.Query] = []
    for index, (relation, branch) in enumerate(outputs):
        items: list[exp.Expr] = []
        for name in result.fields:
            items.append(column(name) if branch.has(name) else _null_as(name))
        items.extend(column(name) for name in result.hidden)
        items.append(column(key))
        items.append(exp.alias_(exp.Literal.number(index), exp.to_identifier(_BRANCH, quoted=True)))
        selects.append(exp.select(*items).from_(exp.to_identifier(relation, quoted=True)))
    combined = selects[0]
    for select in selects[1:]:
        combined = exp.union(combined, select, distinct=False)
    return combined


def _null_as(name: str) -> exp.Expr:
    return alias(null_text(), name)
