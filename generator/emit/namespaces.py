"""Namespaces with their mesh label, ResourceQuota, LimitRange defaults and default-deny NetworkPolicy."""

from __future__ import annotations

from generator.emit.meta import KEEP, object_meta
from generator.emit.netpol import default_deny
from generator.emit.tree import Output
from generator.model.conventions import is_enforced, namespace_labels
from generator.model.settings import Namespace, Quota
from generator.model.types import Platform


def namespace_objects(platform: Platform, namespace: Namespace) -> list[Output]:
    name = namespace.name
    labels = namespace_labels(namespace)
    objects: list[Output] = [
        # never pruned or deleted by Argo CD: a Namespace takes every object and volume in it along
        {
            "apiVersion": "v1",
            "kind": "Namespace",
            "metadata": object_meta(name, labels=labels, annotations=KEEP),
        },
    ]
    quota = namespace.quota or Quota()
    hard: dict[str, str] = {}
    for part, amounts in (("requests", quota.requests), ("limits", quota.limits)):
        for resource, amount in amounts.values.items():
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
    if quota.limits:
        objects.append(_limit_range(platform, name, quota))
    if is_enforced(platform, name):
        # The allow rules live beside their components, in the applications' charts.
        objects.append(default_deny(name))
    return objects


def _limit_range(platform: Platform, namespace: str, quota: Quota) -> Output:
    """With a quota on limits.*, a container without limits is rejected: give it defaults."""
    defaults = platform.defaults
    requests = {k: str(v) for k, v in defaults.requests.values.items()} if defaults is not None else {}
    limits = {k: str(v) for k, v in defaults.limits.values.items()} if defaults is not None else {}
    for resource in quota.limits.values:
        if resource not in limits:
            limits[resource] = requests.get(resource, "1" if resource == "cpu" else "1Gi")
    item: Output = {"type": "Container", "default": dict(sorted(limits.items()))}
    if requests:
        item["defaultRequest"] = dict(sorted(requests.items()))
    return {
        "apiVersion": "v1",
        "kind": "LimitRange",
        "metadata": object_meta("defaults", namespace),
        "spec": {"limits": [item]},
    }
