"""`check`: would render produce exactly what is committed?"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeVar, cast

from generator.emit import RenderedTree
from generator.write.fork import TaskFailed, run_tasks

T = TypeVar("T")


@dataclass
class Drift:
    stale: list[str] = field(default_factory=list)  # content differs
    missing: list[str] = field(default_factory=list)  # render would create
    extra: list[str] = field(default_factory=list)  # render would delete

    def __bool__(self) -> bool:
        return bool(self.stale or self.missing or self.extra)


def list_files(directory: Path) -> list[str]:
    """Relative POSIX paths of every file below `directory`, symlinks included as files."""
    if not directory.is_dir() or directory.is_symlink():
        return []
    return sorted(
        p.relative_to(directory).as_posix() for p in directory.rglob("*") if p.is_file() or p.is_symlink()
    )


def compare_tree(tree: RenderedTree, directory: Path) -> Drift:
    drift = Drift()
    on_disk = set(list_files(directory))
    for path in tree:
        target = directory / path
        if path not in on_disk:
            drift.missing.append(path)
        elif target.is_symlink() or target.read_bytes() != tree[path]:
            drift.stale.append(path)
    drift.extra = sorted(on_disk - set(tree))
    return drift


def compare_trees(trees: Mapping[str, RenderedTree], rendered: Path, jobs: int = 1) -> dict[str, Drift]:
    """`compare_tree` for every environment of `trees` against `rendered/<env>`, `jobs` at a time."""
    drifts, _ = compare_trees_alongside(trees, rendered, jobs, None)
    return drifts


def compare_trees_alongside(
    trees: Mapping[str, RenderedTree], rendered: Path, jobs: int, other: Callable[[], T] | None
) -> tuple[dict[str, Drift], T | None]:
    """`compare_trees`, and `other` (a task independent of the comparison) sharing its workers.

    `check` verifies the committed tree while it compares it: the two read the
    same files and neither needs the other's result. `other` starts first, as
    it is usually the longest task.
    """

    def task(env: str) -> Callable[[], Drift | T]:
        return lambda: compare_tree(trees[env], rendered / env)

    tasks: list[tuple[tuple[str, str], Callable[[], Drift | T]]]
    tasks = [(("compare", env), task(env)) for env in trees]
    if other is not None:
        tasks.insert(0, (("other", ""), other))
    try:
        outcomes = run_tasks(tasks, jobs)
    except TaskFailed as e:
        raise e.error from None
    drifts: dict[str, Drift] = {}
    for (kind, env), outcome in outcomes.items():
        if kind == "compare":
            assert isinstance(outcome, Drift)
            drifts[env] = outcome
    return drifts, cast("T | None", outcomes.get(("other", "")))
