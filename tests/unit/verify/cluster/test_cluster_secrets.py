"""PC823: a Secret is produced no later than the wave of what reads it."""

from __future__ import annotations

from generator.verify.cluster.secrets import existing_secret_values, pod_secret_names
from tests.unit.verify.cluster.cluster_env import Env, container, crd, deployment, obj

EXTERNAL = obj(
    "ExternalSecret", "db", "external-secrets.io/v1beta1", spec={"target": {"name": "db-credentials"}}
)


def _reading(pod: dict[str, object]) -> dict[str, object]:
    return deployment("web", pod)


ENV_READER = _reading(
    {
        "containers": [
            container(
                env=[{"name": "P", "valueFrom": {"secretKeyRef": {"name": "db-credentials", "key": "p"}}}]
            )
        ]
    }
)


def test_every_way_a_pod_reads_a_secret_is_seen() -> None:
    pod = {
        "imagePullSecrets": [{"name": "pull"}],
        "volumes": [
            {"name": "a", "secret": {"secretName": "vol"}},
            {"name": "b", "secret": {"secretName": "maybe", "optional": True}},
            {"name": "c", "projected": {"sources": [{"secret": {"name": "proj"}}]}},
        ],
        "initContainers": [container(envFrom=[{"secretRef": {"name": "from"}}])],
        "containers": [
            container(
                env=[
                    {"name": "X", "valueFrom": {"secretKeyRef": {"name": "key", "key": "k"}}},
                    {
                        "name": "Y",
                        "valueFrom": {"secretKeyRef": {"name": "opt", "key": "k", "optional": True}},
                    },
                ]
            )
        ],
    }
    assert sorted(pod_secret_names(pod)) == ["from", "key", "proj", "pull", "vol"]


def test_existing_secret_values_are_found() -> None:
    values = {
        "admin": {"existingSecret": "a"},
        "db": {"auth": {"passwordExistingSecret": "b"}},
        "x": {"secret": "c"},
    }
    assert sorted(name for _, name in existing_secret_values(values)) == ["a", "b"]


def test_secret_nothing_produces_is_reported(env: Env) -> None:
    env.app("web", [ENV_READER], wave=3)
    [found] = env.findings("PC823")
    assert "nothing in this environment produces it" in found.message and "Deployment/web" in found.message


def test_secret_produced_in_a_later_wave_is_reported(env: Env) -> None:
    env.app("web", [ENV_READER], wave=3).app("secrets", [EXTERNAL], wave=4)
    [found] = env.findings("PC823")
    assert "produced by Application secrets in wave 4" in found.message


def test_secret_produced_in_the_same_or_an_earlier_wave_passes(env: Env) -> None:
    env.app("eso", [crd("external-secrets.io", "ExternalSecret", version="v1beta1")], wave=1)
    env.app("web", [ENV_READER], wave=4).app("secrets", [EXTERNAL], wave=4)
    assert env.rules() == []


def test_secret_object_and_chart_hooks_produce(env: Env) -> None:
    role = obj(
        "Role",
        "init",
        "rbac.authorization.k8s.io/v1",
        annotations={"helm.sh/hook": "pre-install"},
        rules=[
            {"apiGroups": [""], "resources": ["secrets"], "resourceNames": ["redis"], "verbs": ["get"]},
            {"apiGroups": [""], "resources": ["secrets"], "verbs": ["create"]},
        ],
    )
    job = obj(
        "Job",
        "certgen",
        "batch/v1",
        annotations={"helm.sh/hook": "pre-install"},
        spec={
            "template": {"spec": {"containers": [container(args=["create", "--secret-name=webhook-tls"])]}}
        },
    )
    readers = [
        _reading({"containers": [container(envFrom=[{"secretRef": {"name": name}}])]})
        for name in ("redis", "webhook-tls", "plain")
    ]
    env.app("web", [role, job, obj("Secret", "plain"), *readers])
    assert env.rules() == []


def test_hook_role_that_cannot_create_produces_nothing(env: Env) -> None:
    role = obj(
        "Role",
        "reader",
        "rbac.authorization.k8s.io/v1",
        annotations={"helm.sh/hook": "pre-install"},
        rules=[{"apiGroups": [""], "resources": ["secrets"], "resourceNames": ["redis"], "verbs": ["get"]}],
    )
    env.app("web", [role, _reading({"containers": [container(envFrom=[{"secretRef": {"name": "redis"}}])]})])
    assert env.rules() == ["PC823"]


def test_chart_value_naming_a_late_secret_is_reported(env: Env) -> None:
    env.app("monitoring", [], wave=3, values="grafana:\n  admin: {existingSecret: admin}\n")
    env.app("secrets", [obj("Secret", "admin")], wave=4)
    [found] = env.findings("PC823")
    assert "chart value admin.existingSecret of grafana" in found.message


def test_chart_value_naming_an_earlier_secret_passes(env: Env) -> None:
    env.app("monitoring", [], wave=5, values="grafana:\n  admin: {existingSecret: admin}\n")
    env.app("secrets", [obj("Secret", "admin")], wave=4)
    assert env.rules() == []
