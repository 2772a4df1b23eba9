"""Fetching one pinned chart archive: from its repository, or through the mirror that stands in for it.

Nothing here writes into the repository: a fetch returns the archive's bytes only
once they are proven to be the chart that was pinned (the digest the index gives,
when it gives one; a whole archive; the name and version in its Chart.yaml).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from generator.errors import VerifyUnavailableError
from generator.upstream import directory, index, oci
from generator.upstream.archive import MAX_ARCHIVE_BYTES, inspect, sha256
from generator.upstream.errors import FetchError
from generator.upstream.mirrors import Mirror
from generator.upstream.pins import ChartPin

TIMEOUT = 60.0


class Fetcher:
    """The downloads of one vendor run: each repository's or mirror's index is read at most once."""

    def __init__(self, *, timeout: float = TIMEOUT) -> None:
        self.timeout = timeout
        self._indexes: dict[str, dict[str, Any] | FetchError] = {}

    def fetch(self, pin: ChartPin, mirror: Mirror | None = None) -> bytes:
        """The archive of `pin`, through `mirror` when given; FetchError says why it cannot be had."""
        data = self._download(pin, mirror)
        if len(data) > MAX_ARCHIVE_BYTES:
            raise FetchError(f"the archive is over {MAX_ARCHIVE_BYTES:,} bytes")
        identity = inspect(data)
        if identity != (pin.name, pin.version):
            raise FetchError(f"the archive holds chart {identity[0]} {identity[1]} instead")
        return data

    def _download(self, pin: ChartPin, mirror: Mirror | None) -> bytes:
        if mirror is None:
            if pin.is_oci:
                return oci.pull(pin.repository, pin)
            return self._from_http(pin.repository, pin)
        if mirror.kind == "oci":
            return oci.pull(mirror.location, pin)
        if mirror.kind == "http":
            return self._from_http(mirror.location, pin)
        return self._from_directory(Path(mirror.location), pin)

    def _from_http(self, repository: str, pin: ChartPin) -> bytes:
        entry = index.find_entry(
            self._index(repository, lambda url: index.read_index(url, self.timeout)), pin
        )
        url = index.archive_url(repository, entry)
        return _checked(index.download(url, self.timeout), index.expected_digest(entry), url)

    def _from_directory(self, mirror: Path, pin: ChartPin) -> bytes:
        entry = index.find_entry(self._index(str(mirror), lambda _: directory.read_index(mirror)), pin)
        urls = entry.get("urls")
        if not isinstance(urls, list) or not urls:
            raise FetchError("its index entry lists no archive")
        url = str(urls[0])
        return _checked(directory.read_archive(mirror, url), index.expected_digest(entry), url)

    def _index(self, location: str, read: Callable[[str], dict[str, Any]]) -> dict[str, Any]:
        if location not in self._indexes:
            try:
                self._indexes[location] = read(location)
            except FetchError as e:
                self._indexes[location] = e  # one unreachable repository, one attempt
        cached = self._indexes[location]
        if isinstance(cached, FetchError):
            raise FetchError(cached.reason)
        return cached


def _checked(data: bytes, expected: str | None, url: str) -> bytes:
    if expected is not None and sha256(data) != expected:
        raise FetchError(
            f"digest mismatch: the index gives sha256 {expected}, {url} has {sha256(data)}; "
            "the archive was not written"
        )
    return data


def require_helm(pin: ChartPin, mirror: Mirror | None) -> None:
    """Helm pulls from OCI registries; HTTP repositories and directories need nothing more."""
    if (mirror.kind if mirror is not None else "oci" if pin.is_oci else "http") != "oci":
        return
    try:
        import helm_python  # noqa: F401
    except ImportError as e:
        raise VerifyUnavailableError(
            "platformc vendor pulls charts from OCI registries with helm-python; "
            "install it with `pip install 'platformc[verify]'`"
        ) from e
