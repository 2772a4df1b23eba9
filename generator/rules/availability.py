"""Availability: disruption budgets, autoscalers, replica counts and volumes that cannot work together.

Counts are taken in this environment: an overlay that scales a workload down
is judged against the budget the base file gave it, and the finding points at
whichever of the two the overlay wrote.
"""

from __future__ import annotations

from collections.abc import Iterator

from generator.load.document import YamlPath
from generator.model.conventions import effective_resources
from generator.model.types import Component, Platform
from generator.rules.engine import Hit, check
from generator.rules.support import (
    autoscaling,
    overlay_first,
    pdb_allowed,
    quantity,
    replica_range,
    scaled,
    workloads,
)


def _count_path(component: Component) -> YamlPath:
    if autoscaling(component) is not None:
        return (*component.path, "autoscaling", "minReplicas")
    return (*component.path, "replicas")


def _count_text(component: Component, pods: int) -> str:
    if autoscaling(component) is not None:
        return f"its autoscaler may scale it down to {pods} replica{'s' if pods != 1 else ''}"
    return f"it runs {pods} replica{'s' if pods != 1 else ''} in this environment"


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
            fix = (
                f"lower minAvailable below {pods}, use maxUnavailable: 1"
                if which == "minAvailable"
                else "set maxUnavailable to at least 1"
            )
            yield Hit(
                "PC601",
                f"{component.name}: pdb.{which} is {amount} and {_count_text(component, pods)}, so the "
                f"PodDisruptionBudget never allows an eviction and node drains hang; {fix}, "
                f"or remove the pdb",
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
            yield Hit(
                "PC604",
                f"{component.name}: replicas ({component.replicas}) is ignored because "
                f"autoscaling manages the count (between {low} and {high}); remove replicas",
                (*component.path, "replicas"),
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
