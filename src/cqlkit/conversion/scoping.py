"""A check that a LogScale query searches only named Falcon event types.

Falcon data in LogScale mixes hundreds of event types in one repository, and the same field
name can mean different things in different types. A query that does not filter on
``#event_simpleName`` (``event_simpleName`` in raw FDR) on every path through its filters
searches all of them. pySigma's LogScale backend produces such queries for log sources that
its ``crowdstrike_falcon`` pipeline does not map, such as ``file_event`` and ``registry_set``.

The check reads cqlkit's logical plan, so it follows the parser's precedence: ``not`` binds
tightest, then ``or``, then ``and`` (written or implicit). ``a b or c`` is ``a and (b or c)``.
A path is one choice of alternative at every ``or``. The query is scoped when every path
contains a positive filter on the event-type field.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from cqlkit.language.span import Span
from cqlkit.plan import nodes
from cqlkit.plan.functions import FunctionKind

EVENT_TYPE_FIELDS = frozenset({"#event_simpleName", "event_simpleName"})
"""The Falcon event-type field: a tag in LogScale, a plain field in raw FDR."""


@dataclass(frozen=True, slots=True)
class PathFilter:
    """One filter on a path: its source text, negated when an enclosing ``not`` applies."""

    span: Span
    negated: bool = False

    def describe(self, query: str) -> str:
        """Return the filter's text, with ``not`` in front when it is negated."""
        text = query[self.span.start : self.span.end]
        return f"not {text}" if self.negated else text


Witness = tuple[PathFilter, ...]
"""The filters along one path that lets every event type through, in query order."""


@dataclass(frozen=True, slots=True)
class UnscopedPath:
    """A path through a query's filters that contains no filter on the event type."""

    filters: Witness
    """The filters on the path; empty when the query filters nothing at all."""

    @property
    def spans(self) -> tuple[Span, ...]:
        """The source spans of :attr:`filters`, in query order."""
        return tuple(item.span for item in self.filters)

    def describe(self, query: str) -> str:
        """Return the filters of the path as query text joined by ``and``."""
        if not self.filters:
            return "a path with no filter"
        return " and ".join(item.describe(query) for item in self.filters)


def find_unscoped_path(plan: nodes.Plan) -> UnscopedPath | None:
    """Return a path through ``plan`` that lets every event type through, or None.

    Only the stages before the first aggregate count, because later filters see aggregate
    rows, not events. An assignment to the event-type field also ends the search, because
    a later filter on that field tests the assigned value.

    >>> from cqlkit.plan.planner import plan_query
    >>> find_unscoped_path(plan_query("#event_simpleName=A or #event_simpleName=B x=1")) is None
    True
    >>> path = find_unscoped_path(plan_query("#event_simpleName=A or x=1"))
    >>> path.describe("#event_simpleName=A or x=1")
    'x=1'
    """
    witness = _stages_witness(plan.stages)
    return None if witness is None else UnscopedPath(witness)


def _stages_witness(stages: Sequence[nodes.Stage]) -> Witness | None:
    """Return an unscoped path through a pipeline of stages, or None when every path is scoped.

    The stages are a conjunction: one scoped stage scopes the whole pipeline.
    """
    witness: list[PathFilter] = []
    for stage in stages:
        if _ends_search(stage):
            break
        part = _stage_witness(stage)
        if part is None:
            return None
        witness.extend(part)
    return tuple(witness)


def _ends_search(stage: nodes.Stage) -> bool:
    if isinstance(stage, nodes.Assign):
        return stage.field in EVENT_TYPE_FIELDS
    if isinstance(stage, nodes.Apply):
        return (
            stage.call.kind is FunctionKind.AGGREGATE or stage.call.get("as") in EVENT_TYPE_FIELDS
        )
    return False


