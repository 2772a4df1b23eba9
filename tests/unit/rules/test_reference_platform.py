"""The project's platform passes every rule; ../shared/reference is still accepted as input."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from generator.findings import Severity
from generator.pipeline import analyse

ENVS = ["dev", "staging", "prod"]


@pytest.mark.parametrize("env", ENVS)
def test_reference_platform_has_no_errors(platform_root: Path, env: str) -> None:
    [result] = analyse(platform_root, [env])
    errors = [f for f in result.findings if f.severity is Severity.ERROR and not f.suppressed]
    assert result.platform is not None
    assert errors == []


def test_reference_platform_warnings_are_known(platform_root: Path) -> None:
    """None, in any environment (zookeeper's useless single-replica budget, PC602, is gone): a
    warning that appears fails this."""
    found = [
        (r.env, f.rule, f.message.split(":")[0]) for r in analyse(platform_root, ENVS) for f in r.findings
    ]
    assert found == []


def test_the_shared_reference_is_still_accepted(tmp_path: Path) -> None:
    """The project's platform.yaml has moved on from ../shared/reference (its chart values are fixed);
    the compiler keeps accepting the reference as input, with every chart it pins vendored too."""
    repo = Path(__file__).resolve().parents[3]
    shared = repo.parent / "shared"
    shutil.copytree(shared / "reference", tmp_path / "reference")
    charts = tmp_path / "reference" / "vendor" / "charts"
    charts.mkdir(parents=True)
    for archive in (shared / "charts").glob("*.tgz"):
        shutil.copy(archive, charts / archive.name)
    results = analyse(tmp_path / "reference", ENVS)
    assert all(result.platform is not None for result in results)
    errors = [f for r in results for f in r.findings if f.severity is Severity.ERROR and not f.suppressed]
    assert errors == []
