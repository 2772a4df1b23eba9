"""Shell completion: environment names, APP/COMPONENT and rule IDs, as bash asks for them."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from generator.cli import cli
from tests.acceptance.conftest import Run


def complete(*words: str) -> list[str]:
    """What bash would offer after `platformc <words>` (the last word is the one being completed)."""
    env = {
        "_PLATFORMC_COMPLETE": "bash_complete",
        "COMP_WORDS": " ".join(("platformc", *words)),
        "COMP_CWORD": str(len(words)),
    }
    result = CliRunner().invoke(cli, [], env=env, prog_name="platformc", catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return [line.split(",", 1)[1] for line in result.output.splitlines() if line]


@pytest.fixture
def repo(run: Run, tmp_path: Path) -> Path:
    root = tmp_path / "demo"
    assert run("init", str(root))[0] == 0
    (root / "overlays" / "staging.yaml").write_text("spec: {}\n")
    return root


def test_environment_names(repo: Path) -> None:
    assert complete("validate", "--root", str(repo), "--env", "") == ["dev", "prod", "staging"]
    assert complete("explain", "--root", str(repo), "--env", "p") == ["prod"]
    assert complete("diff", "--root", str(repo), "--envs", "s") == ["staging"]


def test_components_and_applications(repo: Path) -> None:
    assert complete("explain", "--root", str(repo), "a") == ["api", "apps/api", "apps/postgres", "apps/web"]
    assert complete("diff", "--root", str(repo), "--app", "") == ["external-secrets", "apps"]


def test_rule_ids(repo: Path) -> None:
    from generator.rules.docs import all_rules

    assert complete("rules", "pc60") == [rule for rule in all_rules() if rule.startswith("PC60")]
    assert "PC601" in complete("rules", "PC6") and "PC101" not in complete("rules", "PC6")
    assert complete("rules", "XX") == []


def test_nothing_to_complete_where_there_is_no_platform(tmp_path: Path) -> None:
    assert complete("validate", "--root", str(tmp_path), "--env", "") == []
    assert complete("explain", "--root", str(tmp_path), "") == []
    (tmp_path / "platform.yaml").write_text("spec: [not: a mapping\n")
    assert complete("explain", "--root", str(tmp_path), "") == []
