"""Availability: requests against namespace quotas, node sizes and the cluster's total, at the largest scale.

Quota admission counts every pod an autoscaler may add, so a namespace is
judged at each autoscaler's maxReplicas: the quota that fits today's replicas
but not tomorrow's scale-up fails exactly when load is highest. Upstream charts
are not counted (their requests are not in platform.yaml).
"""

from __future__ import annotations

from collections.abc import Iterator
from fractions import Fraction

from generator.findings import Severity
from generator.load.document import YamlPath
from generator.model.conventions import effective_resources
from generator.model.placement import GPU_RESOURCE
from generator.model.settings import Node
from generator.model.types import Component, PlacementKey, Platform
from generator.quantity import quantity
from generator.rules.registry import Hit, check, define, did_you_mean
from generator.rules.support import caused_by, overlay_first, replica_range, show, workloads

ERROR = Severity.ERROR

_RESOURCES = ("cpu", "memory", "gpu")


def _capacity(node: Node) -> dict[str, Fraction]:
    return {
        "cpu": quantity(node.cpu) or Fraction(0),
        "memory": quantity(node.memory) or Fraction(0),
        "gpu": Fraction(node.gpu),
    }


def pod_usage(platform: Platform, component: Component) -> dict[str, Fraction]:
    """One pod's requests and limits, keyed `requests.cpu`, `limits.memory`, … and `gpu`."""
    resources = effective_resources(platform, component)
    usage: dict[str, Fraction] = {}
    for part in ("requests", "limits"):
        for resource in ("cpu", "memory"):
            usage[f"{part}.{resource}"] = quantity(resources.get(part, {}).get(resource)) or Fraction(0)
    usage["gpu"] = quantity(resources.get("limits", {}).get(GPU_RESOURCE)) or Fraction(0)
    return usage


class Fleet:
    """Nodes and each workload's pods, worked out once per check: platforms run to thousands."""

    def __init__(self, platform: Platform) -> None:
        self.platform = platform
        self.nodes = [(node, _capacity(node)) for node in platform.nodes]
        self.declared = {node.name for node, _ in self.nodes}
        self._usage: dict[str, dict[str, Fraction]] = {}
        self._eligible: dict[PlacementKey, list[tuple[Node, dict[str, Fraction]]]] = {}

    def usage(self, component: Component) -> dict[str, Fraction]:
        if component.id not in self._usage:
            self._usage[component.id] = pod_usage(self.platform, component)
        return self._usage[component.id]

    def eligible(self, component: Component) -> list[tuple[Node, dict[str, Fraction]]]:
        key = component.placement_key  # components mostly share one answer: work it out once
        if key not in self._eligible:
            names = {node.name for node in self.platform.eligible_nodes(component)}
            self._eligible[key] = [(node, cap) for node, cap in self.nodes if node.name in names]
        return self._eligible[key]

    def total(self, component: Component, key: str) -> Fraction:
        """`key` (`requests.cpu`, `gpu`, …) summed over the most pods the component may run."""
        return replica_range(component, len(self.eligible(component)))[1] * self.usage(component)[key]

    def unschedulable(self, component: Component) -> str | None:
        """Why no node can take one pod of it; None when one can (or when the placement is PC610's)."""
        pinned = component.placement
        if not self.declared or (pinned and not set(pinned) & self.declared):
            return None
        nodes = self.eligible(component)
        if not nodes and component.node_selector:
            return None  # the selector picks no node it can run on: PC630/PC631's
        usage = self.usage(component)
        need = {"cpu": usage["requests.cpu"], "memory": usage["requests.memory"], "gpu": usage["gpu"]}
        daemon = component.workload_type == "daemonset"
        fit = (all(need[r] <= cap[r] for r in _RESOURCES) for _, cap in nodes)
        if nodes and (all(fit) if daemon else any(fit)):  # short-circuits: most pods fit the first node
            return None
        fits = [all(need[r] <= cap[r] for r in _RESOURCES) for _, cap in nodes]
        wanted = ", ".join(f"{r} {show(need[r], r)}" for r in _RESOURCES if need[r]) or "nothing"
        if not nodes:
            return f"one pod requests {wanted}, but {_no_node(component)}"
        shown = "; ".join(
            f"{node.name}: "
            + ", ".join(f"{r} {show(cap[r], r)}" for r in _RESOURCES if r != "gpu" or need[r])
            for (node, cap), ok in zip(nodes, fits, strict=True)
            if not ok
        )
        which = "a node it must run on is" if daemon else "every node it may run on is"
        return f"one pod requests {wanted}, but {which} too small ({shown})"


