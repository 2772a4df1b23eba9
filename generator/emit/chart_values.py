"""An upstream chart component's values: as written, references resolved, plus what platformc sets itself.

Both the umbrella chart (generator.emit.charts) and the dashboards' queries
(generator.emit.promql, for the names the chart gives its pods) read them.
"""

from __future__ import annotations

import functools
import io
import tarfile

from generator.emit.argocd_health import ARGOCD_CM
from generator.emit.tree import Output
from generator.model.resolve import resolve_value
from generator.model.types import Component, Platform


def chart_values(platform: Platform, component: Component) -> Output:
    """The chart's values with references resolved, plus what platformc must set itself."""
    values = dict(resolve_value(platform, component.app, dict(component.values)))
    # platformc names the Services and exception targets of a chart after the component,
    # so references and PolicyExceptions match what the chart creates.
    needs_names = component.ports or component.ingress is not None or component.exceptions
    if needs_names and "fullnameOverride" not in values and _reads_fullname(platform, component):
        values["fullnameOverride"] = component.service
    if component.chart_name == "kyverno":
        values = kyverno_values(platform, values)
    if component.chart_name == "argo-cd":
        values = argocd_install_values(values)
    return values


def argocd_install_values(values: Output) -> Output:
    """Argo CD's settings the platform needs, under whatever the author wrote (theirs win)."""
    configs = dict(values.get("configs") or {})
    cm = dict(configs.get("cm") or {})
    for key, setting in ARGOCD_CM.items():
        cm.setdefault(key, setting)
    configs["cm"] = cm
    return {**values, "configs": configs}


def kyverno_values(platform: Platform, values: Output) -> Output:
    """PolicyExceptions only take effect where the Kyverno installation enables them."""
    namespace = platform.exception_namespace
    features = dict(values.get("features") or {})
    exceptions = dict(features.get("policyExceptions") or {})
    exceptions.setdefault("enabled", True)
    exceptions.setdefault("namespace", namespace)
    features["policyExceptions"] = exceptions
    return {**values, "features": features}


def _reads_fullname(platform: Platform, component: Component) -> bool:
    """Whether the chart reads `fullnameOverride` at all (True when it is not vendored: unknown).
    A chart that names its objects itself (Istio's cni) would only be handed a value it ignores."""
    chart = component.chart
    archive = platform.vendored.get((chart.name, chart.version)) if chart is not None else None
    return archive is None or _mentions(archive, b"fullnameOverride")


@functools.lru_cache(maxsize=64)
def _mentions(archive: bytes, text: bytes) -> bool:
    try:
        with tarfile.open(fileobj=io.BytesIO(archive), mode="r:gz") as tar:
            for member in tar.getmembers():
                handle = tar.extractfile(member) if member.isfile() else None
                if handle is not None and text in handle.read():
                    return True
    except (tarfile.TarError, OSError, EOFError):
        return True
    return False
