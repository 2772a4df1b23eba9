"""OCI registries: `helm pull oci://<registry>/<path>/<name> --version <v>`.

Registries address content by digest and Helm checks the layers it pulls against
their digests, so there is no index digest to compare here.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from generator.upstream.archive import MAX_ARCHIVE_BYTES
from generator.upstream.errors import FetchError
from generator.upstream.pins import ChartPin


def reference(registry: str, pin: ChartPin) -> str:
    return f"{registry.rstrip('/')}/{pin.name}"


def pull(registry: str, pin: ChartPin) -> bytes:
    """`pin` from the OCI registry path `registry` (the pin's repository, or a mirror of it)."""
    import helm_python

    ref = reference(registry, pin)
    with tempfile.TemporaryDirectory(prefix="platformc-vendor-") as scratch:
        try:
            helm_python.pull(ref, version=pin.version, destination=scratch)
        except helm_python.HelmError as e:
            raise FetchError(f"helm pull {ref} --version {pin.version} failed: {e}") from e
        archives = sorted(Path(scratch).glob("*.tgz"))
        if len(archives) != 1:
            raise FetchError(f"helm pull {ref} --version {pin.version} left no single chart archive")
        with archives[0].open("rb") as stream:
            data = stream.read(MAX_ARCHIVE_BYTES + 1)
    return data
