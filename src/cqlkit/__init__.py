"""cqlkit: run CrowdStrike LogScale (CQL) queries offline."""

from __future__ import annotations

__version__ = "0.1.0"
