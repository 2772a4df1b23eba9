"""Grafana datasources and dashboards from the model, as ConfigMaps for Grafana's sidecars.

With `spec.monitoring.dashboards: true`, the monitoring application carries:

- `platformc-datasources`: the metrics backend (Prometheus API, uid
  `platformc-metrics`) and the logs backend (Loki, uid `platformc-logs`), at
  the URLs their references resolve to;
- `platformc-dashboard-overview`: applications, pods by phase, restarts, CPU
  and memory against requests and limits, and quota use, per namespace;
- `platformc-dashboard-app-<application>` for every application: each
  component's ready state, CPU and memory against requests and limits,
  restarts, and its logs.

The queries (generator.emit.promql) name only series and label values the
platform produces. Datasources have fixed uids, dashboards fixed uids and
panel ids, and no timestamps: the same model gives the same bytes.
"""

from __future__ import annotations

import hashlib
from typing import Any

from generator.emit import grafana, promql
from generator.emit.grafana import Query
from generator.emit.meta import object_meta
from generator.load.dump import dump_yaml
from generator.model.conventions import dashboards_enabled, sidecar
from generator.model.traffic import monitoring_backend
from generator.model.types import Application, Platform

METRICS_UID = "platformc-metrics"
LOGS_UID = "platformc-logs"
DASHBOARD_LABEL = "grafana_dashboard"
DATASOURCE_LABEL = "grafana_datasource"
LABEL_VALUE = "1"
# Above this many components an application's rows start collapsed: each row costs 9 queries.
COLLAPSE_ABOVE = 4
_METRICS = grafana.datasource("prometheus", METRICS_UID)
_LOGS = grafana.datasource("loki", LOGS_UID)


def monitoring_objects(platform: Platform, app: Application) -> list[dict[str, Any]]:
    """The datasource and dashboard ConfigMaps, in the monitoring application's namespace."""
    if not dashboards_enabled(platform):
        return []
    objects: list[dict[str, Any]] = []
    sources = datasources(platform)
    if sources:
        data = {"platformc-datasources.yaml": dump_yaml({"apiVersion": 1, "datasources": sources})}
        objects.append(_config_map(platform, app, "datasources", DATASOURCE_LABEL, data))
    if monitoring_backend(platform, "metricsBackend") is None:
        return objects  # no panel could show anything
    boards = [overview_dashboard(platform)]
    boards += [
        application_dashboard(platform, a) for _, a in sorted(platform.applications.items()) if a.enabled
    ]
    for board in boards:
        name = str(board["uid"]).removeprefix("platformc-")
        data = {f"{board['uid']}.json": grafana.to_json(board)}
        objects.append(_config_map(platform, app, f"dashboard-{name}", DASHBOARD_LABEL, data))
    return objects


def _config_map(
    platform: Platform, app: Application, name: str, which: str, data: dict[str, str]
) -> dict[str, Any]:
    settings = sidecar(platform, app, "dashboards" if which == DASHBOARD_LABEL else "datasources")
    label = str(settings.get("label") or which)
    value = str(settings.get("labelValue") or LABEL_VALUE)
    return {
        "apiVersion": "v1",
        "kind": "ConfigMap",
        "metadata": object_meta(f"platformc-{name}", app.namespace, labels={label: value}),
        "data": data,
    }


def datasources(platform: Platform) -> list[dict[str, Any]]:
    found = []
    for key, kind, uid in (("metricsBackend", "prometheus", METRICS_UID), ("logsBackend", "loki", LOGS_UID)):
        backend = monitoring_backend(platform, key)
        if backend is None:
            continue
        component, port = backend
        found.append(
            {
                "name": component.name,
                "uid": uid,
                "type": kind,
                "access": "proxy",
                "url": f"http://{component.fqdn}:{port}",
                "isDefault": kind == "prometheus",
                "editable": False,
            }
        )
    return found


