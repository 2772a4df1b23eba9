"""The values contract against the real upstream charts the project's platform pins (../shared/charts)."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import helm_python
import pytest
import yaml

from generator.emit.yamldump import dump_yaml
from generator.helm_values import merge_maps
from generator.load import load_document
from generator.pipeline import analyse, analysis_notes
from generator.rules.chart_declaration import declaration_of
from generator.rules.values_contract import check_values

REPO = Path(__file__).resolve().parents[3]
CHARTS = REPO.parent / "shared" / "charts"
ENVS = ["dev", "prod", "staging"]


def _components(data: dict[str, Any]) -> list[tuple[str, str, dict[str, Any]]]:
    found: list[tuple[str, str, dict[str, Any]]] = []
    for app_name, app in data["spec"]["applications"].items():
        for name, component in (app.get("components") or {}).items():
            if isinstance(component.get("chart"), dict) and component.get("enabled", True):
                found.append((app_name, name, component))
    return found


def _archive(component: dict[str, Any]) -> Path:
    chart = component["chart"]
    return CHARTS / f"{chart['name']}-{chart['version']}.tgz"


def _copy_platform(root: Path, data: dict[str, Any] | None = None) -> None:
    root.mkdir(parents=True, exist_ok=True)
    if data is None:
        shutil.copy(REPO / "platform.yaml", root / "platform.yaml")
    else:
        (root / "platform.yaml").write_text(dump_yaml(data), encoding="utf-8")
    shutil.copytree(REPO / "overlays", root / "overlays")


def _vendor(root: Path, data: dict[str, Any]) -> None:
    charts = root / "vendor" / "charts"
    charts.mkdir(parents=True)
    for _, _, component in _components(data):
        shutil.copy(_archive(component), charts / _archive(component).name)


@pytest.fixture(scope="module")
def project() -> dict[str, Any]:
    data: dict[str, Any] = load_document(REPO / "platform.yaml", "platform.yaml").data
    return data


def test_every_chart_the_project_pins_is_in_the_shared_repository(project: dict[str, Any]) -> None:
    assert [c for _, _, c in _components(project) if not _archive(c).is_file()] == []


def test_the_project_keeps_the_contract_in_every_environment(tmp_path: Path, project: dict[str, Any]) -> None:
    _copy_platform(tmp_path)
    _vendor(tmp_path, project)
    results = analyse(tmp_path, ENVS)
    contract = [f for r in results for f in r.findings if f.rule in ("PC306", "PC307")]
    assert contract == []
    assert analysis_notes(results) == []


def _misspelt(key: str) -> str:
    """The key with two neighbouring letters in the middle swapped: the usual slip."""
    middle = len(key) // 2
    return key[: middle - 1] + key[middle] + key[middle - 1] + key[middle + 1 :]


def _victim(component: dict[str, Any]) -> str:
    """A top-level key of the chart's own values that a misspelling cannot turn into another key."""
    chart = declaration_of(_archive(component).read_bytes())
    keys = sorted(k for k in chart.defaults if isinstance(k, str) and k != "global")
    # the chart's own keys first; a chart whose only values are a dependency's
    # (prometheus-operator-crds: `crds`) gets that key misspelt instead
    keys.sort(key=lambda k: (k in chart.dependencies, len(k) < 6))
    usable = [k for k in keys if len(k) >= 4 and _misspelt(k) not in chart.defaults]
    return usable[0]


def test_a_misspelt_key_under_any_upstream_chart_is_an_error_at_its_line(
    tmp_path: Path, project: dict[str, Any]
) -> None:
    data = load_document(REPO / "platform.yaml", "platform.yaml").data
    planted: dict[str, tuple[str, str]] = {}
    for app, name, component in _components(data):
        key = _victim(component)
        component.setdefault("values", {})[_misspelt(key)] = "x"
        planted[name] = (app, key)
    _copy_platform(tmp_path, data)
    _vendor(tmp_path, data)
    written = load_document(tmp_path / "platform.yaml", "platform.yaml")
    [result] = analyse(tmp_path, ["prod"])
    for name, (app, key) in planted.items():
        path = ("spec", "applications", app, "components", name, "values", _misspelt(key))
        line = written.mark(path, prefer_key=True).line
        hits = [f for f in result.findings if f.rule == "PC306" and f.line == line]
        assert len(hits) == 1, (name, key, [f.message for f in result.findings if f.rule == "PC306"])
        assert f'has no value "{_misspelt(key)}"' in hits[0].message
        assert f'"{key}"' in hits[0].message.split("did you mean", 1)[1], hits[0].message
    assert len(planted) >= 15


