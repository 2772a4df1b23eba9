"""Objects carried as data: they pass through Helm untouched.

An umbrella chart carries the objects of its application and of its upstream
charts; a workload's subchart carries that component's own (its NetworkPolicy),
so the umbrella's values stay small however many workloads the application has.
"""

from __future__ import annotations

from typing import Any

from generator.emit.meta import component_labels, object_meta
from generator.emit.netpol import component_policy
from generator.model.conventions import ingress_host
from generator.model.resolve import resolve_value
from generator.model.types import Application, Component, Platform

EXTERNAL_SECRETS_API = "external-secrets.io/v1beta1"


def application_objects(platform: Platform, app: Application) -> list[dict[str, Any]]:
    """What the umbrella chart of `app` carries: everything but its workloads' own objects."""
    objects: list[dict[str, Any]] = []
    components = sorted(app.enabled_components(), key=lambda c: c.name)
    for component in components:
        if component.kind == "external":
            objects.append(_external_service(platform, component))
        elif component.kind == "chart" and component.spec.get("ingress"):
            objects.append(_chart_ingress(platform, component))
    installer = platform.installer_of("external-secrets")
    if (
        installer is not None
        and installer.name == app.name
        and (platform.spec.get("secrets") or {}).get("store")
    ):
        objects.append(secret_store(platform, app))
    if (platform.spec.get("monitoring") or {}).get("application") == app.name:
        rule = prometheus_rule(platform, app)
        if rule is not None:
            objects.append(rule)
    for component in components:
        if component.kind == "chart" and (policy := component_policy(platform, component)) is not None:
            objects.append(policy)
    return objects


def workload_objects(platform: Platform, component: Component) -> list[dict[str, Any]]:
    """What a workload's subchart carries beside the objects the library makes from its values."""
    policy = component_policy(platform, component)
    return [] if policy is None else [policy]


def _external_service(platform: Platform, component: Component) -> dict[str, Any]:
    external = component.spec.get("external") or {}
    target = external.get("target")
    if isinstance(target, str):
        found = platform.find(target if "/" in target else f"{component.app}/{target}")
        host = found.fqdn if found is not None else target
    else:
        host = str(resolve_value(platform, component.app, external.get("host", "")))
    spec: dict[str, Any] = {"type": "ExternalName", "externalName": host}
    if component.ports:
        spec["ports"] = [
            {"name": name, "port": number, "targetPort": number, "protocol": "TCP"}
            for name, number in component.ports.items()
        ]
    return {
        "apiVersion": "v1",
        "kind": "Service",
        "metadata": object_meta(
            component.name,
            component.namespace,
            labels=component_labels(platform, component),
            wave=component.wave,
        ),
        "spec": spec,
    }


def _chart_ingress(platform: Platform, component: Component) -> dict[str, Any]:
    ingress = component.spec["ingress"]
    port = str(ingress["port"])
    backend = {"service": {"name": component.service, "port": {"number": component.ports.get(port, 80)}}}
    host = ingress_host(platform, str(ingress["host"]))
    return {
        "apiVersion": "networking.k8s.io/v1",
        "kind": "Ingress",
        "metadata": object_meta(
            component.name,
            component.namespace,
            labels=component_labels(platform, component),
            wave=component.wave,
        ),
        "spec": {
            "ingressClassName": "nginx",
            "rules": [
                {
                    "host": host,
                    "http": {
                        "paths": [
                            {"path": str(ingress.get("path", "/")), "pathType": "Prefix", "backend": backend}
                        ]
                    },
                }
            ],
        },
    }


def secret_store(platform: Platform, app: Application) -> dict[str, Any]:
    store = dict((platform.spec.get("secrets") or {}).get("store") or {})
    kind = str(store.pop("kind", "ClusterSecretStore"))
    name = str(store.pop("name", "platform"))
    provider = resolve_value(platform, app.name, store)
    meta = object_meta(name, None if kind == "ClusterSecretStore" else app.namespace, wave=99)
    return {
        "apiVersion": EXTERNAL_SECRETS_API,
        "kind": kind,
        "metadata": meta,
        "spec": {"provider": provider},
    }


def prometheus_rule(platform: Platform, app: Application) -> dict[str, Any] | None:
    alerts = (platform.spec.get("monitoring") or {}).get("alerts") or []
    if not alerts:
        return None
    rules = []
    for alert in alerts:
        rule: dict[str, Any] = {"alert": str(alert["name"]), "expr": str(alert["expr"])}
        if alert.get("for"):
            rule["for"] = str(alert["for"])
        rule["labels"] = {"severity": str(alert.get("severity", "warning"))}
        if alert.get("summary"):
            rule["annotations"] = {"summary": str(alert["summary"])}
        rules.append(rule)
    return {
        "apiVersion": "monitoring.coreos.com/v1",
        "kind": "PrometheusRule",
        "metadata": object_meta(f"{platform.name}-alerts", app.namespace),
        "spec": {"groups": [{"name": f"{platform.name}.rules", "rules": rules}]},
    }
