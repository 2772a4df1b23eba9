"""Fetching one pinned chart archive, from an HTTP chart repository or an OCI registry.

Nothing here writes into the repository: a fetch returns the archive's bytes only
once they are proven to be the chart that was pinned (the digest the repository
index gives, when it gives one, and the name and version in the archive's Chart.yaml).
"""

from __future__ import annotations

from typing import Any

from generator.errors import VerifyUnavailableError
from generator.upstream import index, oci
from generator.upstream.archive import MAX_ARCHIVE_BYTES, chart_identity, sha256
from generator.upstream.errors import FetchError
from generator.upstream.pins import ChartPin

TIMEOUT = 60.0


class Fetcher:
    """The downloads of one vendor run: each repository's index is read at most once."""

    def __init__(self, *, timeout: float = TIMEOUT) -> None:
        self.timeout = timeout
        self._indexes: dict[str, dict[str, Any] | FetchError] = {}

    def fetch(self, pin: ChartPin) -> bytes:
        """The archive of `pin`; raises FetchError with the reason it cannot be had."""
        data = oci.pull(pin) if pin.is_oci else self._from_repository(pin)
        if len(data) > MAX_ARCHIVE_BYTES:
            raise FetchError(f"the archive is over {MAX_ARCHIVE_BYTES:,} bytes")
        identity = chart_identity(data)
        if identity is None:
            raise FetchError("what was downloaded is not a Helm chart archive")
        if identity != (pin.name, pin.version):
            raise FetchError(f"the archive holds chart {identity[0]} {identity[1]} instead")
        return data

    def _from_repository(self, pin: ChartPin) -> bytes:
        entry = index.find_entry(self._index(pin.repository), pin)
        url = index.archive_url(pin.repository, entry)
        expected = index.expected_digest(entry)
        data = index.download(url, self.timeout)
        if expected is not None and sha256(data) != expected:
            raise FetchError(
                f"digest mismatch: the index gives sha256 {expected}, {url} has {sha256(data)}; "
                "the archive was not written"
            )
        return data

    def _index(self, repository: str) -> dict[str, Any]:
        if repository not in self._indexes:
            try:
                self._indexes[repository] = index.read_index(repository)
            except FetchError as e:
                self._indexes[repository] = e  # one unreachable repository, one attempt
        cached = self._indexes[repository]
        if isinstance(cached, FetchError):
            raise FetchError(cached.reason)
        return cached


def require_helm() -> None:
    try:
        import helm_python  # noqa: F401
    except ImportError as e:
        raise VerifyUnavailableError(
            "platformc vendor reads chart repositories with helm-python; "
            "install it with `pip install 'platformc[verify]'`"
        ) from e
