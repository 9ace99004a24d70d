"""Syntax tree of a CQL query. Every node carries the span of its source text.

The tree keeps what the text contains, including mistakes the parser can recover
from (such as ``= ~/regex/`` inside a function call), so that ``cqlkit check``
can report them with fixes. Meaning is assigned later, by the planner.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, fields

from cqlkit.language.span import Span


@dataclass(frozen=True, slots=True)
class Node:
    """Base of all syntax nodes."""

    span: Span

    def children(self) -> Iterator[Node]:
        """Yield the direct child nodes, in source order."""
        for item in fields(self):
            value = getattr(self, item.name)
            if isinstance(value, Node):
                yield value
            elif isinstance(value, tuple):
                yield from (child for child in value if isinstance(child, Node))

    def walk(self) -> Iterator[Node]:
        """Yield this node and all its descendants, depth first."""
        yield self
        for child in self.children():
            yield from child.walk()


# --- names and values -------------------------------------------------------


@dataclass(frozen=True, slots=True)
class FieldName(Node):
    """A field name on the left of a filter or assignment (``#repo``, ``"a-b"``)."""

    name: str
    quoted: bool = False


@dataclass(frozen=True, slots=True)
class StringLit(Node):
    """A double-quoted string; ``value`` is unescaped."""

    value: str


@dataclass(frozen=True, slots=True)
class Word(Node):
    """An unquoted token in a value position: a field name, a pattern such as
    ``*\\cmd.exe``, a number or an option like ``desc``. The planner decides
    which, from the parameter it fills."""

    text: str


@dataclass(frozen=True, slots=True)
class NumberLit(Node):
    """A number literal inside an expression."""

    text: str


@dataclass(frozen=True, slots=True)
class BoolLit(Node):
    """``true`` or ``false`` inside an expression."""

    value: bool


@dataclass(frozen=True, slots=True)
class RegexLit(Node):
    """A regex literal ``/pattern/flags``; ``pattern`` is the text between the slashes."""

    pattern: str
    flags: str


@dataclass(frozen=True, slots=True)
class FieldRef(Node):
    """A bare name inside an expression: the value of that field."""

    name: str


@dataclass(frozen=True, slots=True)
class Param(Node):
    """A query parameter ``?name`` or ``?{name=default}``."""

    name: str
    default: str | None


@dataclass(frozen=True, slots=True)
class ArrayLit(Node):
    """``[a, b, c]``."""

    items: tuple[Node, ...]


@dataclass(frozen=True, slots=True)
class SubQuery(Node):
    """A sub-pipeline in braces, such as ``groupBy(x, function={count()})``."""

    pipeline: Pipeline


@dataclass(frozen=True, slots=True)
class NamedQuery(Node):
    """One query of correlate(): ``name: { ... } include: [f1, f2]``."""

    name: str
    name_span: Span
    query: SubQuery
    include: Node | None = None


@dataclass(frozen=True, slots=True)
class Argument(Node):
    """One function argument, named (``limit=10``) or positional."""

    name: str | None
    value: Node
    name_span: Span | None = None


@dataclass(frozen=True, slots=True)
class Call(Node):
    """A function call; ``negated`` is set by a leading ``!`` or ``not``."""

    name: str
    arguments: tuple[Argument, ...]
    name_span: Span
    negated: bool = False


@dataclass(frozen=True, slots=True)
class SavedSearchCall(Node):
    """A saved-search call ``$name(...)``."""

    name: str
    arguments: tuple[Argument, ...]


@dataclass(frozen=True, slots=True)
class NamedItem(Node):
    """``name := call()`` inside an aggregate list: the call's ``as`` name."""

    target: FieldName
    value: Node


@dataclass(frozen=True, slots=True)
class BinaryOp(Node):
    """An arithmetic or comparison operator inside an expression."""

    op: str
    left: Node
    right: Node


@dataclass(frozen=True, slots=True)
class UnaryOp(Node):
    """``!x`` or ``-x`` inside an expression."""

    op: str
    operand: Node


@dataclass(frozen=True, slots=True)
class TildeRegex(Node):
    """The invalid form ``= ~/regex/``: not an operator in LogScale. Kept so
    that ``check`` can explain it and ``--lenient`` can read it as a regex test."""

    regex: RegexLit


# --- filters ----------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class And(Node):
    """Both filters, written ``a and b`` or ``a b``."""

    left: Node
    right: Node
    implicit: bool = False


def conjuncts(node: Node) -> Iterator[Node]:
    """Yield the parts of a top-level and-chain in order. Any other node is one part."""
    if isinstance(node, And):
        yield from conjuncts(node.left)
        yield from conjuncts(node.right)
    else:
        yield node


@dataclass(frozen=True, slots=True)
class Or(Node):
    """Either filter."""

    left: Node
    right: Node


@dataclass(frozen=True, slots=True)
class Not(Node):
    """``not x`` or ``!x``."""

    operand: Node


@dataclass(frozen=True, slots=True)
class Comparison(Node):
    """A field filter ``field op value`` with op one of ``= != < <= > >= like``.
    The value is a string, word, regex or ``TildeRegex``; it is never a field.
    Inside a correlate() query, op ``<=>`` links the field to ``query.field`` (a Word)."""

    field: FieldName
    op: str
    value: Node


@dataclass(frozen=True, slots=True)
class InList(Node):
    """``field in [v1, v2]``, the operator form of ``in()``."""

    field: FieldName
    values: ArrayLit


@dataclass(frozen=True, slots=True)
class FreeText(Node):
    """A bare word, string or regex: a search of the whole event."""

    value: Node


@dataclass(frozen=True, slots=True)
class FieldOperator(Node):
    """``field =~ fn(...)``: shorthand for ``fn(..., field=field)``."""

    field: FieldName
    call: Call


# --- steps ------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class FilterStep(Node):
    """A step made of filters and filter functions, or of one function call."""

    expression: Node


@dataclass(frozen=True, slots=True)
class Assignment(Node):
    """``field := expression``."""

    target: FieldName
    value: Node


@dataclass(frozen=True, slots=True)
class AggregateList(Node):
    """A step ``[agg1, agg2]``: shorthand for ``stats([...])``."""

    items: ArrayLit


@dataclass(frozen=True, slots=True)
class CaseStatement(Node):
    """``case { a ; b ; * }``: the first clause that emits the event wins."""

    clauses: tuple[Pipeline, ...]


@dataclass(frozen=True, slots=True)
class MatchArm(Node):
    """``guard => steps`` inside a match statement; a missing guard means ``*``."""

    guard: Node | None
    body: Pipeline


@dataclass(frozen=True, slots=True)
class MatchStatement(Node):
    """``field match { guard => steps ; ... }``."""

    field: FieldName
    arms: tuple[MatchArm, ...]


@dataclass(frozen=True, slots=True)
class Pipeline(Node):
    """Steps joined by ``|`` (or by a newline between complete steps)."""

    steps: tuple[Node, ...]
