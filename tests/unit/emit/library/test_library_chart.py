"""The library chart, rendered by Helm's own engine the way ArgoCD will render it: the chart
itself, the objects it makes and their metadata, and platform text that must pass untouched.

The umbrella chart is built by hand (`umbrella.py`); `conftest.py` renders it once.
"""

from __future__ import annotations

import copy
import re
from pathlib import Path

import helm_python
import kubernetes_validate
import pytest
import yaml

from generator.emit.charts import object_file
from generator.emit.library_chart import library_files
from generator.emit.tree import HEADER
from generator.emit.yamldump import dump_yaml
from generator.model.conventions import LIBRARY_CHART_NAME, OBJECTS_DIR
from generator.verify.objects import RenderedObject, validate_objects
from tests.unit.emit.library.umbrella import (
    ALERT_TEXT,
    CONTAINER_SECURITY,
    CUSTOM_API_VERSIONS,
    ENV_TEXT,
    EXPECTED,
    FILE_TEXT,
    HELM_SEPARATOR,
    KUBERNETES_VERSION,
    NAMESPACE,
    OBJECTS,
    POD_SECURITY,
    RELEASE,
    TRICKY_ENV,
    VALUES,
    VELERO_NAMESPACE,
    WORKLOAD_OBJECTS,
    WORKLOADS,
    Manifests,
    build_umbrella,
    helm_documents,
    pod_spec,
    render,
    write_file,
)

# ------------------------------------------------------------------ the chart itself


def test_library_files_are_a_library_chart() -> None:
    files = library_files()
    assert list(files) == sorted(files)
    assert files == library_files()
    chart = yaml.safe_load(files["Chart.yaml"])
    assert chart["apiVersion"] == "v2"
    assert chart["name"] == LIBRARY_CHART_NAME
    assert chart["type"] == "library"
    templates = [path for path in files if path != "Chart.yaml"]
    # A library chart renders nothing itself: only partials, named `_*.tpl`.
    assert templates
    assert all(path.startswith("templates/_") and path.endswith(".tpl") for path in templates)


def test_library_never_evaluates_platform_text() -> None:
    evaluates = re.compile(rb"(?<![\w.])tpl\b")
    for path, content in library_files().items():
        assert not evaluates.search(content), path


def test_rendering_is_deterministic(umbrella: Path, rendered: dict[str, str]) -> None:
    assert render(umbrella, copy.deepcopy(VALUES)) == rendered


def test_helm_lint_finds_no_errors(umbrella: Path) -> None:
    report = helm_python.lint(umbrella, VALUES, namespace=NAMESPACE, with_subcharts=True)
    errors = [m for m in report["messages"] if m["severity"] >= 3]
    assert errors == []
    assert report["errors"] == []


# ------------------------------------------------------------------ objects and metadata


def test_renders_exactly_the_expected_objects(manifests: Manifests) -> None:
    assert sorted(manifests) == sorted(EXPECTED)


@pytest.mark.parametrize(("kind", "name"), EXPECTED)
def test_object_is_valid_for_kubernetes(manifests: Manifests, kind: str, name: str) -> None:
    """Built-in kinds against the Kubernetes schemas, custom resources against the CRD schemas of verify."""
    manifest = manifests[(kind, name)]
    if manifest["apiVersion"] not in CUSTOM_API_VERSIONS:
        kubernetes_validate.validate(manifest, KUBERNETES_VERSION, strict=True)
        return
    findings = validate_objects([RenderedObject(f"{kind}/{name}", 0, manifest)], KUBERNETES_VERSION)
    assert [(f.rule, f.message) for f in findings] == []


@pytest.mark.parametrize(("kind", "name", "component"), WORKLOAD_OBJECTS)
def test_object_carries_metadata_and_sync_wave(
    manifests: Manifests, kind: str, name: str, component: str
) -> None:
    metadata = manifests[(kind, name)]["metadata"]
    # Velero reads Schedules only in its own namespace.
    assert metadata["namespace"] == (VELERO_NAMESPACE if kind == "Schedule" else NAMESPACE)
    assert metadata["labels"] == VALUES[component]["labels"]
    wave = {"argocd.argoproj.io/sync-wave": VALUES[component]["syncWave"]}
    # data safety: Argo CD neither prunes nor deletes a claim; nothing else carries it
    keep = (
        {"argocd.argoproj.io/sync-options": "Prune=false,Delete=false"}
        if kind == "PersistentVolumeClaim"
        else {}
    )
    assert metadata["annotations"] == {**wave, **keep, **VALUES[component].get("annotations", {})}


@pytest.mark.parametrize("workload", WORKLOADS)
def test_pod_template_carries_selector_and_pod_labels(manifests: Manifests, workload: str) -> None:
    values = VALUES[workload]
    manifest = manifests[(values["kind"], workload)]
    spec = manifest["spec"]["jobTemplate"]["spec"] if values["kind"] == "CronJob" else manifest["spec"]
    labels = spec["template"]["metadata"]["labels"]
    assert labels.items() >= values["selectorLabels"].items()
    assert labels.items() >= values["podLabels"].items()
    if values["kind"] not in ("Job", "CronJob"):
        assert spec["selector"]["matchLabels"] == values["selectorLabels"]


