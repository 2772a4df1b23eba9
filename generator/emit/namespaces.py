"""Namespaces with their mesh label, ResourceQuota, LimitRange defaults and default-deny NetworkPolicy."""

from __future__ import annotations

from typing import Any

from generator.emit.meta import object_meta
from generator.emit.netpol import default_deny
from generator.model.conventions import is_enforced
from generator.model.types import Platform


def namespace_objects(platform: Platform, name: str, spec: dict[str, Any]) -> list[dict[str, Any]]:
    labels = {str(k): str(v) for k, v in (spec.get("labels") or {}).items()}
    labels["kubernetes.io/metadata.name"] = name
    if spec.get("mesh"):
        labels["istio-injection"] = "enabled"
    objects: list[dict[str, Any]] = [
        {"apiVersion": "v1", "kind": "Namespace", "metadata": object_meta(name, labels=labels)}
    ]
    quota = spec.get("quota") or {}
    hard: dict[str, str] = {}
    for part in ("requests", "limits"):
        for resource, amount in (quota.get(part) or {}).items():
            hard[f"{part}.{resource}"] = str(amount)
    if hard:
        objects.append(
            {
                "apiVersion": "v1",
                "kind": "ResourceQuota",
                "metadata": object_meta("quota", name),
                "spec": {"hard": hard},
            }
        )
    if quota.get("limits"):
        objects.append(_limit_range(platform, name, quota))
    if is_enforced(platform, name):
        # The allow rules live beside their components, in the applications' charts.
        objects.append(default_deny(name))
    return objects


def _limit_range(platform: Platform, namespace: str, quota: dict[str, Any]) -> dict[str, Any]:
    """With a quota on limits.*, a container without limits is rejected: give it defaults."""
    defaults = (platform.spec.get("defaults") or {}).get("resources") or {}
    requests = {str(k): str(v) for k, v in (defaults.get("requests") or {}).items()}
    limits = {str(k): str(v) for k, v in (defaults.get("limits") or {}).items()}
    for resource in quota.get("limits") or {}:
        if resource not in limits:
            limits[resource] = requests.get(resource, "1" if resource == "cpu" else "1Gi")
    item: dict[str, Any] = {"type": "Container", "default": dict(sorted(limits.items()))}
    if requests:
        item["defaultRequest"] = dict(sorted(requests.items()))
    return {
        "apiVersion": "v1",
        "kind": "LimitRange",
        "metadata": object_meta("defaults", namespace),
        "spec": {"limits": [item]},
    }
