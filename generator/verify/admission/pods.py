"""The Pods a workload makes, as the API server hands them to Kyverno's validating webhook.

Generated names are set before validating admission, so Kyverno matches exceptions against
names such as `<deployment>-<pod-template-hash>-<5 random>`; two samples with different random
parts stand for "any" name, and a rule's outcome is the worst over the samples.
"""

from __future__ import annotations

import copy
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

# hashes and suffixes drawn from Kubernetes' name alphabet (bcdfghjklmnpqrstvwxz2456789)
_SAMPLES = (("5d4f8c9b7", "b2c4d", "28912345"), ("7f6b4c8d9x", "x9z8w", "29000000"))
_MAX_BASE = 58  # 63 minus the five random characters


@dataclass(frozen=True)
class PodSample:
    manifest: dict[str, Any]
    display: str  # the name with its generated parts shown as <hash>, <suffix>, <ordinal>


def _generate(base: str, suffix: str) -> str:
    return base[:_MAX_BASE] + suffix


def pods_of(workload: Mapping[str, Any]) -> list[PodSample]:
    """Sample Pods of a Pod, Deployment, ReplicaSet, StatefulSet, DaemonSet, Job or CronJob."""
    kind = str(workload.get("kind", ""))
    metadata = workload.get("metadata") or {}
    name = str(metadata.get("name") or "")
    namespace = str(metadata.get("namespace") or "")
    if kind == "Pod":
        return [PodSample(copy.deepcopy(dict(workload)), name)]
    spec = workload.get("spec") or {}
    if kind == "CronJob":
        spec = ((spec.get("jobTemplate") or {}).get("spec")) or {}
    template = spec.get("template")
    if not isinstance(template, Mapping):
        return []
    samples: list[PodSample] = []
    for index, (hash_, suffix, minutes) in enumerate(_SAMPLES):
        pod_name, display, owner, labels = _naming(kind, name, spec, index, hash_, suffix, minutes)
        if not pod_name:
            return []
        samples.append(PodSample(_pod(template, pod_name, namespace, owner, labels), display))
    return samples


def intermediates_of(workload: Mapping[str, Any]) -> list[PodSample]:
    """The objects between a controller and its Pods, which Kyverno also admits: a Deployment's
    ReplicaSet (`<name>-<hash>`) and a CronJob's Job (`<name>-<scheduled minutes>`)."""
    kind = str(workload.get("kind", ""))
    metadata = workload.get("metadata") or {}
    name = str(metadata.get("name") or "")
    spec = workload.get("spec") or {}
    owner_meta = {"namespace": metadata.get("namespace")} if metadata.get("namespace") else {}
    samples: list[PodSample] = []
    for hash_, _, minutes in _SAMPLES:
        if kind == "Deployment":
            child_spec = {
                k: copy.deepcopy(v) for k, v in spec.items() if k in ("replicas", "selector", "template")
            }
            child = {"apiVersion": "apps/v1", "kind": "ReplicaSet", "spec": child_spec}
            child_name, display, owner = f"{name}-{hash_}", f"{name}-<hash>", ("apps/v1", kind, name)
        elif kind == "CronJob":
            job = spec.get("jobTemplate") or {}
            child = {"apiVersion": "batch/v1", "kind": "Job", "spec": copy.deepcopy(job.get("spec") or {})}
            child_name, display, owner = f"{name}-{minutes}", f"{name}-<time>", ("batch/v1", kind, name)
            owner_meta = {**owner_meta, **copy.deepcopy(dict(job.get("metadata") or {}))}
        else:
            return []
        api, owner_kind, owner_name = owner
        references = [{"apiVersion": api, "kind": owner_kind, "name": owner_name, "controller": True}]
        child["metadata"] = {**owner_meta, "name": child_name, "ownerReferences": references}
        samples.append(PodSample(child, display))
    return samples


def pods_from_template(
    template: Mapping[str, Any], namespace: str, generate_name: str, owner: tuple[str, str, str]
) -> list[PodSample]:
    """Sample Pods an operator makes from a pod template with `generateName` (a RayCluster's
    head and workers, a SparkApplication's driver): `generate_name` plus five random characters."""
    return [
        PodSample(
            _pod(template, _generate(generate_name, suffix), namespace, owner, {}), f"{generate_name}<suffix>"
        )
        for _, suffix, _ in _SAMPLES
    ]


def _naming(
    kind: str, name: str, spec: Mapping[str, Any], index: int, hash_: str, suffix: str, minutes: str
) -> tuple[str, str, tuple[str, str, str], dict[str, str]]:
    if kind == "Deployment":
        rs = f"{name}-{hash_}"
        return (
            _generate(f"{rs}-", suffix),
            f"{name}-<hash>-<suffix>",
            ("apps/v1", "ReplicaSet", rs),
            {"pod-template-hash": hash_},
        )
    if kind in ("ReplicaSet", "DaemonSet", "ReplicationController"):
        api = "v1" if kind == "ReplicationController" else "apps/v1"
        return _generate(f"{name}-", suffix), f"{name}-<suffix>", (api, kind, name), {}
    if kind == "StatefulSet":
        ordinal = str(0 if index == 0 else max(int(spec.get("replicas") or 1) - 1, 1))
        return (
            f"{name}-{ordinal}",
            f"{name}-<ordinal>",
            ("apps/v1", kind, name),
            {
                "statefulset.kubernetes.io/pod-name": f"{name}-{ordinal}",
                "apps.kubernetes.io/pod-index": ordinal,
            },
        )
    if kind in ("Job", "CronJob"):
        job = name if kind == "Job" else f"{name}-{minutes}"
        display = f"{name}-<suffix>" if kind == "Job" else f"{name}-<time>-<suffix>"
        return (
            _generate(f"{job}-", suffix),
            display,
            ("batch/v1", "Job", job),
            {
                "batch.kubernetes.io/job-name": job,
                "job-name": job,
            },
        )
    return "", "", ("", "", ""), {}


def _pod(
    template: Mapping[str, Any],
    name: str,
    namespace: str,
    owner: tuple[str, str, str],
    labels: dict[str, str],
) -> dict[str, Any]:
    meta = copy.deepcopy(dict(template.get("metadata") or {}))
    meta["labels"] = {**(meta.get("labels") or {}), **labels}
    meta["name"] = name
    if namespace:
        meta["namespace"] = namespace
    api, kind, owner_name = owner
    meta["ownerReferences"] = [{"apiVersion": api, "kind": kind, "name": owner_name, "controller": True}]
    return {
        "apiVersion": "v1",
        "kind": "Pod",
        "metadata": meta,
        "spec": copy.deepcopy(template.get("spec") or {}),
    }
