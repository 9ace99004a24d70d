"""Signatures of the selection and chart aggregates."""

from __future__ import annotations

from cqlkit.plan.signature import FunctionSpec

SPECS: tuple[FunctionSpec, ...] = ()
