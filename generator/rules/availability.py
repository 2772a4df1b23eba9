"""Availability: disruption budgets, autoscalers, replica counts and volumes that cannot work together.

Counts are taken in this environment: an overlay that scales a workload down
is judged against the budget the base file gave it, and the finding points at
whichever of the two the overlay wrote.
"""

from __future__ import annotations

from collections.abc import Iterator

from generator.findings import Severity
from generator.load.document import YamlPath
from generator.model.conventions import effective_resources
from generator.model.types import Component, Platform
from generator.quantity import quantity
from generator.rules.registry import Hit, check, define
from generator.rules.support import (
    autoscaling,
    overlay_first,
    pdb_allowed,
    replica_range,
    scaled,
    workloads,
)

ERROR, WARNING = Severity.ERROR, Severity.WARNING


def _count_path(component: Component) -> YamlPath:
    if autoscaling(component) is not None:
        return (*component.path, "autoscaling", "minReplicas")
    return (*component.path, "replicas")


def _count_text(component: Component, pods: int) -> str:
    if autoscaling(component) is not None:
        return f"its autoscaler may scale it down to {pods} replica{'s' if pods != 1 else ''}"
    return f"it runs {pods} replica{'s' if pods != 1 else ''} in this environment"


define(
    "PC601",
    "availability",
    ERROR,
    "PodDisruptionBudget never allows an eviction",
    why="""A budget whose `minAvailable` is not below the replica count (or the autoscaler's
    `minReplicas`), `minAvailable: 100%`, or `maxUnavailable: 0` forbids every voluntary
    eviction: node drains hang and cluster upgrades stall. It often appears only in one
    environment, when an overlay scales a workload down and leaves the base budget behind; the
    finding then points at the overlay.""",
    fix="Lower minAvailable below the replica count, use `maxUnavailable: 1`, or remove the pdb "
    "in that environment (`pdb: null`).",
    bad="""
    # overlays/dev.yaml
    kafka: {replicas: 1}          # base: pdb {minAvailable: 1}
    """,
    good="""
    kafka: {replicas: 1, pdb: null}
    """,
)

define(
    "PC602",
    "availability",
    WARNING,
    "PodDisruptionBudget that protects nothing",
    why="""A budget on a single replica (or one that lets every replica go, such as
    `maxUnavailable` at least the replica count or `minAvailable: 0`) allows evicting all pods
    at once: it gives a false sense of protection.""",
    fix="Run more replicas, or remove the pdb.",
    bad="""
    replicas: 1
    pdb: {maxUnavailable: 1}
    """,
    good="""
    replicas: 3
    pdb: {maxUnavailable: 1}
    """,
)


@check("PC601", "PC602")
def disruption_budgets(platform: Platform) -> Iterator[Hit]:
    for component in workloads(platform):
        pdb = component.pdb
        scaler = autoscaling(component)
        if pdb is None or not scaled(component):
            continue
        if scaler is not None and scaler.max_replicas < scaler.floor:
            continue  # PC603 is the one finding for a broken autoscaler
        which, amount = pdb.which, pdb.amount
        pods = replica_range(component, 0)[0]
        if pods == 0:
            continue
        allowed = pdb_allowed(amount, which, pods)
        where = overlay_first(platform, [(*pdb.path, which), _count_path(component)])
        if allowed == 0:
            yield Hit(
                "PC601",
                f"{component.name}: pdb.{which} is {amount} and {_count_text(component, pods)}, so the "
                f"PodDisruptionBudget never allows an eviction and node drains hang; "
                f"{_pdb_fix(platform, component, pods)}",
                where,
            )
        elif pods == 1 or allowed >= pods:
            yield Hit(
                "PC602",
                f"{component.name}: pdb.{which} is {amount} and {_count_text(component, pods)}, so the "
                f"PodDisruptionBudget lets every pod go at once and protects nothing; remove it, or run more "
                f"replicas",
                where,
            )


define(
    "PC603",
    "availability",
    ERROR,
    "Autoscaler maxReplicas below minReplicas",
    why="""A HorizontalPodAutoscaler with `maxReplicas` below `minReplicas` is refused by the API
    server, so the workload is not scaled at all.""",
    fix="Raise maxReplicas or lower minReplicas.",
    bad="""
    autoscaling: {minReplicas: 3, maxReplicas: 2, targetCPU: 70}
    """,
    good="""
    autoscaling: {minReplicas: 2, maxReplicas: 4, targetCPU: 70}
    """,
)

define(
    "PC604",
    "availability",
    WARNING,
    "replicas set on an autoscaled workload",
    why="""When an autoscaler manages a workload, platformc leaves `replicas` out of the manifest
    so ArgoCD and the autoscaler do not fight over it. A `replicas` value next to `autoscaling`
    is therefore ignored, which surprises whoever reads it.""",
    fix="Remove `replicas`; set the range with autoscaling.minReplicas and maxReplicas.",
    bad="""
    replicas: 3
    autoscaling: {minReplicas: 2, maxReplicas: 6, targetCPU: 70}
    """,
    good="""
    autoscaling: {minReplicas: 3, maxReplicas: 6, targetCPU: 70}
    """,
)


