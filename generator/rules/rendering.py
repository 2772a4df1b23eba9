"""Rendering: what the renderer or the library chart would drop silently or refuse.

`{{ }}` in platform text needs no rule (values reach Helm as data, never as
template source), nor do Jobs in a mesh namespace (the renderer turns sidecar
injection off for them). What remains are settings a workload type ignores,
and values the library chart cannot render.
"""

from __future__ import annotations

from collections.abc import Iterator

from generator.model.conventions import config_key
from generator.model.types import Platform
from generator.rules.engine import Hit, check
from generator.rules.support import workloads

CONFIGMAP_MAX_BYTES = 1024 * 1024  # the API server refuses larger ConfigMaps
# setting -> the workload types that ignore it
_IGNORED = {
    "replicas": frozenset({"daemonset", "job", "cronjob"}),
    "schedule": frozenset({"deployment", "statefulset", "daemonset", "job"}),
    "suspend": frozenset({"deployment", "statefulset", "daemonset", "job"}),
}


@check("PC701")
def ignored_settings(platform: Platform) -> Iterator[Hit]:
    for component in workloads(platform):
        kind = component.workload_type
        written = {
            "replicas": component.replicas,
            "schedule": component.schedule,
            "suspend": component.suspend,
        }
        for key, kinds in _IGNORED.items():
            if written[key] is not None and kind in kinds:
                if key != "replicas":
                    why = "only a cronjob has a schedule"
                elif kind == "daemonset":
                    why = "a daemonset runs one pod per eligible node"
                else:
                    why = f"a {kind} runs one pod at a time"
                yield Hit(
                    "PC701",
                    f"{component.name}: {key} is ignored for type {kind} ({why}); remove it, or change "
                    f"the type",
                    (*component.path, key),
                    prefer_key=True,
                )


@check("PC702", "PC703")
def autoscaler_values(platform: Platform) -> Iterator[Hit]:
    for component in workloads(platform):
        scaler = component.autoscaling
        if scaler is None:
            continue
        path = (*component.path, "autoscaling")
        if component.workload_type not in ("deployment", "statefulset"):
            yield Hit(
                "PC702",
                f"{component.name}: a {component.workload_type} cannot autoscale (a HorizontalPodAutoscaler "
                f"scales Deployments and StatefulSets); remove autoscaling or change the type",
                path,
                prefer_key=True,
            )
            continue
        present = {"minReplicas": scaler.min_replicas, "targetCPU": scaler.target_cpu}
        missing = [k for k, v in present.items() if v is None]
        if missing:
            yield Hit(
                "PC703",
                f"{component.name}: autoscaling lacks {' and '.join(missing)}, which the library chart "
                f"needs to render the HorizontalPodAutoscaler; add e.g. minReplicas: 2, targetCPU: 70",
                path,
                prefer_key=True,
            )


@check("PC704", "PC705")
def config_files(platform: Platform) -> Iterator[Hit]:
    for component in workloads(platform):
        keys: dict[str, str] = {}
        size = 0
        for file in component.files:
            key = config_key(file.mount)
            size += len(file.content.encode("utf-8")) + len(key)
            if key in keys:
                yield Hit(
                    "PC704",
                    f"{component.name}: files {keys[key]} and {file.mount} both become ConfigMap key "
                    f'"{key}", so one would replace the other; move one of them',
                    file.path,
                    prefer_key=True,
                )
            keys.setdefault(key, file.mount)
        if size > CONFIGMAP_MAX_BYTES:
            yield Hit(
                "PC705",
                f"{component.name}: files add up to {size:,} bytes, over the 1 MiB a ConfigMap may "
                f"hold; the API server refuses it: ship large files in the image or a volume",
                (*component.path, "files"),
                prefer_key=True,
            )
