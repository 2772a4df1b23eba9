"""`vendor/charts.lock.yaml`: what is vendored, from where, with the sha256 of each archive.

Deterministic (sorted, no timestamps) so a re-run that changes nothing leaves the
file alone and a changed archive shows up as a one-line diff in review.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from generator.emit.yamldump import dump_yaml
from generator.vendor.store import VENDOR_DIR, write_atomically

LOCK_FILE = f"{VENDOR_DIR}/charts.lock.yaml"
HEADER = (
    "# Written by `platformc vendor`: the upstream charts vendored under vendor/charts/.\n"
    "# Do not edit: change the pins in platform.yaml and run `platformc vendor`.\n"
)


@dataclass(frozen=True, order=True)
class LockEntry:
    name: str
    version: str
    repository: str
    sha256: str


def lock_text(entries: Iterable[LockEntry]) -> str:
    charts = [
        {"name": e.name, "version": e.version, "repository": e.repository, "sha256": e.sha256}
        for e in sorted(set(entries))
    ]
    return HEADER + dump_yaml({"charts": charts})


def write_lock(root: Path, entries: Iterable[LockEntry]) -> bool:
    """Write the lock; False when it already says exactly this (the file is left untouched)."""
    path = root / LOCK_FILE
    data = lock_text(entries).encode("utf-8")
    if path.is_file() and not path.is_symlink() and path.read_bytes() == data:
        return False
    write_atomically(path, data)
    return True
