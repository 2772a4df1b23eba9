"""PromQL and LogQL over the series the platform's pods produce, per component.

Series come from kube-state-metrics (`kube_*`) and the kubelet's cAdvisor
(`container_*`); label values are only ones the platform makes: its
namespaces, the names platformc gives workloads and their one container, the
release of each umbrella chart. A chart's pods are found by name prefix (its
fullname: `fullnameOverride`, else Helm's conventional `<release>-<chart>`)
and its logs by release, since its labels are the chart's own.
"""

from __future__ import annotations

from generator.emit.chart_values import chart_values
from generator.emit.grafana import Query
from generator.model.types import Component, Platform

# controller -> (label naming it, ready series, desired series), from kube-state-metrics.
_CONTROLLERS = {
    "deployment": (
        "deployment",
        "kube_deployment_status_replicas_available",
        "kube_deployment_spec_replicas",
    ),
    "statefulset": ("statefulset", "kube_statefulset_status_replicas_ready", "kube_statefulset_replicas"),
    "daemonset": (
        "daemonset",
        "kube_daemonset_status_number_ready",
        "kube_daemonset_status_desired_number_scheduled",
    ),
    "cronjob": ("cronjob", "kube_cronjob_status_active", "kube_cronjob_spec_suspend"),
    "job": ("job_name", "kube_job_status_succeeded", "kube_job_status_failed"),
}
_STATE_LEGENDS = {"cronjob": ("active", "suspended"), "job": ("succeeded", "failed")}


def usage(resource: str, matchers: str, by: str | None) -> list[Query]:
    """Used, requested and limited CPU (cores) or memory (bytes), summed (by a label, if given)."""
    cpu = resource == "cpu"
    series = (
        "rate(container_cpu_usage_seconds_total{%s}[5m])" if cpu else "container_memory_working_set_bytes{%s}"
    )
    total = f"sum by ({by}) " if by else "sum "
    legend = f"{{{{{by}}}}} " if by else ""
    return [
        Query(f"{total}({series % matchers})", f"{legend}used"),
        Query(
            f'{total}(kube_pod_container_resource_requests{{{matchers}, resource="{resource}"}})',
            f"{legend}requests",
        ),
        Query(
            f'{total}(kube_pod_container_resource_limits{{{matchers}, resource="{resource}"}})',
            f"{legend}limits",
        ),
    ]


def chart_pod_prefix(platform: Platform, component: Component) -> str:
    """The name a chart's pods start with: its fullname, as Helm's conventional `fullname` helper makes it."""
    values = chart_values(platform, component)
    if values.get("fullnameOverride"):
        return str(values["fullnameOverride"])
    name = str(values.get("nameOverride") or component.name)
    return component.app if name in component.app else f"{component.app}-{name}"


def matchers(platform: Platform, component: Component) -> str:
    if component.kind == "workload":
        return f'namespace="{component.namespace}", container="{component.name}"'
    prefix = chart_pod_prefix(platform, component)
    return f'namespace="{component.namespace}", pod=~"{prefix}-.*", container!=""'


def state(platform: Platform, component: Component) -> list[Query]:
    if component.kind == "chart":
        pods = f'namespace="{component.namespace}", pod=~"{chart_pod_prefix(platform, component)}-.*"'
        return [
            Query(f'sum(kube_pod_status_ready{{{pods}, condition="true"}})', "ready"),
            Query(f"count(kube_pod_info{{{pods}}})", "pods"),
        ]
    kind = component.workload_type if component.workload_type in _CONTROLLERS else "deployment"
    label, ready, desired = _CONTROLLERS[kind]
    legends = _STATE_LEGENDS.get(kind, ("ready", "desired"))
    matcher = f'namespace="{component.namespace}", {label}="{component.name}"'
    return [
        Query(f"sum({ready}{{{matcher}}})", legends[0]),
        Query(f"sum({desired}{{{matcher}}})", legends[1]),
    ]


def quota_use(namespaces: list[str]) -> Query:
    """Used over hard, per namespace and resource, of the namespaces' ResourceQuotas."""
    matcher = f'namespace=~"{"|".join(namespaces)}"'
    used = f'sum by (namespace, resource) (kube_resourcequota{{{matcher}, type="used"}})'
    hard = f'sum by (namespace, resource) (kube_resourcequota{{{matcher}, type="hard"}})'
    return Query(f"{used} / {hard}", "{{namespace}} {{resource}}")


def restarts(platform: Platform, component: Component) -> Query:
    series = f"kube_pod_container_status_restarts_total{{{matchers(platform, component)}}}"
    return Query(f"sum(increase({series}[1h]))", component.name)


def log_selector(component: Component) -> str:
    if component.kind == "workload":
        return f'{{namespace="{component.namespace}", app_kubernetes_io_name="{component.name}"}}'
    return f'{{namespace="{component.namespace}", app_kubernetes_io_instance="{component.app}"}}'