@pytest.mark.parametrize("workload", WORKLOADS)
def test_security_contexts_and_container_pass_through(manifests: Manifests, workload: str) -> None:
    values = VALUES[workload]
    pod = pod_spec(manifests[(values["kind"], workload)])
    assert pod["securityContext"] == POD_SECURITY
    assert pod["containers"] == [values["container"]]
    assert pod["containers"][0]["securityContext"] == CONTAINER_SECURITY


# ------------------------------------------------------------------ text from the platform


def test_file_contents_reach_the_configmap_verbatim(manifests: Manifests) -> None:
    data = manifests[("ConfigMap", "trino-files")]["data"]
    assert data == VALUES["trino"]["configMap"]["data"]
    assert "{{ $labels.pod }}" in data["etc-trino-config.properties"]
    assert "{{ .Values.secret }}" in data["etc-trino-config.properties"]


def test_env_values_are_not_evaluated(manifests: Manifests) -> None:
    env = pod_spec(manifests[("Deployment", "trino")])["containers"][0]["env"]
    assert env == VALUES["trino"]["container"]["env"]
    assert env[0] == {"name": "TEMPLATED", "value": ENV_TEXT}
    assert [variable["value"] for variable in env[1:-1]] == TRICKY_ENV


def test_objects_are_written_verbatim(manifests: Manifests) -> None:
    for obj in OBJECTS:
        assert manifests[(obj["kind"], obj["metadata"]["name"])] == obj
    rule = manifests[("PrometheusRule", "platform-alerts")]["spec"]["groups"][0]["rules"][0]
    assert rule["annotations"]["summary"] == ALERT_TEXT
    assert manifests[("ConfigMap", "grafana-datasources")]["data"]["notes.txt"] == FILE_TEXT


def test_carried_objects_come_last_in_file_order(rendered: dict[str, str]) -> None:
    text = rendered[f"{RELEASE}/templates/objects.yaml"]
    documents = [d for d in HELM_SEPARATOR.split(text.strip()) if d.strip()]
    # Each file whole, header comment included: .Files.Get neither evaluates nor rewrites it.
    expected = sorted((object_file(o), HEADER + dump_yaml(o)) for o in OBJECTS)
    assert [d.strip() for d in documents] == [content.strip() for _, content in expected]


def test_values_in_a_subchart_render_as_values_from_the_umbrella(
    tmp_path: Path, rendered: dict[str, str]
) -> None:
    # The compiler writes a workload's values into its subchart's own values.yaml;
    # Helm must hand the library the same .Values as from the umbrella's.
    own = {name: VALUES[name] for name in WORKLOADS}
    chart = build_umbrella(tmp_path, WORKLOADS, own_values=own, objects=OBJECTS)
    assert render(chart, {}) == rendered


def test_a_value_from_the_umbrella_overrides_the_subchart_own(tmp_path: Path) -> None:
    chart = build_umbrella(tmp_path, ["uploads"], own_values={"uploads": VALUES["uploads"]})
    documents = helm_documents(render(chart, {"uploads": {"replicas": 4}}))
    (deployment,) = [d for d in documents if d["kind"] == "Deployment"]
    assert deployment["spec"]["replicas"] == 4


def test_a_workload_carries_its_own_objects(tmp_path: Path) -> None:
    policy = {
        "apiVersion": "networking.k8s.io/v1",
        "kind": "NetworkPolicy",
        "metadata": {"name": "api-ingress", "namespace": NAMESPACE, "labels": VALUES["api"]["labels"]},
        "spec": {
            "podSelector": {"matchLabels": VALUES["api"]["selectorLabels"]},
            "policyTypes": ["Ingress"],
            "ingress": [{"from": [{"namespaceSelector": {"matchLabels": {"team": "{{ .Values.x }}"}}}]}],
        },
    }
    chart = build_umbrella(
        tmp_path, ["api"], own_values={"api": VALUES["api"]}, own_objects={"api": [policy]}
    )
    documents = list(helm_documents(render(chart, {})))
    kinds = ["ServiceAccount", "Deployment", "HorizontalPodAutoscaler", "NetworkPolicy"]
    assert [d["kind"] for d in documents] == kinds
    assert documents[-1] == policy


@pytest.mark.parametrize("layout", ["no directory", "empty directory", "other files only"])
def test_no_objects_renders_nothing_and_lints(tmp_path: Path, layout: str) -> None:
    chart = build_umbrella(tmp_path, [])
    if layout != "no directory":
        (chart / OBJECTS_DIR).mkdir()
    if layout == "other files only":
        write_file(chart / OBJECTS_DIR / "README.md", "kind: ConfigMap\n")
        write_file(chart / OBJECTS_DIR / "nested" / "service_x_y.yaml", "kind: Service\n")
    assert list(helm_documents(render(chart, {}))) == []
    report = helm_python.lint(chart, {}, namespace=NAMESPACE, with_subcharts=True)
    assert [m for m in report["messages"] if m["severity"] >= 2] == []
    assert report["errors"] == []
