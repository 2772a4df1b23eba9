"""Every YAML file rendered for the reference platforms is the same with the fast writer and without it."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest

import generator.emit.dashboards as dashboards
import generator.emit.tree as tree
import generator.emit.yamldump as dump
from generator.pipeline import EnvResult, analyse, discover_envs, emit

REPO = Path(__file__).resolve().parents[3]


@pytest.fixture(params=["repository", "shared-reference"])
def root(request: pytest.FixtureRequest, tmp_path: Path, shared: Path) -> Path:
    source = REPO if request.param == "repository" else shared / "reference"
    copy = tmp_path / "platform"
    copy.mkdir()
    shutil.copy(source / "platform.yaml", copy / "platform.yaml")
    shutil.copytree(source / "overlays", copy / "overlays")
    return copy


def _render(results: list[EnvResult]) -> dict[str, dict[str, bytes]]:
    """Every file of every environment, emitted now (the trees `emit` returns may be lazy)."""
    return {env: dict(files.items()) for env, files in emit(results).items()}


def test_rendered_yaml_is_identical_with_the_reference_writer(
    root: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    results = analyse(root, discover_envs(root))
    assert results and all(r.platform is not None for r in results), [r.findings for r in results]

    fallbacks: list[object] = []
    with monkeypatch.context() as patch:
        reference = dump.dump_yaml_reference

        def counting(*args: Any, **kwargs: Any) -> str:
            fallbacks.append(args)
            return reference(*args, **kwargs)

        patch.setattr(dump, "dump_yaml_reference", counting)
        fast = _render(results)
    assert not fallbacks, "the reference platform should never need the whole-document fallback"

    with monkeypatch.context() as patch:
        patch.setattr(tree, "dump_yaml", dump.dump_yaml_reference)
        patch.setattr(dashboards, "dump_yaml", dump.dump_yaml_reference)
        slow = _render(results)

    assert fast.keys() == slow.keys()
    compared = 0
    for env, files in slow.items():
        assert fast[env].keys() == files.keys(), env
        for path, content in files.items():
            assert fast[env][path] == content, f"{env}/{path}"
            compared += path.endswith((".yaml", ".yml"))
    assert compared > 300
