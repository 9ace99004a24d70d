"""The logical plan: typed expressions, predicates and pipeline stages.

Every engine consumes this plan and nothing else; no engine re-parses query
text. Nodes keep the span of the source they came from, so that run-time
errors can point into the query.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from cqlkit.language.regexes import LogScaleRegex
from cqlkit.language.span import Span
from cqlkit.plan.functions import FunctionKind, FunctionSpec

# --- expressions --------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Expr:
    """Base of expressions: they evaluate to a string, number, boolean or null."""

    span: Span | None


@dataclass(frozen=True, slots=True)
class Literal(Expr):
    """A constant. Numbers written in the query are kept as ``float`` or ``int``."""

    value: str | int | float | bool


@dataclass(frozen=True, slots=True)
class FieldValue(Expr):
    """The value of a field; null when the field is missing."""

    name: str


@dataclass(frozen=True, slots=True)
class Arithmetic(Expr):
    """``+ - * / %`` on two operands read as numbers; null if either is not a number."""

    op: str
    left: Expr
    right: Expr


@dataclass(frozen=True, slots=True)
class Compare(Expr):
    """``== != < <= > >=``; ordering operators compare numbers only."""

    op: str
    left: Expr
    right: Expr


@dataclass(frozen=True, slots=True)
class Unary(Expr):
    """``!x`` (logical not) or ``-x`` (numeric negation)."""

    op: str
    operand: Expr


@dataclass(frozen=True, slots=True)
class FunctionValue(Expr):
    """A function call used as a value: a transform gives its output field, a
    filter gives true or false."""

    call: BoundCall


# --- bound function calls -------------------------------------------------------

ArgumentValue = object
"""A bound argument: ``str``, ``int``, ``float``, ``bool``, ``tuple[str, ...]``,
an :class:`Expr`, a tuple of expressions, a :class:`BoundCall`, a tuple of
calls, a :class:`Plan` (sub-pipeline), a :class:`LogScaleRegex`, or a tuple of
``(old, new)`` pairs for ``rename``."""


@dataclass(frozen=True, slots=True)
class BoundCall:
    """A function call whose arguments are checked and converted to their
    types. ``arguments`` contains every parameter: given ones and defaults.
    ``explicit`` names the parameters the query set itself."""

    spec: FunctionSpec
    arguments: Mapping[str, ArgumentValue]
    explicit: frozenset[str]
    span: Span | None = None
    negated: bool = False

    @property
    def name(self) -> str:
        """The function's canonical name, such as ``groupBy``."""
        return self.spec.name

    @property
    def kind(self) -> FunctionKind:
        """Whether the function filters, transforms or aggregates."""
        return self.spec.kind

    def get(self, name: str) -> ArgumentValue:
        """Return the bound value of parameter ``name`` (None when absent)."""
        return self.arguments.get(name)

    def text(self, name: str = "field") -> str:
        """Return a text argument, such as a field name."""
        return str(self.arguments.get(name))

    def names(self, name: str) -> tuple[str, ...]:
        """Return a list argument, such as the field names of ``fields=[...]``."""
        value = self.arguments.get(name)
        assert isinstance(value, tuple), f"{self.name}({name}=...) is not a list"
        return tuple(str(item) for item in value)

    def expression(self, name: str) -> Expr:
        """Return an expression argument, such as if()'s condition."""
        value = self.arguments.get(name)
        assert isinstance(value, Expr), f"{self.name}({name}=...) is not an expression"
        return value


# --- predicates -----------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Predicate:
    """Base of filters: each keeps or drops an event."""

    span: Span | None


@dataclass(frozen=True, slots=True)
class Everything(Predicate):
    """``*``: keeps every event."""


@dataclass(frozen=True, slots=True)
class AllOf(Predicate):
    """Logical and."""

    parts: tuple[Predicate, ...]


