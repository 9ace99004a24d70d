"""Compilation of plan predicates (filters) into SQL booleans that are never NULL."""

from __future__ import annotations

from sqlglot import exp

from cqlkit.engines.reference.values import to_number
from cqlkit.engines.sql.columns import VALUES, Schema, column
from cqlkit.engines.sql.expressions import compile_expression, is_true
from cqlkit.engines.sql.patterns import contains_glob, glob_to_re2, literal_glob, re2
from cqlkit.engines.sql.typed import Typed, as_number, call, definitely, not_null
from cqlkit.language.regexes import LogScaleRegex
from cqlkit.plan import nodes

_ORDERING: dict[str, type[exp.Binary]] = {"<": exp.LT, "<=": exp.LTE, ">": exp.GT, ">=": exp.GTE}


def compile_predicate(predicate: nodes.Predicate, schema: Schema) -> exp.Expr:
    """Compile ``predicate``; a test on a missing field is FALSE, never NULL."""
    if isinstance(predicate, nodes.Everything):
        return exp.true()
    if isinstance(predicate, nodes.AllOf):
        return exp.and_(*(compile_predicate(part, schema) for part in predicate.parts))
    if isinstance(predicate, nodes.AnyOf):
        return exp.or_(*(compile_predicate(part, schema) for part in predicate.parts))
    if isinstance(predicate, nodes.Negation):
        return exp.Not(this=exp.paren(compile_predicate(predicate.operand, schema)))
    if isinstance(predicate, nodes.Exists):
        return (
            not_null(schema.field(predicate.field)) if schema.has(predicate.field) else exp.false()
        )
    if isinstance(predicate, nodes.Equals):
        return definitely(equals_text(schema.field(predicate.field), predicate.value))
    if isinstance(predicate, nodes.GlobMatch):
        return definitely(
            glob_match(schema.field(predicate.field), predicate.pattern, predicate.ignore_case)
        )
    if isinstance(predicate, nodes.RegexMatch):
        return definitely(regex_match(schema.field(predicate.field), predicate.regex))
    if isinstance(predicate, nodes.NumericCompare):
        number = as_number(Typed(schema.field(predicate.field), "text"))
        bound = exp.cast(exp.Literal.number(repr(predicate.number)), "DOUBLE")
        return definitely(_ORDERING[predicate.op](this=number, expression=bound))
    if isinstance(predicate, nodes.FreeText):
        return free_text(schema, predicate.pattern, predicate.regex, ignore_case=False)
    if isinstance(predicate, nodes.CallPredicate):
        return compile_call_predicate(predicate.call, schema)
    raise AssertionError(f"unexpected predicate {type(predicate).__name__}")


def equals_text(value: exp.Expr, expected: str) -> exp.Expr:
    """Whole-value equality; plain decimal numbers also compare numerically."""
    same = exp.EQ(this=value, expression=exp.Literal.string(expected))
    parsed = to_number(expected)
    if parsed is None:
        return same
    numeric = exp.EQ(
        this=as_number(Typed(value.copy(), "text")),
        expression=exp.cast(exp.Literal.number(repr(parsed)), "DOUBLE"),
    )
    return exp.or_(same, numeric)


def glob_match(value: exp.Expr, pattern: str, ignore_case: bool) -> exp.Expr:
    """Anchored glob match of one value."""
    if not ignore_case:
        exact = literal_glob(pattern)
        if exact is not None:
            return exp.EQ(this=value, expression=exp.Literal.string(exact))
        inner = contains_glob(pattern)
        if inner is not None:
            position = exp.StrPosition(this=value, substr=exp.Literal.string(inner))
            return exp.GT(this=position, expression=exp.Literal.number(0))
    return exp.RegexpLike(
        this=value, expression=exp.Literal.string(glob_to_re2(pattern, ignore_case))
    )


def regex_match(value: exp.Expr, regex: LogScaleRegex) -> exp.Expr:
    """Unanchored regex search of one value."""
    return exp.RegexpLike(this=value, expression=exp.Literal.string(re2(regex).pattern))


def free_text(
    schema: Schema, pattern: str | None, regex: LogScaleRegex | None, *, ignore_case: bool
) -> exp.Expr:
    """Search every free-text value (the hidden list column) for a glob or regex."""
    if VALUES not in schema.hidden:
        raise AssertionError("free-text search needs the values column")
    item = exp.to_identifier("v")
    if regex is not None:
        test = regex_match(exp.column(item), regex)
    else:
        unanchored = pattern or "*"
        test = glob_match(exp.column(item), unanchored, ignore_case)
    matching = exp.ArrayFilter(
        this=column(VALUES), expression=exp.Lambda(this=test, expressions=[item])
    )
    return definitely(exp.GT(this=exp.ArraySize(this=matching), expression=exp.Literal.number(0)))


def compile_call_predicate(call_node: nodes.BoundCall, schema: Schema) -> exp.Expr:
    """Compile a filter function; ``negated`` inverts it."""
    compiler = _CALLS.get(call_node.name)
    if compiler is not None:
        result = compiler(call_node, schema)
    else:
        # A filter function of a family: its VALUES table compiles it as a boolean.
        from cqlkit.engines.sql.functions import compile_function_value

        result = is_true(compile_function_value(call_node, schema))
    return exp.Not(this=exp.paren(result)) if call_node.negated else result


def _in(call_node: nodes.BoundCall, schema: Schema) -> exp.Expr:
    value = schema.field(str(call_node.get("field")))
    ignore_case = bool(call_node.get("ignoreCase"))
    values = call_node.get("values")
    assert isinstance(values, tuple)
    tests = []
    for candidate in (str(item) for item in values):
        if "*" in candidate or ignore_case:
            tests.append(glob_match(value.copy(), candidate, ignore_case))
        else:
            tests.append(equals_text(value.copy(), candidate))
    return definitely(exp.or_(*tests)) if tests else exp.false()


def _wildcard(call_node: nodes.BoundCall, schema: Schema) -> exp.Expr:
    pattern = str(call_node.get("pattern"))
    ignore_case = bool(call_node.get("ignoreCase"))
    fields = call_node.get("field")
    if not fields:
        if pattern.strip("*") == "":
            return exp.true()
        return free_text(schema, f"*{pattern}*", None, ignore_case=ignore_case)
    assert isinstance(fields, tuple)
    if set(pattern) == {"*"} and bool(call_node.get("includeEverythingOnAsterisk")):
        return exp.true()
    tests = [glob_match(schema.field(str(field)), pattern, ignore_case) for field in fields]
    return definitely(exp.or_(*tests))


def _test(call_node: nodes.BoundCall, schema: Schema) -> exp.Expr:
    expression = call_node.get("expression")
    assert isinstance(expression, nodes.Expr)
    return is_true(compile_expression(expression, schema))


def _regex(call_node: nodes.BoundCall, schema: Schema) -> exp.Expr:
    regex = call_node.get("regex")
    assert isinstance(regex, LogScaleRegex)
    return definitely(regex_match(schema.field(str(call_node.get("field"))), regex))


_CALLS = {"in": _in, "wildcard": _wildcard, "test": _test, "regex": _regex}

__all__ = ["call", "compile_call_predicate", "compile_predicate"]
