"""The types that describe a CQL function: its kind, parameters and signature.

The registry in :mod:`cqlkit.plan.functions` assembles the signatures of every
function from the signature modules, one per family of functions.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from enum import Enum


class FunctionKind(Enum):
    """Kind of a function: its effect on the event stream."""

    FILTER = "filter"  # keeps or drops each event
    TRANSFORM = "transform"  # changes each event, one in and one out
    AGGREGATE = "aggregate"  # consumes all events and emits new rows


class ParamType(Enum):
    """Type of an argument: how its text is read."""

    FIELD = "field"  # one field name
    FIELDS = "fields"  # one field name or an array of them
    STRING = "string"  # a literal text
    NUMBER = "number"
    LIMIT = "limit"  # a number or the word max
    BOOLEAN = "boolean"
    CHOICE = "choice"  # one word from a fixed set
    CHOICES = "choices"  # one word or an array of words from a fixed set
    VALUES = "values"  # an array of literal values or globs
    EXPRESSION = "expression"
    EXPRESSIONS = "expressions"  # an array of expressions
    AGGREGATES = "aggregates"  # an aggregate call, an array of them or a sub-pipeline
    PIPELINE = "pipeline"  # a sub-query of non-aggregate steps, such as condition={x > 2}
    RENAMES = "renames"  # a field name, or an array of [old, new] pairs
    QUERIES = "queries"  # correlate()'s named queries, such as a: {...} include: [f]


@dataclass(frozen=True, slots=True)
class Parameter:
    """One parameter of a function."""

    name: str
    type: ParamType
    required: bool = False
    default: str | None = None
    choices: tuple[str, ...] = ()
    aliases: tuple[str, ...] = ()
    maximum: int | None = None
    minimum: int | None = None

    @property
    def is_expression(self) -> bool:
        """True when the argument is parsed as an expression (fields are bare names)."""
        return self.type in (ParamType.EXPRESSION, ParamType.EXPRESSIONS)


@dataclass(frozen=True, slots=True)
class FunctionSpec:
    """The signature of one function."""

    name: str
    kind: FunctionKind
    parameters: tuple[Parameter, ...]
    unnamed: str | None = None
    negatable: bool = False
    # eval() takes only assignments ``name = expression``, with any names.
    assignments_only: bool = False
    # regex() filters like a filter and also extracts fields like a transform.
    extracts: bool = False
    # The fields it sets depend on the data (parseJson(), kvParse(), match()
    # with every column), so no engine can list them before the run.
    dynamic_outputs: bool = False
    # It may read any field of the event (getField(), join()), so engines that
    # read only the columns a query names must read them all.
    reads_all_fields: bool = False
    # The fields it sets, from its bound arguments, when they are more than its
    # ``as`` field (ipLocation() sets ``ip.country``, ``ip.city`` and more).
    output_fields: Callable[[Mapping[str, object]], tuple[str, ...]] | None = None

    @property
    def documentation(self) -> str:
        """The LogScale reference page of the function."""
        page = self.name.lower().replace(":", "-")
        return f"https://library.humio.com/data-analysis/functions-{page}.html"

    def parameter(self, name: str) -> Parameter | None:
        """Return the parameter called ``name`` (or one of its aliases)."""
        for parameter in self.parameters:
            if parameter.name == name or name in parameter.aliases:
                return parameter
        return None

    def is_expression_argument(self, name: str | None) -> bool:
        """Tell whether the argument ``name`` (None for the unnamed one) is an expression."""
        if self.assignments_only:
            return True
        parameter = self.parameter(name or self.unnamed or "")
        return parameter is not None and parameter.is_expression


def param(name: str, type_: ParamType, **options: object) -> Parameter:
    """Return a parameter; ``options`` are the fields of :class:`Parameter`."""
    return Parameter(name, type_, **options)  # type: ignore[arg-type]


def output(default: str) -> Parameter:
    """Return the ``as`` parameter that names a function's output field."""
    return Parameter("as", ParamType.FIELD, default=default)
