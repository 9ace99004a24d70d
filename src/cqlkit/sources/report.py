"""Counters and rejected-record notes collected while input files are read."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import ClassVar


class InvalidRecord(ValueError):
    """A record that cannot be turned into an event. The reader skips and counts it."""


@dataclass(frozen=True, slots=True)
class RejectedRecord:
    """A record that could not be read, with where it sits in its file."""

    path: str
    #: ``"line 12"`` for JSON lines, ``"record 7"`` for EVTX records and JSON array elements.
    location: str
    reason: str

    def __str__(self) -> str:
        return f"{self.path}:{self.location}: {self.reason}"


@dataclass(slots=True)
class ReadReport:
    """Statistics of one :func:`cqlkit.sources.read_events` run, updated as events are yielded."""

    #: Maximum number of rejected records kept in :attr:`problems`. Later ones are only counted.
    MAX_PROBLEMS: ClassVar[int] = 100

    events_read: int = 0
    rejected: int = 0
    problems: list[RejectedRecord] = field(default_factory=list)
    #: Files opened for reading, in the order they were read.
    files: list[str] = field(default_factory=list)
    #: Files (or zip members) found by walking a folder whose format was not recognised.
    skipped_files: list[str] = field(default_factory=list)

    def add_rejected(self, problem: RejectedRecord) -> None:
        """Count a rejected record and keep its note while fewer than MAX_PROBLEMS are kept."""
        self.rejected += 1
        if len(self.problems) < self.MAX_PROBLEMS:
            self.problems.append(problem)
