"""State shared while one query is planned: options and collected diagnostics."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from cqlkit.errors import RegexTranslationError
from cqlkit.language.diagnostics import Diagnostic
from cqlkit.language.regexes import LogScaleRegex, translate
from cqlkit.language.span import Span
from cqlkit.plan.resources import Resources


@dataclass
class PlanContext:
    """Options of one planning run and the diagnostics it collects.

    ``resources`` locates the local data the query may use (lookup files, saved
    searches, GeoIP databases); ``lenient`` accepts the known mistakes of published detections (see
    :mod:`cqlkit.plan.mistakes`), gives them their evident meaning and reports
    them as warnings instead of errors.
    """

    source: str
    lenient: bool = False
    parameters: Mapping[str, str] = field(default_factory=dict)
    resources: Resources = field(default_factory=Resources)
    # The saved searches being planned, outermost first, to stop cycles.
    saved_search_stack: tuple[str, ...] = ()
    # check lets parameters without a value stand for themselves, as LogScale's
    # editor compiles a parameterised query before the user fills it in.
    parameters_optional: bool = False
    diagnostics: list[Diagnostic] = field(default_factory=list)

    def error(self, code: str, message: str, span: Span | None, **extra: str | Span | None) -> None:
        """Record an error: something LogScale would refuse to compile."""
        self.diagnostics.append(Diagnostic("error", code, message, span, **extra))  # type: ignore[arg-type]

    def warn(self, code: str, message: str, span: Span | None, **extra: str | Span | None) -> None:
        """Record a warning: the query compiles but probably does not do what its author meant."""
        self.diagnostics.append(Diagnostic("warning", code, message, span, **extra))  # type: ignore[arg-type]

    def mistake(
        self, code: str, message: str, span: Span | None, **extra: str | Span | None
    ) -> None:
        """Record a known mistake: a warning in lenient mode, otherwise an error."""
        if self.lenient:
            self.warn(code, message + " (accepted by --lenient)", span, **extra)
        else:
            self.error(code, message, span, **extra)

    @property
    def has_errors(self) -> bool:
        """True once any error was recorded."""
        return any(d.severity == "error" for d in self.diagnostics)

    def regex(self, pattern: str, flags: str, span: Span | None) -> LogScaleRegex | None:
        """Translate a LogScale regex, recording an error when it cannot be used."""
        try:
            return translate(pattern, flags)
        except RegexTranslationError as exc:
            diagnostic = Diagnostic(
                "error", "invalid-regex", exc.description, span, hint=exc.reason
            )
            # A top-level regex literal is translated twice: once to look for named
            # groups and once as a filter. Report its error once.
            if diagnostic not in self.diagnostics:
                self.diagnostics.append(diagnostic)
            return None

    def parameter(self, name: str, default: str | None, span: Span | None) -> str:
        """Return the value of query parameter ``?name``."""
        if name in self.parameters:
            return self.parameters[name]
        if default is not None:
            return default
        if self.parameters_optional:
            return name
        hint = (
            f"pass it in the call: ${self.saved_search_stack[-1]}({name}=VALUE)"
            if self.saved_search_stack
            else f"give it a value with --param {name}=VALUE"
        )
        message = f"the query parameter ?{name} has no value"
        self.error("missing-parameter", message, span, hint=hint)
        return ""
