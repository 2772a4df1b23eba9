"""What a killed render leaves behind, and putting it right (the next render does, under the lock).

A render stages `rendered/.staging-<env>-<pid>/` and, without renameat2, parks the
old tree at `rendered/.old-<env>/` for a moment. Killed in between, the next run
puts the old tree back if `<env>` is missing and removes the rest — matching
names exactly, so recovering `dev` never touches `dev-1`'s leftovers.
"""

from __future__ import annotations

import contextlib
import shutil
from pathlib import Path

from generator.write.signals import signals_deferred

STAGING_PREFIX = ".staging-"
OLD_PREFIX = ".old-"


def remove_leftover(path: Path) -> None:
    """Remove a leftover of ours without following a symlink."""
    if path.is_symlink() or (path.exists() and not path.is_dir()):
        with contextlib.suppress(OSError):
            path.unlink()
    elif path.is_dir():
        shutil.rmtree(path, ignore_errors=True)


def _is_staging_of(name: str, env: str) -> bool:
    prefix = f"{STAGING_PREFIX}{env}-"
    return name.startswith(prefix) and name[len(prefix) :].isdigit()


def recover(rendered: Path, env: str) -> None:
    """Finish or undo a swap a killed run left half-done, and drop stale staging dirs."""
    target = rendered / env
    old = rendered / f"{OLD_PREFIX}{env}"
    with signals_deferred():
        if old.is_dir() and not old.is_symlink() and not target.exists() and not target.is_symlink():
            old.rename(target)  # killed between the two renames: the old tree goes back
        if not rendered.is_dir():
            return
        for leftover in rendered.iterdir():
            if leftover.name == old.name or _is_staging_of(leftover.name, env):
                remove_leftover(leftover)


def recover_all(rendered: Path) -> None:
    """Recover every environment; only safe under the render lock (no other writer is staging)."""
    try:
        names = sorted(p.name for p in rendered.iterdir())
    except OSError:
        return
    envs = {n[len(OLD_PREFIX) :] for n in names if n.startswith(OLD_PREFIX)}
    for env in sorted(envs):
        with contextlib.suppress(OSError):
            recover(rendered, env)
    with signals_deferred():
        for name in names:
            if name.startswith(STAGING_PREFIX):
                remove_leftover(rendered / name)
