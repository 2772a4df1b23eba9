"""Repositories in temporary directories, snapshots of trees, and running platformc two ways."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from click.testing import CliRunner

from generator.cli import cli

REPO = Path(__file__).resolve().parents[3]
ENVS = ("dev", "prod", "staging")
INPUTS = ("platform.yaml", "overlays")
LEFTOVER_PREFIXES = (".staging-", ".old-")
LOCK_FILE = ".platformc.lock"  # git-ignored bookkeeping, created by the first render that takes the lock

Snapshot = dict[str, bytes]


@dataclass(frozen=True)
class CliResult:
    code: int
    output: str  # stdout and stderr, as a person would see them
    stdout: str


def run_cli(args: Sequence[str]) -> CliResult:
    """platformc in-process, exactly as `cli` would run from a terminal (exceptions propagate)."""
    result = CliRunner().invoke(cli, list(args), catch_exceptions=False)
    return CliResult(result.exit_code, result.output, result.stdout)


def platformc_command() -> list[str]:
    """The installed console script next to this interpreter, else `python -m generator`."""
    script = Path(sys.executable).with_name("platformc")
    return [str(script)] if script.exists() else [sys.executable, "-m", "generator"]


def run_platformc(
    args: Sequence[str],
    *,
    cwd: Path | None = None,
    env: Mapping[str, str] | None = None,
    timeout: float = 300,
) -> subprocess.CompletedProcess[str]:
    """platformc as a separate process; pipes are always closed (no ResourceWarning)."""
    return subprocess.run(
        [*platformc_command(), *args],
        cwd=cwd,
        env=dict(env) if env is not None else None,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


def copy_inputs(dest: Path, *, source: Path = REPO, reverse: bool = False) -> Path:
    """platform.yaml and overlays/ into `dest`; `reverse` creates the files in the opposite order."""
    dest.mkdir(parents=True, exist_ok=True)
    files = [source / "platform.yaml", *sorted((source / "overlays").glob("*.yaml"))]
    if reverse:
        files.reverse()
    for file in files:
        target = dest / file.relative_to(source)
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(file, target)
    return dest


def write_files(root: Path, files: Mapping[str, bytes | None]) -> None:
    """Write (or, for None, delete) files relative to `root`."""
    for relative, content in files.items():
        path = root / relative
        if content is None:
            if path.is_file() or path.is_symlink():
                path.unlink()
            continue
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content)


def reset_inputs(root: Path, source: Path = REPO) -> None:
    """Put the reference platform.yaml and overlays back, removing any overlay a case added."""
    overlays = root / "overlays"
    if overlays.is_dir():
        for entry in overlays.iterdir():
            if entry.is_dir() and not entry.is_symlink():
                shutil.rmtree(entry)
            else:
                entry.unlink()
    copy_inputs(root, source=source)


def snapshot(directory: Path) -> Snapshot:
    """Every entry below `directory`, dotfiles included (but the render lock): files by content,
    symlinks by target, directories as `name/`."""
    out: Snapshot = {}
    if not directory.exists() and not directory.is_symlink():
        return out
    if directory.is_symlink():
        return {".": b"symlink -> " + os.fsencode(os.readlink(directory))}
    if not directory.is_dir():
        return {".": b"file: " + directory.read_bytes()}
    for dirpath, dirnames, filenames in os.walk(directory):
        base = Path(dirpath)
        for name in sorted(dirnames + filenames):
            path = base / name
            relative = path.relative_to(directory).as_posix()
            if relative == LOCK_FILE:
                continue
            if path.is_symlink():
                out[relative] = b"symlink -> " + os.fsencode(os.readlink(path))
            elif path.is_dir():
                out[relative + "/"] = b""
            else:
                out[relative] = path.read_bytes()
        dirnames[:] = [d for d in dirnames if not (base / d).is_symlink()]
    return out


def fingerprint(directory: Path) -> dict[str, tuple[int, int, int, int, int]]:
    """(inode, mode, size, mtime, ctime) of every entry below `directory`: any write, even of equal
    bytes, changes it. The directory itself and the render lock are left out (taking the lock and
    staging beside the old tree touch `rendered/`, not what it holds)."""
    out: dict[str, tuple[int, int, int, int, int]] = {}
    if directory.is_symlink() or not directory.is_dir():
        info = directory.lstat() if directory.exists() or directory.is_symlink() else None
        return (
            {".": (info.st_ino, info.st_mode, info.st_size, info.st_mtime_ns, info.st_ctime_ns)}
            if info
            else {}
        )
    for dirpath, dirnames, filenames in os.walk(directory):
        for name in dirnames + filenames:
            path = Path(dirpath) / name
            key = path.relative_to(directory).as_posix()
            if key == LOCK_FILE:
                continue
            info = path.lstat()
            out[key] = (info.st_ino, info.st_mode, info.st_size, info.st_mtime_ns, info.st_ctime_ns)
    return out


def env_tree(rendered: Path, env: str) -> Snapshot:
    return {k: v for k, v in snapshot(rendered / env).items() if not k.endswith("/")}


def leftovers(rendered: Path) -> list[str]:
    if not rendered.is_dir():
        return []
    return sorted(p.name for p in rendered.iterdir() if p.name.startswith(LEFTOVER_PREFIXES))


def listing_outside(scope: Path, inside: Iterable[Path]) -> dict[str, tuple[int, int]]:
    """(size, mtime) of every entry under `scope` except the given subtrees: what a run must not touch."""
    skip = {p.resolve() for p in inside}
    out: dict[str, tuple[int, int]] = {}
    for dirpath, dirnames, filenames in os.walk(scope):
        base = Path(dirpath)
        dirnames[:] = [d for d in dirnames if (base / d).resolve() not in skip]
        for name in dirnames + filenames:
            path = base / name
            info = path.lstat()
            out[path.relative_to(scope).as_posix()] = (info.st_size, info.st_mtime_ns)
    return out


def diff_summary(before: Snapshot, after: Snapshot, limit: int = 5) -> str:
    changed = sorted(k for k in before.keys() & after.keys() if before[k] != after[k])
    added = sorted(after.keys() - before.keys())
    removed = sorted(before.keys() - after.keys())
    parts = []
    for label, items in (("changed", changed), ("added", added), ("removed", removed)):
        if items:
            parts.append(f"{label} {len(items)}: {', '.join(items[:limit])}")
    return "; ".join(parts) or "identical"
