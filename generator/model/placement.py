"""Where a component's pods may run: the declared nodes its placement, GPUs and taints leave it.

`spec.cluster.nodes` is what scheduling is measured against, so the emitter
(node affinity, selectors, tolerations) and the capacity rules (a pod pinned to
one node must fit that node) read placement from here and agree on it:

- `placement.nodes` keeps only the nodes named there;
- a GPU request (`resources.gpu`) keeps only nodes with GPUs (whether `n`
  of them fit is a capacity question, like cpu and memory);
- a node tainted `NoSchedule`/`NoExecute` takes only the pods that tolerate it:
  those placed on it on purpose (by `placement.nodes` or a GPU request, which
  get tolerations for the taints of their eligible nodes).
"""

from __future__ import annotations

from typing import Any

from generator.model.types import Component, Platform

HOSTNAME_LABEL = "kubernetes.io/hostname"
GPU_RESOURCE = "nvidia.com/gpu"
# Set by NVIDIA GPU feature discovery on every GPU node: the selector of last
# resort when the cluster declares no node that could take a GPU workload.
GPU_NODE_LABEL = "nvidia.com/gpu.present"
# The taint GPU nodes conventionally carry; GPU workloads always tolerate it.
GPU_TOLERATION: dict[str, str] = {"key": GPU_RESOURCE, "operator": "Exists", "effect": "NoSchedule"}
_REPELLING = ("NoSchedule", "NoExecute")


def cluster_nodes(platform: Platform) -> list[dict[str, Any]]:
    """The declared nodes, as written (`name`, `cpu`, `memory`, `gpu?`, `labels?`, `taints?`)."""
    nodes = (platform.spec.get("cluster") or {}).get("nodes") or []
    return [n for n in nodes if isinstance(n, dict) and n.get("name")]


def placement_names(component: Component) -> list[str]:
    """The nodes `placement.nodes` names, as written (may include undeclared ones)."""
    placement = component.spec.get("placement") or {}
    return [str(n) for n in (placement.get("nodes") if isinstance(placement, dict) else None) or []]


def gpu_request(component: Component) -> int:
    resources = component.spec.get("resources") or {}
    value = resources.get("gpu") if isinstance(resources, dict) else None
    return int(value) if isinstance(value, int) and not isinstance(value, bool) else 0


def node_gpus(node: dict[str, Any]) -> int:
    value = node.get("gpu")
    return int(value) if isinstance(value, int) and not isinstance(value, bool) else 0


def is_restricted(component: Component) -> bool:
    """Does the component choose its nodes (placement or GPUs), rather than take any untainted node?"""
    return bool(placement_names(component)) or gpu_request(component) > 0


def repelling_taints(node: dict[str, Any]) -> list[dict[str, Any]]:
    return [t for t in node.get("taints") or [] if isinstance(t, dict) and t.get("effect") in _REPELLING]


def eligible_nodes(platform: Platform, component: Component) -> list[dict[str, Any]]:
    """The declared nodes this component's pods may be scheduled on, in declaration order.

    Empty when nothing declared admits it: a placement naming only undeclared
    nodes, a GPU workload and no GPU node (among its placement), or no untainted node.
    Only the placement's names and whether it asks for GPUs matter, and most
    components ask for neither: each distinct answer is worked out once per
    platform, so thousands of components over hundreds of nodes stay linear.
    """
    key = placement_key(component)
    known: dict[PlacementKey, list[dict[str, Any]]] = platform.derived.setdefault("eligible_nodes", {})
    if key not in known:
        known[key] = _eligible(cluster_nodes(platform), *key)
    return list(known[key])


PlacementKey = tuple[frozenset[str], bool]


def placement_key(component: Component) -> PlacementKey:
    """All that decides a component's eligible nodes: the names it is placed on, and whether it wants GPUs."""
    return frozenset(placement_names(component)), gpu_request(component) > 0


def _eligible(nodes: list[dict[str, Any]], names: frozenset[str], gpus: bool) -> list[dict[str, Any]]:
    restricted = bool(names) or gpus
    eligible = []
    for node in nodes:
        if names and str(node["name"]) not in names:
            continue
        if gpus and not node_gpus(node):
            continue
        if not restricted and repelling_taints(node):
            continue
        eligible.append(node)
    return eligible


def tolerations(platform: Platform, component: Component) -> list[dict[str, str]]:
    """What a restricted component tolerates: the GPU taint, and every taint of its eligible nodes."""
    if not is_restricted(component):
        return []
    found: list[dict[str, str]] = [dict(GPU_TOLERATION)] if gpu_request(component) else []
    for node in eligible_nodes(platform, component):
        for taint in repelling_taints(node):
            key, effect = str(taint["key"]), str(taint["effect"])
            if "value" in taint:
                toleration = {"key": key, "operator": "Equal", "value": str(taint["value"]), "effect": effect}
            else:
                toleration = {"key": key, "operator": "Exists", "effect": effect}
            if toleration not in found and not _covered(toleration, found):
                found.append(toleration)
    return sorted(found, key=lambda t: (t["key"], t["effect"], t.get("value", "")))


def _covered(toleration: dict[str, str], found: list[dict[str, str]]) -> bool:
    return any(
        t["key"] == toleration["key"] and t["effect"] == toleration["effect"] and t["operator"] == "Exists"
        for t in found
    )


def common_labels(nodes: list[dict[str, Any]]) -> dict[str, str]:
    """The labels every one of `nodes` declares with the same value (empty for no nodes)."""
    if not nodes:
        return {}
    shared = {str(k): str(v) for k, v in (nodes[0].get("labels") or {}).items()}
    for node in nodes[1:]:
        labels = {str(k): str(v) for k, v in (node.get("labels") or {}).items()}
        shared = {k: v for k, v in shared.items() if labels.get(k) == v}
    return dict(sorted(shared.items()))
