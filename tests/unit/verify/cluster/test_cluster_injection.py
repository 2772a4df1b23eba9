"""Istio's sidecar injection from the real istiod chart: what Kyverno sees in injected namespaces."""

from __future__ import annotations

import json
import tarfile
from pathlib import Path
from typing import Any

import pytest
import yaml

from generator.verify.cluster.injection import Injector, find_injectors
from generator.verify.cluster.objects import ClusterObject
from tests.unit.verify.cluster.cluster_env import Env, container, deployment, obj
from tests.unit.verify.cluster.test_cluster_kyverno import CAPABILITIES, COMPLIANT, kyverno, policy

REPO = Path(__file__).resolve().parents[4]
ISTIOD = REPO / "vendor" / "charts" / "istiod-1.23.2.tgz"
INJECTED = {"istio-injection": "enabled"}


def render_istiod(tmp: Path, values: dict[str, Any]) -> list[dict[str, Any]]:
    import helm_python

    with tarfile.open(ISTIOD) as archive:
        archive.extractall(tmp, filter="data")
    options = {"name": "istiod", "namespace": "istio-system"}
    with helm_python.Chart.load(tmp / "istiod") as chart:
        raw = helm_python._native.call_string(
            "helm_render", chart._raw(), json.dumps(values), json.dumps(options)
        )
    documents: list[dict[str, Any]] = []
    for path, text in sorted(json.loads(raw).items()):
        if path.endswith(".yaml"):
            documents += [d for d in yaml.safe_load_all(text) if isinstance(d, dict)]
    return documents


def _objects(documents: list[dict[str, Any]]) -> list[ClusterObject]:
    return [
        ClusterObject(d, "istiod.yaml", "service-mesh", 1, d["metadata"].get("namespace") or "istio-system")
        for d in documents
    ]


@pytest.fixture(scope="module")
def without_cni(tmp_path_factory: pytest.TempPathFactory) -> list[dict[str, Any]]:
    return render_istiod(tmp_path_factory.mktemp("istiod"), {})


@pytest.fixture(scope="module")
def with_cni(tmp_path_factory: pytest.TempPathFactory) -> list[dict[str, Any]]:
    return render_istiod(tmp_path_factory.mktemp("istiod-cni"), {"pilot": {"cni": {"enabled": True}}})


def _injector(documents: list[dict[str, Any]]) -> Injector:
    objects = _objects(documents)
    configs = [o for o in objects if o.kind == "ConfigMap"]
    webhooks = [o for o in objects if o.kind == "MutatingWebhookConfiguration"]
    [injector] = find_injectors(configs, webhooks)
    return injector


def _pod(labels: dict[str, str] | None = None) -> dict[str, Any]:
    return {
        "apiVersion": "v1",
        "kind": "Pod",
        "metadata": {"name": "web-1", "namespace": "web", "labels": labels or {}},
        "spec": {"containers": [container()]},
    }


def test_the_chart_still_decides_istio_init_as_the_injection_follows() -> None:
    with tarfile.open(ISTIOD) as archive:
        member = archive.extractfile("istiod/files/injection-template.yaml")
        assert member is not None
        template = member.read().decode()
    assert "- name: istio-init" in template and "- name: istio-validation" in template
    assert (
        "{{- if not (or .Values.pilot.cni.enabled .Values.istio_cni.enabled) }}\n        add:\n" in template
    )
    assert "        - NET_ADMIN\n        - NET_RAW" in template


def test_without_the_cni_plugin_istio_init_runs_as_root_with_net_admin(
    without_cni: list[dict[str, Any]],
) -> None:
    injected = _injector(without_cni).inject(_pod())
    init = injected["spec"]["initContainers"][0]
    assert init["name"] == "istio-init"
    assert init["image"] == "docker.io/istio/proxyv2:1.23.2"
    assert init["securityContext"]["capabilities"]["add"] == ["NET_ADMIN", "NET_RAW"]
    assert init["securityContext"]["runAsUser"] == 0 and init["securityContext"]["runAsNonRoot"] is False
    proxy = injected["spec"]["containers"][-1]
    assert proxy["name"] == "istio-proxy" and proxy["securityContext"]["runAsUser"] == 1337
    assert {"name": "istiod-ca-cert", "configMap": {"name": "istio-ca-root-cert"}} in injected["spec"][
        "volumes"
    ]


