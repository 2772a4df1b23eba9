"""The filesystem fights back: symlinks out of the repository, rendered/ as a file, a read-only tree,
a full or failing disk. After each, rendered/ holds the old tree or the new one, complete, and nothing
outside rendered/ has changed."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from reliability_kit.faults import INJECTIONS, inject, synthetic_tree
from reliability_kit.layouts import LAYOUTS, Layout, try_layout
from reliability_kit.repo import (
    copy_inputs,
    env_tree,
    leftovers,
    run_cli,
    snapshot,
)

from generator.errors import WriteError
from generator.write import swap, write_environments

ENV = "prod"


@pytest.fixture(scope="module")
def rendered_template(reference_render: Path) -> Path:
    """A rendered/ of the reference (read-only: tests work on copies)."""
    return reference_render / "rendered"


@pytest.fixture
def repo(tmp_path: Path, rendered_template: Path) -> Path:
    """The reference inputs with rendered/prod already in place."""
    root = copy_inputs(tmp_path / "repo")
    shutil.copytree(rendered_template / ENV, root / "rendered" / ENV, symlinks=True)
    return root


@pytest.fixture
def outside(tmp_path: Path) -> Path:
    """A directory outside the repository that a symlink will point at."""
    target = tmp_path / "outside"
    target.mkdir()
    (target / "passwd").write_text("root:x:0:0::/root:/bin/sh\n")
    (target / "root.yaml").write_text("mine\n")
    return target


def render(root: Path) -> tuple[int, str]:
    result = run_cli(["render", "--root", str(root), "--env", ENV])
    assert "Traceback" not in result.output, result.output
    return result.code, result.output


@pytest.mark.parametrize("layout", LAYOUTS, ids=lambda layout: layout.name)
def test_hostile_layouts_are_refused_or_replaced_never_written_through(
    tmp_path: Path, rendered_template: Path, layout: Layout
) -> None:
    expected = env_tree(rendered_template, ENV)
    assert try_layout(layout, tmp_path, rendered_template, expected) == ""


# ------------------------------------------------------------------ failures injected into the writer


# A read-only rendered/ (EACCES: simulated, since root, which runs CI, ignores chmod, and a test
# that only runs for other users would be skipped there), a full disk, a failing one.
CLI_INJECTIONS = (
    "EACCES creating the staging directory",
    "ENOSPC at the 100th file",
    "EIO exchanging the directories",
)


@pytest.mark.parametrize("injection", CLI_INJECTIONS)
def test_failing_disk_through_the_cli_exits_2_and_leaves_the_old_tree(
    repo: Path, monkeypatch: pytest.MonkeyPatch, injection: str
) -> None:
    rendered = repo / "rendered"
    (repo / "platform.yaml").write_text(
        (repo / "platform.yaml").read_text().replace("refreshInterval: 1h", "refreshInterval: 2h")
    )
    before = snapshot(rendered)
    INJECTIONS[injection](monkeypatch)
    code, output = render(repo)
    monkeypatch.undo()
    assert code == 2, output
    assert "platformc: error: cannot write" in output
    assert snapshot(rendered) == before
    assert leftovers(rendered) == []


# ------------------------------------------------------------------ all environments or none


@pytest.fixture
def three_envs(tmp_path: Path) -> Iterator[Path]:
    rendered = tmp_path / "rendered"
    write_environments(rendered, {env: synthetic_tree("old") for env in ("dev", "prod", "staging")})
    yield rendered


@pytest.mark.parametrize("injection", sorted(INJECTIONS))
def test_failing_disk_leaves_every_environment_old(
    three_envs: Path, monkeypatch: pytest.MonkeyPatch, injection: str
) -> None:
    assert inject(three_envs, injection, monkeypatch) == ""


@pytest.mark.parametrize(
    "relative", ["../escape.yaml", "a/../../escape.yaml", "/etc/escape.yaml", "a//b", "./a"]
)
def test_paths_that_leave_the_environment_are_refused(tmp_path: Path, relative: str) -> None:
    tree = synthetic_tree("x", files=2)
    tree.add_text(relative, "escape\n")
    with pytest.raises(WriteError, match="not a path inside"):
        write_environments(tmp_path / "rendered", {"dev": tree})
    assert not (tmp_path / "escape.yaml").exists()
    assert leftovers(tmp_path / "rendered") == []


@pytest.mark.parametrize("env", ["..", ".", "", "a/b", ".hidden", ".old-dev", "x\x00"])
def test_environment_names_that_are_not_one_directory_are_refused(tmp_path: Path, env: str) -> None:
    rendered = tmp_path / "sub" / "rendered"
    write_environments(rendered, {"dev": synthetic_tree("old")})
    before = snapshot(tmp_path)
    with pytest.raises(WriteError, match="cannot be a directory"):
        write_environments(rendered, {env: synthetic_tree("new")})
    assert snapshot(tmp_path) == before


def test_recovery_of_one_environment_spares_the_others(tmp_path: Path) -> None:
    """`.old-dev-1` (a killed swap of env dev-1) must survive a render of env dev."""
    rendered = tmp_path / "rendered"
    write_environments(rendered, {"dev": synthetic_tree("dev"), "dev-1": synthetic_tree("dev-1")})
    (rendered / "dev-1").rename(rendered / ".old-dev-1")  # killed between the two renames
    write_environments(rendered, {"dev": synthetic_tree("dev again")})
    assert (rendered / ".old-dev-1").is_dir()
    write_environments(rendered, {"dev-1": synthetic_tree("dev-1 again")})
    assert env_tree(rendered, "dev-1") == dict(synthetic_tree("dev-1 again").items())


def test_cleanup_failing_after_the_swap_still_succeeds(
    three_envs: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(shutil, "rmtree", lambda *a, **k: None)  # the old trees cannot be removed
    write_environments(three_envs, {"dev": synthetic_tree("new")})
    monkeypatch.undo()
    assert env_tree(three_envs, "dev") == dict(synthetic_tree("new").items())
    assert leftovers(three_envs)  # left behind, for the next run under the lock
    with swap.render_lock(three_envs):
        pass
    assert leftovers(three_envs) == []


@pytest.mark.parametrize("leftover", [".old-dev", ".staging-dev-12345"])
def test_leftovers_symlinked_out_are_removed_never_followed(
    three_envs: Path, outside: Path, leftover: str
) -> None:
    if leftover.startswith(".old-"):
        shutil.rmtree(three_envs / "dev")  # as if killed between the two renames
    (three_envs / leftover).symlink_to(outside)
    before = snapshot(outside)
    with swap.render_lock(three_envs):
        write_environments(three_envs, {"dev": synthetic_tree("new")})
    assert snapshot(outside) == before
    assert env_tree(three_envs, "dev") == dict(synthetic_tree("new").items())
    assert leftovers(three_envs) == []


def test_a_failure_in_the_second_environment_leaves_the_first_old(
    repo: Path, rendered_template: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """render writes all environments or none (generator.write.write_environments)."""
    shutil.copytree(rendered_template / "dev", repo / "rendered" / "dev")
    rendered = repo / "rendered"
    platform = repo / "platform.yaml"
    platform.write_text(platform.read_text().replace("refreshInterval: 1h", "refreshInterval: 2h"))
    before = snapshot(rendered)
    INJECTIONS["EIO exchanging prod"](monkeypatch)
    result = run_cli(["render", "--root", str(repo), "--env", "dev", "--env", "prod"])
    monkeypatch.undo()
    assert result.code == 2, result.output
    assert snapshot(rendered) == before


@pytest.mark.parametrize(
    "pair", [("dev", "Dev"), ("\u00fc", "u\u0308")], ids=["case", "unicode-normalization"]
)
def test_environments_sharing_a_directory_elsewhere_are_refused(
    tmp_path: Path, pair: tuple[str, str]
) -> None:
    with pytest.raises(WriteError, match="share one directory"):
        write_environments(tmp_path / "rendered", {env: synthetic_tree(env) for env in pair})
    assert not (tmp_path / "rendered").exists()
