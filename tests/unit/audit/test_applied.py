"""What the audit scans of an Application: the objects Argo CD applies, in the namespace it puts them in."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from generator.audit.applied import applied_by_argocd, with_namespace
from generator.audit.manifests import render_platform
from generator.verify.cluster.objects import CLUSTER_SCOPED

REPO = Path(__file__).resolve().parents[3]


def pod(**annotations: str) -> dict[str, Any]:
    return {"kind": "Pod", "metadata": {"name": "grafana-test", "annotations": annotations}}


@pytest.mark.parametrize(
    "annotations",
    [
        {"helm.sh/hook": "test"},
        {"helm.sh/hook": "test-success"},
        {"helm.sh/hook": "test-failure, post-rollback"},
        {"argocd.argoproj.io/hook": "Skip"},
        {"argocd.argoproj.io/hook": "Skip", "helm.sh/hook": "pre-install"},
    ],
)
def test_hooks_of_no_sync_phase_are_never_applied(annotations: dict[str, str]) -> None:
    assert not applied_by_argocd(pod(**annotations))


@pytest.mark.parametrize(
    "annotations",
    [
        {},
        {"helm.sh/hook": "crd-install"},
        {"helm.sh/hook": "pre-install,pre-upgrade"},
        {"helm.sh/hook": "test,post-install"},
        {"helm.sh/hook": "post-delete"},
        {"argocd.argoproj.io/hook": "PreSync", "helm.sh/hook": "test"},
        {"argocd.argoproj.io/hook": "Unknown", "helm.sh/hook": "post-upgrade"},
    ],
)
def test_plain_objects_and_hooks_of_a_sync_phase_are_applied(annotations: dict[str, str]) -> None:
    assert applied_by_argocd(pod(**annotations))


def test_an_object_without_a_namespace_lands_in_the_destination() -> None:
    role = {"kind": "Role", "metadata": {"name": "reader"}}
    assert with_namespace(role, "monitoring")["metadata"] == {"name": "reader", "namespace": "monitoring"}
    assert role["metadata"] == {"name": "reader"}  # the rendered object is left as it was


def test_a_named_namespace_and_a_cluster_scoped_kind_are_kept() -> None:
    role = {"kind": "Role", "metadata": {"name": "reader", "namespace": "kube-system"}}
    assert with_namespace(role, "monitoring") == role
    cluster_role = {"kind": "ClusterRole", "metadata": {"name": "reader"}}
    assert with_namespace(cluster_role, "monitoring") == cluster_role


# Renders every Application of dev with Helm: a slow suite (`make test-slow`, CI).
@pytest.mark.slow
def test_the_rendered_platform_leaves_test_hooks_out_and_places_every_namespaced_object(
    tmp_path: Path,
) -> None:
    result = render_platform(REPO, tmp_path, ["dev"])
    assert result.errors == []
    assert result.not_applied > 0  # the vendored charts' Helm test pods
    for file in tmp_path.rglob("*.yaml"):
        data = yaml.safe_load(file.read_text(encoding="utf-8"))
        assert applied_by_argocd(data), file.name
        if data["kind"] not in CLUSTER_SCOPED:
            assert data["metadata"].get("namespace"), file.name
