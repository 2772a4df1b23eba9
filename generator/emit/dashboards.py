"""Grafana datasources and dashboards from the model, as ConfigMaps for Grafana's sidecars.

With `spec.monitoring.dashboards: true`, platformc renders into the monitoring
application's namespace, for its Grafana to load:

- `platformc-datasources`: the metrics backend (Prometheus API, uid
  `platformc-metrics`) and the logs backend (Loki, uid `platformc-logs`), at
  the URLs their references resolve to;
- `platformc-dashboard-overview`: applications, pods by phase, restarts, CPU
  and memory against requests and limits, and quota use, per namespace;
- `platformc-dashboard-app-<application>` for every application: each
  component's ready state, CPU and memory against requests and limits,
  restarts, and its logs. An application of more than `PAGE_COMPONENTS`
  components gets one dashboard per page of them (`…-app-<application>`,
  then `…-app-<application>.2`, …), each in its own ConfigMap, so that none
  nears the size the API server and a client-side apply accept.

They need no templating, so no chart carries them: each is a file of
`rendered/<env>/dashboards/`, which the `platform-dashboards` Application syncs
as a plain directory (generator.emit.environment, generator.emit.argocd). In the
monitoring application's umbrella chart they made tens of megabytes at a few
thousand components, for Helm to lint and render on every verify and every
sync.

The queries (generator.emit.promql) name only series and label values the
platform produces. Datasources have fixed uids, dashboards fixed uids and
panel ids, and no timestamps: the same model gives the same bytes.
"""

from __future__ import annotations

import hashlib

from generator.emit import grafana, promql
from generator.emit.grafana import Query
from generator.emit.meta import object_meta
from generator.emit.tree import Output
from generator.emit.yamldump import dump_yaml
from generator.model.conventions import dashboards_application, sidecar
from generator.model.traffic import monitoring_backend
from generator.model.types import Application, Component, Platform

DASHBOARDS_DIR = "dashboards"  # rendered/<env>/dashboards/, one ConfigMap a file
METRICS_UID = "platformc-metrics"
LOGS_UID = "platformc-logs"
DASHBOARD_LABEL = "grafana_dashboard"
DATASOURCE_LABEL = "grafana_datasource"
LABEL_VALUE = "1"
# Above this many components an application's rows start collapsed: each row costs 9 queries.
COLLAPSE_ABOVE = 4
# Components on one page of an application's dashboard. A component's panels take 5.5-5.7 KB
# of JSON with short names and up to 7 KB with names of 63 characters, 13% more once escaped
# into the object's JSON: a page stays under 200 KiB, within the 1 MiB of a ConfigMap and the
# 256 KiB of annotations that a client-side apply (ArgoCD's default) copies the object into.
PAGE_COMPONENTS = 25
UID_MAX = 40  # Grafana's limit on a dashboard uid
_METRICS = grafana.datasource("prometheus", METRICS_UID)
_LOGS = grafana.datasource("loki", LOGS_UID)


def dashboard_objects(platform: Platform) -> list[Output]:
    """The datasource and dashboard ConfigMaps, in the monitoring application's namespace; [] without."""
    app = dashboards_application(platform)
    if app is None:
        return []
    objects: list[Output] = []
    sources = datasources(platform)
    if sources:
        data = {"platformc-datasources.yaml": dump_yaml({"apiVersion": 1, "datasources": sources})}
        objects.append(_config_map(platform, app, "datasources", DATASOURCE_LABEL, data))
    if monitoring_backend(platform, "metricsBackend") is None:
        return objects  # no panel could show anything
    boards = [overview_dashboard(platform)]
    for _, application in sorted(platform.applications.items()):
        if application.enabled:
            boards += application_dashboards(platform, application)
    for board in boards:
        # Page uids end in `_<page>`; `_` has no place in an object name, `.` none in an application's.
        name = str(board["uid"]).removeprefix("platformc-").replace("_", ".")
        data = {f"{board['uid']}.json": grafana.to_json(board)}
        objects.append(_config_map(platform, app, f"dashboard-{name}", DASHBOARD_LABEL, data))
    return objects


def _config_map(platform: Platform, app: Application, name: str, which: str, data: dict[str, str]) -> Output:
    settings = sidecar(platform, app, "dashboards" if which == DASHBOARD_LABEL else "datasources")
    label = str(settings.get("label") or which)
    value = str(settings.get("labelValue") or LABEL_VALUE)
    return {
        "apiVersion": "v1",
        "kind": "ConfigMap",
        "metadata": object_meta(f"platformc-{name}", app.namespace, labels={label: value}),
        "data": data,
    }


def datasources(platform: Platform) -> list[Output]:
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


def dashboard_uid(app: str, page: int = 1) -> str:
    """`platformc-app-<app>`, then `_<page>` from page 2 on; cut to Grafana's 40 characters with a
    stable hash when longer. Application names have no `_`, so no page takes another application's uid.
    """
    suffix = "" if page == 1 else f"_{page}"
    uid = f"platformc-app-{app}"
    if len(uid) + len(suffix) <= UID_MAX:
        return uid + suffix
    cut = UID_MAX - 9 - (0 if page == 1 else max(len(suffix), len("_999")))  # later pages cut alike
    return f"{uid[:cut]}-{hashlib.sha256(app.encode()).hexdigest()[:8]}{suffix}"


def _has_logs(platform: Platform) -> bool:
    return monitoring_backend(platform, "logsBackend") is not None


def overview_dashboard(platform: Platform) -> Output:
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
    quota = sorted(n for n, namespace in platform.namespaces.items() if namespace.quota)
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


def application_dashboards(platform: Platform, app: Application) -> list[Output]:
    """The application's dashboard: one page per `PAGE_COMPONENTS` components, in name order.

    A single page keeps the plain uid and title; pages link to each other.
    """
    components = sorted((c for c in app.enabled_components() if c.kind != "external"), key=lambda c: c.name)
    pages = [components[i : i + PAGE_COMPONENTS] for i in range(0, len(components), PAGE_COMPONENTS)]
    if len(pages) <= 1:
        title = f"{app.name} ({platform.env})"
        return [_application_page(platform, app, components, dashboard_uid(app.name), title, [])]
    links = [
        grafana.link(f"{app.name} {page}/{len(pages)}", f"/d/{dashboard_uid(app.name, page)}")
        for page in range(1, len(pages) + 1)
    ]
    return [
        _application_page(
            platform,
            app,
            members,
            dashboard_uid(app.name, page),
            f"{app.name} ({page}/{len(pages)}, {platform.env})",
            [link for other, link in enumerate(links, start=1) if other != page],
        )
        for page, members in enumerate(pages, start=1)
    ]


def _application_page(
    platform: Platform,
    app: Application,
    components: list[Component],
    uid: str,
    title: str,
    links: list[Output],
) -> Output:
    restarts = [promql.restarts(platform, c) for c in components]
    panels: list[Output] = []
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
    tags = ["platformc", platform.env, app.name]
    return grafana.dashboard(uid, title, tags, panels, links=links)
