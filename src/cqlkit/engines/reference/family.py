"""The shapes of the tables through which each family of functions plugs into
the reference engine.

A family module exports up to three tables keyed by canonical function name:

- ``VALUE_FUNCTIONS``: compute one value from an event. Expressions use it, and
  a transform with an ``as`` parameter writes it to that field (a null result
  sets nothing).
- ``TRANSFORMS``: change an event in place;
- ``EXPANDERS``: turn one event into zero or more rows (``split()``, a filter
  that also enriches such as ``match()``).

Aggregate families export ``AGGREGATORS``: factories of running aggregates.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from cqlkit.engines.reference.context import RunContext
from cqlkit.engines.reference.row import Row
from cqlkit.engines.reference.values import Value
from cqlkit.plan import nodes

ValueFunctions = dict[str, Callable[[nodes.BoundCall, Row], Value]]
Transforms = dict[str, Callable[[nodes.BoundCall, Row, RunContext], None]]
Expanders = dict[str, Callable[[nodes.BoundCall, Row, RunContext], Iterable[Row]]]
