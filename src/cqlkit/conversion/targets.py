"""The conversion targets: which pySigma backend and pipelines serve each query language.

Each target names its backend class and processing pipelines as ``module:attribute``
strings. The modules are imported only when a rule is converted, so listing the targets
needs no pySigma package.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from cqlkit.errors import CqlError

if TYPE_CHECKING:
    from sigma.conversion.base import Backend

SIGMA_TARGET = "sigma"
"""The target that prints the Sigma rule itself instead of converting it."""

LOGSCALE_TARGET = "logscale"
"""The target whose output cqlkit checks: it must plan, and be scoped to a Falcon event type."""


class ConversionError(CqlError):
    """A Sigma rule cannot be read or converted, or a backend package is missing."""

    kind = "conversion"


@dataclass(frozen=True, kw_only=True)
class Target:
    """A query language that a Sigma rule converts to, with the pySigma parts that do it."""

    name: str
    description: str
    backend: str
    """The backend class as ``module:ClassName``; empty for the ``sigma`` target."""
    pipelines: tuple[str, ...] = ()
    """Functions that build the processing pipelines, applied in this order."""
    packages: tuple[str, ...] = ()
    """The PyPI packages that provide ``backend`` and ``pipelines``."""

    def build_backend(self) -> Backend:
        """Import the backend and pipelines and return a new backend instance.

        A new instance per rule matters: pySigma backends keep the pipeline state of the
        last rule they converted.

        Raises:
            ConversionError: if a package that the target needs is not installed.
        """
        backend_class = _load(self.backend, self)
        pipeline = None
        for reference in self.pipelines:
            built = _load(reference, self)()
            pipeline = built if pipeline is None else pipeline + built
        backend: Backend = backend_class(processing_pipeline=pipeline)
        return backend


TARGETS: dict[str, Target] = {
    target.name: target
    for target in (
        Target(
            name="splunk",
            description="Splunk SPL over Sysmon events (sysmon and splunk_windows pipelines)",
            backend="sigma.backends.splunk:SplunkBackend",
            pipelines=(
                "sigma.pipelines.sysmon:sysmon_pipeline",
                "sigma.pipelines.splunk:splunk_windows_pipeline",
            ),
            packages=("pysigma-backend-splunk", "pysigma-pipeline-sysmon"),
        ),
        Target(
            name="sentinel",
            description="Microsoft Sentinel KQL over ASIM tables (sentinel_asim pipeline)",
            backend="sigma.backends.kusto:KustoBackend",
            pipelines=("sigma.pipelines.sentinelasim:sentinel_asim_pipeline",),
            packages=("pysigma-backend-kusto",),
        ),
        Target(
            name="defender",
            description="Microsoft Defender XDR advanced hunting KQL (microsoft_xdr pipeline)",
            backend="sigma.backends.kusto:KustoBackend",
            pipelines=("sigma.pipelines.microsoftxdr:microsoft_xdr_pipeline",),
            packages=("pysigma-backend-kusto",),
        ),
        Target(
            name="elastic-esql",
            description="Elasticsearch ES|QL over ECS fields (ecs_windows pipeline)",
            backend="sigma.backends.elasticsearch:ESQLBackend",
            pipelines=("sigma.pipelines.elasticsearch:ecs_windows",),
            packages=("pysigma-backend-elasticsearch",),
        ),
        Target(
            name="elastic-eql",
            description="Elasticsearch EQL over ECS fields (ecs_windows pipeline)",
            backend="sigma.backends.elasticsearch:EqlBackend",
            pipelines=("sigma.pipelines.elasticsearch:ecs_windows",),
            packages=("pysigma-backend-elasticsearch",),
        ),
        Target(
            name=SIGMA_TARGET,
            description="the Sigma rule itself, unchanged",
            backend="",
        ),
        Target(
            name=LOGSCALE_TARGET,
            description="CrowdStrike LogScale CQL over Falcon events (crowdstrike_falcon pipeline)",
            backend="sigma.backends.crowdstrike:LogScaleBackend",
            pipelines=("sigma.pipelines.crowdstrike:crowdstrike_falcon_pipeline",),
            packages=("pysigma-backend-crowdstrike",),
        ),
    )
}
"""Every target by name, in the order that ``--help`` lists them."""


def find_target(name: str) -> Target:
    """Return the target called ``name``.

    Raises:
        ConversionError: if no target has that name. The hint lists the known names.
    """
    try:
        return TARGETS[name]
    except KeyError:
        raise ConversionError(
            f"unknown conversion target {name!r}", hint=f"choose one of: {', '.join(TARGETS)}"
        ) from None


def _load(reference: str, target: Target) -> Any:
    module_name, _, attribute = reference.partition(":")
    try:
        module = importlib.import_module(module_name)
    except ImportError as exc:
        raise ConversionError(
            f"cannot convert to {target.name}: module {module_name} is not installed",
            hint=f"install it with: pip install {' '.join(target.packages)}",
        ) from exc
    return getattr(module, attribute)