def _stage_witness(stage: nodes.Stage) -> Witness | None:
    if isinstance(stage, nodes.Filter):
        return _predicate_witness(stage.predicate, negated=False)
    if isinstance(stage, nodes.ExtractRegex):
        return _extraction_witness(stage)
    if isinstance(stage, nodes.Case):
        # An event leaves through the first branch that emits it, so each branch is a path.
        return _first_witness(_stages_witness(branch.stages) for branch in stage.branches)
    if isinstance(stage, nodes.Match):
        # An event that no arm's guard accepts is dropped, so each arm is a path.
        return _first_witness(_arm_witness(arm) for arm in stage.arms)
    return ()


def _extraction_witness(stage: nodes.ExtractRegex) -> Witness | None:
    if not stage.strict:
        # regex(..., strict=false) keeps events that do not match, so it filters nothing.
        return ()
    if stage.field in EVENT_TYPE_FIELDS and not stage.negated:
        return None
    return _leaf(stage.span, negated=False)


def _arm_witness(arm: nodes.MatchArm) -> Witness | None:
    guard = _predicate_witness(arm.guard, negated=False)
    if guard is None:
        return None
    body = _stages_witness(arm.body.stages)
    return None if body is None else guard + body


def _first_witness(witnesses: Iterable[Witness | None]) -> Witness | None:
    """Return the first unscoped path among alternatives, or None when all are scoped."""
    for witness in witnesses:
        if witness is not None:
            return witness
    return None


def _predicate_witness(predicate: nodes.Predicate, *, negated: bool) -> Witness | None:
    """Return an unscoped path through ``predicate``, or None when every path is scoped.

    ``negated`` is set under an odd number of ``not``. By De Morgan's laws a negated ``or``
    is a conjunction and a negated ``and`` a disjunction.
    """
    if isinstance(predicate, nodes.Negation):
        witness = _predicate_witness(predicate.operand, negated=not negated)
        if witness and _is_leaf(predicate.operand) and predicate.span is not None:
            # Name the whole "not x" or "x != v" as written, not only the x inside it.
            return _leaf(predicate.span, negated=negated)
        return witness
    if isinstance(predicate, nodes.AllOf | nodes.AnyOf):
        parts = [_predicate_witness(part, negated=negated) for part in predicate.parts]
        conjunction = isinstance(predicate, nodes.AllOf) != negated
        if conjunction:
            if any(part is None for part in parts):
                return None
            return tuple(item for part in parts if part is not None for item in part)
        return _first_witness(parts)
    if isinstance(predicate, nodes.Everything):
        return ()
    if isinstance(predicate, nodes.CallPredicate) and predicate.call.negated:
        negated = not negated
    if not negated and _restricts_event_type(predicate):
        return None
    return _leaf(predicate.span, negated=negated)


def _leaf(span: Span | None, *, negated: bool) -> Witness:
    return () if span is None else (PathFilter(span, negated),)


def _is_leaf(predicate: nodes.Predicate) -> bool:
    return not isinstance(predicate, nodes.Negation | nodes.AllOf | nodes.AnyOf)


def _restricts_event_type(predicate: nodes.Predicate) -> bool:
    """Return whether a single filter keeps only some values of the event-type field.

    NOTE: any regex on the field counts, even one such as /.*/ that matches every value.
    """
    if isinstance(predicate, nodes.Equals | nodes.RegexMatch):
        return predicate.field in EVENT_TYPE_FIELDS
    if isinstance(predicate, nodes.GlobMatch):
        return predicate.field in EVENT_TYPE_FIELDS and not _matches_everything(predicate.pattern)
    if isinstance(predicate, nodes.CallPredicate):
        return _call_restricts_event_type(predicate.call)
    return False


def _call_restricts_event_type(call: nodes.BoundCall) -> bool:
    if call.name == "in":
        values = call.get("values")
        return (
            call.get("field") in EVENT_TYPE_FIELDS
            and isinstance(values, tuple)
            and not any(_matches_everything(str(value)) for value in values)
        )
    if call.name == "wildcard":
        fields = call.get("field")
        return (
            isinstance(fields, tuple)
            and bool(fields)
            and all(field in EVENT_TYPE_FIELDS for field in fields)
            and not _matches_everything(call.text("pattern"))
        )
    return False


def _matches_everything(pattern: str) -> bool:
    return bool(pattern) and set(pattern) == {"*"}
