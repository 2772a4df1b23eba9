"""`vendor/charts.lock.yaml`: what is vendored, from where, with the sha256 of each archive.

Each chart keeps its upstream repository (the chart's identity, whatever mirror
served it) and, when it came through a mirror, which one (`Mirror.recorded`).
Deterministic (sorted, no timestamps) so a re-run that changes nothing leaves the
file alone and a changed archive shows up as a one-line diff in review.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from generator.emit.yamldump import dump_yaml
from generator.upstream.store import VENDOR_DIR, write_atomically

LOCK_FILE = f"{VENDOR_DIR}/charts.lock.yaml"
HEADER = (
    "# Written by `platformc vendor`: the upstream charts vendored under vendor/charts/.\n"
    "# Do not edit: change the pins in platform.yaml and run `platformc vendor`.\n"
)
_MAX_LOCK_BYTES = 4 * 1024 * 1024


@dataclass(frozen=True, order=True)
class LockEntry:
    name: str
    version: str
    repository: str
    sha256: str
    mirror: str = ""  # empty: fetched from the repository itself


def lock_text(entries: Iterable[LockEntry]) -> str:
    charts: list[dict[str, str]] = []
    for e in sorted(set(entries)):
        chart = {"name": e.name, "version": e.version, "repository": e.repository}
        if e.mirror:
            chart["mirror"] = e.mirror
        chart["sha256"] = e.sha256
        charts.append(chart)
    return HEADER + dump_yaml({"charts": charts})


def lock_bytes(entries: Iterable[LockEntry]) -> bytes:
    return lock_text(entries).encode("utf-8")


def write_lock(root: Path, entries: Iterable[LockEntry]) -> bool:
    """Write the lock; False when it already says exactly this (the file is left untouched)."""
    path = root / LOCK_FILE
    data = lock_bytes(entries)
    if path.is_file() and not path.is_symlink() and path.read_bytes() == data:
        return False
    write_atomically(path, data)
    return True


def read_lock(root: Path) -> dict[tuple[str, str], LockEntry]:
    """The entries of the lock on disk by (name, version); an unreadable lock is an empty one."""
    import yaml

    path = root / LOCK_FILE
    try:
        if path.is_symlink() or not path.is_file() or path.stat().st_size > _MAX_LOCK_BYTES:
            return {}
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError):
        return {}  # rewritten whole by this run anyway
    charts = data.get("charts") if isinstance(data, dict) else None
    entries = (_entry(chart) for chart in charts) if isinstance(charts, list) else ()
    return {(e.name, e.version): e for e in entries if e is not None}


def _entry(chart: Any) -> LockEntry | None:
    if not isinstance(chart, dict):
        return None
    name, version, repository, digest, mirror = (
        chart.get(key) for key in ("name", "version", "repository", "sha256", "mirror")
    )
    if not all(isinstance(value, str) and value for value in (name, version, repository, digest)):
        return None
    return LockEntry(
        str(name), str(version), str(repository), str(digest), mirror if isinstance(mirror, str) else ""
    )
