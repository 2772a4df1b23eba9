"""Charts are rendered with the cluster's built-in API versions, as Argo CD passes them to Helm."""

from __future__ import annotations

import tarfile
from pathlib import Path

from generator.verify.api_versions import built_in_api_versions
from generator.verify.helm import render_chart

REPO = Path(__file__).resolve().parents[3]
KYVERNO = REPO / "vendor" / "charts" / "kyverno-3.2.7.tgz"


def test_both_forms_of_every_served_kind_are_listed() -> None:
    versions = built_in_api_versions("1.31.0")
    for expected in ("v1", "v1/Pod", "apps/v1/Deployment", "policy/v1", "policy/v1/PodDisruptionBudget"):
        assert expected in versions
    assert versions == tuple(sorted(set(versions)))


def test_removed_alpha_and_machinery_versions_are_not_served() -> None:
    versions = built_in_api_versions("1.31")
    assert "policy/v1beta1" not in versions and "policy/v1beta1/PodDisruptionBudget" not in versions
    assert not any("alpha" in v for v in versions)
    assert not any(v.endswith(("/Status", "/DeleteOptions", "List")) for v in versions)


def test_an_older_release_still_serves_what_it_served() -> None:
    assert "flowcontrol.apiserver.k8s.io/v1beta2" in built_in_api_versions("1.26")
    assert "flowcontrol.apiserver.k8s.io/v1beta2" not in built_in_api_versions("1.31")


def _kyverno_pdb(tmp_path: Path, kube_version: str) -> str:
    with tarfile.open(KYVERNO) as archive:
        archive.extractall(tmp_path, filter="data")
    values = tmp_path / "values.yaml"
    values.write_text("admissionController: {replicas: 3}\n", encoding="utf-8")
    result = render_chart(
        tmp_path / "kyverno",
        release="kyverno",
        namespace="kyverno",
        value_files=[values],
        kube_version=kube_version,
    )
    assert result.errors == ()
    [pdb] = [o for _, o in result.manifests if o.get("kind") == "PodDisruptionBudget"]
    return str(pdb["apiVersion"])


def test_the_kyverno_chart_renders_the_disruption_budget_the_cluster_serves(tmp_path: Path) -> None:
    assert _kyverno_pdb(tmp_path, "1.31.0") == "policy/v1"


def test_without_api_versions_the_chart_falls_back_to_the_removed_version(tmp_path: Path) -> None:
    import helm_python

    from generator.verify.helm import _sdk_render

    with tarfile.open(KYVERNO) as archive:
        archive.extractall(tmp_path, filter="data")
    options = {"name": "kyverno", "namespace": "kyverno", "kube_version": "v1.31.0"}
    with helm_python.Chart.load(tmp_path / "kyverno") as chart:
        rendered = _sdk_render(chart, {"admissionController": {"replicas": 3}}, options)
    [text] = [t for p, t in rendered.items() if p.endswith("admission-controller/poddisruptionbudget.yaml")]
    assert "apiVersion: policy/v1beta1" in text
