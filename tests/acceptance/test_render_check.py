"""render and check through the CLI, on a copy of the project's own platform."""

from __future__ import annotations

import gc
import json
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from generator.cli import cli
from tests.acceptance.conftest import Run

ENVS = ("dev", "prod", "staging")


def snapshot(directory: Path) -> dict[str, bytes]:
    return {
        p.relative_to(directory).as_posix(): p.read_bytes()
        for p in sorted(directory.rglob("*"))
        if p.is_file()
    }


def test_render_writes_every_environment_then_check_passes(run: Run, platform_root: Path) -> None:
    code, output = run("render", "--root", str(platform_root))
    assert code == 0, output
    rendered = platform_root / "rendered"
    assert sorted(p.name for p in rendered.iterdir() if not p.name.startswith(".")) == list(ENVS)
    for env in ENVS:
        assert (rendered / env / "root.yaml").is_file()
        assert (rendered / env / "apps" / "data-platform" / "Chart.yaml").is_file()
    code, output = run("check", "--root", str(platform_root), "--no-verify")
    assert code == 0, output


def test_the_projects_own_platform_has_no_warnings(run: Run, platform_root: Path) -> None:
    code, output = run("validate", "--root", str(platform_root), "--format", "json")
    assert code == 0, output
    assert json.loads(output)["findings"] == []


def test_render_is_byte_for_byte_deterministic(run: Run, platform_root: Path, tmp_path: Path) -> None:
    assert run("render", "--root", str(platform_root))[0] == 0
    first = snapshot(platform_root / "rendered")
    assert run("render", "--root", str(platform_root), "--out", str(tmp_path / "again"))[0] == 0
    assert snapshot(tmp_path / "again") == first


def test_check_names_a_hand_edited_file(run: Run, platform_root: Path) -> None:
    assert run("render", "--root", str(platform_root))[0] == 0
    edited = platform_root / "rendered" / "prod" / "apps" / "kafka" / "charts" / "kafka" / "values.yaml"
    edited.write_text(edited.read_text().replace("replicas: 3", "replicas: 5"))
    code, output = run("check", "--root", str(platform_root), "--no-verify")
    assert code == 1
    assert "rendered/prod/apps/kafka/charts/kafka/values.yaml: stale" in output


def test_check_lists_missing_and_extra_files(run: Run, platform_root: Path) -> None:
    assert run("render", "--root", str(platform_root))[0] == 0
    (platform_root / "rendered" / "dev" / "root.yaml").unlink()
    (platform_root / "rendered" / "dev" / "stray.yaml").write_text("kind: ConfigMap\n")
    code, output = run("check", "--root", str(platform_root), "--no-verify", "--format", "json")
    assert code == 1
    notes = json.loads(output)["notes"]
    assert "rendered/dev/root.yaml: missing (render would create it)" in notes
    assert "rendered/dev/stray.yaml: extra (platform.yaml no longer produces it)" in notes


def test_render_refuses_on_errors_and_leaves_rendered_untouched(run: Run, platform_root: Path) -> None:
    assert run("render", "--root", str(platform_root))[0] == 0
    before = snapshot(platform_root / "rendered")
    platform = platform_root / "platform.yaml"
    platform.write_text(platform.read_text().replace("  domain: 254carbon.com", "  domian: 254carbon.com"))
    code, output = run("render", "--root", str(platform_root))
    assert code == 1
    assert "render refused" in output
    assert snapshot(platform_root / "rendered") == before


def test_render_one_environment_leaves_the_others(run: Run, platform_root: Path) -> None:
    assert run("render", "--root", str(platform_root), "--env", "dev")[0] == 0
    assert [p.name for p in (platform_root / "rendered").iterdir() if not p.name.startswith(".")] == ["dev"]


def test_unknown_environment_is_a_usage_error(run: Run, platform_root: Path) -> None:
    code, output = run("validate", "--root", str(platform_root), "--env", "qa")
    assert code == 2
    assert "unknown environment 'qa'" in output


def test_missing_platform_file_is_a_usage_error(run: Run, tmp_path: Path) -> None:
    code, output = run("validate", "--root", str(tmp_path))
    assert code == 2
    assert "no platform.yaml" in output


