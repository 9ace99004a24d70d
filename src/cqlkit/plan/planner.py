"""Turns a syntax tree into the logical plan.

The planner gives each construct its LogScale meaning: which field filters
become which predicates, which calls filter, transform or aggregate, and what
``:=`` and ``=~`` expand to. It collects every problem as a diagnostic.
"""

from __future__ import annotations

from collections.abc import Mapping

from cqlkit.errors import SemanticError
from cqlkit.language import ast
from cqlkit.language.diagnostics import Diagnostic
from cqlkit.language.parser import parse
from cqlkit.language.regexes import LogScaleRegex
from cqlkit.plan import nodes
from cqlkit.plan.arguments import bind_call, time_field
from cqlkit.plan.checks_aggregates import check_sequence_order
from cqlkit.plan.context import PlanContext
from cqlkit.plan.expressions import plan_expression
from cqlkit.plan.functions import FunctionKind, lookup
from cqlkit.plan.predicates import plan_predicate
from cqlkit.plan.resources import Resources
from cqlkit.plan.saved_searches import inline_saved_search
from cqlkit.plan.subquery_checks import check_subquery_plan


def plan_query(
    text: str,
    *,
    lenient: bool = False,
    parameters: Mapping[str, str] | None = None,
    resources: Resources | None = None,
) -> nodes.Plan:
    """Parse and plan ``text``.

    Raises ``ParseError`` for syntax faults and :class:`SemanticError` when
    LogScale would refuse to compile the query; warnings are kept on
    ``plan.diagnostics``.
    """
    plan, diagnostics = check_query(
        text, lenient=lenient, parameters=parameters, resources=resources
    )
    errors = [d for d in diagnostics if d.severity == "error"]
    if errors or plan is None:
        first = errors[0]
        more = (
            f" (and {len(errors) - 1} more; run cqlkit check to list them)"
            if len(errors) > 1
            else ""
        )
        raise SemanticError(first.message + more, span=first.span, source=text, hint=first.hint)
    return plan


def check_query(
    text: str,
    *,
    lenient: bool = False,
    parameters: Mapping[str, str] | None = None,
    resources: Resources | None = None,
    parameters_optional: bool = False,
) -> tuple[nodes.Plan | None, list[Diagnostic]]:
    """Plan ``text`` and return the plan with every diagnostic found.

    Syntax errors still raise; semantic problems are collected. With
    ``parameters_optional``, a query parameter without a value is no error.
    """
    tree = parse(text)
    context = PlanContext(
        text,
        lenient=lenient,
        parameters=dict(parameters or {}),
        resources=resources or Resources(),
        parameters_optional=parameters_optional,
    )
    planner = Planner(context)
    stages = planner.pipeline(tree)
    check_sequence_order(context, stages)
    plan = nodes.Plan(tuple(stages), diagnostics=tuple(context.diagnostics))
    plan = nodes.Plan(
        plan.stages,
        implicit_tail=not plan.has_aggregate,
        has_free_text=planner.uses_free_text,
        diagnostics=plan.diagnostics,
    )
    _check_free_text_order(context, tree, plan)
    check_subquery_plan(context, plan)
    return plan, context.diagnostics


def _check_free_text_order(context: PlanContext, tree: ast.Pipeline, plan: nodes.Plan) -> None:
    """Record each free-text search that follows an aggregate, which LogScale rejects.
    The parts of one step count in order, so ``count() foo`` is ``count() | foo``."""
    seen_aggregate = False
    for step in tree.steps:
        parts = (
            ast.conjuncts(step.expression) if isinstance(step, ast.FilterStep) else iter((step,))
        )
        for part in parts:
            if seen_aggregate:
                for node in part.walk():
                    if isinstance(node, ast.FreeText):
                        context.error(
                            "free-text-after-aggregate",
                            "free-text search is not allowed after an aggregate function",
                            node.span,
                            hint="filter a field instead, for example @rawstring=/text/",
                        )
            seen_aggregate = seen_aggregate or _contains_aggregate(part)


def _contains_aggregate(node: ast.Node) -> bool:
    """Tell whether ``node`` calls an aggregate. A sub-query in braces, such as the
    query of join(), runs on its own, so an aggregate inside it does not count."""
    if isinstance(node, ast.Call):
        spec = lookup(node.name)
        if spec is not None and spec.kind is FunctionKind.AGGREGATE:
            return True
    return any(
        _contains_aggregate(child)
        for child in node.children()
        if not isinstance(child, ast.SubQuery)
    )


