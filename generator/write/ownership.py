"""Whose directory is `<out>/<env>/`: render replaces only a tree that platformc wrote itself.

`render --out DIR` may point anywhere, `--out .` included, where an environment named
like a source folder would otherwise replace that folder. A tree is platformc's when its
`root.yaml` starts with the header every rendered file carries; an empty directory holds
nothing to lose. Anything else is refused before a file is written.
"""

from __future__ import annotations

from pathlib import Path

from generator.emit.tree import HEADER
from generator.errors import WriteError

MARKER = "root.yaml"
_HEADER = HEADER.encode("utf-8")


def is_platformc_tree(directory: Path) -> bool:
    marker = directory / MARKER
    if marker.is_symlink() or not marker.is_file():
        return False
    with marker.open("rb") as handle:
        return handle.read(len(_HEADER)) == _HEADER


def refuse_foreign_trees(rendered: Path, envs: list[str]) -> None:
    """WriteError naming the first `<rendered>/<env>` that holds files platformc did not write."""
    for env in envs:
        target = rendered / env
        if target.is_symlink() or not target.is_dir():
            continue  # absent: nothing to lose; a symlink or a file: the swap refuses it by name
        try:
            if not any(target.iterdir()) or is_platformc_tree(target):
                continue
        except OSError as e:
            raise WriteError(f"cannot read {target}: {e.strerror or e}") from e
        raise WriteError(
            f"refusing to replace {target}: it holds files platformc did not write (no {MARKER} "
            f"with platformc's header); move it away, or render into another --out directory"
        )
