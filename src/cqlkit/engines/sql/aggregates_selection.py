"""SQL compilation of the selection and chart aggregates."""

from __future__ import annotations

from cqlkit.engines.sql.family import Aggregates

AGGREGATES: Aggregates = {}