class Planner:
    """Plans one query; see :func:`plan_query`."""

    def __init__(self, context: PlanContext) -> None:
        self.context = context
        self.uses_free_text = False

    # --- pipelines -----------------------------------------------------------

    def pipeline(self, pipeline: ast.Pipeline) -> list[nodes.Stage]:
        """Plan every step of ``pipeline``."""
        stages: list[nodes.Stage] = []
        for step in pipeline.steps:
            stages.extend(self.step(step))
        return stages

    def sub_plan(self, pipeline: ast.Pipeline) -> nodes.Plan:
        """Plan a sub-pipeline, such as a case clause or ``function={...}``."""
        return nodes.Plan(tuple(self.pipeline(pipeline)))

    def step(self, step: ast.Node) -> list[nodes.Stage]:
        """Plan one step; a conjunction at the top of a step becomes one stage per part."""
        if isinstance(step, ast.Assignment):
            return [self.assignment(step)]
        if isinstance(step, ast.AggregateList):
            stats = ast.Call(
                step.span, "stats", (ast.Argument(step.span, None, step.items),), step.span
            )
            return self._call_stage(stats)
        if isinstance(step, ast.CaseStatement):
            return [self.case(step)]
        if isinstance(step, ast.MatchStatement):
            return [self.match(step)]
        if isinstance(step, ast.FilterStep):
            return [
                stage
                for part in ast.conjuncts(step.expression)
                for stage in self._filter_part(part)
            ]
        raise AssertionError(f"unexpected step {type(step).__name__}")

    def _filter_part(self, node: ast.Node) -> list[nodes.Stage]:
        if isinstance(node, ast.Call):
            return self._call_stage(node)
        if isinstance(node, ast.Not) and _negatable_transform(node.operand):
            # !match(...) keeps the events that match() would drop, unchanged.
            call = node.operand
            assert isinstance(call, ast.Call)
            flipped = ast.Call(
                call.span, call.name, call.arguments, call.name_span, not call.negated
            )
            return self._call_stage(flipped)
        if isinstance(node, ast.FieldOperator):
            return self._call_stage(node.call, injected_field=self.field_name(node.field))
        if isinstance(node, ast.SavedSearchCall):
            return inline_saved_search(self, node)
        extraction = self._extraction(node)
        if extraction is not None:
            return [extraction]
        return [nodes.Filter(node.span, self.predicate(node))]

    def _extraction(self, node: ast.Node) -> nodes.Stage | None:
        """Plan a top-level regex with named groups as a field-extracting stage."""
        if (
            isinstance(node, ast.Comparison)
            and node.op == "="
            and isinstance(node.value, ast.RegexLit)
        ):
            regex = self.context.regex(node.value.pattern, node.value.flags, node.value.span)
            if regex is not None and regex.group_fields:
                return nodes.ExtractRegex(node.span, self.field_name(node.field), regex)
        if isinstance(node, ast.FreeText) and isinstance(node.value, ast.RegexLit):
            regex = self.context.regex(node.value.pattern, node.value.flags, node.value.span)
            if regex is not None and regex.group_fields:
                self.uses_free_text = True
                return nodes.ExtractRegex(node.span, None, regex)
        return None

    def _call_stage(self, call: ast.Call, injected_field: str | None = None) -> list[nodes.Stage]:
        bound = bind_call(self, call, injected_field)
        if bound is None:
            return []
        if bound.spec.extracts:
            return [self._regex_stage(bound)]
        if bound.kind is FunctionKind.FILTER:
            return [nodes.Filter(call.span, nodes.CallPredicate(call.span, bound))]
        if bound.negated and not bound.spec.negatable:
            self.context.error(
                "negated-non-filter",
                f"{bound.name}() is not a filter and cannot be negated",
                call.span,
            )
        if bound.spec.assignments_only:
            assignments = bound.get("assignments")
            assert isinstance(assignments, tuple)
            return [nodes.Assign(call.span, name, expr) for name, expr in assignments]
        return [nodes.Apply(call.span, bound)]

    def _regex_stage(self, bound: nodes.BoundCall) -> nodes.Stage:
        compiled = bound.get("regex")
        if not isinstance(compiled, LogScaleRegex):
            # The translation failed and binding recorded the error.
            return nodes.Filter(bound.span, nodes.Everything(bound.span))
        field = bound.get("field")
        limit = bound.get("limit")
        return nodes.ExtractRegex(
            bound.span,
            str(field),
            compiled,
            strict=bool(bound.get("strict")),
            repeat=bool(bound.get("repeat")),
            limit=int(limit) if isinstance(limit, int | float) else 100,
            negated=bound.negated,
        )

    def assignment(self, step: ast.Assignment) -> nodes.Stage:
        """Plan ``target := value``: a call with an ``as`` parameter gets ``as=target``."""
        target = self.field_name(step.target)
        value = step.value
        if isinstance(value, ast.Call):
            spec = lookup(value.name)
            if spec is not None and spec.parameter("as") is not None and spec.name != "if":
                arguments = (
                    *value.arguments,
                    ast.Argument(step.target.span, "as", ast.Word(step.target.span, target)),
                )
                call = ast.Call(value.span, value.name, arguments, value.name_span, value.negated)
                stages = self._call_stage(call)
                return stages[0] if stages else nodes.Filter(step.span, nodes.Everything(step.span))
        return nodes.Assign(step.span, target, self.expression(value))

    def case(self, step: ast.CaseStatement) -> nodes.Case:
        """Plan ``case { ... }``; an empty clause is read as ``*``."""
        return nodes.Case(step.span, tuple(self.sub_plan(clause) for clause in step.clauses))

    def match(self, step: ast.MatchStatement) -> nodes.Match:
        """Plan ``field match { ... }``."""
        field = self.field_name(step.field)
        arms = []
        for arm in step.arms:
            guard = self._match_guard(field, arm.guard)
            arms.append(nodes.MatchArm(guard, self.sub_plan(arm.body)))
        return nodes.Match(step.span, field, tuple(arms))

    def _match_guard(self, field: str, guard: ast.Node | None) -> nodes.Predicate:
        if guard is None:
            return nodes.Everything(None)
        if isinstance(guard, ast.Word) and guard.text.lower() in ("*", "true"):
            return nodes.Everything(guard.span)
        if isinstance(guard, ast.Call):
            bound = bind_call(self, guard, injected_field=field)
            if bound is None:
                return nodes.Everything(guard.span)
            return nodes.CallPredicate(guard.span, bound)
        comparison = ast.Comparison(guard.span, ast.FieldName(guard.span, field), "=", guard)
        return self.predicate(comparison)

    # --- pieces used by the other planning modules ---------------------------

    def predicate(self, node: ast.Node) -> nodes.Predicate:
        """Plan a filter expression as a predicate."""
        return plan_predicate(self, node)

    def expression(self, node: ast.Node) -> nodes.Expr:
        """Plan an expression."""
        return plan_expression(self, node)

    def aggregates(self, node: ast.Node) -> tuple[nodes.BoundCall | nodes.Plan, ...] | nodes.Plan:
        """Plan the ``function=`` argument of groupBy() and stats(). An array may
        mix aggregate calls and sub-queries: ``function=[{count() | x := _count * 2}]``."""
        if isinstance(node, ast.SubQuery):
            return self.sub_plan(node.pipeline)
        items = node.items if isinstance(node, ast.ArrayLit) else (node,)
        calls: list[nodes.BoundCall | nodes.Plan] = []
        for item in items:
            bound = self._aggregate_item(item)
            if bound is not None:
                calls.append(bound)
        return tuple(calls)

    def _aggregate_item(self, item: ast.Node) -> nodes.BoundCall | nodes.Plan | None:
        if isinstance(item, ast.SubQuery):
            return self.sub_plan(item.pipeline)
        target: ast.FieldName | None = None
        if isinstance(item, ast.NamedItem):
            target, item = item.target, item.value
        if not isinstance(item, ast.Call):
            self.context.error("invalid-argument", "expected an aggregate function call", item.span)
            return None
        if target is not None:
            item = ast.Call(
                item.span,
                item.name,
                (
                    *item.arguments,
                    ast.Argument(target.span, "as", ast.Word(target.span, target.name)),
                ),
                item.name_span,
            )
        bound = bind_call(self, item)
        if bound is not None and bound.kind is not FunctionKind.AGGREGATE:
            self.context.error(
                "not-an-aggregate",
                f"{bound.name}() is not an aggregate function",
                item.span,
                hint="use a sub-query such as function={ ... } for other steps",
            )
            return None
        return bound

    def field_name(self, node: ast.Node) -> str:
        """Return the field name that ``node`` denotes in a field position."""
        if isinstance(node, ast.FieldName):
            return time_field(self, node.name, node)
        if isinstance(node, ast.Word | ast.FieldRef):
            name = node.text if isinstance(node, ast.Word) else node.name
            return time_field(self, name, node)
        if isinstance(node, ast.StringLit):
            return node.value
        if isinstance(node, ast.Param):
            return self.context.parameter(node.name, node.default, node.span)
        self.context.error("invalid-argument", "expected a field name", node.span)
        return ""

    def text_value(self, node: ast.Node) -> str | None:
        """Return the literal text of a value node, or None if it has none."""
        if isinstance(node, ast.StringLit):
            return node.value
        if isinstance(node, ast.Word):
            return node.text
        if isinstance(node, ast.NumberLit):
            return node.text
        if isinstance(node, ast.BoolLit):
            return "true" if node.value else "false"
        if isinstance(node, ast.FieldRef):
            return node.name
        if isinstance(node, ast.Param):
            return self.context.parameter(node.name, node.default, node.span)
        return None


def _negatable_transform(node: ast.Node) -> bool:
    """True for a call of a negatable function that is not a plain filter, such as match()."""
    if not isinstance(node, ast.Call):
        return False
    spec = lookup(node.name)
    return spec is not None and spec.negatable and spec.kind is not FunctionKind.FILTER
