"""PC825: a Service of type LoadBalancer needs the cluster's load-balancer provider."""

from __future__ import annotations

from generator.verify.cluster import ClusterFacts
from tests.unit.verify.cluster.cluster_env import Env, crd, obj

BALANCED = obj("Service", "ingress", spec={"type": "LoadBalancer", "ports": [{"port": 443}]})


def test_load_balancer_without_a_provider_is_reported(env: Env) -> None:
    env.app("web", [BALANCED])
    [found] = env.findings("PC825")
    assert "declares no load-balancer provider" in found.message


def test_load_balancer_with_a_cloud_provider_passes(env: Env) -> None:
    env.app("web", [BALANCED])
    assert env.rules(ClusterFacts(load_balancer="cloud")) == []


def test_metallb_provider_needs_metallb_installed(env: Env) -> None:
    env.app("web", [BALANCED])
    [found] = env.findings("PC825", ClusterFacts(load_balancer="metallb"))
    assert "no Application installs MetalLB" in found.message


def test_metallb_provider_with_metallb_installed_passes(env: Env) -> None:
    env.app("metallb", [crd("metallb.io", "IPAddressPool", version="v1beta1")], wave=1).app(
        "web", [BALANCED], wave=2
    )
    assert env.rules(ClusterFacts(load_balancer="metallb")) == []


def test_node_port_needs_no_provider(env: Env) -> None:
    env.app("web", [obj("Service", "ingress", spec={"type": "NodePort", "ports": [{"port": 443}]})])
    assert env.rules() == []
