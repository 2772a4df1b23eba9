"""Conventions the model implies, shared by the rules that check them and the emitters that render them.

Keeping them here lets rules (stage 5) and emitters (stage 6) agree without a
rule ever importing an emitter.
"""

from __future__ import annotations

import re

from generator.model.placement import GPU_RESOURCE
from generator.model.settings import Namespace
from generator.model.traffic import monitoring_backend
from generator.model.types import Application, Component, Platform

# A chart's directory of objects carried as data, one file each, written out by `platformc.objects`.
OBJECTS_DIR = "objects"
LIBRARY_CHART_NAME = "platformc-lib"
GRAFANA_CHART = "grafana"

# `requests` and `limits`, each resource -> amount, as Kubernetes takes them.
ResourceAmounts = dict[str, dict[str, str]]


def config_key(path: str) -> str:
    """`/etc/trino/catalog/iceberg.properties` -> `etc-trino-catalog-iceberg.properties`."""
    return re.sub(r"[^-._a-zA-Z0-9]", "-", path.strip("/")) or "file"


def ingress_host(platform: Platform, host: str) -> str:
    """A host without a dot is a subdomain of `spec.domain`."""
    return host if "." in host else f"{host}.{platform.domain}"


def effective_resources(platform: Platform, component: Component) -> ResourceAmounts:
    """Defaults merged key by key with the component's own requests and limits."""
    defaults, own = platform.defaults, component.resources
    out: ResourceAmounts = {}
    for part in ("requests", "limits"):
        base = getattr(defaults, part).values if defaults is not None else {}
        mine = getattr(own, part).values if own is not None else {}
        out[part] = {k: str(v) for k, v in {**base, **mine}.items()}
    namespace = platform.namespace(component.namespace)
    quota = namespace.quota if namespace is not None else None
    # A quota on limits.* rejects containers without that limit: set it to the request.
    for resource in ("cpu", "memory"):
        needs_limit = quota is not None and resource in quota.limits.values and resource not in out["limits"]
        if needs_limit and resource in out["requests"]:
            out["limits"][resource] = out["requests"][resource]
    if component.gpus:
        out["limits"][GPU_RESOURCE] = str(component.gpus)
    return {k: v for k, v in out.items() if v}


def namespace_labels(namespace: Namespace) -> dict[str, str]:
    """The labels a declared namespace is created with: its own, its name, and the mesh's injection label."""
    labels = dict(namespace.labels)
    labels["kubernetes.io/metadata.name"] = namespace.name
    if namespace.mesh:
        labels["istio-injection"] = "enabled"
    return labels


def is_enforced(platform: Platform, namespace: str) -> bool:
    """Whether a namespace runs default-deny network policies."""
    found = platform.namespace(namespace)
    return found is not None and found.enforced


def dashboards_enabled(platform: Platform) -> bool:
    return platform.monitoring.dashboards


def dashboards_application(platform: Platform) -> Application | None:
    """The monitoring application when platformc renders Grafana ConfigMaps into its namespace.

    That takes dashboards on, the monitoring application enabled and a metrics or logs backend
    to make a datasource of: exactly when generator.emit.dashboards has at least one ConfigMap,
    and so when the `platform-dashboards` Application exists.
    """
    if not dashboards_enabled(platform):
        return None
    app = platform.applications.get(platform.monitoring.application or "")
    if app is None or not app.enabled:
        return None
    backends = (monitoring_backend(platform, key) for key in ("metricsBackend", "logsBackend"))
    return app if any(backend is not None for backend in backends) else None


def grafana_component(platform: Platform, app: Application) -> Component | None:
    """The Grafana chart of the monitoring application, which loads the ConfigMaps."""
    for component in sorted(app.enabled_components(), key=lambda c: c.name):
        if component.chart_name == GRAFANA_CHART:
            return component
    return None


def sidecar(platform: Platform, app: Application, which: str) -> dict[str, object]:
    """The grafana chart's `sidecar.<which>` values (`dashboards`, `datasources`), as written."""
    component = grafana_component(platform, app)
    values = component.values if component is not None else {}
    settings = values.get("sidecar")
    found = settings.get(which) if isinstance(settings, dict) else None
    return dict(found) if isinstance(found, dict) else {}
