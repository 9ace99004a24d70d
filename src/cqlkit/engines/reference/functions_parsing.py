"""The reference engine's time, parsing and event-making functions."""

from __future__ import annotations

from cqlkit.engines.reference.family import Expanders, Transforms, ValueFunctions

VALUE_FUNCTIONS: ValueFunctions = {}
TRANSFORMS: Transforms = {}
EXPANDERS: Expanders = {}
