"""What the audit scans: every Application of every environment, rendered to one file per object."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from generator.audit.manifests import render_platform
from generator.pipeline import discover_envs

REPO = Path(__file__).resolve().parents[3]


def application_names(env: str) -> set[str]:
    """The Applications ArgoCD reads for `env`: the root one and those it syncs."""
    env_dir = REPO / "rendered" / env
    names: set[str] = set()
    for file in [env_dir / "root.yaml", *env_dir.glob("argocd/*.yaml")]:
        for data in yaml.safe_load_all(file.read_text(encoding="utf-8")):
            if data and data.get("kind") == "Application":
                names.add(data["metadata"]["name"])
    return names


# Renders every Application of every environment with Helm: a slow suite (`make test-slow`, CI).
@pytest.mark.slow
def test_every_application_of_every_environment_is_rendered_one_object_a_file(tmp_path: Path) -> None:
    result = render_platform(REPO, tmp_path)
    assert result.errors == []
    envs = discover_envs(REPO)
    assert sorted(p.name for p in tmp_path.iterdir()) == envs
    files = sorted(tmp_path.rglob("*.yaml"))
    assert result.objects == len(files) > 0
    applications = {env: application_names(env) for env in envs}
    for file in files:
        env, application = file.relative_to(tmp_path).parts[:2]
        assert application in applications[env]
        (data,) = list(yaml.safe_load_all(file.read_text(encoding="utf-8")))
        metadata = data["metadata"]
        # characters a file name should not hold (`:` in RBAC names) are written as `_`
        name = re.sub(r"[^A-Za-z0-9._-]+", "_", metadata["name"])
        stem = f"{data['kind']}.{metadata.get('namespace') or '-'}.{name}"
        assert file.name in (f"{stem}.yaml", *(f"{stem}.{n}.yaml" for n in range(2, 9)))
    for note in result.not_vendored:
        assert note.split("/", 1)[0] in envs


def test_workloads_come_from_the_helm_engine_not_from_the_chart_files(tmp_path: Path) -> None:
    render_platform(REPO, tmp_path, ["dev"])
    kinds = {file.name.split(".", 1)[0] for file in tmp_path.rglob("*.yaml")}
    assert {"Deployment", "Namespace", "Application"} <= kinds
    text = "".join(file.read_text(encoding="utf-8") for file in tmp_path.rglob("Deployment.*.yaml"))
    assert "{{" not in text


def test_a_platform_without_its_rendered_tree_is_refused(platform_root: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = render_platform(platform_root, out, ["dev"])
    assert [finding.rule for finding in result.errors] == ["PC806"] * len(result.errors) != []
    assert result.objects == 0
