"""`vendor_charts`: every pinned upstream chart of some environments, fetched once into vendor/charts/."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from generator.errors import InputError, WriteError
from generator.findings import Finding
from generator.pipeline import analyse
from generator.upstream.archive import chart_identity, sha256
from generator.upstream.errors import FetchError
from generator.upstream.fetch import Fetcher, require_helm
from generator.upstream.lock import LOCK_FILE, LockEntry, write_lock
from generator.upstream.pins import ChartPin, collect_pins, vendorable
from generator.upstream.store import CHARTS_DIR, charts_dir, read_archive, write_atomically


@dataclass
class VendorResult:
    findings: list[Finding] = field(default_factory=list)
    fetched: list[ChartPin] = field(default_factory=list)  # downloaded by this run
    kept: list[ChartPin] = field(default_factory=list)  # already vendored, left as they were
    unused: list[str] = field(default_factory=list)  # archives under vendor/charts/ no pin needs
    lock_changed: bool = False

    @property
    def ok(self) -> bool:
        return not any(f.is_error for f in self.findings)


def vendor_charts(root: Path, envs: list[str], *, fetcher: Fetcher | None = None) -> VendorResult:
    """Fetch what is missing, keep what is there, write the lock; failures are PC809 findings."""
    pins = collect_pins(analyse(root, envs))
    usable, findings = vendorable(pins)
    result = VendorResult(findings=[*pins.findings, *findings])
    fetcher = fetcher or Fetcher()
    entries: list[LockEntry] = []
    for pin in usable:
        path = charts_dir(root) / pin.archive
        data = _vendored(root, path, pin)
        if data is not None:
            result.kept.append(pin)
        else:
            require_helm()
            try:
                data = fetcher.fetch(pin)
            except FetchError as e:
                result.findings.append(pins.finding(pin, f"{e.reason}{_hint(pin)}"))
                continue
            _write(path, data)
            result.fetched.append(pin)
        entries.append(LockEntry(pin.name, pin.version, pin.repository, sha256(data)))
    if entries or (root / LOCK_FILE).exists():
        try:
            result.lock_changed = write_lock(root, entries)
        except OSError as e:
            raise WriteError(f"cannot write {LOCK_FILE}: {e.strerror or e}") from e
    result.unused = _unused(root, {pin.archive for pin in pins.sites})
    return result


def _write(path: Path, data: bytes) -> None:
    try:
        write_atomically(path, data)
    except OSError as e:
        raise WriteError(f"cannot write {CHARTS_DIR}/{path.name}: {e.strerror or e}") from e


def _vendored(root: Path, path: Path, pin: ChartPin) -> bytes | None:
    """The archive already vendored for `pin`, if its Chart.yaml says it is that chart."""
    if not path.exists() and not path.is_symlink():
        return None
    try:
        data = read_archive(root, path)
    except InputError:
        return None  # a link or an oversized file: fetched again and replaced
    return data if chart_identity(data) == (pin.name, pin.version) else None


def _hint(pin: ChartPin) -> str:
    return (
        f"; check the repository and the network, or copy the archive to {CHARTS_DIR}/{pin.archive} "
        "by hand and rerun `platformc vendor`"
    )


def _unused(root: Path, pinned: set[str]) -> list[str]:
    directory = charts_dir(root)
    if not directory.is_dir():
        return []
    names = (p.name for p in directory.iterdir() if not p.name.startswith("."))
    return sorted(name for name in names if name.endswith(".tgz") and name not in pinned)
