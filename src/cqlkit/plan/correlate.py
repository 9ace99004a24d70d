"""Planning of correlate(): its named queries and the links between them.

A correlate() query such as ``net: { FileName=net.exe | aid <=> whoami.aid }
include: [aid]`` is planned as the steps its events pass (``FileName=net.exe``),
the links to other queries (``aid <=> whoami.aid``) and the fields it outputs.
https://library.humio.com/data-analysis/functions-correlate.html
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from cqlkit.language import ast
from cqlkit.language.span import Span
from cqlkit.plan import nodes
from cqlkit.plan.explain import format_plan
from cqlkit.plan.functions import FunctionKind
from cqlkit.timeranges import parse_duration

if TYPE_CHECKING:
    from cqlkit.plan.planner import Planner

LINK = "<=>"


@dataclass(frozen=True)
class Link:
    """``field <=> query.other`` in a correlate() query: the value of ``field`` in
    this query's event equals the value of ``other`` in the event of ``query``."""

    field: str
    query: str
    other: str
    span: Span | None = None


@dataclass(frozen=True)
class CorrelateQuery:
    """One named query of correlate(): the steps its events pass, its links to
    other queries, and the fields it outputs (None for every field)."""

    name: str
    plan: nodes.Plan
    include: tuple[str, ...] | None
    links: tuple[Link, ...]
    span: Span | None = None

    def __repr__(self) -> str:
        steps = " | ".join(format_plan(self.plan).splitlines())
        links = "".join(f" | {link.field} <=> {link.query}.{link.other}" for link in self.links)
        include = "*" if self.include is None else ", ".join(self.include)
        return f"{self.name}: {{{steps}{links}}} include: [{include}]"


def plan_named_queries(planner: Planner, node: ast.Node) -> tuple[CorrelateQuery, ...]:
    """Plan the named queries of correlate(), recording misplaced items as errors."""
    items = node.items if isinstance(node, ast.ArrayLit) else (node,)
    queries = []
    for item in items:
        if isinstance(item, ast.NamedQuery):
            queries.append(_plan_named_query(planner, item))
        else:
            planner.context.error(
                "invalid-argument",
                "correlate() takes named queries such as login: { ... } include: [user]",
                item.span,
            )
    return tuple(queries)


def _plan_named_query(planner: Planner, item: ast.NamedQuery) -> CorrelateQuery:
    links: list[Link] = []
    stages: list[nodes.Stage] = []
    for step in item.query.pipeline.steps:
        if not isinstance(step, ast.FilterStep):
            stages.extend(planner.step(step))
            continue
        for part in ast.conjuncts(step.expression):
            if isinstance(part, ast.Comparison) and part.op == LINK:
                links.append(_link(planner, part))
                continue
            _reject_inner_links(planner, part)
            stages.extend(planner.step(ast.FilterStep(part.span, part)))
    include = None
    if item.include is not None:
        names = item.include.items if isinstance(item.include, ast.ArrayLit) else (item.include,)
        include = tuple(planner.field_name(name) for name in names)
        if include == ("*",):
            include = None
    plan = nodes.Plan(tuple(stages))
    return CorrelateQuery(item.name, plan, include, tuple(links), item.span)


def _link(planner: Planner, node: ast.Comparison) -> Link:
    target = node.value.text if isinstance(node.value, ast.Word) else ""
    query, _, other = target.partition(".")
    return Link(planner.field_name(node.field), query, other, node.span)


def _reject_inner_links(planner: Planner, node: ast.Node) -> None:
    for inner in node.walk():
        if isinstance(inner, ast.Comparison) and inner.op == LINK:
            planner.context.error(
                "invalid-link",
                "a <=> link must be a step of its own, not part of or, not or a function",
                inner.span,
                hint="write it after a |, for example | user <=> login.user",
            )


def check_correlate(planner: Planner, arguments: dict[str, object], call: ast.Call) -> None:
    """Check correlate()'s queries, links and options, and convert ``within`` and
    ``jitterTolerance`` to milliseconds."""
    queries = arguments.get("query")
    if not isinstance(queries, tuple):
        return
    names = [query.name for query in queries if isinstance(query, CorrelateQuery)]
    if not names and "query" in arguments:
        planner.context.error("invalid-argument", "correlate() needs at least one query", call.span)
    seen: set[str] = set()
    for query in queries:
        if query.name in seen:
            planner.context.error(
                "duplicate-query", f"correlate() has two queries named {query.name}", query.span
            )
        seen.add(query.name)
        _check_query(planner, query, names)
    root = arguments.get("root")
    if isinstance(root, str) and root not in names:
        planner.context.error(
            "unknown-query",
            f"correlate(root={root}) names no query; its queries are {', '.join(names)}",
            call.span,
        )
    for parameter in ("within", "jitterTolerance"):
        _duration(planner, arguments, parameter, call.span)


def _check_query(planner: Planner, query: CorrelateQuery, names: list[str]) -> None:
    for link in query.links:
        if link.query == query.name:
            planner.context.error(
                "invalid-link",
                f"the link {link.field} <=> {link.query}.{link.other} refers to its own query",
                link.span,
                hint="a link relates the events of two different queries",
            )
        elif link.query not in names or not link.other:
            planner.context.error(
                "unknown-query",
                f"{link.query}.{link.other} names no correlate() query and field;"
                f" the queries are {', '.join(names)}",
                link.span,
            )
    for stage in query.plan.stages:
        if isinstance(stage, nodes.Apply) and stage.call.kind is FunctionKind.AGGREGATE:
            planner.context.error(
                "unsupported-feature",
                f"{stage.call.name}() inside a correlate() query is not supported by cqlkit",
                stage.span,
                hint="keep each correlate() query to filters and transforms",
            )


def _duration(planner: Planner, arguments: dict[str, object], name: str, span: Span) -> None:
    text = arguments.get(name)
    if not isinstance(text, str):
        return
    try:
        arguments[name] = parse_duration(text)
    except ValueError as exc:
        planner.context.error("invalid-argument", f"correlate({name}=...): {exc}", span)
        del arguments[name]
