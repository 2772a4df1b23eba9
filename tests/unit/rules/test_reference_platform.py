"""The reference platform (the project's platform.yaml, equal to ../shared/reference) passes every rule."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.findings import Severity
from generator.load import load_document
from generator.pipeline import analyse

ENVS = ["dev", "staging", "prod"]


@pytest.mark.parametrize("env", ENVS)
def test_reference_platform_has_no_errors(platform_root: Path, env: str) -> None:
    [result] = analyse(platform_root, [env])
    errors = [f for f in result.findings if f.severity is Severity.ERROR and not f.suppressed]
    assert result.platform is not None
    assert errors == []


def test_reference_platform_warnings_are_known(platform_root: Path) -> None:
    """The one warning, in every environment: zookeeper runs one replica under a budget that cannot
    protect it (PC602). Exactly that set: a warning that goes missing fails this as one that appears."""
    found = [
        (r.env, f.rule, f.message.split(":")[0]) for r in analyse(platform_root, ENVS) for f in r.findings
    ]
    assert found == [(env, "PC602", "zookeeper") for env in ENVS]


def test_reference_copy_matches_shared_reference(shared: Path) -> None:
    """The project's copy says what ../shared/reference says (comments aside)."""
    repo = Path(__file__).resolve().parents[3]
    shared = shared / "reference"
    for relative in ["platform.yaml", *(f"overlays/{env}.yaml" for env in ENVS)]:
        ours = load_document(repo / relative, relative).data
        assert ours == load_document(shared / relative, relative).data, relative
