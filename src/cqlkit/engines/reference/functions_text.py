"""The reference engine's string, number, encoding, hashing and array functions."""

from __future__ import annotations

from cqlkit.engines.reference.family import Expanders, Transforms, ValueFunctions

VALUE_FUNCTIONS: ValueFunctions = {}
TRANSFORMS: Transforms = {}
EXPANDERS: Expanders = {}
