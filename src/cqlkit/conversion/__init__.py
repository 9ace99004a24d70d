"""Conversion of a detection's Sigma rule to other query languages, with pySigma.

:func:`read_sigma_source` finds the rule of a detection, :func:`convert_sigma` converts it
to one of :data:`TARGETS`, and :func:`check_logscale_conversion` checks that every LogScale
query that comes out plans in cqlkit and is scoped to a Falcon event type
(:mod:`cqlkit.conversion.scoping`). pySigma and its backend packages are imported only
when a rule is converted.
"""

from __future__ import annotations

from cqlkit.conversion.converter import (
    Conversion,
    RuleConversion,
    SigmaSource,
    convert_sigma,
    read_sigma_source,
)
from cqlkit.conversion.logscale import (
    LogScaleCheckError,
    QueryCheck,
    check_logscale_conversion,
    check_logscale_query,
    require_passed,
)
from cqlkit.conversion.scoping import EVENT_TYPE_FIELDS, UnscopedPath, find_unscoped_path
from cqlkit.conversion.targets import (
    LOGSCALE_TARGET,
    SIGMA_TARGET,
    TARGETS,
    ConversionError,
    Target,
    find_target,
)

__all__ = [
    "EVENT_TYPE_FIELDS",
    "LOGSCALE_TARGET",
    "SIGMA_TARGET",
    "TARGETS",
    "Conversion",
    "ConversionError",
    "LogScaleCheckError",
    "QueryCheck",
    "RuleConversion",
    "SigmaSource",
    "Target",
    "UnscopedPath",
    "check_logscale_conversion",
    "check_logscale_query",
    "convert_sigma",
    "find_target",
    "find_unscoped_path",
    "read_sigma_source",
    "require_passed",
]
