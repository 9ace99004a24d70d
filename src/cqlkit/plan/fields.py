"""Field use of a plan: the input fields it reads, for engines that read only the
columns a query needs, and the fields that free-text search reads.

A plan whose result rows are whole events (no ``select()``, ``table()`` or
aggregate narrows them) needs every field of the input. :data:`ALL_FIELDS`
stands for that.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from cqlkit.plan import nodes
from cqlkit.plan.functions import FunctionKind, ParamType
from cqlkit.plan.signatures_aggregates import SEQUENCE_FUNCTIONS

# Free-text search does not read these metadata fields, nor tag fields (names that
# start with #); it reads @rawstring first.
NOT_FREE_TEXT = frozenset({"@id", "@timestamp", "@ingesttimestamp", "@timestamp.nanos"})
RAW_FIELD = "@rawstring"


def free_text_fields(names: Iterable[str]) -> list[str]:
    """Return the field names free-text search reads, in search order: @rawstring first."""
    searched = [name for name in names if not name.startswith("#") and name not in NOT_FREE_TEXT]
    searched.sort(key=lambda name: name != RAW_FIELD)
    return searched


ALL_FIELDS = None
"""Marker in :class:`FieldUse`: the plan needs every field of the input."""

# Parameters that name output fields, not fields read.
_OUTPUT_PARAMETERS = frozenset({"as"})
# Stands for "any field" among the fields read, for calls such as getField().
_ANY_FIELD = "*"
_NARROWING = frozenset({"select", "table"})
# Aggregates that pass whole input rows through instead of making new ones.
_PASSING = frozenset({"head", "tail", "sort", *SEQUENCE_FUNCTIONS})


@dataclass(frozen=True)
class FieldUse:
    """The input fields a plan reads. ``fields`` is None when it needs all of them."""

    fields: frozenset[str] | None
    free_text: bool

    @property
    def needs_all(self) -> bool:
        """True when every input field is needed."""
        return self.fields is None


def field_use(plan: nodes.Plan) -> FieldUse:
    """Return the input fields ``plan`` reads."""
    read: set[str] = set()
    open_rows = _collect(plan.stages, read)
    needs_all = open_rows or _ANY_FIELD in read
    return FieldUse(None if needs_all else frozenset(read), plan.has_free_text)


def _collect(stages: Iterable[nodes.Stage], read: set[str]) -> bool:
    """Add the fields ``stages`` read to ``read``; return whether the rows that
    leave the stages are still whole input events."""
    open_rows = True
    for stage in stages:
        if not open_rows:
            # Rows are already narrowed: later stages read what earlier ones made.
            continue
        read.update(_stage_fields(stage))
        if isinstance(stage, nodes.Apply) and _narrows(stage.call):
            open_rows = False
        elif isinstance(stage, nodes.Case | nodes.Match):
            # Rows stay whole events when any branch lets an event through whole.
            branches_open = [_collect(body.stages, read) for body in _bodies(stage)]
            open_rows = any(branches_open)
    return open_rows


def _narrows(call: nodes.BoundCall) -> bool:
    """True when the call's output rows hold only some fields of its input."""
    if call.name in _NARROWING:
        return True
    if call.kind is not FunctionKind.AGGREGATE or call.name in _PASSING:
        return False
    # groupBy(f, function=tail(1)) outputs whole events, one per group.
    return not _passes_rows(call.get("function"))


def _passes_rows(function: object) -> bool:
    if isinstance(function, nodes.Plan):
        return _collect(function.stages, set())
    if isinstance(function, tuple):
        return any(_passes_rows(item) for item in function)
    if isinstance(function, nodes.BoundCall):
        return function.name in _PASSING or (
            function.name in ("groupBy", "stats") and _passes_rows(function.get("function"))
        )
    return False


def _bodies(stage: nodes.Case | nodes.Match) -> Iterator[nodes.Plan]:
    if isinstance(stage, nodes.Case):
        yield from stage.branches
    else:
        yield from (arm.body for arm in stage.arms)


