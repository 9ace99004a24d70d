"""The reference engine's lookup and enrichment functions."""

from __future__ import annotations

from cqlkit.engines.reference.family import Expanders, Transforms, ValueFunctions

VALUE_FUNCTIONS: ValueFunctions = {}
TRANSFORMS: Transforms = {}
EXPANDERS: Expanders = {}
