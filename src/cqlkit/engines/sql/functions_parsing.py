"""SQL compilation of the time, parsing and event-making functions."""

from __future__ import annotations

from cqlkit.engines.sql.family import Transforms, Values

VALUES: Values = {}
TRANSFORMS: Transforms = {}
