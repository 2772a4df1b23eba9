"""Capacity inside the container: JVM heaps and CPU autoscaling (availability family)."""

from __future__ import annotations

from generator.findings import Severity
from generator.rules.engine import define

define(
    "PC611",
    "availability",
    Severity.ERROR,
    "JVM heap at or above the memory limit",
    why="""`-Xmx` (or `-Xms`) in an env value (`JAVA_OPTS`, `KAFKA_HEAP_OPTS`, `ES_JAVA_OPTS`, any
    `*_JAVA_OPTS` or `*_HEAP_OPTS`) or in command and args sizes the Java heap alone. The JVM
    also needs metaspace, thread stacks, the code cache and direct buffers beside it, so a
    heap at or above the container's memory limit (its own, or `spec.defaults`) gets the
    container OOMKilled under load, or at start with `-Xms`. Sizes are read as the JVM reads
    them: bytes, or k, m, g, t as powers of 1024.""",
    fix="Keep the heap to about 75% of the limit (`-Xmx3g` under `4Gi`), or raise the limit.",
    bad="""
    env:
      KAFKA_HEAP_OPTS: "-Xmx4g -Xms4g"
    resources: {limits: {memory: 4Gi}}
    """,
    good="""
    env:
      KAFKA_HEAP_OPTS: "-Xmx3g -Xms3g"
    resources: {limits: {memory: 4Gi}}
    """,
)
define(
    "PC612",
    "availability",
    Severity.ERROR,
    "Autoscaled on CPU without a CPU request",
    why="""The HorizontalPodAutoscaler platformc renders targets CPU utilisation, which is usage
    divided by the pods' CPU request. With no request (neither the component's nor
    `spec.defaults`) or a request of 0 it cannot compute utilisation (`missing request for
    cpu`) and never scales, however busy the pods are.""",
    fix="Set `resources.requests.cpu` on the component (or a default in `spec.defaults.resources`).",
    bad="""
    autoscaling: {minReplicas: 2, maxReplicas: 6, targetCPU: 70}
    resources: {requests: {cpu: 0, memory: 512Mi}}
    """,
    good="""
    autoscaling: {minReplicas: 2, maxReplicas: 6, targetCPU: 70}
    resources: {requests: {cpu: 500m, memory: 512Mi}}
    """,
)
