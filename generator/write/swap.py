"""Writing `rendered/<env>/` so that any interruption leaves the old tree or the new one.

The new tree is staged beside the old one and exchanged with it in one
`renameat2(RENAME_EXCHANGE)` where the kernel offers it; elsewhere two renames
with a recovery step that the next run performs. Nothing outside
`rendered/<env>/` is touched, and no path is written through a symlink.

Ctrl-C (SIGINT) and SIGTERM are held back while directories are exchanged and
while staging is cleaned up, then delivered: an interrupted run exits with the
old tree or the new one and leaves no staging directories behind. A SIGKILL can
still land anywhere; the next run's recovery (under the lock) finishes the job.
"""

from __future__ import annotations

import contextlib
import ctypes
import errno
import fcntl
import os
import time
import unicodedata
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path, PurePosixPath

from generator.emit import RenderedTree
from generator.errors import LockedError, WriteError
from generator.write.fork import TaskFailed, run_tasks
from generator.write.recovery import OLD_PREFIX, STAGING_PREFIX, recover, recover_all, remove_leftover
from generator.write.signals import signals_deferred

__all__ = ["LOCK_FILE", "recover", "recover_all", "render_lock", "write_environment", "write_environments"]

LOCK_FILE = ".platformc.lock"
_RENAME_EXCHANGE = 2
_AT_FDCWD = -100


@contextlib.contextmanager
def render_lock(rendered: Path, *, timeout: float = 30.0) -> Iterator[None]:
    """One render at a time per repository; a second one waits, then fails clearly.

    Whoever holds the lock first finishes what a killed run left half-done.
    """
    _ensure_dir(rendered)
    try:
        fd = os.open(rendered / LOCK_FILE, os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW | os.O_CLOEXEC, 0o644)
    except OSError as e:
        reason = "it is a symlink" if e.errno == errno.ELOOP else e.strerror or str(e)
        raise WriteError(f"cannot open the render lock {rendered / LOCK_FILE}: {reason}") from e
    try:
        deadline = time.monotonic() + timeout
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    raise LockedError(
                        f"another platformc render holds {rendered / LOCK_FILE}; waited {timeout:.0f}s"
                    ) from None
                time.sleep(0.1)
        recover_all(rendered)
        yield
    finally:
        os.close(fd)


def _ensure_dir(rendered: Path) -> None:
    if rendered.is_symlink():
        raise WriteError(f"{rendered} is a symlink; platformc never writes through one")
    if rendered.exists() and not rendered.is_dir():
        raise WriteError(f"{rendered} exists and is not a directory")
    try:
        rendered.mkdir(parents=True, exist_ok=True)
    except OSError as e:
        raise WriteError(f"cannot create {rendered}: {e.strerror or e}") from e


def _check_env(env: str) -> None:
    """An environment is one plain directory name under rendered/, never a path."""
    if (
        not env
        or env in (".", "..")
        or env.startswith(".")
        or "/" in env
        or "\\" in env
        or "\x00" in env
        or len(env.encode("utf-8", "surrogatepass")) > 200
    ):
        raise WriteError(
            f"environment name {env!r} cannot be a directory under rendered/; "
            "name overlays like dev.yaml (letters, digits and '-')"
        )


def _check_relative(env: str, relative: str) -> None:
    """A rendered file path must stay inside rendered/<env>/."""
    path = PurePosixPath(relative)
    if (
        not relative
        or "\x00" in relative
        or "\\" in relative
        or path.is_absolute()
        or any(part in ("", ".", "..") for part in relative.split("/"))
    ):
        raise WriteError(f"refusing to write {relative!r}: it is not a path inside rendered/{env}/")


def _exchange(a: Path, b: Path) -> bool:
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    result = renameat2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE)
    if result == 0:
        return True
    err = ctypes.get_errno()
    if err in (errno.ENOSYS, errno.EINVAL):
        return False
    raise OSError(err, os.strerror(err), str(a))


def _stage(staging: Path, env: str, tree: RenderedTree) -> int:
    """Write `tree` under `staging`; returns the number of files."""
    for relative in tree:
        _check_relative(env, relative)
    staging.mkdir()
    made: set[Path] = {staging}
    for relative in tree:
        target = staging / relative
        if target.parent not in made:
            target.parent.mkdir(parents=True, exist_ok=True)
            made.update(target.parents)
        fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | os.O_CLOEXEC, 0o644)
        with os.fdopen(fd, "wb") as handle:
            handle.write(tree[relative])
    return len(tree)


def _stage_all(
    swaps: list[_Swap],
    trees: Mapping[str, RenderedTree],
    on_stage: Callable[[str], None] | None,
    jobs: int,
) -> dict[str, int]:
    """Stage every environment; with `jobs` > 1, environments are produced and written in parallel
    (each `trees[env]` is then computed in the worker that writes it)."""

    def stage(swap: _Swap) -> Callable[[], int]:
        def run() -> int:
            return _stage(swap.staging, swap.env, trees[swap.env])

        return run

    if on_stage is not None:
        for swap in swaps if jobs > 1 else ():
            on_stage(swap.env)
    if jobs > 1:
        return run_tasks([(swap.env, stage(swap)) for swap in swaps], jobs)
    counts: dict[str, int] = {}
    for swap in swaps:
        if on_stage is not None:
            on_stage(swap.env)
        try:
            counts[swap.env] = stage(swap)()
        except Exception as e:
            raise TaskFailed(swap.env, e) from e
    return counts