def test_a_chart_not_vendored_gets_one_note_whatever_uses_it(tmp_path: Path, project: dict[str, Any]) -> None:
    _copy_platform(tmp_path)
    results = analyse(tmp_path, ENVS)
    charts = sorted({(c["chart"]["name"], str(c["chart"]["version"])) for _, _, c in _components(project)})
    notes = analysis_notes(results)
    assert [note.split("chart ", 1)[1].split(":")[0] for note in notes] == [f"{n} {v}" for n, v in charts]
    assert all("not vendored" in note for note in notes)
    assert not any(f.rule in ("PC306", "PC307") for r in results for f in r.findings)


def test_a_vendored_chart_gets_no_note(tmp_path: Path, project: dict[str, Any]) -> None:
    _copy_platform(tmp_path)
    _vendor(tmp_path, project)
    (tmp_path / "vendor" / "charts" / "loki-6.16.0.tgz").unlink()
    notes = analysis_notes(analyse(tmp_path, ENVS))
    assert notes == [
        "values contract not checked for chart loki 6.16.0: it is not vendored (run `platformc vendor`)"
    ]


POD_CONTEXT = {
    "runAsNonRoot": True,
    "runAsUser": 65534,
    "fsGroup": 65534,
    "seccompProfile": {"type": "RuntimeDefault"},
}
CONTAINER_CONTEXT = {
    "allowPrivilegeEscalation": False,
    "capabilities": {"drop": ["ALL"]},
    "readOnlyRootFilesystem": True,
}
# Security contexts whose defaults are only `{enabled: true}`: the templates write them whole
# (through `vm.securityContext` and `external-secrets.renderSecurityContext`, `omit … "enabled" | toYaml`).
WRITTEN_WHOLE = [
    ("victoria-metrics-single-0.12.2", ("server",), {"server": {"statefulSet": {"enabled": True}}}),
    ("victoria-metrics-agent-0.14.3", (), {"remoteWrite": [{"url": "http://vm:8428/api/v1/write"}]}),
    ("external-secrets-0.10.4", (), {}),
    ("external-secrets-0.10.4", ("webhook",), {}),
    ("external-secrets-0.10.4", ("certController",), {}),
]


def _under(at: tuple[str, ...], values: dict[str, Any]) -> dict[str, Any]:
    for key in reversed(at):
        values = {key: values}
    return values


def _contexts(archive: str, values: dict[str, Any]) -> list[tuple[Any, Any]]:
    """The pod and first container security context of every workload the real chart renders."""
    rendered = helm_python.Chart.load(CHARTS / f"{archive}.tgz").render(values, name="r", namespace="n")
    found = []
    for file, text in rendered.items():
        if not file.endswith(".yaml"):
            continue  # NOTES.txt
        for doc in yaml.safe_load_all(text):
            if isinstance(doc, dict) and doc.get("kind") in ("Deployment", "StatefulSet"):
                pod = doc["spec"]["template"]["spec"]
                found.append((pod.get("securityContext"), pod["containers"][0].get("securityContext")))
    return found


def _holds(rendered: Any, wanted: dict[str, Any]) -> bool:
    return isinstance(rendered, dict) and all(rendered.get(k) == v for k, v in wanted.items())


@pytest.mark.parametrize(("archive", "at", "required"), WRITTEN_WHOLE)
def test_security_contexts_a_real_chart_writes_whole_take_kubernetes_fields(
    archive: str, at: tuple[str, ...], required: dict[str, Any]
) -> None:
    contexts = {
        "podSecurityContext": {"enabled": True, **POD_CONTEXT},
        "securityContext": {"enabled": True, **CONTAINER_CONTEXT},
    }
    values = merge_maps(required, _under(at, contexts))
    chart = declaration_of((CHARTS / f"{archive}.tgz").read_bytes())
    assert check_values(chart, values) == []
    # what the contract lets through is what Helm renders into the pod (over the chart's defaults)
    assert any(
        _holds(pod, POD_CONTEXT) and _holds(container, CONTAINER_CONTEXT)
        for pod, container in _contexts(archive, values)
    )


@pytest.mark.parametrize(("archive", "at", "required"), WRITTEN_WHOLE)
def test_a_misspelt_security_context_beside_them_is_still_refused(
    archive: str, at: tuple[str, ...], required: dict[str, Any]
) -> None:
    values = merge_maps(required, _under(at, {"podSecurityContex": POD_CONTEXT}))
    chart = declaration_of((CHARTS / f"{archive}.tgz").read_bytes())
    [problem] = check_values(chart, values)
    assert (problem.kind, problem.path) == ("unknown", (*at, "podSecurityContex"))
    assert ".".join((*at, "podSecurityContext")) in problem.suggestions
    assert not any(_holds(pod, POD_CONTEXT) for pod, _ in _contexts(archive, values))  # Helm drops it
