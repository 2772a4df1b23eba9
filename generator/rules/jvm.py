"""Capacity of what runs inside a container: a JVM heap at or above its memory limit (PC611), and a
CPU autoscaler over pods that request no CPU (PC612)."""

from __future__ import annotations

from collections.abc import Iterator
from fractions import Fraction

from generator.findings import Severity
from generator.load.document import YamlPath
from generator.model.conventions import effective_resources
from generator.model.types import Component, Platform
from generator.quantity import quantity
from generator.rules.registry import Hit, check, define
from generator.rules.support import show
from generator.rules.values.jvm import heap_fits, heap_flags

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


def _option_strings(component: Component) -> Iterator[tuple[YamlPath, str, str]]:
    """(path, what it is, text) for every env value, command and args item of a workload."""
    for entry in component.env:
        if isinstance(entry.value, str):
            yield entry.path, f"env {entry.name}", entry.value
    for key, items in (("command", component.command), ("args", component.args)):
        for index, item in enumerate(items or ()):
            yield (*component.path, key, index), f"{key}[{index}]", item


@check("PC611")
def jvm_heap(platform: Platform) -> Iterator[Hit]:
    for component in platform.components():
        if component.kind != "workload":
            continue
        limit = quantity(effective_resources(platform, component).get("limits", {}).get("memory"))
        if limit is None or limit <= 0:
            continue
        for path, what, text in _option_strings(component):
            flags = [flag for flag in heap_flags(text) if not heap_fits(flag.size, int(limit))]
            if not flags:
                continue
            flag = max(flags, key=lambda f: f.size)  # one finding per setting
            yield Hit(
                "PC611",
                f"{component.name}: {what} sets {flag.written} ({show(Fraction(flag.size), 'memory')}), "
                f"at or above the container's memory limit of {show(limit, 'memory')}; the JVM needs room "
                f"beside its heap, so the kernel kills the container (OOMKilled): keep the heap to about "
                f"75% of the limit, or raise the limit",
                path,
                component=component,
            )


@check("PC612")
def autoscaled_without_cpu_request(platform: Platform) -> Iterator[Hit]:
    for component in platform.components():
        if component.kind != "workload" or component.autoscaling is None:
            continue
        if component.workload_type not in ("deployment", "statefulset"):
            continue  # a DaemonSet's autoscaling is PC702's finding
        request = quantity(effective_resources(platform, component).get("requests", {}).get("cpu"))
        if request is None or request <= 0:
            shown = "no CPU request" if request is None else "a CPU request of 0"
            yield Hit(
                "PC612",
                f"{component.name}: autoscaled on CPU utilisation, but its pods have {shown}; the "
                f"HorizontalPodAutoscaler measures usage against the request, so it cannot compute "
                f"one and never scales: set resources.requests.cpu (or spec.defaults)",
                (*component.path, "autoscaling"),
                prefer_key=True,
                component=component,
            )
