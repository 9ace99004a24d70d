"""SQL compilation of the functions that run a sub-query over the input."""

from __future__ import annotations

from cqlkit.engines.sql.family import Transforms, Values

VALUES: Values = {}
TRANSFORMS: Transforms = {}
