"""The values contract against the real upstream charts the project's platform pins (../shared/charts)."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest

from generator.emit.yamldump import dump_yaml
from generator.load import load_document
from generator.pipeline import analyse, analysis_notes
from generator.rules.chart_declaration import declaration_of

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
