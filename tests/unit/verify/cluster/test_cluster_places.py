"""The platform's side of the stage: facts from platform.yaml, and where findings point."""

from __future__ import annotations

from pathlib import Path

from generator.pipeline import analyse
from generator.verify.cluster import ClusterFacts, cluster_facts
from generator.verify.cluster.crds import chart_place
from generator.verify.cluster.disruption import disruption_place
from generator.verify.cluster.objects import ClusterObject
from generator.verify.cluster.places import chart_of

PLATFORM = """\
apiVersion: platform.254carbon.com/v1alpha1
kind: Platform
metadata: {name: demo}
spec:
  kubernetesVersion: "1.31.0"
  domain: example.com
  gitops:
    repoURL: https://github.com/example/platform.git
    targetRevision: main
    path: rendered
    argocd: {namespace: argocd, project: platform}
  registries: [docker.io]
  cluster:
    nodes: [{name: node1, cpu: 16, memory: 64Gi}]
    loadBalancer: {provider: %s}
  namespaces: {velero: {}, argocd: {}}
  applications:
    backup:
      namespace: velero
      components:
        velero:
          chart: {repository: https://charts.example.com, name: velero-chart, version: 1.0.0}
          values:
            credentials: {existingSecret: velero-minio}
"""


DEV_VELERO_VALUES = (
    "spec:\n  applications:\n    backup:\n      components:\n        velero:\n          values:\n"
)


def _facts(tmp_path: Path, provider: str, dev_values: str = "") -> ClusterFacts:
    """The facts of PLATFORM; `dev_values`: lines the dev overlay writes under velero's values
    (indented 12), line 7 onwards."""
    (tmp_path / "overlays").mkdir(exist_ok=True)
    (tmp_path / "platform.yaml").write_text(PLATFORM % provider, encoding="utf-8")
    overlay = DEV_VELERO_VALUES + dev_values if dev_values else "spec: {}\n"
    (tmp_path / "overlays" / "dev.yaml").write_text(overlay, encoding="utf-8")
    [result] = analyse(tmp_path, ["dev"])
    assert result.platform is not None, result.findings
    return cluster_facts(result.platform)


def test_provider_and_places_come_from_platform_yaml(tmp_path: Path) -> None:
    facts = _facts(tmp_path, "metallb")
    assert facts.load_balancer == "metallb"
    place = facts.value_place("backup", "velero-chart", ("credentials", "existingSecret"))
    assert place is not None
    assert place.path == "spec.applications.backup.components.velero.values.credentials.existingSecret"
    assert (
        place.mark.line
        == PLATFORM.splitlines().index("            credentials: {existingSecret: velero-minio}") + 1
    )
    rendered = ClusterObject(
        {"kind": "Deployment"},
        "rendered/dev/apps/backup/charts/velero-chart/templates/d.yaml",
        "backup",
        1,
        "velero",
    )
    found = facts.object_place(rendered)
    assert found is not None
    assert found.path == "spec.applications.backup.components.velero"
    # the controllers platformc renders objects for, which this platform leaves to the cluster
    assert facts.preinstalled == frozenset({"kyverno.io", "external-secrets.io", "velero.io"})


def test_provider_none_is_no_provider(tmp_path: Path) -> None:
    assert _facts(tmp_path, "none").load_balancer is None


def test_chart_of_a_rendered_template() -> None:
    assert chart_of("rendered/dev/apps/monitoring/charts/grafana/templates/x.yaml") == "grafana"
    assert chart_of("rendered/dev/namespaces/web.yaml") is None


def test_objects_rendered_from_one_setting_point_at_it(tmp_path: Path) -> None:
    facts = _facts(tmp_path, "none")
    namespace = ClusterObject({"kind": "Namespace", "metadata": {"name": "velero"}}, "ns.yaml", "ns", 0, "")
    place = facts.object_place(namespace)
    assert place is not None and place.path == "spec.namespaces.velero"
    unknown = ClusterObject({"kind": "Namespace", "metadata": {"name": "other"}}, "ns.yaml", "ns", 0, "")
    assert facts.object_place(unknown) is None


