"""Rendering: what the renderer or the library chart would drop silently or refuse.

`{{ }}` in platform text needs no rule (values reach Helm as data, never as
template source), nor do Jobs in a mesh namespace (the renderer turns sidecar
injection off for them). What remains are settings a workload type ignores,
and values the library chart cannot render.
"""

from __future__ import annotations

from collections.abc import Iterator

from generator.findings import Severity
from generator.model.conventions import config_key
from generator.model.types import Platform
from generator.rules.registry import Hit, check, define
from generator.rules.support import workloads

ERROR, WARNING = Severity.ERROR, Severity.WARNING

CONFIGMAP_MAX_BYTES = 1024 * 1024  # the API server refuses larger ConfigMaps
# setting -> the workload types that ignore it
_IGNORED = {
    "replicas": frozenset({"daemonset", "job", "cronjob"}),
    "schedule": frozenset({"deployment", "statefulset", "daemonset", "job"}),
    "suspend": frozenset({"deployment", "statefulset", "daemonset", "job"}),
    "job": frozenset({"deployment", "statefulset", "daemonset"}),
}


define(
    "PC701",
    "rendering",
    WARNING,
    "Setting ignored for this workload type",
    why="""Some settings mean nothing for some workload types and are dropped when rendering:
    `replicas` on a daemonset (one pod per node), job or cronjob; `schedule` and `suspend`
    on anything but a cronjob; `job` on anything but a job or cronjob, and `job.hook` on a cronjob
    (its runs start on its schedule, never with a sync). The author expects an effect that never
    happens.""",
    fix="Remove the setting, or change `type`.",
    bad="""
    type: daemonset
    replicas: 3
    """,
    good="""
    type: daemonset
    """,
)


@check("PC701")
def ignored_settings(platform: Platform) -> Iterator[Hit]:
    for component in workloads(platform):
        kind = component.workload_type
        written = {
            "replicas": component.replicas,
            "schedule": component.schedule,
            "suspend": component.suspend,
            "job": component.job,
        }
        for key, kinds in _IGNORED.items():
            if written[key] is not None and kind in kinds:
                if key == "job":
                    why = "only a job or cronjob runs to completion"
                elif key != "replicas":
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
        if kind == "cronjob" and component.job is not None and component.job.hook is not None:
            yield Hit(
                "PC701",
                f"{component.name}: job.hook is ignored for type cronjob (its runs start on its schedule, "
                f"never with a sync); remove it, or make it a job",
                (*component.job.path, "hook"),
                prefer_key=True,
            )


define(
    "PC702",
    "rendering",
    ERROR,
    "Autoscaling on a workload that cannot scale",
    why="""A HorizontalPodAutoscaler scales Deployments and StatefulSets. On a daemonset, job or
    cronjob the library chart refuses to render, and the whole application fails to sync.""",
    fix="Remove `autoscaling`, or make the component a deployment or statefulset.",
    bad="""
    type: daemonset
    autoscaling: {minReplicas: 1, maxReplicas: 3, targetCPU: 70}
    """,
    good="""
    type: daemonset
    """,
)

define(
    "PC703",
    "rendering",
    ERROR,
    "Autoscaling without minReplicas or targetCPU",
    why="""The library chart renders a HorizontalPodAutoscaler from `minReplicas`, `maxReplicas`
    and `targetCPU`, and refuses without any of them: the application fails to render.""",
    fix="Set all three.",
    bad="""
    autoscaling: {maxReplicas: 4}
    """,
    good="""
    autoscaling: {minReplicas: 2, maxReplicas: 4, targetCPU: 70}
    """,
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


define(
    "PC704",
    "rendering",
    ERROR,
    "Two files map to one ConfigMap key",
    why="""Files are stored in the component's ConfigMap under a key made from their path
    (`/etc/a/b.conf` → `etc-a-b.conf`). Two paths that differ only where `/` and `-` meet make
    the same key, and one file silently replaces the other.""",
    fix="Move one of the files to a path that makes a different key.",
    bad="""
    files:
      /etc/app/site.conf: …
      /etc/app-site.conf: …
    """,
    good="""
    files:
      /etc/app/site.conf: …
      /etc/app/extra.conf: …
    """,
)

define(
    "PC705",
    "rendering",
    ERROR,
    "Files exceed what a ConfigMap can hold",
    why="""A component's files live in one ConfigMap, and the API server refuses a ConfigMap over
    1 MiB: the application fails to sync.""",
    fix="Ship large files in the image, or fetch them at startup.",
    bad="""
    files:
      /models/weights.json: …   # 3 MiB
    """,
    good="""
    # build the file into the image instead
    """,
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
