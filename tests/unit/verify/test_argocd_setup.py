"""PC840: the Application health check wherever sync waves are used."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from generator.emit import emit_platform
from generator.emit.argocd_health import HEALTH_KEY
from generator.verify.argocd_setup import health_check_findings
from tests.unit.emit.conftest import reference_platform


def _display(path: Path) -> str:
    return path.name


@pytest.fixture(scope="module")
def prod_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("rendered") / "prod"
    tree = emit_platform(reference_platform("prod"))
    for path in tree:
        if path.startswith(("argocd/", "bootstrap/", "root.yaml")) or path.endswith(
            ("apps/argocd/values.yaml", "apps/argocd/Chart.yaml")
        ):
            target = root / path
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(tree[path])
    return root


def _drop_health_check(path: Path, key: str | None = None) -> None:
    values = yaml.safe_load(path.read_text())
    inner = values[key] if key else values
    del inner["configs"]["cm"][HEALTH_KEY]
    path.write_text(yaml.safe_dump(values))


def test_the_rendered_platform_has_the_health_check_in_both_installations(prod_dir: Path) -> None:
    assert health_check_findings(prod_dir, _display) == []


def test_waves_without_the_health_check_in_the_bootstrap_values_are_pc840(
    prod_dir: Path, tmp_path: Path
) -> None:
    env = tmp_path / "prod"
    env.mkdir()
    for sub in ("argocd", "bootstrap", "apps"):
        _copy(prod_dir / sub, env / sub)
    _drop_health_check(env / "bootstrap" / "argocd-values.yaml")
    (finding,) = health_check_findings(env, _display)
    assert finding.rule == "PC840" and finding.file == "argocd-values.yaml"
    assert "sync waves" in finding.message and HEALTH_KEY in finding.message
    _drop_health_check(env / "apps" / "argocd" / "values.yaml", "argo-cd")
    assert [f.file for f in health_check_findings(env, _display)] == ["argocd-values.yaml", "values.yaml"]


def test_one_wave_needs_no_health_check(prod_dir: Path, tmp_path: Path) -> None:
    env = tmp_path / "prod"
    _copy(prod_dir / "bootstrap", env / "bootstrap")
    (env / "argocd").mkdir()
    (env / "argocd" / "only.yaml").write_bytes((prod_dir / "argocd" / "data-platform.yaml").read_bytes())
    _drop_health_check(env / "bootstrap" / "argocd-values.yaml")
    assert health_check_findings(env, _display) == []


def _copy(source: Path, target: Path) -> None:
    for path in source.rglob("*"):
        if path.is_file():
            (target / path.relative_to(source)).parent.mkdir(parents=True, exist_ok=True)
            (target / path.relative_to(source)).write_bytes(path.read_bytes())
