"""PC806: an Application whose source ArgoCD could not read, on a copy of the repository's rendered tree."""

from __future__ import annotations

import shutil
from pathlib import Path

from generator.verify.sources import application_sources

REPO = Path(__file__).resolve().parents[3]


def _copy(tmp_path: Path) -> Path:
    env_dir = tmp_path / "rendered" / "prod"
    shutil.copytree(REPO / "rendered" / "prod", env_dir)
    return env_dir


def _sources(env_dir: Path) -> tuple[list[str], list[str]]:
    sources, findings = application_sources(env_dir, "prod", "rendered", lambda p: p.name)
    return [s.application for s in sources], [f"{f.rule} {f.message}" for f in findings]


def test_the_rendered_tree_has_a_source_for_every_application(tmp_path: Path) -> None:
    applications, findings = _sources(_copy(tmp_path))
    assert findings == []
    assert "platform-namespaces" in applications


def test_a_missing_application_source_is_pc806(tmp_path: Path) -> None:
    env_dir = _copy(tmp_path)
    shutil.rmtree(env_dir / "namespaces")
    _, findings = _sources(env_dir)
    assert findings and all(f.startswith("PC806 ") for f in findings)


def test_a_missing_root_application_is_pc806(tmp_path: Path) -> None:
    env_dir = _copy(tmp_path)
    (env_dir / "root.yaml").unlink()
    _, findings = _sources(env_dir)
    assert findings == ["PC806 root.yaml is missing; run `platformc render`"]
