"""PC407 on the project's own platform: clean as it is; one token anywhere and nothing is rendered."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from generator.cli import cli
from generator.pipeline import analyse

REPO_URL = "repoURL: https://github.com/254carbon/platform.git"


def test_reference_platform_has_no_credentials(platform_root: Path) -> None:
    results = analyse(platform_root, ["dev", "staging", "prod"])
    assert [f for r in results for f in r.findings if f.rule == "PC407"] == []


def test_a_credential_stops_render(platform_root: Path) -> None:
    platform = platform_root / "platform.yaml"
    text = platform.read_text(encoding="utf-8")
    assert REPO_URL in text
    leaked = REPO_URL.replace("https://", "https://deploy:gh5ecretPat@")
    platform.write_text(text.replace(REPO_URL, leaked), encoding="utf-8")
    line = text[: text.index(REPO_URL)].count("\n") + 1
    result = CliRunner().invoke(cli, ["render", "--root", str(platform_root)], catch_exceptions=False)
    assert result.exit_code == 1
    assert f"platform.yaml:{line}:" in result.output and "PC407" in result.output
    assert not (platform_root / "rendered").exists()