def dashboard_uid(app: str) -> str:
    """`platformc-app-<app>`, cut to Grafana's 40 characters with a stable hash when longer."""
    uid = f"platformc-app-{app}"
    return uid if len(uid) <= 40 else f"{uid[:31]}-{hashlib.sha256(app.encode()).hexdigest()[:8]}"


def _has_logs(platform: Platform) -> bool:
    return monitoring_backend(platform, "logsBackend") is not None


def overview_dashboard(platform: Platform) -> dict[str, Any]:
    apps = [a for _, a in sorted(platform.applications.items()) if a.enabled]
    ns = f'namespace=~"{"|".join(sorted({a.namespace for a in apps}))}"'
    phases = f"sum by (namespace, phase) (kube_pod_status_phase{{{ns}}})"
    restarts = f"sum by (namespace, pod) (increase(kube_pod_container_status_restarts_total{{{ns}}}[1h])) > 0"
    panels = [
        grafana.text("Applications", _applications_table(apps), height=2 + len(apps)),
        grafana.metrics_panel(
            "timeseries", "Pods by phase", _METRICS, [Query(phases, "{{namespace}} {{phase}}")]
        ),
        grafana.metrics_panel(
            "timeseries", "Container restarts (1h)", _METRICS, [Query(restarts, "{{namespace}}/{{pod}}")]
        ),
        grafana.metrics_panel(
            "timeseries",
            "CPU by namespace (cores)",
            _METRICS,
            promql.usage("cpu", f'{ns}, container!=""', "namespace"),
        ),
        grafana.metrics_panel(
            "timeseries",
            "Memory by namespace",
            _METRICS,
            promql.usage("memory", f'{ns}, container!=""', "namespace"),
            unit="bytes",
        ),
    ]
    quota = sorted(n for n, s in platform.namespaces.items() if (s or {}).get("quota"))
    if quota:
        panels.append(
            grafana.metrics_panel(
                "bargauge",
                "Quota use",
                _METRICS,
                [promql.quota_use(quota)],
                unit="percentunit",
                width=24,
                height=2 + 2 * len(quota),
                maximum=1,
            )
        )
    title = f"{platform.name} overview ({platform.env})"
    return grafana.dashboard("platformc-overview", title, ["platformc", platform.env], panels)


def _applications_table(apps: list[Application]) -> str:
    lines = ["| application | namespace | components | sync wave |", "| --- | --- | --- | --- |"]
    for app in apps:
        names = ", ".join(sorted(c.name for c in app.enabled_components()))
        link = f"[{app.name}](/d/{dashboard_uid(app.name)})"
        lines.append(f"| {link} | {app.namespace} | {names} | {app.wave} |")
    return "\n".join(lines) + "\n"


def application_dashboard(platform: Platform, app: Application) -> dict[str, Any]:
    components = sorted((c for c in app.enabled_components() if c.kind != "external"), key=lambda c: c.name)
    restarts = [promql.restarts(platform, c) for c in components]
    panels: list[dict[str, Any]] = []
    if restarts:
        panels.append(
            grafana.metrics_panel("timeseries", "Container restarts (1h)", _METRICS, restarts, width=24)
        )
    for component in components:
        matchers = promql.matchers(platform, component)
        kind = "chart" if component.kind == "chart" else component.workload_type
        panels += [
            grafana.row(f"{component.name} ({kind})", collapsed=len(components) > COLLAPSE_ABOVE),
            grafana.metrics_panel("stat", "State", _METRICS, promql.state(platform, component), width=4),
            grafana.metrics_panel(
                "timeseries", "CPU (cores)", _METRICS, promql.usage("cpu", matchers, None), width=10
            ),
            grafana.metrics_panel(
                "timeseries",
                "Memory",
                _METRICS,
                promql.usage("memory", matchers, None),
                unit="bytes",
                width=10,
            ),
        ]
        if _has_logs(platform):
            panels.append(grafana.logs_panel("Logs", _LOGS, promql.log_selector(component)))
    title = f"{app.name} ({platform.env})"
    return grafana.dashboard(dashboard_uid(app.name), title, ["platformc", platform.env, app.name], panels)
