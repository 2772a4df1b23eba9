"""PC826: pods meet the Pod Security Standard their namespace enforces."""

from __future__ import annotations

from tests.unit.verify.cluster.cluster_env import Env, container, deployment, obj

RESTRICTED_POD = {
    "securityContext": {"runAsNonRoot": True, "seccompProfile": {"type": "RuntimeDefault"}},
    "volumes": [{"name": "tmp", "emptyDir": {}}],
    "containers": [
        container(
            securityContext={
                "allowPrivilegeEscalation": False,
                "capabilities": {"drop": ["ALL"]},
                "runAsUser": 1000,
            }
        )
    ],
}
HOST_PATH_POD = {
    "volumes": [{"name": "logs", "hostPath": {"path": "/var/log"}}],
    "containers": [container(securityContext={"privileged": True})],
}


def _namespace(level: str | None) -> dict[str, object]:
    labels = {"pod-security.kubernetes.io/enforce": level} if level else {}
    return obj("Namespace", "web", namespace=None, labels=labels)


def test_privileged_host_path_pod_in_a_restricted_namespace_is_reported(env: Env) -> None:
    env.app("ns", [_namespace("restricted")]).app("web", [deployment("agent", HOST_PATH_POD)])
    [found] = env.findings("PC826")
    assert "restricted Pod Security Standard" in found.message
    assert "hostPath volume logs" in found.message and "container main is privileged" in found.message


def test_privileged_pod_in_a_baseline_namespace_is_reported(env: Env) -> None:
    env.app("ns", [_namespace("baseline")]).app("web", [deployment("agent", HOST_PATH_POD)])
    assert env.rules() == ["PC826"]


def test_restricted_pod_in_a_restricted_namespace_passes(env: Env) -> None:
    env.app("ns", [_namespace("restricted")]).app("web", [deployment("web", RESTRICTED_POD)])
    assert env.rules() == []


def test_plain_pod_in_a_baseline_namespace_passes_but_not_in_a_restricted_one(env: Env) -> None:
    plain = deployment("web", {"containers": [container()]})
    env.app("ns", [_namespace("baseline")]).app("web", [plain])
    assert env.rules() == []


def test_plain_pod_in_a_restricted_namespace_is_reported(env: Env) -> None:
    env.app("ns", [_namespace("restricted")]).app("web", [deployment("web", {"containers": [container()]})])
    [found] = env.findings("PC826")
    assert "allowPrivilegeEscalation" in found.message


def test_unlabelled_namespace_is_privileged(env: Env) -> None:
    env.app("ns", [_namespace(None)]).app("web", [deployment("agent", HOST_PATH_POD)])
    assert env.rules() == []
