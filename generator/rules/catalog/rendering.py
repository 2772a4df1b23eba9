"""Rendering rules (PC701–PC799): what the renderer would drop or the library chart refuse."""

from __future__ import annotations

from generator.findings import Severity
from generator.rules.engine import define

ERROR, WARNING = Severity.ERROR, Severity.WARNING

define(
    "PC701",
    "rendering",
    WARNING,
    "Setting ignored for this workload type",
    why="""Some settings mean nothing for some workload types and are dropped when rendering:
    `replicas` on a daemonset (one pod per node), job or cronjob; `schedule` and `suspend`
    on anything but a cronjob. The author expects an effect that never happens.""",
    fix="Remove the setting, or change `type`.",
    bad="""
    type: daemonset
    replicas: 3
    """,
    good="""
    type: daemonset
    """,
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
