"""Signatures of the lookup and enrichment functions."""

from __future__ import annotations

from cqlkit.plan.signature import FunctionSpec

SPECS: tuple[FunctionSpec, ...] = ()