@dataclass(frozen=True, slots=True)
class AnyOf(Predicate):
    """Logical or."""

    parts: tuple[Predicate, ...]


@dataclass(frozen=True, slots=True)
class Negation(Predicate):
    """Logical not. ``f != v`` is planned as ``not (f = v)``, which is why it
    keeps events that lack ``f``."""

    operand: Predicate


@dataclass(frozen=True, slots=True)
class Exists(Predicate):
    """``f = *``: the field is present, even if empty."""

    field: str


@dataclass(frozen=True, slots=True)
class Equals(Predicate):
    """``f = value``: whole-value, case-sensitive equality. When both sides are
    plain decimal numbers, numeric equality also matches (``404.0`` = ``404``)."""

    field: str
    value: str


@dataclass(frozen=True, slots=True)
class GlobMatch(Predicate):
    """``f = *abc*``: a glob anchored at both ends; ``ignore_case`` for wildcard()."""

    field: str
    pattern: str
    ignore_case: bool = False


@dataclass(frozen=True, slots=True)
class RegexMatch(Predicate):
    """``f = /re/``: an unanchored regex search on one field."""

    field: str
    regex: LogScaleRegex


@dataclass(frozen=True, slots=True)
class NumericCompare(Predicate):
    """``f < n`` and friends: the field is read as a number; events whose value
    is missing or not a number are dropped."""

    field: str
    op: str
    number: float


@dataclass(frozen=True, slots=True)
class FreeText(Predicate):
    """A search of every non-tag field of the event as it entered the pipeline.
    ``pattern`` is a glob (``*token*`` for a bare word) or ``regex`` is set."""

    pattern: str | None
    regex: LogScaleRegex | None = None


@dataclass(frozen=True, slots=True)
class CallPredicate(Predicate):
    """A filter function such as ``in()``, ``wildcard()`` or ``test()``."""

    call: BoundCall


# --- stages ---------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Stage:
    """Base of pipeline stages."""

    span: Span | None


@dataclass(frozen=True, slots=True)
class Filter(Stage):
    """Keeps the events the predicate accepts."""

    predicate: Predicate


@dataclass(frozen=True, slots=True)
class Assign(Stage):
    """``field := expression`` and each assignment of ``eval()``. A null result
    leaves the event unchanged."""

    field: str
    expression: Expr


@dataclass(frozen=True, slots=True)
class ExtractRegex(Stage):
    """A regex step that filters and sets its named groups as fields:
    ``f = /(?<x>..)/`` and ``regex()``. ``field`` None means free text."""

    field: str | None
    regex: LogScaleRegex
    strict: bool = True
    repeat: bool = False
    limit: int = 100
    negated: bool = False


@dataclass(frozen=True, slots=True)
class Apply(Stage):
    """A transform or aggregate function call."""

    call: BoundCall


@dataclass(frozen=True, slots=True)
class Case(Stage):
    """``case { ... }``: the first branch that emits the event wins."""

    branches: tuple[Plan, ...]


@dataclass(frozen=True, slots=True)
class MatchArm:
    """One guard of a match statement and the steps it runs."""

    guard: Predicate
    body: Plan


@dataclass(frozen=True, slots=True)
class Match(Stage):
    """``field match { ... }``: the first arm whose guard accepts the event runs."""

    field: str
    arms: tuple[MatchArm, ...]


@dataclass(frozen=True, slots=True)
class Plan:
    """A pipeline of stages. ``implicit_tail`` is set on a top-level plan that
    has no aggregate: LogScale then appends ``tail(200)``."""

    stages: tuple[Stage, ...]
    implicit_tail: bool = False
    has_free_text: bool = False
    diagnostics: tuple[object, ...] = field(default=(), compare=False)

    @property
    def has_aggregate(self) -> bool:
        """True when some top-level stage is an aggregate."""
        return any(
            isinstance(stage, Apply) and stage.call.kind is FunctionKind.AGGREGATE
            for stage in self.stages
        )
