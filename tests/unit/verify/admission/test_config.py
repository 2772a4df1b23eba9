"""Kyverno's ConfigMap keeps some resources from every policy (resourceFilters, webhook
namespaceSelector): read from the kyverno 3.2.7 chart as rendered with its defaults."""

from __future__ import annotations

import json
import tarfile
from pathlib import Path
from typing import Any

import pytest
import yaml

from generator.verify.admission import (
    KyvernoConfig,
    evaluate_workload,
    parse_config,
    parse_filters,
    parse_policy,
)

from .conftest import shared

HOST_NETWORK = parse_policy(
    {
        "apiVersion": "kyverno.io/v1",
        "kind": "ClusterPolicy",
        "metadata": {"name": "host"},
        "spec": {
            "rules": [
                {
                    "name": "host-network",
                    "match": {"any": [{"resources": {"kinds": ["Pod"]}}]},
                    "validate": {"message": "m", "pattern": {"spec": {"=(hostNetwork)": False}}},
                }
            ]
        },
    }
)


@pytest.fixture(scope="module")
def chart_config(tmp_path_factory: pytest.TempPathFactory) -> KyvernoConfig:
    import helm_python

    tmp: Path = tmp_path_factory.mktemp("kyverno")
    with tarfile.open(shared() / "charts" / "kyverno-3.2.7.tgz") as archive:
        archive.extractall(tmp, filter="data")
    options = {"name": "kyverno", "namespace": "kyverno"}
    with helm_python.Chart.load(tmp / "kyverno") as chart:
        raw = helm_python._native.call_string("helm_render", chart._raw(), "{}", json.dumps(options))
    text = json.loads(raw)["kyverno/templates/config/configmap.yaml"]
    [configmap] = [d for d in yaml.safe_load_all(text) if isinstance(d, dict)]
    return parse_config(configmap)


def daemonset(namespace: str) -> dict[str, Any]:
    return {
        "apiVersion": "apps/v1",
        "kind": "DaemonSet",
        "metadata": {"name": "agent", "namespace": namespace},
        "spec": {"template": {"spec": {"hostNetwork": True, "containers": [{"name": "c", "image": "i"}]}}},
    }


@pytest.mark.parametrize(
    ("namespace", "skipped"),
    [("kube-system", True), ("kube-public", True), ("kyverno", True), ("monitoring", False)],
)
def test_kyverno_never_sees_its_own_and_the_system_namespaces(
    chart_config: KyvernoConfig, namespace: str, skipped: bool
) -> None:
    verdicts = evaluate_workload([HOST_NETWORK], [], daemonset(namespace), config=chart_config)
    assert (verdicts == []) is skipped
    assert bool(chart_config.skips(daemonset(namespace))) is skipped


def test_filters_by_kind_and_name() -> None:
    config = KyvernoConfig(
        parse_filters(
            "[Event,*,*] [ReplicaSet/*,*,*] [Secret,kyverno,kyverno-svc.*] [apps/v1/Deployment,ops,*]"
        )
    )
    assert config.skips({"apiVersion": "v1", "kind": "Event", "metadata": {"name": "e", "namespace": "a"}})
    assert config.skips(
        {"apiVersion": "apps/v1", "kind": "ReplicaSet", "metadata": {"name": "r", "namespace": "a"}}
    )
    assert config.skips(
        {
            "apiVersion": "v1",
            "kind": "Secret",
            "metadata": {"name": "kyverno-svc.kyverno.svc.tls", "namespace": "kyverno"},
        }
    )
    assert not config.skips(
        {"apiVersion": "v1", "kind": "Secret", "metadata": {"name": "other", "namespace": "kyverno"}}
    )
    assert config.skips(
        {"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "d", "namespace": "ops"}}
    )
    assert not config.skips(
        {"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "d", "namespace": "dev"}}
    )
