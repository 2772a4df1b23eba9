"""`platformc graph` through the CLI."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest
from click.testing import CliRunner

from generator.cli import cli
from tests.acceptance.conftest import Run


def test_mermaid_shows_components_grouped_by_application_with_dependencies_and_waves(
    run: Run, initialised: Path
) -> None:
    code, output = run("graph", "--root", str(initialised), "--env", "prod")
    assert code == 0
    assert output.startswith("flowchart LR\n")
    apps = output.split('  subgraph app_apps["apps · wave 3"]\n', 1)[1].split("  end\n", 1)[0]
    assert apps.splitlines() == [
        '    c_apps__postgres["postgres<br/>statefulset · wave 0"]',
        '    c_apps__api["api<br/>deployment · wave 1"]',
        '    c_apps__web["web<br/>deployment · wave 2"]',
    ]
    assert "  c_apps__postgres --> c_apps__api\n" in output  # dependsOn and ${ref:postgres.postgres}
    assert "  c_apps__api --> c_apps__web\n" in output  # ${ref:api.http} in web's file
    assert "  c_apps__postgres --> c_apps__web\n" not in output  # web does not depend on postgres
    assert "  app_platform_secrets ==> app_apps\n" in output
    assert '  app_platform_namespaces[["platform-namespaces · wave 0"]]\n' in output
    assert output.count("  subgraph ") == output.count("  end\n") == 2


def test_the_rendered_readme_keeps_the_application_graph(run: Run, initialised: Path) -> None:
    assert run("render", "--root", str(initialised), "--env", "prod")[0] == 0
    readme = (initialised / "rendered" / "prod" / "README.md").read_text()
    assert "```mermaid\ngraph LR\n" in readme


def test_dot_shows_applications_components_waves_and_dependencies(run: Run, initialised: Path) -> None:
    code, output = run("graph", "--root", str(initialised), "--format", "dot")
    assert code == 0
    assert output.startswith('digraph "demo-dev" {')
    assert 'subgraph "cluster_apps" {' in output
    assert '"apps/postgres" [label="postgres\\nstatefulset · wave 0"];' in output
    assert '"apps/api" [label="api\\ndeployment · wave 1"];' in output
    assert '"apps/postgres" -> "apps/api";' in output  # dependsOn and ${ref:postgres.postgres}
    # apps read a secret: after the ExternalSecrets, which come after external-secrets itself
    assert '"app:platform-secrets" -> "app:apps" [penwidth=2];' in output
    assert '"app:external-secrets" -> "app:platform-secrets" [penwidth=2];' in output
    assert '"app:platform-namespaces" [label="platform-namespaces\\nwave 0"' in output


def test_svg_needs_graphviz(
    run: Run, initialised: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    empty = tmp_path / "empty-bin"
    empty.mkdir()
    monkeypatch.setenv("PATH", str(empty))
    code, output = run("graph", "--root", str(initialised), "--format", "svg")
    assert code == 2
    assert "--format svg needs Graphviz, and `dot` is not on PATH" in output


def test_svg_through_dot(
    run: Run, initialised: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    fake = bin_dir / "dot"
    # A stand-in for Graphviz that proves the DOT text reached it on stdin.
    fake.write_text('#!/bin/sh\necho "<svg><!-- $1 -->"\ngrep -c cluster_apps\necho "</svg>"\n')
    fake.chmod(fake.stat().st_mode | stat.S_IXUSR)
    monkeypatch.setenv("PATH", f"{bin_dir}{os.pathsep}{os.environ['PATH']}")
    code, output = run("graph", "--root", str(initialised), "--format", "svg")
    assert code == 0
    assert output == "<svg><!-- -Tsvg -->\n1\n</svg>\n"


def test_unknown_environment(run: Run, initialised: Path) -> None:
    code, output = run("graph", "--root", str(initialised), "--env", "qa")
    assert code == 2
    assert "unknown environment 'qa'; known: dev, prod" in output


def test_a_platform_with_rule_errors_is_still_drawn(initialised: Path) -> None:
    platform = initialised / "platform.yaml"
    platform.write_text(platform.read_text().replace("${ref:api.http}", "${ref:api.web}"))
    result = CliRunner().invoke(cli, ["graph", "--root", str(initialised)], catch_exceptions=False)
    assert result.exit_code == 0
    assert result.stdout.startswith("flowchart LR\n")
    assert "platformc: note: dev has 1 error(s); `platformc validate` lists them" in result.stderr


def test_a_platform_that_does_not_build_is_refused(run: Run, initialised: Path) -> None:
    platform = initialised / "platform.yaml"
    platform.write_text(platform.read_text().replace("  registries:", "  registry:"))
    code, output = run("graph", "--root", str(initialised))
    assert code == 1
    assert "graph refused: the environment does not build" in output
