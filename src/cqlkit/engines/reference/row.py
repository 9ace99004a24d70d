"""The event record that flows through the reference interpreter."""

from __future__ import annotations

from cqlkit.engines.reference.values import to_number


class Row(dict[str, str]):
    """An event: a flat map of field names to text.

    ``origin`` is the event as it entered the pipeline, which free-text
    search reads; rows made by an aggregate have none. ``time`` is the event
    time in epoch milliseconds, kept apart from the fields so that head() and
    tail() can order events even after select() or drop() removed
    ``@timestamp``.
    """

    __slots__ = ("origin", "seq", "time")

    def __init__(
        self,
        fields: dict[str, str],
        origin: dict[str, str] | None = None,
        time: float | None = None,
    ) -> None:
        super().__init__(fields)
        self.origin = origin
        self.time = time
        # Input order, set by engines that pass rows between SQL and this interpreter.
        self.seq: int | None = None

    @classmethod
    def from_event(cls, event: dict[str, str], keep_origin: bool) -> Row:
        """Wrap an event read from a source; the source's dict is not changed."""
        time = to_number(event.get("@timestamp"))
        if time is None:
            time = to_number(event.get("@ingesttimestamp"))
        return cls(event, event if keep_origin else None, time)

    def copy(self) -> Row:
        """Return a shallow copy that keeps the same origin, time and order."""
        copy = Row(self, self.origin, self.time)
        copy.seq = self.seq
        return copy

    def event_time(self) -> float | None:
        """Return @timestamp if the row has it, else the time it entered with."""
        current = to_number(self.get("@timestamp"))
        return self.time if current is None else current
