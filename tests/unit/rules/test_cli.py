"""`platformc validate --format json` on a platform that breaks one rule: that rule, at its place, alone."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from click.testing import CliRunner

from generator.cli import cli

CASES = Path(__file__).resolve().parents[2] / "cases"
# Warnings about the workload defaults these small case platforms leave out (probes, numeric ids).
DEFAULTS = {"PC516", "PC615"}


def _validate(root: Path) -> tuple[int, dict[str, object]]:
    """The exit code and the report, without (but counting) the workload-default warnings."""
    result = CliRunner().invoke(
        cli, ["validate", "--root", str(root), "--format", "json"], catch_exceptions=False
    )
    report = json.loads(result.output)
    findings = report["findings"]
    report["findings"] = [f for f in findings if f["rule"] not in DEFAULTS]
    defaults = len(findings) - len(report["findings"])
    assert all(f["severity"] == "warning" for f in findings if f["rule"] in DEFAULTS)
    report["summary"]["warnings"] -= defaults
    return result.exit_code, report


def test_overlay_mistake_is_one_error_in_the_overlay(tmp_path: Path) -> None:
    root = tmp_path / "platform"
    shutil.copytree(CASES / "PC102-disabled-in-overlay", root)
    code, report = _validate(root)
    assert code == 1
    findings = report["findings"]
    assert isinstance(findings, list) and len(findings) == 1, findings
    [finding] = findings
    assert (finding["rule"], finding["severity"], finding["file"], finding["line"]) == (
        "PC102",
        "error",
        "overlays/dev.yaml",
        6,
    )
    assert finding["env"] == ["dev"]
    assert 'names "redis", which is disabled in this environment' in finding["message"]
    assert report["summary"] == {"errors": 1, "warnings": 0}


def test_missing_component_is_one_error_not_a_cascade(tmp_path: Path) -> None:
    """The misspelt reference is not also reported as a missing port, a cycle or an unresolved host."""
    root = tmp_path / "platform"
    shutil.copytree(CASES / "PC101-reference-typo", root)
    code, report = _validate(root)
    assert code == 1
    findings = report["findings"]
    assert isinstance(findings, list)
    assert [(f["rule"], f["line"]) for f in findings] == [("PC101", 41)]
    assert 'did you mean "redis"?' in findings[0]["message"]


def test_passing_neighbour_exits_zero(tmp_path: Path) -> None:
    root = tmp_path / "platform"
    shutil.copytree(CASES / "PC101-ok-references", root)
    code, report = _validate(root)
    assert code == 0
    assert report["findings"] == []