def test_an_application_has_a_place(tmp_path: Path) -> None:
    facts = _facts(tmp_path, "none")
    place = facts.application_place("backup")
    assert place is not None and place.path == "spec.applications.backup"
    assert place.mark.line == PLATFORM.splitlines().index("    backup:") + 1
    assert facts.application_place("nothing") is None


def test_a_setting_is_found_at_any_depth_in_the_overlay_that_writes_it(tmp_path: Path) -> None:
    """`proxy.type: LoadBalancer` set by an overlay: the place is the overlay's line, not the component."""
    facts = _facts(tmp_path, "none")
    assert facts.setting_place("backup", "velero-chart", "type", "LoadBalancer") is None
    values = "            service: {annotations: {a: b}}\n"
    values += "            servers:\n              - {name: main, proxy: {type: LoadBalancer}}\n"
    place = _facts(tmp_path, "none", values).setting_place("backup", "velero-chart", "type", "LoadBalancer")
    assert place is not None
    assert place.path == "spec.applications.backup.components.velero.values.servers[0].proxy.type"
    assert (place.mark.file, place.mark.line) == ("overlays/dev.yaml", 9)


def test_a_chart_budget_points_at_the_replica_count_an_overlay_sets(tmp_path: Path) -> None:
    """PC831: the budget follows the replicas (`maxUnavailable: 0` for one), set in the overlay."""
    facts = _facts(tmp_path, "none", "            server: {ha: {replicas: 1}}\n")
    budget = ClusterObject(
        {"kind": "PodDisruptionBudget", "metadata": {"name": "velero"}},
        "rendered/dev/apps/backup/charts/velero-chart/templates/pdb.yaml",
        "backup",
        1,
        "velero",
    )
    place = disruption_place(facts, budget, (("maxUnavailable", 0), ("replicas", 1)))
    assert place is not None
    assert place.path == "spec.applications.backup.components.velero.values.server.ha.replicas"
    assert (place.mark.file, place.mark.line) == ("overlays/dev.yaml", 7)
    elsewhere = disruption_place(facts, budget, (("maxUnavailable", 0), ("replicas", 4)))
    assert elsewhere is not None and elsewhere.path == "spec.applications.backup.components.velero"


def test_the_value_that_turns_a_chart_object_on_is_found(tmp_path: Path) -> None:
    """PC820 for a chart's ServiceMonitor points at the `serviceMonitor.enabled` that asks for it."""
    facts = _facts(tmp_path, "none", "            metrics:\n              serviceMonitor: {enabled: true}\n")
    place = facts.switch_place("backup", "velero-chart", "serviceMonitor")
    assert place is not None
    assert place.path == "spec.applications.backup.components.velero.values.metrics.serviceMonitor.enabled"
    assert (place.mark.file, place.mark.line) == ("overlays/dev.yaml", 8)
    assert facts.switch_place("backup", "velero-chart", "prometheusRule") is None


def test_an_object_written_into_chart_values_is_found_at_its_api_version(tmp_path: Path) -> None:
    """PC820/PC824 for an `extraObjects` entry point at the apiVersion written in the values."""
    _facts(tmp_path, "none")
    (tmp_path / "overlays" / "dev.yaml").write_text(
        "spec:\n  applications:\n    backup:\n      components:\n        velero:\n          values:\n"
        "            extraObjects:\n"
        "              - apiVersion: kyverno.io/v1\n                kind: PolicyException\n",
        encoding="utf-8",
    )
    [result] = analyse(tmp_path, ["dev"])
    assert result.platform is not None, result.findings
    facts = cluster_facts(result.platform)
    file = "rendered/dev/apps/backup/charts/velero-chart/templates/extra.yaml"
    written = ClusterObject(
        {"apiVersion": "kyverno.io/v1", "kind": "PolicyException"}, file, "backup", 1, "velero"
    )
    place = chart_place(written, facts)
    assert place is not None
    assert place.path == "spec.applications.backup.components.velero.values.extraObjects[0].apiVersion"
    assert (place.mark.file, place.mark.line) == ("overlays/dev.yaml", 8)
    other = ClusterObject(
        {"apiVersion": "kyverno.io/v1", "kind": "ClusterPolicy"}, file, "backup", 1, "velero"
    )
    assert chart_place(other, facts) is None
