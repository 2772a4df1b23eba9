"""Placement: pinned nodes, GPU nodes, taints and spread, from generator.model.placement to pod values."""

from __future__ import annotations

import copy
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generator.emit.workload import workload_values
from generator.model import Platform, build_platform
from generator.model.placement import tolerations

GPU_TOLERATION = {"key": "nvidia.com/gpu", "operator": "Exists", "effect": "NoSchedule"}


def _component(platform: Platform, app: str, name: str) -> Any:
    return platform.applications[app].components[name]


def _with(prod: Platform, nodes: list[dict[str, Any]], component: dict[str, Any] | None = None) -> Platform:
    """The reference platform with other cluster nodes and, optionally, changes to the RAPIDS processor."""
    doc = copy.deepcopy(prod.doc)
    doc.data["spec"]["cluster"]["nodes"] = nodes
    if component is not None:
        doc.data["spec"]["applications"]["ml-platform"]["components"]["rapids-commodity-processor"].update(
            component
        )
    return build_platform(doc, "prod")


def _hostnames(values: dict[str, Any]) -> list[str]:
    terms = values["affinity"]["nodeAffinity"]["requiredDuringSchedulingIgnoredDuringExecution"][
        "nodeSelectorTerms"
    ]
    (term,) = terms
    return [v for e in term["matchExpressions"] if e["key"] == "kubernetes.io/hostname" for v in e["values"]]


def test_a_pinned_component_runs_only_on_its_node(prod: Platform) -> None:
    values = workload_values(prod, _component(prod, "portal-services", "portal-services"))
    assert _hostnames(values) == ["cpu1"]
    assert "tolerations" not in values and "nodeSelector" not in values


def test_a_gpu_workload_lands_on_gpu_nodes_only(prod: Platform) -> None:
    values = workload_values(prod, _component(prod, "ml-platform", "rapids-commodity-processor"))
    assert _hostnames(values) == ["cpu1"]
    assert values["tolerations"] == [GPU_TOLERATION]
    assert values["container"]["resources"]["limits"]["nvidia.com/gpu"] == "4"


def test_unplaced_components_get_no_affinity(prod: Platform) -> None:
    values = workload_values(prod, _component(prod, "data-platform", "redis"))
    assert not {"affinity", "nodeSelector", "tolerations"} & set(values)


def test_spread_becomes_a_topology_spread_constraint(prod: Platform) -> None:
    values = workload_values(prod, _component(prod, "kafka", "kafka"))
    assert values["topologySpreadConstraints"] == [
        {
            "maxSkew": 1,
            "topologyKey": "kubernetes.io/hostname",
            "whenUnsatisfiable": "DoNotSchedule",
            "labelSelector": {
                "matchLabels": {"app.kubernetes.io/name": "kafka", "app.kubernetes.io/instance": "kafka"}
            },
        }
    ]


def test_declared_gpu_node_labels_become_a_node_selector(prod: Platform) -> None:
    nodes = [
        {"name": "a", "cpu": 8, "memory": "64Gi", "gpu": 2, "labels": {"gpu": "a100", "zone": "one"}},
        {"name": "b", "cpu": 8, "memory": "64Gi", "gpu": 2, "labels": {"gpu": "a100", "zone": "two"}},
        {"name": "c", "cpu": 8, "memory": "64Gi", "labels": {"zone": "one"}},
    ]
    platform = _with(prod, nodes)
    values = workload_values(platform, _component(platform, "ml-platform", "rapids-commodity-processor"))
    assert _hostnames(values) == ["a", "b"]
    assert values["nodeSelector"] == {"gpu": "a100"}


def test_taints_of_chosen_nodes_are_tolerated_and_keep_others_away(prod: Platform) -> None:
    taint = {"key": "dedicated", "value": "portal", "effect": "NoSchedule"}
    nodes = [
        {"name": "cpu1", "cpu": 44, "memory": "394Gi", "gpu": 16, "taints": [taint]},
        {"name": "k8s-worker", "cpu": 44, "memory": "394Gi"},
    ]
    platform = _with(prod, nodes)
    pinned = _component(platform, "portal-services", "portal-services")
    assert workload_values(platform, pinned)["tolerations"] == [
        {"key": "dedicated", "operator": "Equal", "value": "portal", "effect": "NoSchedule"}
    ]
    free = _component(platform, "data-platform", "redis")
    assert [n.name for n in platform.eligible_nodes(free)] == ["k8s-worker"]
    assert tolerations(platform, free) == []


def test_a_gpu_workload_without_a_gpu_node_stays_pending(prod: Platform) -> None:
    platform = _with(prod, [{"name": "k8s-worker", "cpu": 44, "memory": "394Gi"}])
    component = _component(platform, "ml-platform", "rapids-commodity-processor")
    assert platform.eligible_nodes(component) == []
    values = workload_values(platform, component)
    (term,) = values["affinity"]["nodeAffinity"]["requiredDuringSchedulingIgnoredDuringExecution"][
        "nodeSelectorTerms"
    ]
    assert term["matchExpressions"] == [
        {"key": "nvidia.com/gpu.present", "operator": "In", "values": ["true"]}
    ]


_NODE = st.fixed_dictionaries(
    {
        "name": st.sampled_from(["n1", "n2", "n3", "n4"]),
        "cpu": st.just(8),
        "memory": st.just("32Gi"),
    },
    optional={
        "gpu": st.integers(min_value=0, max_value=8),
        "labels": st.dictionaries(st.sampled_from(["pool", "zone"]), st.sampled_from(["a", "b"]), max_size=2),
        "taints": st.lists(
            st.fixed_dictionaries(
                {
                    "key": st.sampled_from(["nvidia.com/gpu", "dedicated"]),
                    "effect": st.sampled_from(["NoSchedule", "NoExecute"]),
                }
            ),
            max_size=2,
        ),
    },
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    nodes=st.lists(_NODE, max_size=4, unique_by=lambda n: n["name"]),
    placed=st.lists(st.sampled_from(["n1", "n2", "n3", "n4", "n9"]), unique=True, max_size=3),
    gpu=st.integers(min_value=1, max_value=4),
)
def test_a_gpu_workload_never_renders_without_gpu_node_affinity(
    prod: Platform, nodes: list[dict[str, Any]], placed: list[str], gpu: int
) -> None:
    resources = {"requests": {"cpu": "1", "memory": "1Gi"}, "gpu": gpu}
    changes: dict[str, Any] = {"resources": resources}
    if placed:
        changes["placement"] = {"nodes": placed}
    platform = _with(prod, nodes or [{"name": "n1", "cpu": 8, "memory": "32Gi"}], changes)
    values = workload_values(platform, _component(platform, "ml-platform", "rapids-commodity-processor"))
    gpu_nodes = {n.name for n in platform.nodes if n.gpu}
    (term,) = values["affinity"]["nodeAffinity"]["requiredDuringSchedulingIgnoredDuringExecution"][
        "nodeSelectorTerms"
    ]
    expressions = term["matchExpressions"]
    hostnames = [v for e in expressions if e["key"] == "kubernetes.io/hostname" for v in e["values"]]
    gpu_label = {"key": "nvidia.com/gpu.present", "operator": "In", "values": ["true"]} in expressions
    # Either only GPU nodes by name, or (no GPU node fits) the GPU node label on top.
    assert gpu_label or (hostnames and set(hostnames) <= gpu_nodes)
    assert all(e["values"] for e in expressions)
    assert GPU_TOLERATION in values["tolerations"]
    if placed and hostnames and not gpu_label:
        assert set(hostnames) <= set(placed)