def _stage_fields(stage: nodes.Stage) -> Iterator[str]:
    if isinstance(stage, nodes.Filter):
        yield from predicate_fields(stage.predicate)
    elif isinstance(stage, nodes.Assign):
        yield from expression_fields(stage.expression)
        yield stage.field
    elif isinstance(stage, nodes.ExtractRegex):
        yield from (stage.field,) if stage.field is not None else ()
        yield from (name for _, name in stage.regex.group_fields)
    elif isinstance(stage, nodes.Apply):
        yield from call_fields(stage.call)
        if stage.call.kind is FunctionKind.TRANSFORM and isinstance(stage.call.get("as"), str):
            # A transform that yields null leaves its output field as it was.
            yield str(stage.call.get("as"))
    elif isinstance(stage, nodes.Match):
        yield stage.field
        for arm in stage.arms:
            yield from predicate_fields(arm.guard)


def predicate_fields(predicate: nodes.Predicate) -> Iterator[str]:
    """Yield the fields a predicate reads."""
    if isinstance(predicate, nodes.AllOf | nodes.AnyOf):
        for part in predicate.parts:
            yield from predicate_fields(part)
    elif isinstance(predicate, nodes.Negation):
        yield from predicate_fields(predicate.operand)
    elif isinstance(predicate, nodes.CallPredicate):
        yield from call_fields(predicate.call)
    elif hasattr(predicate, "field"):
        yield str(predicate.field)


def expression_fields(expression: nodes.Expr) -> Iterator[str]:
    """Yield the fields an expression reads."""
    if isinstance(expression, nodes.FieldValue):
        yield expression.name
    elif isinstance(expression, nodes.Arithmetic | nodes.Compare):
        yield from expression_fields(expression.left)
        yield from expression_fields(expression.right)
    elif isinstance(expression, nodes.Unary):
        yield from expression_fields(expression.operand)
    elif isinstance(expression, nodes.FunctionValue):
        yield from call_fields(expression.call)


def call_fields(call: nodes.BoundCall) -> Iterator[str]:
    """Yield the fields a function call reads (not its ``as`` output field);
    :data:`_ANY_FIELD` when it may read any field."""
    if call.spec.reads_all_fields:
        yield _ANY_FIELD
    for parameter in call.spec.parameters:
        value = call.get(parameter.name)
        if value is None or parameter.name in _OUTPUT_PARAMETERS:
            continue
        kind = parameter.type
        if kind in (ParamType.FIELD, ParamType.FIELDS, ParamType.RENAMES):
            yield from _names(value)
        elif kind is ParamType.EXPRESSION and isinstance(value, nodes.Expr):
            yield from expression_fields(value)
        elif kind is ParamType.EXPRESSIONS and isinstance(value, tuple):
            for item in value:
                yield from expression_fields(item)
        elif kind is ParamType.AGGREGATES:
            yield from _aggregate_fields(value)
    assignments = call.get("assignments")
    if isinstance(assignments, tuple):
        for name, expression in assignments:
            yield name
            yield from expression_fields(expression)
    if call.name in ("sort", "table", "head", "tail"):
        yield "@timestamp"


def _aggregate_fields(value: object) -> Iterator[str]:
    if isinstance(value, nodes.Plan):
        read: set[str] = set()
        _collect(value.stages, read)
        yield from read
    elif isinstance(value, tuple):
        for item in value:
            if isinstance(item, nodes.BoundCall):
                yield from call_fields(item)
            else:
                # A sub-query inside a function= list.
                yield from _aggregate_fields(item)


def _names(value: object) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, tuple):
        for item in value:
            yield from _names(item)


__all__ = [
    "ALL_FIELDS",
    "FieldUse",
    "call_fields",
    "expression_fields",
    "field_use",
    "predicate_fields",
]