def test_with_the_cni_plugin_the_init_container_only_validates(with_cni: list[dict[str, Any]]) -> None:
    init = _injector(with_cni).inject(_pod())["spec"]["initContainers"][0]
    assert init["name"] == "istio-validation"
    assert "add" not in init["securityContext"]["capabilities"]
    assert init["securityContext"]["runAsNonRoot"] is True


def test_the_webhooks_selectors_decide_who_is_injected(without_cni: list[dict[str, Any]]) -> None:
    injector = _injector(without_cni)
    assert injector.injects(_pod(), "web", INJECTED)
    assert not injector.injects(_pod({"sidecar.istio.io/inject": "false"}), "web", INJECTED)
    assert not injector.injects(_pod(), "web", {})
    assert injector.injects(_pod({"sidecar.istio.io/inject": "true"}), "web", {})
    assert injector.injects(_pod(), "web", {"istio.io/rev": "default"})
    host = _pod()
    host["spec"]["hostNetwork"] = True
    assert not injector.injects(host, "web", INJECTED)


def _mesh_env(env: Env, istiod: list[dict[str, Any]]) -> Env:
    kyverno(env, *CAPABILITIES, policy("restricted", "require-run-as-nonroot"))
    env.app("service-mesh", istiod, wave=2, namespace="istio-system")
    env.app("ns", [obj("Namespace", "web", namespace=None, labels=INJECTED)], wave=0)
    return env.app("web", [deployment("web", COMPLIANT)], wave=3)


def test_an_injected_pod_without_the_cni_plugin_is_rejected(
    env: Env, without_cni: list[dict[str, Any]]
) -> None:
    found = [f for f in _mesh_env(env, without_cni).findings("PC827") if "Deployment/web " in f.message]
    [rejected] = found
    assert "after istiod injects its sidecar" in rejected.message
    assert "Pod web-<hash>-<suffix> fails disallow-capabilities/adding-capabilities" in rejected.message


def test_an_injected_pod_with_the_cni_plugin_is_admitted(env: Env, with_cni: list[dict[str, Any]]) -> None:
    assert [f for f in _mesh_env(env, with_cni).findings("PC827") if "Deployment/web " in f.message] == []


def _restricted_mesh(env: Env, istiod: list[dict[str, Any]]) -> Env:
    labels = {**INJECTED, "pod-security.kubernetes.io/enforce": "restricted"}
    env.app("service-mesh", istiod, wave=1, namespace="istio-system")
    env.app("ns", [obj("Namespace", "web", namespace=None, labels=labels)], wave=0)
    restricted = {
        "securityContext": {"runAsNonRoot": True, "seccompProfile": {"type": "RuntimeDefault"}},
        **COMPLIANT,
    }
    return env.app("web", [deployment("web", restricted)], wave=3)


def test_pod_security_admission_sees_istio_init_without_the_cni_plugin(
    env: Env, without_cni: list[dict[str, Any]]
) -> None:
    found = [
        f for f in _restricted_mesh(env, without_cni).findings("PC826") if "Deployment/web " in f.message
    ]
    [refused] = found
    assert "container istio-init adds NET_ADMIN, NET_RAW" in refused.message


def test_pod_security_admission_admits_the_injected_pod_with_the_cni_plugin(
    env: Env, with_cni: list[dict[str, Any]]
) -> None:
    assert [
        f for f in _restricted_mesh(env, with_cni).findings("PC826") if "Deployment/web " in f.message
    ] == []
