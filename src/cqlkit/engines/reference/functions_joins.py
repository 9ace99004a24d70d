"""The reference engine's functions that run a sub-query over the input."""

from __future__ import annotations

from cqlkit.engines.reference.family import Expanders, Transforms, ValueFunctions

VALUE_FUNCTIONS: ValueFunctions = {}
TRANSFORMS: Transforms = {}
EXPANDERS: Expanders = {}