def _fit_paths(component: Component) -> list[YamlPath]:
    base = (*component.path, "resources")
    return [
        (*base, "requests", "cpu"),
        (*base, "requests", "memory"),
        (*base, "gpu"),
        (*component.path, "placement"),
    ]


define(
    "PC610",
    "availability",
    ERROR,
    "Placement names an unknown node",
    why="""`placement.nodes` pins a workload to named nodes of `spec.cluster.nodes`. A name the
    cluster does not list can never match a node, so the pod stays Pending (or, with other
    names beside it, runs on fewer nodes than intended).""",
    fix="Name a node from spec.cluster.nodes (the message suggests the closest).",
    bad="""
    placement: {nodes: [cpu-1]}
    """,
    good="""
    placement: {nodes: [cpu1]}
    """,
)


@check("PC610")
def placement_nodes(platform: Platform) -> Iterator[Hit]:
    declared = [n.name for n in platform.nodes]
    for component in workloads(platform):
        for index, node in enumerate(component.placement):
            if node not in declared:
                where = caused_by(
                    platform, (*component.path, "placement", "nodes", index), ("spec", "cluster", "nodes")
                )
                yield Hit(
                    "PC610",
                    f'{component.name}: placement names node "{node}", which spec.cluster.nodes does not '
                    f"list{did_you_mean(node, declared)}; no pod could ever be scheduled there",
                    **where,
                )


def _no_node(component: Component) -> str:
    """Why no declared node is eligible at all."""
    gpus = component.gpus
    if gpus:
        allowed = component.placement
        scope = f"of {', '.join(allowed)}" if allowed else "in the cluster"
        return f"no node {scope} has {gpus} GPU{'s' if gpus != 1 else ''}"
    return "every node it may run on is tainted against it"


define(
    "PC605",
    "availability",
    ERROR,
    "Namespace quota exceeded at full scale",
    why="""A namespace's ResourceQuota caps the sum of its pods' requests and limits. Judged at
    each autoscaler's maxReplicas (and every replica count), workloads whose sum exceeds the
    quota get refused pods exactly when load peaks. Quantities are read as Kubernetes reads them
    (`500m`, `4Gi`, `1e3`). Upstream charts are not counted.""",
    fix="Raise the namespace quota, or lower replicas, maxReplicas or requests.",
    bad="""
    namespaces: {data: {quota: {requests: {cpu: "4"}}}}
    api: {resources: {requests: {cpu: "1"}}, autoscaling: {minReplicas: 2, maxReplicas: 6, targetCPU: 70}}
    """,
    good="""
    namespaces: {data: {quota: {requests: {cpu: "8"}}}}
    """,
)

define(
    "PC606",
    "availability",
    ERROR,
    "Pod fits no node",
    why="""A pod is scheduled on one node: its requests (CPU, memory, GPUs) must fit a single node
    it may run on, respecting `placement.nodes` (a pod pinned to one node must fit that node),
    GPU needs (GPU nodes only) and node taints. Otherwise it stays Pending forever. A
    daemonset pod must fit every node it runs on.""",
    fix="Lower the requests, widen the placement, or add a node large enough.",
    bad="""
    resources: {requests: {cpu: "64", memory: 32Gi}}
    """,
    good="""
    resources: {requests: {cpu: "16", memory: 32Gi}}
    """,
)

