from __future__ import annotations

import io
import json
import os
import stat
import tarfile
from pathlib import Path

import pytest

from generator.findings import Severity
from generator.verify.api_versions import built_in_api_versions
from generator.verify.helm import (
    Dependency,
    lint_chart,
    merge_values,
    missing_dependency_findings,
    render_chart,
)

CONFIGMAP = """\
apiVersion: v1
kind: ConfigMap
metadata:
  name: {{ .Release.Name }}-settings
  namespace: {{ .Release.Namespace }}
data:
  kube: {{ .Capabilities.KubeVersion.Version | quote }}
  settings: {{ toJson .Values.settings | quote }}
  tier: {{ .Values.tier | default "unset" | quote }}
---
# a document with nothing in it is no object
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: literal
  annotations:
    released: 2024-01-31
data:
  "8080": http
"""


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def chart(root: Path, *, dependencies: str = "") -> Path:
    write(root / "Chart.yaml", f"apiVersion: v2\nname: umbrella\nversion: 0.1.0\n{dependencies}")
    write(root / "values.yaml", "tier: gold\nsettings:\n  replicas: 1\n  color: blue\n  zones: [a, b]\n")
    write(root / "templates" / "settings.yaml", CONFIGMAP)
    write(root / "templates" / "_helpers.tpl", '{{- define "umbrella.name" -}}umbrella{{- end -}}\n')
    write(root / "templates" / "NOTES.txt", "Installed {{ .Release.Name }}.\n")
    return root


def subchart(charts: Path, name: str) -> Path:
    write(charts / name / "Chart.yaml", f"apiVersion: v2\nname: {name}\nversion: 0.1.0\n")
    write(
        charts / name / "templates" / "cm.yaml",
        f"apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {name}\ndata:\n  from: {name}\n",
    )
    return charts / name


@pytest.fixture(autouse=True)
def engine_in_process(monkeypatch: pytest.MonkeyPatch, request: pytest.FixtureRequest) -> None:
    """helm-python renders unless a test puts a `helm` of its own on PATH."""
    if "fake_helm" not in request.fixturenames:
        monkeypatch.setattr("shutil.which", lambda name: None)


def test_value_files_apply_in_order_and_the_later_file_wins(tmp_path: Path) -> None:
    root = chart(tmp_path / "umbrella")
    first = write(tmp_path / "first.yaml", "settings:\n  replicas: 2\n  zones: [c]\n")
    second = write(tmp_path / "second.yaml", "settings:\n  replicas: 3\n  color: null\ntier: null\n")
    result = render_chart(
        root, release="portal", namespace="apps", value_files=[first, second], kube_version="1.29"
    )
    assert result.errors == ()
    assert result.dropped == ()
    assert result.engine == "helm-python"
    [(path, settings), (_, literal)] = result.manifests
    assert path == "umbrella/templates/settings.yaml"
    assert settings["metadata"] == {"name": "portal-settings", "namespace": "apps"}
    # maps merge, lists replace, the later file wins, and null removes the chart's default
    assert json.loads(settings["data"]["settings"]) == {"replicas": 3, "zones": ["c"]}
    assert settings["data"]["tier"] == "unset"
    assert settings["data"]["kube"] == "v1.29.0"
    # read as the API server reads YAML: timestamps stay strings, keys are strings
    assert literal["metadata"]["annotations"]["released"] == "2024-01-31"
    assert literal["data"] == {"8080": "http"}


def test_merge_values_follows_helm() -> None:
    assert merge_values([{"a": {"x": 1, "y": [1]}, "b": 1}, {"a": {"y": [2], "z": None}, "b": {"c": 1}}]) == {
        "a": {"x": 1, "y": [2], "z": None},
        "b": {"c": 1},
    }


def test_a_chart_with_an_upstream_chart_not_vendored_renders_the_rest(tmp_path: Path) -> None:
    dependencies = (
        "dependencies:\n"
        "  - name: kafka\n    version: 0.1.0\n"
        "  - name: redis\n    version: 19.6.4\n    repository: https://charts.bitnami.com/bitnami\n"
        "  - name: archived\n    version: 0.2.0\n"
    )
    root = chart(tmp_path / "umbrella", dependencies=dependencies)
    subchart(root / "charts", "kafka")
    packed = subchart(tmp_path / "pack", "archived")
    with tarfile.open(root / "charts" / "archived-0.2.0.tgz", "w:gz") as tar:
        tar.add(packed, arcname="archived")
    before = (root / "Chart.yaml").read_text(encoding="utf-8")

    result = render_chart(root, release="umbrella", namespace="apps", value_files=[], kube_version="1.31")

    assert result.errors == ()
    assert result.dropped == (Dependency("redis", "19.6.4", "https://charts.bitnami.com/bitnami"),)
    rendered = {obj["metadata"]["name"] for _, obj in result.manifests}
    assert rendered == {"umbrella-settings", "literal", "kafka", "archived"}
    assert (root / "Chart.yaml").read_text(encoding="utf-8") == before, "the chart itself is never changed"

    (finding,) = missing_dependency_findings("rendered/dev/apps/umbrella/Chart.yaml", result.dropped)
    assert (finding.rule, finding.severity) == ("PC805", Severity.WARNING)
    assert finding.file == "rendered/dev/apps/umbrella/Chart.yaml"
    assert finding.message.startswith("not verified: chart redis 19.6.4 is not vendored")