def test_validate_json_contract(run: Run, platform_root: Path) -> None:
    code, output = run("validate", "--root", str(platform_root), "--all", "--format", "json")
    assert code == 0
    payload = json.loads(output)
    assert payload["summary"]["errors"] == 0
    assert set(payload) >= {"findings", "summary"}


def test_committed_tree_is_current(run: Run) -> None:
    """The repository's own rendered/ is what its platform.yaml renders (what `make check` enforces)."""
    repo = Path(__file__).resolve().parents[2]
    code, output = run("check", "--root", str(repo), "--no-verify")
    assert code == 0, output


def test_check_without_the_verify_engines_says_so_and_still_judges_the_tree(
    run: Run, platform_root: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert run("render", "--root", str(platform_root))[0] == 0
    monkeypatch.setitem(sys.modules, "helm_python", None)  # importing it raises ImportError
    code, output = run("check", "--root", str(platform_root), "--env", "dev")
    assert code == 0, output
    assert "verify skipped: helm_python is not installed" in output
    assert "out of date" not in output  # a missing engine is not drift
    edited = platform_root / "rendered" / "dev" / "root.yaml"
    edited.write_text(edited.read_text() + "# edited\n")
    code, output = run("check", "--root", str(platform_root), "--env", "dev")
    assert code == 1 and "rendered/dev/root.yaml: stale" in output and "verify skipped" in output


def test_check_fails_loudly_when_verify_itself_is_broken(
    run: Run, platform_root: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A verify module that does not import is a broken installation (exit 3), not a skipped stage."""
    assert run("render", "--root", str(platform_root), "--env", "dev")[0] == 0
    monkeypatch.setitem(sys.modules, "generator.verify.tree", None)  # importing it raises ImportError
    result = CliRunner().invoke(cli, ["check", "--root", str(platform_root), "--env", "dev", "-j", "1"])
    assert result.exit_code == 3, result.output
    assert "unexpected error" in result.stderr and "generator.verify.tree" in result.stderr
    assert "verify skipped" not in result.output


def test_the_analysis_is_frozen_only_while_trees_are_written_or_compared(
    run: Run, platform_root: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from generator.commands import check, render

    frozen: list[int] = []
    for module, name in ((render, "write_environments"), (check, "compare_trees_alongside")):
        real = getattr(module, name)

        def spy(*args: object, _real: object = real, **kwargs: object) -> object:
            frozen.append(gc.get_freeze_count())
            return _real(*args, **kwargs)  # type: ignore[operator]

        monkeypatch.setattr(module, name, spy)
    assert run("render", "--root", str(platform_root), "--env", "dev")[0] == 0
    assert run("check", "--root", str(platform_root), "--env", "dev", "--no-verify")[0] == 0
    assert len(frozen) == 2 and all(count > 1000 for count in frozen)  # the platform's objects
    assert gc.get_freeze_count() == 0  # and collectable again once the command is done


def test_render_and_check_warn_before_a_stateful_component_is_removed(run: Run, platform_root: Path) -> None:
    assert run("render", "--root", str(platform_root))[0] == 0
    # a stateful component committed earlier that platform.yaml no longer has
    charts = platform_root / "rendered" / "prod" / "apps" / "storage" / "charts"
    (charts / "old-db").mkdir()
    values = (platform_root / "rendered/prod/apps/api-gateway/charts/kong-postgres/values.yaml").read_text()
    (charts / "old-db" / "values.yaml").write_text(values.replace("name: kong-postgres", "name: old-db"))
    code, output = run("check", "--root", str(platform_root), "--no-verify")
    assert code == 1  # the render is out of date; the warning says what it would leave behind
    assert (
        "rendered/prod/apps/storage/charts/old-db/values.yaml:1:1: PC710 warning: StatefulSet storage/old-db"
        in output
    )
    code, output = run("render", "--root", str(platform_root))
    assert code == 0, output
    assert "PC710 warning" in output and "volume claims (data: 20Gi, namespace kong)" in output
    code, output = run("check", "--root", str(platform_root), "--no-verify")
    assert code == 0 and "PC710" not in output  # rendered: nothing left to warn about