define(
    "PC607",
    "availability",
    ERROR,
    "Requests above the cluster's capacity",
    why="""The sum of all workloads' requests at full scale exceeds the sum of the nodes in
    `spec.cluster.nodes`: some pods will stay Pending when everything scales up.""",
    fix="Add nodes, or lower requests, replicas and maxReplicas.",
    bad="""
    cluster: {nodes: [{name: n1, cpu: 8, memory: 32Gi}]}
    # workloads request 12 CPUs in total
    """,
    good="""
    cluster: {nodes: [{name: n1, cpu: 8, memory: 32Gi}, {name: n2, cpu: 8, memory: 32Gi}]}
    """,
)


@check("PC605", "PC606", "PC607")
def capacity(platform: Platform) -> Iterator[Hit]:
    """One pass over the fleet for the three capacity rules (each pod's numbers are worked out once)."""
    fleet = Fleet(platform)
    yield from _pods_fit_nodes(fleet)
    yield from _namespace_quotas(fleet)
    yield from _cluster_capacity(fleet)


def _pods_fit_nodes(fleet: Fleet) -> Iterator[Hit]:
    platform = fleet.platform
    for component in workloads(platform):
        why = fleet.unschedulable(component)
        if why is None:
            continue
        yield Hit(
            "PC606",
            f"{component.name}: {why}; the pod would stay Pending: lower its requests or add a node "
            f"that fits",
            overlay_first(platform, _fit_paths(component)),
        )


def _contributors(fleet: Fleet, members: list[Component], key: str) -> str:
    ranked = sorted(
        ((fleet.total(c, key), c) for c in members),
        key=lambda pair: (-pair[0], pair[1].name),
    )
    resource = key.partition(".")[2] or key
    return ", ".join(f"{c.name} {show(amount, resource)}" for amount, c in ranked[:3] if amount)


def _namespace_quotas(fleet: Fleet) -> Iterator[Hit]:
    platform = fleet.platform
    by_namespace: dict[str, list[Component]] = {}
    for component in workloads(platform):
        by_namespace.setdefault(component.namespace, []).append(component)
    for namespace, declared in platform.namespaces.items():
        quota = declared.quota
        if quota is None:
            continue
        members = by_namespace.get(namespace, [])
        over: list[tuple[YamlPath, str]] = []
        for part, amounts in (("requests", quota.requests), ("limits", quota.limits)):
            for resource, amount in amounts.values.items():
                limit, key = quantity(amount), f"{part}.{resource}"
                total = sum((fleet.total(c, key) for c in members), Fraction(0))
                if limit is not None and total > limit:
                    text = (
                        f"{key} {show(total, resource)} against a quota of {amount} "
                        f"(largest: {_contributors(fleet, members, key)})"
                    )
                    over.append((("spec", "namespaces", namespace, "quota", part, resource), text))
        if over:
            yield Hit(
                "PC605",
                f"namespace {namespace}: at full scale (every autoscaler at maxReplicas) its workloads "
                f"need {'; '.join(t for _, t in over)}; pods beyond the quota are refused: raise the "
                f"quota or lower replicas, maxReplicas or requests",
                overlay_first(platform, [p for p, _ in over]),
            )


def _cluster_capacity(fleet: Fleet) -> Iterator[Hit]:
    platform = fleet.platform
    if not fleet.nodes:
        return
    total = {r: sum((cap[r] for _, cap in fleet.nodes), Fraction(0)) for r in _RESOURCES}
    keys = {"cpu": "requests.cpu", "memory": "requests.memory", "gpu": "gpu"}
    # A pod no node can take is PC606's finding; counting it here would report it twice.
    members = [c for c in workloads(platform) if fleet.unschedulable(c) is None]
    needed = {r: sum((fleet.total(c, keys[r]) for c in members), Fraction(0)) for r in _RESOURCES}
    short = [r for r in _RESOURCES if needed[r] > total[r]]
    if short:
        text = ", ".join(f"{r} {show(needed[r], r)} (the nodes offer {show(total[r], r)})" for r in short)
        yield Hit(
            "PC607",
            f"at full scale (every autoscaler at maxReplicas) the workloads request {text}; some pods "
            f"would stay Pending: add nodes or lower requests and replicas",
            ("spec", "cluster", "nodes"),
        )
