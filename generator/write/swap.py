"""Writing `rendered/<env>/` so that any interruption leaves the old tree or the new one.

The new tree is staged beside the old one and exchanged with it in one
`renameat2(RENAME_EXCHANGE)` where the kernel offers it; elsewhere two renames
with a recovery step that the next run performs. Nothing outside
`rendered/<env>/` is touched, and no path is written through a symlink.
"""

from __future__ import annotations

import contextlib
import ctypes
import errno
import fcntl
import os
import shutil
import time
from collections.abc import Iterator
from pathlib import Path

from generator.emit import RenderedTree
from generator.errors import LockedError, WriteError

LOCK_FILE = ".platformc.lock"
_RENAME_EXCHANGE = 2
_AT_FDCWD = -100


@contextlib.contextmanager
def render_lock(rendered: Path, *, timeout: float = 30.0) -> Iterator[None]:
    """One render at a time per repository; a second one waits, then fails clearly."""
    _ensure_dir(rendered)
    fd = os.open(rendered / LOCK_FILE, os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW, 0o644)
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
        raise WriteError(f"cannot create {rendered}: {e.strerror}") from e


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


def recover(rendered: Path, env: str) -> None:
    """Finish or undo a swap a killed run left half-done, and drop stale staging dirs."""
    target = rendered / env
    old = rendered / f".old-{env}"
    if old.is_dir() and not target.exists():
        old.rename(target)
    for leftover in rendered.glob(f".*-{env}*"):
        if (
            leftover.name.startswith((".staging-", ".old-"))
            and leftover.is_dir()
            and not leftover.is_symlink()
        ):
            shutil.rmtree(leftover, ignore_errors=True)


def _stage(staging: Path, tree: RenderedTree) -> None:
    staging.mkdir()
    for relative in tree:
        target = staging / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o644)
        with os.fdopen(fd, "wb") as handle:
            handle.write(tree[relative])


def write_environment(rendered: Path, env: str, tree: RenderedTree) -> None:
    """Replace `rendered/<env>/` with `tree`; files the platform no longer produces disappear."""
    _ensure_dir(rendered)
    recover(rendered, env)
    target = rendered / env
    if target.is_symlink():
        raise WriteError(f"{target} is a symlink; platformc never writes through one")
    if target.exists() and not target.is_dir():
        raise WriteError(f"{target} exists and is not a directory")
    staging = rendered / f".staging-{env}-{os.getpid()}"
    try:
        _stage(staging, tree)
        if not target.exists():
            staging.rename(target)
        elif _exchange(staging, target):
            shutil.rmtree(staging)
        else:
            old = rendered / f".old-{env}"
            target.rename(old)
            staging.rename(target)
            shutil.rmtree(old)
    except OSError as e:
        shutil.rmtree(staging, ignore_errors=True)
        raise WriteError(f"cannot write {target}: {e.strerror or e}") from e
    _fsync_dir(rendered)


def _fsync_dir(directory: Path) -> None:
    with contextlib.suppress(OSError):
        fd = os.open(directory, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
