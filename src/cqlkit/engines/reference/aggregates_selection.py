"""The reference engine's selection and chart aggregates."""

from __future__ import annotations

from cqlkit.engines.reference.aggregates_base import AggregatorFactories

AGGREGATORS: AggregatorFactories = {}
