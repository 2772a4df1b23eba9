"""PC831: a PodDisruptionBudget an upstream chart renders must allow an eviction."""

from __future__ import annotations

from typing import Any

from tests.unit.verify.cluster.cluster_env import Env, obj


def _server(replicas: int) -> dict[str, Any]:
    template = {"metadata": {"labels": {"app": "vault", "component": "server"}}, "spec": {"containers": []}}
    selector = {"matchLabels": {"app": "vault"}}
    return obj(
        "StatefulSet",
        "vault",
        "apps/v1",
        spec={"replicas": replicas, "selector": selector, "template": template},
    )


def _budget(**spec: Any) -> dict[str, Any]:
    return obj(
        "PodDisruptionBudget",
        "vault",
        "policy/v1",
        spec={"selector": {"matchLabels": {"app": "vault"}}, **spec},
    )


def test_a_budget_that_never_allows_an_eviction_is_reported(env: Env) -> None:
    env.app("vault", [_server(3), _budget(maxUnavailable=0)])
    env.app("other", [_server(1) | {"metadata": {"name": "vault", "namespace": "other"}}])
    [found] = env.findings("PC831")
    assert "sets maxUnavailable: 0, so no pod may ever be unavailable" in found.message
    assert "PodDisruptionBudget vault in namespace web (Application vault)" in found.message


def test_min_available_at_the_replica_count_or_all_is_reported(env: Env) -> None:
    env.app("a", [_server(3), _budget(minAvailable=3)])
    env.app("b", [_budget(minAvailable="100%")], namespace="b")
    found = sorted(f.message for f in env.findings("PC831"))
    assert len(found) == 2
    assert "(Application a) sets minAvailable: 3, and it selects 3 pod(s)" in found[0]
    assert "(Application b) sets minAvailable: 100%" in found[1]


def test_budgets_that_allow_an_eviction_pass(env: Env) -> None:
    env.app("a", [_server(3), _budget(minAvailable=2), _budget(maxUnavailable="25%")])
    # no workload it selects is known, an autoscaler decides the count, or platformc made it (PC601)
    env.app("b", [_budget(minAvailable=5)], namespace="b")
    scaler = obj(
        "HorizontalPodAutoscaler", "vault", "autoscaling/v2", spec={"scaleTargetRef": {"name": "vault"}}
    )
    env.app("c", [_server(2), _budget(minAvailable=2), scaler])
    own = _budget(maxUnavailable=0) | {
        "metadata": {"name": "x", "namespace": "web", "labels": {"platform.254carbon.com/component": "x"}}
    }
    env.app("d", [own])
    assert env.rules() == []
