"""Capacity of what runs inside a container: a JVM heap at or above its memory limit (PC611), and a
CPU autoscaler over pods that request no CPU (PC612)."""

from __future__ import annotations

from collections.abc import Iterator
from fractions import Fraction
from typing import Any

from generator.load.document import YamlPath
from generator.model.conventions import effective_resources
from generator.model.types import Component, Platform
from generator.rules.engine import Hit, check
from generator.rules.support import quantity, show
from generator.rules.values.jvm import heap_fits, heap_flags


def _option_strings(platform: Platform, component: Component) -> Iterator[tuple[YamlPath, str, str]]:
    """(path, what it is, text) for every env value, command and args item of a workload."""
    env = platform.doc.get((*component.path, "env"))
    for name, value in env.items() if isinstance(env, dict) else ():
        if isinstance(value, str):
            yield (*component.path, "env", name), f"env {name}", value
    for key in ("command", "args"):
        items: Any = platform.doc.get((*component.path, key))
        for index, item in enumerate(items if isinstance(items, list) else []):
            if isinstance(item, str):
                yield (*component.path, key, index), f"{key}[{index}]", item


@check("PC611")
def jvm_heap(platform: Platform) -> Iterator[Hit]:
    for component in platform.components():
        if component.kind != "workload":
            continue
        limit = quantity(effective_resources(platform, component).get("limits", {}).get("memory"))
        if limit is None or limit <= 0:
            continue
        for path, what, text in _option_strings(platform, component):
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
        scaler = platform.doc.get((*component.path, "autoscaling"))
        if component.kind != "workload" or not isinstance(scaler, dict):
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
