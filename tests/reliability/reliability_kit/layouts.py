"""Hostile layouts of rendered/: symlinks out of the repository, a file where a directory belongs.

Each layout is set up in a repository whose rendered/prod is a complete render,
next to a directory outside the repository that the symlinks point at. A render
then either refuses (exit 2, the tree untouched) or replaces what the symlinks
stood for with real files; either way nothing outside the repository changes.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from reliability_kit.repo import Snapshot, copy_inputs, env_tree, fingerprint, leftovers, run_cli, snapshot

ENV = "prod"
LOCK = ".platformc.lock"


@dataclass(frozen=True)
class Layout:
    name: str
    arrange: Callable[[Path, Path], None]  # (rendered/, the outside directory)
    refused: bool  # exit 2 and the tree untouched; else exit 0 and a whole, fresh tree
    says: tuple[str, ...] = ()  # words the refusal must contain


def _replace_with_link(path: Path, target: Path) -> None:
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path)
    else:
        path.unlink(missing_ok=True)
    path.symlink_to(target)


def _inner_links(rendered: Path, outside: Path) -> None:
    _replace_with_link(rendered / ENV / "README.md", outside / "root.yaml")
    _replace_with_link(rendered / ENV / "apps", outside)


def _file_instead(rendered: Path, outside: Path) -> None:
    shutil.rmtree(rendered)
    rendered.write_text("not a directory\n")


def _old_tree_link(rendered: Path, outside: Path) -> None:
    shutil.rmtree(rendered / ENV)  # as if killed between the two renames of a swap
    (rendered / f".old-{ENV}").symlink_to(outside)


LAYOUTS: tuple[Layout, ...] = (
    Layout("rendered/ is a symlink out", lambda r, o: _replace_with_link(r, o), True, ("symlink",)),
    Layout(
        f"rendered/{ENV} is a symlink out", lambda r, o: _replace_with_link(r / ENV, o), True, ("symlink",)
    ),
    Layout(
        "the render lock is a symlink out",
        lambda r, o: _replace_with_link(r / LOCK, o / "passwd"),
        True,
        ("lock", "symlink"),
    ),
    Layout("rendered/ is a file", _file_instead, True, ("not a directory",)),
    Layout(f"a file and a directory inside rendered/{ENV} are symlinks out", _inner_links, False),
    Layout(
        f"rendered/{ENV}/root.yaml, platformc's mark on the tree, is a symlink out",
        lambda r, o: _replace_with_link(r / ENV / "root.yaml", o / "root.yaml"),
        True,
        ("platformc did not write",),
    ),
    Layout(
        "a leftover staging directory is a symlink out",
        lambda r, o: (r / f".staging-{ENV}-12345").symlink_to(o),
        False,
    ),
    Layout(f"a leftover old tree is a symlink out, rendered/{ENV} gone", _old_tree_link, False),
)


def prepare(root: Path, reference_rendered: Path) -> tuple[Path, Path]:
    """A repository with rendered/prod in place, and the directory outside it: (repo, outside)."""
    repo = copy_inputs(root / "repo")
    shutil.copytree(reference_rendered / ENV, repo / "rendered" / ENV, symlinks=True)
    outside = root / "outside"
    outside.mkdir()
    (outside / "passwd").write_text("root:x:0:0::/root:/bin/sh\n")
    (outside / "root.yaml").write_text("mine\n")
    return repo, outside


def _state(rendered: Path) -> object:
    if rendered.is_file() and not rendered.is_symlink():
        return rendered.read_bytes()
    return fingerprint(rendered)


def try_layout(layout: Layout, root: Path, reference_rendered: Path, expected: Snapshot) -> str:
    """Arrange `layout`, render, and judge; '' when every promise held, else what broke."""
    repo, outside = prepare(root, reference_rendered)
    rendered = repo / "rendered"
    layout.arrange(rendered, outside)
    before_outside, before_tree = snapshot(outside), _state(rendered)
    result = run_cli(["render", "--root", str(repo), "--env", ENV])
    problems = []
    if "Traceback" in result.output:
        problems.append("a traceback")
    if snapshot(outside) != before_outside:
        problems.append("wrote outside the repository")
    if layout.refused:
        if result.code != 2 or not all(word in result.output for word in layout.says):
            problems.append(f"exit {result.code} instead of a refusal naming {', '.join(layout.says)}")
        if _state(rendered) != before_tree:
            problems.append("the refused render changed rendered/")
    else:
        if result.code != 0:
            problems.append(f"exit {result.code}: {result.output.strip()[-300:]}")
        elif env_tree(rendered, ENV) != expected or leftovers(rendered):
            problems.append("the tree is not a whole fresh render")
    return f"{layout.name}: {'; '.join(problems)}" if problems else ""
