"""SQL compilation of the string, number, encoding, hashing and array functions."""

from __future__ import annotations

from cqlkit.engines.sql.family import Transforms, Values

VALUES: Values = {}
TRANSFORMS: Transforms = {}
