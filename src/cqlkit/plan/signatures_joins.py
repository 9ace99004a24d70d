"""Signatures of the functions that run a sub-query over the input."""

from __future__ import annotations

from cqlkit.plan.signature import FunctionSpec

SPECS: tuple[FunctionSpec, ...] = ()
