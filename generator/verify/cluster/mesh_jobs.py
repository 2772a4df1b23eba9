"""Jobs that istiod gives a sidecar, which keeps them from completing (PC832).

A Job completes when all its containers exit; istiod's sidecar (a regular
container while native sidecars are off) keeps running, so the Job never
completes, its CronJob piles up runs, and an Argo CD hook waits forever.
platformc marks the Jobs it renders itself `sidecar.istio.io/inject: "false"`;
an upstream chart's Jobs are judged here, with the injectors istiod's chart
renders (verify/cluster/injection.py), once `mesh: true` puts their namespace
in the mesh.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from generator.findings import Finding
from generator.verify.cluster.injection import find_injectors
from generator.verify.cluster.objects import ClusterObject, ObjectSet
from generator.verify.cluster.places import ClusterFacts, finding
from generator.verify.cluster.pods import containers, pod_metadata, pod_spec

RULE = "PC832"
NATIVE_ANNOTATION = "sidecar.istio.io/nativeSidecar"
NATIVE_ENV = "ENABLE_NATIVE_SIDECARS"


def check_mesh_jobs(objects: ObjectSet, facts: ClusterFacts) -> Iterator[Finding]:
    jobs = list(objects.of_kind("Job", "CronJob"))
    if not jobs or _native_sidecars(objects):
        return
    injectors = find_injectors(objects.of_kind("ConfigMap"), objects.of_kind("MutatingWebhookConfiguration"))
    if not injectors:
        return
    namespaces = {n.name: {str(k): str(v) for k, v in n.labels.items()} for n in objects.of_kind("Namespace")}
    for job in jobs:
        metadata = pod_metadata(job)
        if pod_spec(job) is None or str((metadata.get("annotations") or {}).get(NATIVE_ANNOTATION)) == "true":
            continue
        template: dict[str, Any] = {"metadata": metadata, "spec": pod_spec(job)}
        labels = namespaces.get(job.namespace, {})
        if any(injector.injects(template, job.namespace, labels) for injector in injectors):
            yield finding(RULE, _message(job), job, facts.object_place(job))


def _message(job: ClusterObject) -> str:
    return (
        f"{job.label} in namespace {job.namespace} (Application {job.application}) gets istiod's sidecar, "
        "which keeps running after the job's containers exit: the Job never completes (a hook blocks the "
        'sync, a CronJob piles up runs); give its pods the label sidecar.istio.io/inject: "false" through '
        "the chart's values, or keep the namespace out of the mesh"
    )


def _native_sidecars(objects: ObjectSet) -> bool:
    """Whether istiod runs with native sidecars, which end with the Job's containers."""
    for deployment in objects.of_kind("Deployment"):
        spec = pod_spec(deployment) or {}
        for container in containers(spec):
            for env in container.get("env") or []:
                if (
                    isinstance(env, dict)
                    and env.get("name") == NATIVE_ENV
                    and str(env.get("value")) == "true"
                ):
                    return True
    return False
