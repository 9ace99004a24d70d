"""Options and warnings of one run of the reference interpreter."""

from __future__ import annotations

from dataclasses import dataclass, field

from cqlkit.plan import nodes


@dataclass
class RunContext:
    """Options and warnings of one run, besides the plan and the events.

    ``lift_default_limits`` (the CLI's ``--all``) removes the implicit
    ``tail(200)`` and the default 200-row limits of sort(), table(), head()
    and tail(). Limits written in the query still apply.
    """

    lift_default_limits: bool = False
    warnings: list[str] = field(default_factory=list)
    # Tables that defineTable() built, by name, for match(table=NAME).
    tables: dict[str, list[dict[str, str]]] = field(default_factory=dict)

    def warn(self, message: str) -> None:
        """Record a warning once, however often it happens."""
        if message not in self.warnings:
            self.warnings.append(message)

    def limit(self, call: nodes.BoundCall, *, liftable: bool = False) -> int | None:
        """Return the row limit of ``call``; None means no limit. A ``liftable``
        default limit is removed by ``lift_default_limits``."""
        if liftable and self.lift_default_limits and "limit" not in call.explicit:
            return None
        value = call.get("limit")
        return int(value) if isinstance(value, int | float) else None
