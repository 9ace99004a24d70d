"""Checks of the LogScale queries that pySigma writes: cqlkit must plan them, and each must
be scoped to a Falcon event type."""

from __future__ import annotations

from dataclasses import dataclass

from cqlkit.conversion.converter import Conversion, RuleConversion
from cqlkit.conversion.scoping import UnscopedPath, find_unscoped_path
from cqlkit.conversion.targets import ConversionError
from cqlkit.errors import CqlError
from cqlkit.language.diagnostics import Diagnostic
from cqlkit.plan.planner import check_query

# The log sources named here are those that pysigma-backend-crowdstrike 3.0.0 maps to an
# event type.
SCOPE_HINT = (
    "LogScale would search every Falcon event type with it. Give the rule a log source that"
    " the crowdstrike_falcon pipeline maps to an event type (process_creation, image_load,"
    " driver_load, dns_query, ps_script, or network_connection with Initiated), or add an"
    " #event_simpleName filter to the converted query by hand"
)


class LogScaleCheckError(ConversionError):
    """A converted LogScale query is not scoped to a Falcon event type, or cqlkit rejects it."""

    kind = "logscale-check"


@dataclass(frozen=True, kw_only=True)
class QueryCheck:
    """The result of cqlkit's check of one converted LogScale query."""

    rule: RuleConversion
    query: str
    diagnostics: tuple[Diagnostic, ...] = ()
    syntax_error: CqlError | None = None
    unscoped: UnscopedPath | None = None

    @property
    def errors(self) -> tuple[Diagnostic, ...]:
        """The diagnostics for which LogScale would reject the query."""
        return tuple(d for d in self.diagnostics if d.severity == "error")

    @property
    def warnings(self) -> tuple[Diagnostic, ...]:
        """The diagnostics that do not stop the query from running."""
        return tuple(d for d in self.diagnostics if d.severity == "warning")

    @property
    def passed(self) -> bool:
        """True when the query plans without errors and is scoped to an event type."""
        return self.syntax_error is None and not self.errors and self.unscoped is None


def check_logscale_query(rule: RuleConversion, query: str) -> QueryCheck:
    """Plan ``query`` with cqlkit and look for a path that lets every event type through.

    The scope is checked even when cqlkit reports errors, on the part of the plan that it
    could build. A stage that cqlkit cannot plan, such as a call of a function it does not
    know, is missing from that plan.
    """
    try:
        plan, diagnostics = check_query(query)
    except CqlError as exc:
        return QueryCheck(rule=rule, query=query, syntax_error=exc)
    unscoped = None if plan is None else find_unscoped_path(plan)
    return QueryCheck(rule=rule, query=query, diagnostics=tuple(diagnostics), unscoped=unscoped)


def check_logscale_conversion(conversion: Conversion) -> list[QueryCheck]:
    """Check every query of a conversion to LogScale, in rule order."""
    return [
        check_logscale_query(rule, query) for rule in conversion.rules for query in rule.queries
    ]


def require_passed(check: QueryCheck, conversion: Conversion) -> None:
    """Raise unless ``check`` passed.

    Raises:
        LogScaleCheckError: naming the rule, its file and the fault. For an unscoped query
            the error points at the first filter of a path that lets every event type
            through.
    """
    rule = f"Sigma rule {check.rule.label} in {conversion.source}"
    if check.syntax_error is not None:
        error = check.syntax_error
        raise LogScaleCheckError(
            f"{rule} converts to a LogScale query that cqlkit cannot parse: {error.description}",
            span=error.span,
            source=check.query,
            hint="either the backend wrote invalid CQL or cqlkit's parser lacks a construct it"
            " uses; check the query in LogScale",
        )
    if check.unscoped is not None:
        path = check.unscoped
        description = (
            f"{rule} converts to a LogScale query that is not scoped to a Falcon event type:"
            f" no #event_simpleName filter on the path {path.describe(check.query)}"
        )
        if check.errors:
            description += f" (cqlkit could not plan all of the query: {check.errors[0].message})"
        raise LogScaleCheckError(
            description,
            span=path.spans[0] if path.spans else None,
            source=check.query,
            hint=SCOPE_HINT,
        )
    if check.errors:
        first = check.errors[0]
        count = len(check.errors)
        raise LogScaleCheckError(
            f"{rule} converts to a LogScale query that cqlkit rejects: {first.message}"
            f" ({count} {'error' if count == 1 else 'errors'}; run cqlkit check on the output"
            " to list them)",
            span=first.span,
            source=check.query,
            hint=first.hint,
        )
