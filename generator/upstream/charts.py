"""`vendor_charts`: every pinned upstream chart, fetched once into vendor/charts/ with its lock.

All or nothing: every archive is fetched and proven first, and only when every
pin could be had are the archives and the lock written. A run with any error
leaves vendor/ as it was.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from generator.errors import InputError, WriteError
from generator.findings import Finding
from generator.upstream.archive import inspect, sha256
from generator.upstream.errors import FetchError
from generator.upstream.fetch import Fetcher, require_helm
from generator.upstream.lock import LOCK_FILE, LockEntry, read_lock, write_lock
from generator.upstream.mirrors import Mirror
from generator.upstream.pins import ChartPin, Pins, vendorable
from generator.upstream.store import CHARTS_DIR, charts_dir, read_archive, write_atomically

MirrorFor = Callable[[ChartPin], "Mirror | None"]


@dataclass
class VendorResult:
    findings: list[Finding] = field(default_factory=list)
    fetched: list[ChartPin] = field(default_factory=list)  # downloaded (and written) by this run
    kept: list[ChartPin] = field(default_factory=list)  # already vendored, left as they were
    unused: list[str] = field(default_factory=list)  # archives under vendor/charts/ no pin needs
    through: dict[ChartPin, Mirror] = field(default_factory=dict)  # the mirror each fetched pin came from
    lock_changed: bool = False

    @property
    def ok(self) -> bool:
        return not any(f.is_error for f in self.findings)


def vendor_charts(
    root: Path, pins: Pins, mirror_for: MirrorFor = lambda pin: None, *, fetcher: Fetcher | None = None
) -> VendorResult:
    """Fetch what is missing, keep what is there, write archives and lock; failures are PC809 findings."""
    usable, findings = vendorable(pins)
    result = VendorResult(findings=[*pins.findings, *findings])
    fetcher = fetcher or Fetcher()
    previous = read_lock(root)
    entries: list[LockEntry] = []
    writes: list[tuple[Path, bytes]] = []
    for pin in usable:
        path = charts_dir(root) / pin.archive
        data = _vendored(root, path, pin)
        if data is not None:
            result.kept.append(pin)
            entries.append(_kept_entry(pin, data, previous.get((pin.name, pin.version))))
            continue
        mirror = mirror_for(pin)
        try:
            require_helm(pin, mirror)
            data = fetcher.fetch(pin, mirror)
        except FetchError as e:
            result.findings.append(pins.finding(pin, f"{e.reason}{_hint(pin, mirror)}", mirror=mirror))
            continue
        writes.append((path, data))
        result.fetched.append(pin)
        if mirror is not None:
            result.through[pin] = mirror
        recorded = mirror.recorded if mirror is not None else ""
        entries.append(LockEntry(pin.name, pin.version, pin.repository, sha256(data), recorded))
    result.unused = _unused(root, {pin.archive for pin in pins.sites})
    if not result.ok:
        result.fetched, result.through = [], {}
        return result
    for path, data in writes:
        _write(path, data)
    if entries or (root / LOCK_FILE).exists():
        try:
            result.lock_changed = write_lock(root, entries)
        except OSError as e:
            raise WriteError(f"cannot write {LOCK_FILE}: {e.strerror or e}") from e
    return result


def _kept_entry(pin: ChartPin, data: bytes, previous: LockEntry | None) -> LockEntry:
    """An archive left in place keeps the mirror the lock says it came through, if it is that archive."""
    digest = sha256(data)
    mirror = ""
    if previous is not None and previous.sha256 == digest and previous.repository == pin.repository:
        mirror = previous.mirror
    return LockEntry(pin.name, pin.version, pin.repository, digest, mirror)


def _write(path: Path, data: bytes) -> None:
    try:
        write_atomically(path, data)
    except OSError as e:
        raise WriteError(f"cannot write {CHARTS_DIR}/{path.name}: {e.strerror or e}") from e


def _vendored(root: Path, path: Path, pin: ChartPin) -> bytes | None:
    """The archive already vendored for `pin`, if it is whole and its Chart.yaml says it is that chart."""
    if not path.exists() and not path.is_symlink():
        return None
    try:
        data = read_archive(root, path)
        identity = inspect(data)
    except (InputError, FetchError):
        return None  # a link, an oversized or broken file: fetched again and replaced
    return data if identity == (pin.name, pin.version) else None


def _hint(pin: ChartPin, mirror: Mirror | None) -> str:
    check = "the mirror" if mirror is not None else "the repository and the network"
    return (
        f"; check {check}, or copy the archive to {CHARTS_DIR}/{pin.archive} "
        "by hand and rerun `platformc vendor`"
    )


def _unused(root: Path, pinned: set[str]) -> list[str]:
    directory = charts_dir(root)
    if not directory.is_dir():
        return []
    names = (p.name for p in directory.iterdir() if not p.name.startswith("."))
    return sorted(name for name in names if name.endswith(".tgz") and name not in pinned)