def test_crds_are_included_and_notes_and_partials_are_not(tmp_path: Path) -> None:
    root = chart(tmp_path / "umbrella")
    write(
        root / "crds" / "widgets.yaml",
        "apiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\n"
        "metadata:\n  name: widgets.example.com\n",
    )
    result = render_chart(root, release="r", namespace="n", value_files=[], kube_version="1.31")
    assert [path for path, _ in result.manifests] == [
        "umbrella/crds/widgets.yaml",
        "umbrella/templates/settings.yaml",
        "umbrella/templates/settings.yaml",
    ]


def test_a_template_that_fails_is_an_error_not_an_exception(tmp_path: Path) -> None:
    root = chart(tmp_path / "umbrella")
    write(root / "templates" / "broken.yaml", "value: {{ .Values.tier.name.first }}\n")
    result = render_chart(root, release="r", namespace="n", value_files=[], kube_version="1.31")
    assert result.manifests == ()
    (error,) = result.errors
    assert "umbrella/templates/broken.yaml" in error


def test_lint_of_a_broken_template_is_pc804(tmp_path: Path) -> None:
    root = chart(tmp_path / "umbrella")
    write(
        root / "templates" / "broken.yaml", "kind: ConfigMap\ndata:\n  a: {{ .Values.tier | nosuchfunc }}\n"
    )
    findings = lint_chart(root, "1.31", display="rendered/dev/apps/umbrella")
    (finding,) = findings
    assert (finding.rule, finding.severity) == ("PC804", Severity.ERROR)
    assert (finding.file, finding.line) == ("rendered/dev/apps/umbrella/templates/broken.yaml", 3)
    assert 'function "nosuchfunc" not defined' in finding.message
    assert str(tmp_path) not in finding.message


def test_lint_of_a_sound_chart_reports_nothing_but_information(tmp_path: Path) -> None:
    root = chart(tmp_path / "umbrella", dependencies="dependencies:\n  - name: redis\n    version: 1.0.0\n")
    assert lint_chart(root, "1.31") == []


@pytest.fixture
def fake_helm(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A `helm` on PATH that records its arguments and prints what `helm template` prints."""
    output = (
        "---\n# Source: umbrella/crds/widgets.yaml\napiVersion: apiextensions.k8s.io/v1\n"
        "kind: CustomResourceDefinition\nmetadata:\n  name: widgets.example.com\n"
        "---\n# Source: umbrella/templates/settings.yaml\napiVersion: v1\nkind: ConfigMap\n"
        "metadata:\n  name: r-settings\n"
    )
    bin_dir = tmp_path / "bin"
    record = bin_dir / "argv.json"
    script = write(
        bin_dir / "helm",
        "#!/usr/bin/env python3\nimport json, sys\n"
        f"json.dump(sys.argv[1:], open({str(record)!r}, 'w'))\n"
        f"sys.stdout.write({output!r})\n",
    )
    script.chmod(script.stat().st_mode | stat.S_IEXEC)
    monkeypatch.setenv("PATH", f"{bin_dir}{os.pathsep}{os.environ['PATH']}")
    return record


def test_the_helm_binary_is_run_as_argocd_runs_it(tmp_path: Path, fake_helm: Path) -> None:
    root = chart(tmp_path / "umbrella")
    values = [write(tmp_path / "a.yaml", "{}\n"), write(tmp_path / "b.yaml", "{}\n")]
    result = render_chart(root, release="r", namespace="apps", value_files=values, kube_version="1.31")
    assert json.loads(fake_helm.read_text()) == [
        "template", "r", str(root), "--namespace", "apps",
        "-f", str(values[0]), "-f", str(values[1]),
        "--kube-version", "v1.31.0", "--include-crds",
        *(arg for version in built_in_api_versions("1.31") for arg in ("--api-versions", version)),
    ]  # fmt: skip
    assert "policy/v1/PodDisruptionBudget" in built_in_api_versions("1.31")
    assert result.engine == "helm"
    assert [(path, obj["kind"]) for path, obj in result.manifests] == [
        ("umbrella/crds/widgets.yaml", "CustomResourceDefinition"),
        ("umbrella/templates/settings.yaml", "ConfigMap"),
    ]


def test_helm_python_is_loaded_only_when_helm_is_used() -> None:
    import subprocess
    import sys

    code = (
        "import sys\n"
        "from generator.verify import helm, kubeconform, objects\n"
        "objects.validate_objects([], '1.31')\n"
        "print('helm_python' in sys.modules)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "False"


def test_an_archive_that_cannot_be_read_vendors_nothing(tmp_path: Path) -> None:
    root = chart(tmp_path / "umbrella", dependencies="dependencies:\n  - name: broken\n    version: 0.1.0\n")
    (root / "charts").mkdir()
    (root / "charts" / "broken-0.1.0.tgz").write_bytes(io.BytesIO(b"not a tarball").getvalue())
    result = render_chart(root, release="r", namespace="n", value_files=[], kube_version="1.31")
    assert [dep.name for dep in result.dropped] == ["broken"]


def test_a_chart_yaml_that_is_not_yaml_is_an_error_not_an_exception(tmp_path: Path) -> None:
    root = chart(tmp_path / "umbrella")
    write(root / "Chart.yaml", "apiVersion: v2\nname: [umbrella\n")
    result = render_chart(root, release="r", namespace="n", value_files=[], kube_version="1.31")
    assert result.manifests == ()
    assert "cannot read the chart" in result.errors[0]
    (finding,) = lint_chart(root, "1.31", display="rendered/dev/apps/umbrella")
    assert (finding.rule, finding.severity, finding.file) == (
        "PC804",
        Severity.ERROR,
        "rendered/dev/apps/umbrella/Chart.yaml",
    )
