"""Evaluation of plan predicates (filters) on one event."""

from __future__ import annotations

from collections.abc import Iterator, Mapping

from cqlkit.engines.reference.bound_arguments import bound_argument
from cqlkit.engines.reference.expressions import evaluate, is_true
from cqlkit.engines.reference.globs import compile_glob, glob_matches
from cqlkit.engines.reference.row import Row
from cqlkit.engines.reference.values import to_number
from cqlkit.errors import ExecutionError
from cqlkit.language.regexes import LogScaleRegex
from cqlkit.plan import nodes
from cqlkit.plan.fields import NOT_FREE_TEXT, RAW_FIELD

# Free text does not search these, nor tag fields (names starting with #).
_ORDERING = {
    "<": float.__lt__,
    "<=": float.__le__,
    ">": float.__gt__,
    ">=": float.__ge__,
}


def matches(predicate: nodes.Predicate, event: Row) -> bool:
    """Return True when ``event`` passes ``predicate``.

    Every field test fails on a missing field; ``f != v`` is a negation, so it passes.
    """
    if isinstance(predicate, nodes.Everything):
        return True
    if isinstance(predicate, nodes.AllOf):
        return all(matches(part, event) for part in predicate.parts)
    if isinstance(predicate, nodes.AnyOf):
        return any(matches(part, event) for part in predicate.parts)
    if isinstance(predicate, nodes.Negation):
        return not matches(predicate.operand, event)
    if isinstance(predicate, nodes.Exists):
        return predicate.field in event
    if isinstance(predicate, nodes.CallPredicate):
        return call_matches(predicate.call, event)
    if isinstance(predicate, nodes.FreeText):
        return _free_text(predicate, event)
    return _field_test(predicate, event)


def _field_test(predicate: nodes.Predicate, event: Row) -> bool:
    if isinstance(predicate, nodes.Equals):
        value = event.get(predicate.field)
        return value is not None and equals_text(value, predicate.value)
    if isinstance(predicate, nodes.GlobMatch):
        value = event.get(predicate.field)
        return value is not None and glob_matches(predicate.pattern, value, predicate.ignore_case)
    if isinstance(predicate, nodes.RegexMatch):
        value = event.get(predicate.field)
        return value is not None and predicate.regex.search(value) is not None
    if isinstance(predicate, nodes.NumericCompare):
        number = to_number(event.get(predicate.field))
        return number is not None and _ORDERING[predicate.op](number, predicate.number)
    raise ExecutionError(
        f"the reference engine cannot evaluate {type(predicate).__name__}", span=predicate.span
    )


def equals_text(value: str, expected: str) -> bool:
    """Whole-value equality; plain decimal numbers also compare numerically (404.0 = 404)."""
    if value == expected:
        return True
    left, right = to_number(value), to_number(expected)
    return left is not None and left == right


def free_text_values(event: Row) -> Iterator[str]:
    """Yield the values that free-text search reads, @rawstring first."""
    source = event.origin if event.origin is not None else event
    # The same rule as plan.fields.free_text_fields, written out for this per-event loop.
    raw = source.get(RAW_FIELD)
    if raw is not None:
        yield raw
    for name, value in source.items():
        if name != RAW_FIELD and not name.startswith("#") and name not in NOT_FREE_TEXT:
            yield value


def _free_text(predicate: nodes.FreeText, event: Row) -> bool:
    if predicate.regex is not None:
        regex = predicate.regex
        return any(regex.search(value) is not None for value in free_text_values(event))
    return free_text_glob(predicate.pattern or "*", event, ignore_case=False)


def free_text_glob(pattern: str, event: Row, *, ignore_case: bool) -> bool:
    """Search every free-text value for an unanchored glob such as ``*horse*``."""
    inner = pattern.strip("*")
    if "*" not in inner and "\\" not in inner and not ignore_case:
        return any(inner in value for value in free_text_values(event))
    compiled = compile_glob(pattern, ignore_case)
    return any(compiled.match(value) is not None for value in free_text_values(event))


def call_matches(call: nodes.BoundCall, event: Row) -> bool:
    """Evaluate a filter function; ``negated`` inverts it."""
    test = _FILTERS.get(call.name)
    result = test(call, event) if test is not None else _family_filter(call, event)
    return not result if call.negated else result


def _family_filter(call: nodes.BoundCall, event: Row) -> bool:
    """Evaluate a filter function of a family, which its VALUE_FUNCTIONS table
    computes as a boolean."""
    from cqlkit.engines.reference.functions import call_value

    return is_true(call_value(call, event))


def _in(call: nodes.BoundCall, event: Mapping[str, str]) -> bool:
    value = event.get(str(call.get("field")))
    if value is None:
        return False
    ignore_case = bool(call.get("ignoreCase"))
    values = call.get("values")
    assert isinstance(values, tuple)
    return any(
        glob_matches(str(candidate), value, ignore_case)
        if "*" in str(candidate) or ignore_case
        else equals_text(value, str(candidate))
        for candidate in values
    )


def _wildcard(call: nodes.BoundCall, event: Row) -> bool:
    pattern = str(call.get("pattern"))
    ignore_case = bool(call.get("ignoreCase"))
    fields = call.get("field")
    if not fields:
        if pattern.strip("*") == "":
            return True
        return free_text_glob(f"*{pattern}*", event, ignore_case=ignore_case)
    assert isinstance(fields, tuple)
    if set(pattern) == {"*"} and bool(call.get("includeEverythingOnAsterisk")):
        return True
    return any(
        (value := event.get(field)) is not None and glob_matches(pattern, value, ignore_case)
        for field in fields
    )


def _test(call: nodes.BoundCall, event: Row) -> bool:
    expression = call.get("expression")
    assert isinstance(expression, nodes.Expr)
    return is_true(evaluate(expression, event))


def call_regex(call: nodes.BoundCall) -> LogScaleRegex:
    """Return the compiled regex of a regex() or replace() call."""
    return bound_argument(call, "regex", LogScaleRegex, "a compiled regex")


def _regex(call: nodes.BoundCall, event: Row) -> bool:
    value = event.get(str(call.get("field")))
    return value is not None and call_regex(call).search(value) is not None


_FILTERS = {
    "in": _in,
    "wildcard": _wildcard,
    "test": _test,
    "regex": _regex,
}