def _check_target(target: Path) -> None:
    if target.is_symlink():
        raise WriteError(f"{target} is a symlink; platformc never writes through one")
    if target.exists() and not target.is_dir():
        raise WriteError(f"{target} exists and is not a directory")


class _Swap:
    """One environment's staged tree and how it was put in place (so it can be undone)."""

    def __init__(self, rendered: Path, env: str) -> None:
        self.env = env
        self.target = rendered / env
        self.staging = rendered / f"{STAGING_PREFIX}{env}-{os.getpid()}"
        self.old = rendered / f"{OLD_PREFIX}{env}"
        self.how = ""  # "", "new", "exchange", "moved-old" (half-way) or "renames"

    def commit(self) -> None:
        if not self.target.exists():
            self.staging.rename(self.target)
            self.how = "new"
        elif _exchange(self.staging, self.target):
            self.how = "exchange"  # the old tree now sits at self.staging
        else:
            self.target.rename(self.old)
            self.how = "moved-old"
            self.staging.rename(self.target)
            self.how = "renames"

    def undo(self) -> None:
        if self.how == "new":
            self.target.rename(self.staging)
        elif self.how == "exchange":
            if not _exchange(self.staging, self.target):
                raise OSError(errno.ENOSYS, "renameat2 vanished", str(self.target))
        elif self.how == "renames":
            self.target.rename(self.staging)
            self.old.rename(self.target)
        elif self.how == "moved-old":
            self.old.rename(self.target)
        self.how = ""

    def clean(self) -> None:
        remove_leftover(self.staging)
        remove_leftover(self.old)


def write_environment(rendered: Path, env: str, tree: RenderedTree) -> None:
    """Replace `rendered/<env>/` with `tree`; files the platform no longer produces disappear."""
    write_environments(rendered, {env: tree})


def write_environments(
    rendered: Path,
    trees: Mapping[str, RenderedTree],
    *,
    on_stage: Callable[[str], None] | None = None,
    jobs: int = 1,
) -> dict[str, int]:
    """Replace every `rendered/<env>/` in `trees`, all or none; returns the file count per environment.

    Every tree is staged first; only then are they exchanged, one after the
    other, with Ctrl-C held back. If staging or an exchange fails, the
    environments already exchanged are swapped back, so an error or an
    interrupt leaves every environment as it was. `on_stage(env)` is called
    before each environment is staged (progress output). `trees` may compute
    each tree when it is looked up (once per environment); with `jobs` > 1 that
    happens in parallel worker processes (generator.write.fork).
    """
    folded: dict[str, str] = {}
    for env in trees:
        _check_env(env)
        # `Dev` and `dev` (or a composed and a decomposed `ü`) are one directory on macOS and Windows.
        key = unicodedata.normalize("NFC", env).casefold()
        if key in folded:
            raise WriteError(
                f"environments {folded[key]!r} and {env!r} would share one directory on a "
                "case-insensitive file system; rename one overlay"
            )
        folded[key] = env
    _ensure_dir(rendered)
    swaps = [_Swap(rendered, env) for env in trees]
    attempted: list[_Swap] = []
    current = rendered
    try:
        for swap in swaps:
            current = swap.target
            recover(rendered, swap.env)
            _check_target(swap.target)
        current = rendered
        counts = _stage_all(swaps, trees, on_stage, jobs)
        with signals_deferred():
            for swap in swaps:
                current = swap.target
                attempted.append(swap)
                swap.commit()
    except BaseException as caught:
        e = caught.error if isinstance(caught, TaskFailed) else caught
        if isinstance(caught, TaskFailed):
            current = rendered / str(caught.key)
        with signals_deferred():
            stuck = _undo(attempted)
            for swap in swaps:
                if swap not in stuck:  # a stuck swap keeps .old-<env> for the next run's recovery
                    swap.clean()
        if isinstance(e, OSError):
            detail = ""
            if stuck:
                names = ", ".join(sorted(s.env for s in stuck))
                detail = f"; could not put back the old tree of {names}: the next render recovers it"
            raise WriteError(f"cannot write {current}: {e.strerror or e}{detail}") from e
        if e is not caught:
            raise e from None
        raise
    with signals_deferred(), contextlib.suppress(OSError, TaskFailed):
        # Best effort, the old trees removed in parallel as they were written: the new trees
        # are in place, and recovery removes whatever is left over.
        run_tasks([(swap.env, swap.clean) for swap in swaps], jobs)
    _fsync_dir(rendered)
    return counts


def _undo(attempted: list[_Swap]) -> list[_Swap]:
    """Swap back what was swapped; returns the swaps that could not be undone."""
    stuck = []
    for swap in reversed(attempted):
        try:
            swap.undo()
        except OSError:
            stuck.append(swap)
    return stuck


def _fsync_dir(directory: Path) -> None:
    with contextlib.suppress(OSError):
        fd = os.open(directory, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
