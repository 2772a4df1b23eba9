"""Where a component's pods may run: the declared nodes its placement, GPUs and taints leave it.

`spec.cluster.nodes` is what scheduling is measured against, so the emitter
(node affinity, selectors, tolerations) and the capacity rules (a pod pinned to
one node must fit that node) read placement from here and agree on it:

- `placement.nodes` keeps only the nodes named there;
- a GPU request (`resources.gpu`) keeps only nodes with GPUs (whether `n`
  of them fit is a capacity question, like cpu and memory);
- `placement.nodeSelector` keeps only the nodes whose labels match it;
- a node tainted `NoSchedule`/`NoExecute` takes only the pods that tolerate it:
  those placed on it on purpose (by `placement.nodes` or a GPU request, which
  get tolerations for the taints of their eligible nodes), and those whose
  `placement.tolerations` cover each of its taints.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from generator.model.parts import Toleration
from generator.model.settings import Node, Taint
from generator.model.types import Component, PlacementKey, Platform

HOSTNAME_LABEL = "kubernetes.io/hostname"
ZONE_LABEL = "topology.kubernetes.io/zone"
# `placement.spreadAcross` -> the node label pods are spread over.
TOPOLOGY_KEYS = {"hostname": HOSTNAME_LABEL, "zone": ZONE_LABEL}
GPU_RESOURCE = "nvidia.com/gpu"
# Set by NVIDIA GPU feature discovery on every GPU node: the selector of last
# resort when the cluster declares no node that could take a GPU workload.
GPU_NODE_LABEL = "nvidia.com/gpu.present"
# The taint GPU nodes conventionally carry; GPU workloads always tolerate it.
GPU_TOLERATION: dict[str, str] = {"key": GPU_RESOURCE, "operator": "Exists", "effect": "NoSchedule"}

__all__ = ["PlacementKey", "eligible_by_key"]


def is_restricted(component: Component) -> bool:
    """Does the component choose its nodes (placement or GPUs), rather than take any untainted node?"""
    return bool(component.placement) or component.gpus > 0


def repelling_taints(node: Node) -> list[Taint]:
    return [t for t in node.taints if t.repels]


def eligible_by_key(
    nodes: Sequence[Node], components: Iterable[Component]
) -> dict[PlacementKey, tuple[Node, ...]]:
    """Placement key -> the declared nodes a component with it may be scheduled on, in declaration order.

    Empty when nothing declared admits it: a placement naming only undeclared
    nodes, a GPU workload and no GPU node (among its placement), or no untainted node.
    Only the placement's names and whether it asks for GPUs matter, and most
    components ask for neither: each distinct answer is worked out once per
    platform, so thousands of components over hundreds of nodes stay linear.
    """
    out: dict[PlacementKey, tuple[Node, ...]] = {}
    for component in components:
        key = component.placement_key
        if key not in out:
            out[key] = _eligible(nodes, *key)
    return out


def _eligible(
    nodes: Sequence[Node],
    names: frozenset[str],
    gpus: bool,
    selector: frozenset[tuple[str, str]],
    written: tuple[Toleration, ...],
) -> tuple[Node, ...]:
    restricted = bool(names) or gpus
    eligible = []
    for node in selected(nodes, names, selector):
        if gpus and not node.gpu:
            continue
        if not restricted and untolerated(node, written):
            continue
        eligible.append(node)
    return tuple(eligible)


def selected(nodes: Sequence[Node], names: Iterable[str], selector: Iterable[tuple[str, str]]) -> list[Node]:
    """The nodes `placement.nodes` (when given) names and whose labels `placement.nodeSelector` matches."""
    wanted, labels = set(names), dict(selector)
    return [
        node
        for node in nodes
        if (not wanted or node.name in wanted) and all(node.labels.get(k) == v for k, v in labels.items())
    ]


def untolerated(node: Node, written: Sequence[Toleration]) -> list[Taint]:
    """The node's repelling taints that none of `written` tolerates."""
    return [
        taint
        for taint in repelling_taints(node)
        if not any(t.tolerates(taint.key, taint.value, taint.effect) for t in written)
    ]


def tolerations(platform: Platform, component: Component) -> list[dict[str, str]]:
    """What a restricted component tolerates: the GPU taint, and every taint of its eligible nodes."""
    if not is_restricted(component):
        return []
    found: list[dict[str, str]] = [dict(GPU_TOLERATION)] if component.gpus else []
    for node in platform.eligible_nodes(component):
        for taint in repelling_taints(node):
            if taint.value is not None:
                toleration = {
                    "key": taint.key,
                    "operator": "Equal",
                    "value": taint.value,
                    "effect": taint.effect,
                }
            else:
                toleration = {"key": taint.key, "operator": "Exists", "effect": taint.effect}
            if toleration not in found and not _covered(toleration, found):
                found.append(toleration)
    return sorted(found, key=lambda t: (t["key"], t["effect"], t.get("value", "")))


def _covered(toleration: dict[str, str], found: list[dict[str, str]]) -> bool:
    return any(
        t["key"] == toleration["key"] and t["effect"] == toleration["effect"] and t["operator"] == "Exists"
        for t in found
    )


def common_labels(nodes: Sequence[Node]) -> dict[str, str]:
    """The labels every one of `nodes` declares with the same value (empty for no nodes)."""
    if not nodes:
        return {}
    shared = dict(nodes[0].labels)
    for node in nodes[1:]:
        shared = {k: v for k, v in shared.items() if node.labels.get(k) == v}
    return dict(sorted(shared.items()))
