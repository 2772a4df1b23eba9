"""Pod templates of the environment's workloads, wherever the kind keeps them."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from generator.verify.cluster.objects import ClusterObject, ObjectSet

POD_KINDS = ("Pod", "Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "Job", "CronJob")
CONTAINER_LISTS = ("initContainers", "containers", "ephemeralContainers")


def pod_spec(obj: ClusterObject) -> dict[str, Any] | None:
    """The pod spec of a pod or pod controller (a CronJob's job template's), else None."""
    spec = obj.data.get("spec")
    if not isinstance(spec, dict):
        return None
    if obj.kind == "Pod":
        return spec
    if obj.kind == "CronJob":
        spec = (spec.get("jobTemplate") or {}).get("spec") or {}
    template = spec.get("template") if isinstance(spec, dict) else None
    pod = template.get("spec") if isinstance(template, dict) else None
    return pod if isinstance(pod, dict) else None


def pod_metadata(obj: ClusterObject) -> dict[str, Any]:
    """The metadata of a pod or of a controller's pod template (labels and annotations)."""
    if obj.kind == "Pod":
        return obj.metadata
    spec = obj.data.get("spec")
    spec = spec if isinstance(spec, dict) else {}
    if obj.kind == "CronJob":
        spec = (spec.get("jobTemplate") or {}).get("spec") or {}
    template = spec.get("template") if isinstance(spec, dict) else None
    metadata = template.get("metadata") if isinstance(template, dict) else None
    return metadata if isinstance(metadata, dict) else {}


def pods(objects: ObjectSet) -> Iterator[tuple[ClusterObject, dict[str, Any]]]:
    """(workload, pod spec) for every pod-bearing object."""
    for obj in objects.of_kind(*POD_KINDS):
        spec = pod_spec(obj)
        if spec is not None:
            yield obj, spec


def containers(spec: dict[str, Any]) -> Iterator[dict[str, Any]]:
    for key in CONTAINER_LISTS:
        for container in spec.get(key) or []:
            if isinstance(container, dict):
                yield container
