"""The shapes of the tables through which each family of functions plugs into
the SQL compiler.

A family module exports up to three tables keyed by canonical function name:

- ``VALUES``: compile a function to one typed SQL value; used inside
  expressions and, for transforms with an ``as`` parameter, assigned to that
  field (NULL assigns nothing);
- ``TRANSFORMS``: compile a row stage to a SELECT over the relation ``source``;
- ``AGGREGATES``: compile an aggregate to a SELECT over ``source``.

A function missing from these tables runs on the reference engine, and the
engine prints a notice naming it. A compiler raises UnsupportedFeatureError
for the arguments it cannot reproduce exactly, with the same effect.
"""

from __future__ import annotations

from collections.abc import Callable

from cqlkit.engines.sql.columns import Schema
from cqlkit.engines.sql.stages_base import CompiledStage
from cqlkit.engines.sql.typed import Typed
from cqlkit.plan import nodes

Values = dict[str, Callable[[nodes.BoundCall, Schema], Typed]]
Transforms = dict[str, Callable[[nodes.BoundCall, Schema, str], CompiledStage]]
Aggregates = dict[str, Callable[[nodes.BoundCall, Schema, str, bool], CompiledStage]]
"""The last argument of an aggregate compiler is ``lift_default_limits``."""
