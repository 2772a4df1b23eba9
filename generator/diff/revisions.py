"""platform.yaml, overlays/ and vendored charts as they were at a Git revision, read read-only.

`git show REV:path` reads blobs straight from the object database: no checkout,
no worktree registered in .git, no index change. The files land in a temporary
directory that is removed afterwards.
"""

from __future__ import annotations

import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path, PurePosixPath

from generator.errors import InputError

GIT_TIMEOUT = 60.0
# What render reads: the platform, its overlays, and the chart archives `platformc vendor` keeps.
_INPUTS = ("platform.yaml", "overlays", "vendor/charts")
_WANTED = {".": (".yaml",), "overlays": (".yaml",), "vendor/charts": (".tgz",)}


def _git(root: Path, *args: str) -> str:
    try:
        done = subprocess.run(
            ["git", "-C", str(root), *args],
            capture_output=True,
            text=True,
            timeout=GIT_TIMEOUT,
            check=False,
        )
    except FileNotFoundError as e:
        raise InputError("--base needs git, and git is not on PATH") from e
    except subprocess.TimeoutExpired as e:
        raise InputError(f"git {args[0]} did not finish within {GIT_TIMEOUT:g} s") from e
    if done.returncode != 0:
        raise InputError(f"git {' '.join(args)}: {done.stderr.strip() or f'exit status {done.returncode}'}")
    return done.stdout


def resolve_revision(root: Path, revision: str) -> str:
    """The full commit id of `revision`; an InputError that says why when there is none."""
    try:
        _git(root, "rev-parse", "--show-toplevel")
    except InputError as e:
        raise InputError(f"--base {revision}: {root} is not inside a Git repository") from e
    try:
        return _git(
            root, "rev-parse", "--verify", "--quiet", "--end-of-options", f"{revision}^{{commit}}"
        ).strip()
    except InputError as e:
        raise InputError(f"--base {revision}: no such revision in {root}") from e


@contextmanager
def inputs_at(root: Path, commit: str) -> Iterator[Path]:
    """A temporary directory holding platform.yaml, overlays/ and vendor/charts/ as of `commit`."""
    prefix = _git(root, "rev-parse", "--show-prefix").strip()
    with tempfile.TemporaryDirectory(prefix="platformc-base-") as scratch:
        target = Path(scratch)
        listing = _git(root, "ls-tree", "-r", "--name-only", "--full-tree", commit, "--", *_paths(prefix))
        for name in listing.splitlines():
            relative = PurePosixPath(name).relative_to(prefix) if prefix else PurePosixPath(name)
            if not relative.name.endswith(_WANTED.get(str(relative.parent), ())):
                continue
            destination = target.joinpath(*relative.parts)
            destination.parent.mkdir(parents=True, exist_ok=True)
            destination.write_bytes(_blob(root, f"{commit}:{name}"))
        yield target


def _paths(prefix: str) -> list[str]:
    return [f"{prefix}{p}" for p in _INPUTS]


def _blob(root: Path, spec: str) -> bytes:
    # Bytes, not text: the loader decodes and reports encoding problems with a position.
    done = subprocess.run(
        ["git", "-C", str(root), "cat-file", "blob", spec],
        capture_output=True,
        timeout=GIT_TIMEOUT,
        check=False,
    )
    if done.returncode != 0:
        raise InputError(f"git cat-file {spec}: {done.stderr.decode(errors='replace').strip()}")
    return done.stdout
