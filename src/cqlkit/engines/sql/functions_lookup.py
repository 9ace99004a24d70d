"""SQL compilation of the lookup and enrichment functions."""

from __future__ import annotations

from cqlkit.engines.sql.family import Transforms, Values

VALUES: Values = {}
TRANSFORMS: Transforms = {}
