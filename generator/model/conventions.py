"""Conventions the model implies, shared by the rules that check them and the emitters that render them.

Keeping them here lets rules (stage 5) and emitters (stage 6) agree without a
rule ever importing an emitter.
"""

from __future__ import annotations

import re
from typing import Any

from generator.model.placement import GPU_RESOURCE
from generator.model.traffic import monitoring_backend
from generator.model.types import Application, Component, Platform

# A chart's directory of objects carried as data, one file each, written out by `platformc.objects`.
OBJECTS_DIR = "objects"
LIBRARY_CHART_NAME = "platformc-lib"
GRAFANA_CHART = "grafana"


def config_key(path: str) -> str:
    """`/etc/trino/catalog/iceberg.properties` -> `etc-trino-catalog-iceberg.properties`."""
    return re.sub(r"[^-._a-zA-Z0-9]", "-", path.strip("/")) or "file"


def ingress_host(platform: Platform, host: str) -> str:
    """A host without a dot is a subdomain of `spec.domain`."""
    return host if "." in host else f"{host}.{platform.domain}"


def effective_resources(platform: Platform, component: Component) -> dict[str, dict[str, Any]]:
    """Defaults merged key by key with the component's own requests and limits."""
    defaults = (platform.spec.get("defaults") or {}).get("resources") or {}
    own = component.spec.get("resources") or {}
    out: dict[str, dict[str, Any]] = {}
    for part in ("requests", "limits"):
        merged = {**(defaults.get(part) or {}), **(own.get(part) or {})}
        out[part] = {k: str(v) for k, v in merged.items()}
    quota = (platform.namespaces.get(component.namespace) or {}).get("quota") or {}
    # A quota on limits.* rejects containers without that limit: set it to the request.
    for resource in ("cpu", "memory"):
        needs_limit = resource in (quota.get("limits") or {}) and resource not in out["limits"]
        if needs_limit and resource in out["requests"]:
            out["limits"][resource] = out["requests"][resource]
    gpu = own.get("gpu")
    if gpu:
        out["limits"][GPU_RESOURCE] = str(gpu)
    return {k: v for k, v in out.items() if v}


def is_enforced(platform: Platform, namespace: str) -> bool:
    """Whether a namespace runs default-deny network policies."""
    return (platform.namespaces.get(namespace) or {}).get("networkPolicy") == "enforce"


def dashboards_enabled(platform: Platform) -> bool:
    return bool((platform.spec.get("monitoring") or {}).get("dashboards"))


def dashboards_application(platform: Platform) -> Application | None:
    """The monitoring application when platformc renders Grafana ConfigMaps into its namespace.

    That takes dashboards on, the monitoring application enabled and a metrics or logs backend
    to make a datasource of: exactly when generator.emit.dashboards has at least one ConfigMap,
    and so when the `platform-dashboards` Application exists.
    """
    if not dashboards_enabled(platform):
        return None
    app = platform.applications.get(str((platform.spec.get("monitoring") or {}).get("application", "")))
    if app is None or not app.enabled:
        return None
    backends = (monitoring_backend(platform, key) for key in ("metricsBackend", "logsBackend"))
    return app if any(backend is not None for backend in backends) else None


def grafana_component(platform: Platform, app: Application) -> Component | None:
    """The Grafana chart of the monitoring application, which loads the ConfigMaps."""
    for component in sorted(app.enabled_components(), key=lambda c: c.name):
        chart = component.spec.get("chart")
        if isinstance(chart, dict) and chart.get("name") == GRAFANA_CHART:
            return component
    return None


def sidecar(platform: Platform, app: Application, which: str) -> dict[str, Any]:
    """The grafana chart's `sidecar.<which>` values (`dashboards`, `datasources`), as written."""
    component = grafana_component(platform, app)
    values = (component.spec.get("values") or {}) if component is not None else {}
    found = (values.get("sidecar") or {}).get(which) if isinstance(values, dict) else None
    return dict(found) if isinstance(found, dict) else {}
