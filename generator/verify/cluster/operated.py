"""Pods that operators create from the pod templates of custom resources.

A RayCluster's head and worker groups become Pods KubeRay creates with `generateName`
`<cluster>-head-` and `<cluster>-<group>-worker-`; Kyverno admits them like any other Pod.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from generator.verify.admission import PodSample, pods_from_template
from generator.verify.cluster.objects import ClusterObject

OPERATED_KINDS = ("RayCluster",)


@dataclass(frozen=True)
class OperatedPods:
    """The sample Pods made from one template of `owner`."""

    owner: ClusterObject
    samples: list[PodSample]


def operated_pods(objects: Iterable[ClusterObject]) -> Iterator[OperatedPods]:
    for obj in objects:
        if obj.kind == "RayCluster":
            yield from _ray_cluster(obj)


def _ray_cluster(obj: ClusterObject) -> Iterator[OperatedPods]:
    spec = obj.data.get("spec") or {}
    owner = (obj.api_version, obj.kind, obj.name)
    groups: list[tuple[str, Any]] = [(f"{obj.name}-head-", (spec.get("headGroupSpec") or {}).get("template"))]
    for group in spec.get("workerGroupSpecs") or []:
        if isinstance(group, dict):
            groups.append((f"{obj.name}-{group.get('groupName', '')}-worker-", group.get("template")))
    for prefix, template in groups:
        if isinstance(template, dict):
            yield OperatedPods(obj, pods_from_template(template, obj.namespace, prefix, owner))
