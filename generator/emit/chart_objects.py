"""Objects carried as data: they pass through Helm untouched.

An umbrella chart carries the objects of its application and of its upstream
charts; a workload's subchart carries that component's own (its NetworkPolicy),
so the umbrella's values stay small however many workloads the application has.
"""

from __future__ import annotations

from generator.emit.meta import component_labels, object_meta
from generator.emit.netpol import component_policy
from generator.emit.tree import Output
from generator.model.conventions import ingress_host
from generator.model.parts import Ingress
from generator.model.resolve import resolve_value
from generator.model.settings import SecretStore
from generator.model.types import Application, Component, Platform

EXTERNAL_SECRETS_API = "external-secrets.io/v1beta1"


def application_objects(platform: Platform, app: Application) -> list[Output]:
    """What the umbrella chart of `app` carries: everything but its workloads' own objects."""
    objects: list[Output] = []
    components = sorted(app.enabled_components(), key=lambda c: c.name)
    for component in components:
        if component.kind == "external":
            objects.append(_external_service(platform, component))
        elif component.kind == "chart" and component.ingress is not None:
            objects.append(_chart_ingress(platform, component, component.ingress))
    installer = platform.installer_of("external-secrets")
    store = platform.secrets.store
    if installer is not None and installer.name == app.name and store is not None:
        objects.append(secret_store(platform, app, store))
    if platform.monitoring.application == app.name:
        rule = prometheus_rule(platform, app)
        if rule is not None:
            objects.append(rule)
    for component in components:
        if component.kind == "chart" and (policy := component_policy(platform, component)) is not None:
            objects.append(policy)
    return objects


def workload_objects(platform: Platform, component: Component) -> list[Output]:
    """What a workload's subchart carries beside the objects the library makes from its values."""
    policy = component_policy(platform, component)
    return [] if policy is None else [policy]


def _component_meta(platform: Platform, component: Component) -> Output:
    """The metadata of an object a chart or external component stands for: its name, labels and wave."""
    return object_meta(
        component.name, component.namespace, labels=component_labels(platform, component), wave=component.wave
    )


def _external_service(platform: Platform, component: Component) -> Output:
    external = component.external
    target = external.target if external is not None else None
    if target is not None:
        found = platform.find(target if "/" in target else f"{component.app}/{target}")
        host = found.fqdn if found is not None else target
    else:
        written = external.host if external is not None else None
        host = str(resolve_value(platform, component.app, written or ""))
    spec: Output = {"type": "ExternalName", "externalName": host}
    if component.ports:
        spec["ports"] = [
            {"name": name, "port": number, "targetPort": number, "protocol": "TCP"}
            for name, number in component.ports.items()
        ]
    return {
        "apiVersion": "v1",
        "kind": "Service",
        "metadata": _component_meta(platform, component),
        "spec": spec,
    }


def _chart_ingress(platform: Platform, component: Component, ingress: Ingress) -> Output:
    port = str(ingress.port)
    backend = {"service": {"name": component.service, "port": {"number": component.ports.get(port, 80)}}}
    host = ingress_host(platform, ingress.host)
    return {
        "apiVersion": "networking.k8s.io/v1",
        "kind": "Ingress",
        "metadata": _component_meta(platform, component),
        "spec": {
            "ingressClassName": "nginx",
            "rules": [
                {
                    "host": host,
                    "http": {
                        "paths": [{"path": ingress.url_path or "/", "pathType": "Prefix", "backend": backend}]
                    },
                }
            ],
        },
    }


def secret_store(platform: Platform, app: Application, store: SecretStore) -> Output:
    provider = resolve_value(platform, app.name, store.provider)
    meta = object_meta(store.name, None if store.kind == "ClusterSecretStore" else app.namespace, wave=99)
    return {
        "apiVersion": EXTERNAL_SECRETS_API,
        "kind": store.kind,
        "metadata": meta,
        "spec": _store_spec(provider, store),
    }


def _store_spec(provider: object, store: SecretStore) -> Output:
    """`spec.provider`, and a ClusterSecretStore's `conditions` when it has them."""
    spec: Output = {"provider": provider}
    if store.kind == "ClusterSecretStore" and store.conditions_written is not None:
        spec["conditions"] = store.conditions_written
    return spec


def prometheus_rule(platform: Platform, app: Application) -> Output | None:
    alerts = platform.monitoring.alerts
    if not alerts:
        return None
    rules = []
    for alert in alerts:
        rule: Output = {"alert": alert.name, "expr": alert.expr}
        if alert.for_:
            rule["for"] = alert.for_
        rule["labels"] = {"severity": alert.severity}
        if alert.summary:
            rule["annotations"] = {"summary": alert.summary}
        rules.append(rule)
    return {
        "apiVersion": "monitoring.coreos.com/v1",
        "kind": "PrometheusRule",
        "metadata": object_meta(f"{platform.name}-alerts", app.namespace),
        "spec": {"groups": [{"name": f"{platform.name}.rules", "rules": rules}]},
    }
