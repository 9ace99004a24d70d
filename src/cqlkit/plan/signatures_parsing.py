"""Signatures of the time, parsing and event-making functions."""

from __future__ import annotations

from cqlkit.plan.signature import FunctionSpec

SPECS: tuple[FunctionSpec, ...] = ()
