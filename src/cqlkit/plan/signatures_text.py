"""Signatures of the string, number, encoding, hashing and array functions."""

from __future__ import annotations

from cqlkit.plan.signature import FunctionSpec

SPECS: tuple[FunctionSpec, ...] = ()
