"""PodDisruptionBudgets the upstream charts render that never allow an eviction (PC831).

platformc's own budgets (`pdb:`) are judged against the model before render
(PC601). A chart's budget comes from its values (`server.ha.disruptionBudget`,
`podDisruptionBudget.minAvailable`) and is only known once Helm has rendered it:
`maxUnavailable: 0` (or `0%`), `minAvailable: 100%`, or a `minAvailable` not
below the replicas of the workloads it selects blocks every voluntary eviction,
so a node drain (a cluster upgrade) hangs on that pod.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from generator.findings import Finding
from generator.verify.cluster.objects import ClusterObject, ObjectSet
from generator.verify.cluster.places import COMPONENT_LABEL, ClusterFacts, Place, chart_of, finding

RULE = "PC831"
_WORKLOADS = ("Deployment", "StatefulSet", "ReplicaSet")


def check_disruption_budgets(objects: ObjectSet, facts: ClusterFacts) -> Iterator[Finding]:
    for budget in objects.of_kind("PodDisruptionBudget"):
        if COMPONENT_LABEL in budget.labels:
            continue  # platformc's own, from `pdb:` (PC601)
        spec = budget.data.get("spec") or {}
        if not isinstance(spec, dict):
            continue
        replicas = _replicas(objects, budget, spec.get("selector"))
        problem = _problem(spec, replicas)
        if problem is None:
            continue
        setting, value, why = problem
        place = disruption_place(
            facts, budget, ((setting, value), ("replicas", replicas), ("replicaCount", replicas))
        )
        yield finding(
            RULE,
            f"PodDisruptionBudget {budget.name} in namespace {budget.namespace} (Application "
            f"{budget.application}) sets {setting}: {value}, {why}: it never allows an eviction, so "
            "draining its node hangs; set the chart's budget below the replica count, or turn it off",
            budget,
            place,
        )


def disruption_place(
    facts: ClusterFacts, budget: ClusterObject, settings: tuple[tuple[str, object], ...]
) -> Place | None:
    """The chart value that decides the budget (written, or the replica count it follows), else the
    component."""
    chart = chart_of(budget.file)
    for key, value in settings if chart is not None else ():
        place = (
            facts.setting_place(budget.application, chart or "", key, value) if value is not None else None
        )
        if place is not None:
            return place
    return facts.object_place(budget)


def _problem(spec: Mapping[str, Any], replicas: int | None) -> tuple[str, object, str] | None:
    unavailable, available = spec.get("maxUnavailable"), spec.get("minAvailable")
    if unavailable in (0, "0%"):
        return "maxUnavailable", unavailable, "so no pod may ever be unavailable"
    if available == "100%":
        return "minAvailable", available, "so every pod must always be available"
    if isinstance(available, int) and replicas is not None and available >= replicas:
        return "minAvailable", available, f"and it selects {replicas} pod(s)"
    return None


def _replicas(objects: ObjectSet, budget: ClusterObject, selector: Any) -> int | None:
    """The replicas of the workloads in the budget's namespace its `matchLabels` select; None: none
    found, or a selector this cannot judge (`matchExpressions`)."""
    if not isinstance(selector, dict) or selector.get("matchExpressions"):
        return None
    wanted = selector.get("matchLabels")
    if not isinstance(wanted, dict) or not wanted:
        return None
    total, found = 0, False
    for workload in objects.of_kind(*_WORKLOADS):
        if workload.namespace != budget.namespace:
            continue
        spec = workload.data.get("spec") or {}
        labels = ((spec.get("template") or {}).get("metadata") or {}).get("labels") or {}
        if isinstance(labels, dict) and all(labels.get(k) == v for k, v in wanted.items()):
            replicas = spec.get("replicas", 1)
            if not isinstance(replicas, int) or _autoscaled(objects, workload):
                return None  # an autoscaler decides the count
            total, found = total + replicas, True
    return total if found else None


def _autoscaled(objects: ObjectSet, workload: ClusterObject) -> bool:
    for scaler in objects.of_kind("HorizontalPodAutoscaler"):
        target = (scaler.data.get("spec") or {}).get("scaleTargetRef") or {}
        if scaler.namespace == workload.namespace and target.get("name") == workload.name:
            return True
    return False