@check("PC603", "PC604")
def autoscalers(platform: Platform) -> Iterator[Hit]:
    for component in workloads(platform):
        scaler = autoscaling(component)
        if scaler is None:
            continue
        low, high = scaler.floor, scaler.max_replicas
        if high < low:
            where = overlay_first(platform, [(*scaler.path, "maxReplicas"), (*scaler.path, "minReplicas")])
            yield Hit(
                "PC603",
                f"{component.name}: autoscaling.maxReplicas ({high}) is below minReplicas ({low}); the "
                f"HorizontalPodAutoscaler is refused: raise maxReplicas or lower minReplicas",
                where,
            )
        if component.replicas is not None:
            replicas = (*component.path, "replicas")
            overlay = _overlay_setting(platform, scaler.path)
            if overlay is not None and _overlay_setting(platform, replicas) is None:
                # The overlay adds the autoscaler to a base count other environments still use.
                fix, where = f"add `replicas: null` to {component.name} in {overlay}", scaler.path
            else:
                fix, where = f"remove replicas{_from(platform, replicas)}", replicas
            yield Hit(
                "PC604",
                f"{component.name}: replicas ({component.replicas}) is ignored because "
                f"autoscaling manages the count (between {low} and {high}); {fix}",
                where,
            )


def _overlay_setting(platform: Platform, path: YamlPath) -> str | None:
    """The overlay file that set `path` in this environment; None when platform.yaml did."""
    if platform.doc.get(path) is None:
        return None
    file = platform.doc.mark(path).file
    return file if file != platform.doc.file else None


def _from(platform: Platform, path: YamlPath) -> str:
    overlay = _overlay_setting(platform, path)
    return f" from {overlay}" if overlay else ""


def _pdb_fix(platform: Platform, component: Component, pods: int) -> str:
    """How to let evictions through, for this environment: an overlay that brought the replica count
    down to one drops the budget there (`pdb: null`) and leaves platform.yaml to the others."""
    pdb = component.pdb
    assert pdb is not None
    if pods == 1:
        counted_in = _overlay_setting(platform, _count_path(component))
        if counted_in is not None and _overlay_setting(platform, pdb.path) is None:
            return (
                f"add `pdb: null` to {component.name} in {counted_in} (one replica cannot stay available "
                "while its node drains), or run more replicas there"
            )
        return (
            f"remove the pdb{_from(platform, pdb.path)} (one replica cannot stay available while its "
            "node drains), or run more replicas"
        )
    if pdb.which == "minAvailable":
        return f"lower minAvailable below {pods}, use maxUnavailable: 1, or remove the pdb"
    return "set maxUnavailable to at least 1, or remove the pdb"


define(
    "PC608",
    "availability",
    ERROR,
    "Persistent volume on a multi-replica Deployment",
    why="""A Deployment's persistent volume is one ReadWriteOnce claim shared by all its pods.
    Only one node can attach it, so with more than one replica (or an autoscaler that may add
    one) the other pods never start.""",
    fix="Use `type: statefulset` (one volume per replica), or run a single replica.",
    bad="""
    replicas: 2
    volumes: {data: {mount: /data, size: 10Gi}}
    """,
    good="""
    type: statefulset
    replicas: 2
    volumes: {data: {mount: /data, size: 10Gi}}
    """,
)


@check("PC608")
def shared_volumes(platform: Platform) -> Iterator[Hit]:
    for component in workloads(platform):
        if component.workload_type != "deployment":
            continue
        pods = replica_range(component, 0)[1]
        claims = [v.name for v in component.volumes if not v.empty_dir]
        if pods <= 1 or not claims:
            continue
        where = overlay_first(
            platform,
            [
                _count_path(component)
                if autoscaling(component) is None
                else (*component.path, "autoscaling", "maxReplicas"),
                (*component.path, "volumes", claims[0]),
            ],
        )
        yield Hit(
            "PC608",
            f"{component.name}: volume {claims[0]} is one ReadWriteOnce claim, but the Deployment runs up "
            f"to {pods} pods and only one node can attach it, so the others never start; make it "
            f"`type: statefulset` (a volume per replica) or run one replica",
            where,
        )


define(
    "PC609",
    "availability",
    ERROR,
    "Request above its limit",
    why="""Kubernetes refuses a container whose request exceeds its limit. Limits merge key by
    key with `spec.defaults`: raising a memory request above the default limit without setting
    the component's own limit is the usual way in.""",
    fix="Set the component's `resources.limits` at least as high as its requests.",
    bad="""
    resources: {requests: {memory: 2Gi}}    # defaults: limits {memory: 1Gi}
    """,
    good="""
    resources: {requests: {memory: 2Gi}, limits: {memory: 4Gi}}
    """,
)


@check("PC609")
def requests_within_limits(platform: Platform) -> Iterator[Hit]:
    for component in workloads(platform):
        resources = effective_resources(platform, component)
        requests, limits = resources.get("requests", {}), resources.get("limits", {})
        for resource in ("cpu", "memory"):
            request, limit = quantity(requests.get(resource)), quantity(limits.get(resource))
            if request is None or limit is None or request <= limit:
                continue
            own = component.resources
            origin = "" if own is not None and resource in own.limits.values else " (from spec.defaults)"
            where = overlay_first(
                platform,
                [
                    (*component.path, "resources", "requests", resource),
                    (*component.path, "resources", "limits", resource),
                ],
            )
            yield Hit(
                "PC609",
                f"{component.name}: requests {resource} {requests[resource]} exceeds its limit "
                f"{limits[resource]}{origin}; Kubernetes refuses the pod: set resources.limits.{resource} to "
                f"at least {requests[resource]}",
                where,
            )
