"""A failing disk, simulated: OSErrors injected into generator.write at each step of a write.

Each injection is applied with a pytest MonkeyPatch (tests pass theirs; the
script uses `MonkeyPatch.context()`), so nothing outlives the trial.
"""

from __future__ import annotations

import errno
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pytest import MonkeyPatch

from generator.emit import RenderedTree
from generator.errors import WriteError
from generator.write import swap, write_environments
from reliability_kit.repo import leftovers, snapshot

THREE_ENVS = ("dev", "prod", "staging")


def failing(error: int, *, when: Callable[..., bool]) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Wrap a function so that it raises OSError(error) whenever `when(*args)` is true."""

    def wrap(real: Callable[..., Any]) -> Callable[..., Any]:
        def fake(*args: Any, **kwargs: Any) -> Any:
            if when(*args):
                raise OSError(error, os.strerror(error), str(args[0]) if args else "")
            return real(*args, **kwargs)

        return fake

    return wrap


def nth(n: int, predicate: Callable[..., bool]) -> Callable[..., bool]:
    """True on the n-th call for which `predicate` holds."""
    calls = {"n": 0}

    def when(*args: Any) -> bool:
        if predicate(*args):
            calls["n"] += 1
            return calls["n"] == n
        return False

    return when


def in_staging(path: object, *args: object) -> bool:
    return ".staging-" in str(path)


def _staging_of(env: str) -> Callable[..., bool]:
    return lambda path, *args: f".staging-{env}-" in str(path)


Injection = Callable[[MonkeyPatch], None]


def _fail_open(error: int, n: int, predicate: Callable[..., bool]) -> Injection:
    def apply(mp: MonkeyPatch) -> None:
        mp.setattr(os, "open", failing(error, when=nth(n, predicate))(os.open))  # swap.os is os

    return apply


def _fail_mkdir(error: int) -> Injection:
    def apply(mp: MonkeyPatch) -> None:
        mp.setattr(Path, "mkdir", failing(error, when=nth(1, in_staging))(Path.mkdir))

    return apply


def _fail_exchange(error: int, env: str | None = None) -> Injection:
    def apply(mp: MonkeyPatch) -> None:
        when = (lambda a, b: True) if env is None else (lambda a, b: Path(b).name == env)
        mp.setattr(swap, "_exchange", failing(error, when=when)(swap._exchange))

    return apply


def _fail_second_rename(error: int) -> Injection:
    def apply(mp: MonkeyPatch) -> None:
        mp.setattr(swap, "_exchange", lambda a, b: False)  # a kernel without renameat2
        mp.setattr(Path, "rename", failing(error, when=lambda src, *a: ".staging-" in str(src))(Path.rename))

    return apply


INJECTIONS: dict[str, Injection] = {
    "EACCES creating the staging directory": _fail_mkdir(errno.EACCES),
    "EACCES opening the first file": _fail_open(errno.EACCES, 1, in_staging),
    "ENOSPC at the 100th file": _fail_open(errno.ENOSPC, 100, in_staging),
    "EIO exchanging the directories": _fail_exchange(errno.EIO),
    "EIO in the second of two renames (no renameat2)": _fail_second_rename(errno.EIO),
    **{f"ENOSPC staging {env}": _fail_open(errno.ENOSPC, 3, _staging_of(env)) for env in THREE_ENVS},
    **{f"EIO exchanging {env}": _fail_exchange(errno.EIO, env) for env in THREE_ENVS},
}


def synthetic_tree(text: str, files: int = 150) -> RenderedTree:
    tree = RenderedTree()
    for index in range(files):
        tree.add_text(f"apps/app-{index % 5}/file-{index}.yaml", f"{text} {index}\n")
    return tree


@dataclass
class FaultStats:
    trials: int = 0
    refused_cleanly: int = 0  # WriteError raised, every environment old, no leftovers
    partial_writes: int = 0
    problems: list[str] = field(default_factory=list)


def inject(rendered: Path, name: str, monkeypatch: MonkeyPatch) -> str:
    """Write three new environments over three old ones with `name` injected; '' or what went wrong."""
    before = snapshot(rendered)
    INJECTIONS[name](monkeypatch)
    try:
        write_environments(rendered, {env: synthetic_tree(f"new {name}") for env in THREE_ENVS})
    except WriteError:
        pass
    else:
        return f"{name}: the write succeeded despite the failure"
    finally:
        monkeypatch.undo()
    if snapshot(rendered) != before:
        return f"{name}: the failed write changed rendered/"
    if leftovers(rendered):
        return f"{name}: the failed write left {leftovers(rendered)}"
    return ""


def fault_campaign(work: Path) -> FaultStats:
    stats = FaultStats()
    for name in INJECTIONS:
        rendered = work / f"faults-{stats.trials}" / "rendered"
        write_environments(rendered, {env: synthetic_tree("old") for env in THREE_ENVS})
        stats.trials += 1
        with MonkeyPatch.context() as monkeypatch:
            problem = inject(rendered, name, monkeypatch)
        if problem:
            stats.problems.append(problem)
            stats.partial_writes += "changed" in problem
        else:
            stats.refused_cleanly += 1
    return stats
