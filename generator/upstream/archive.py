"""What a chart archive says it is, read without unpacking it to disk."""

from __future__ import annotations

import hashlib
import io
import tarfile

from generator.load.limits import LoadError
from generator.load.yaml import load_text

# The largest upstream charts are a few MiB; anything far past that is not a chart.
MAX_ARCHIVE_BYTES = 32 * 1024 * 1024
_MAX_CHART_YAML_BYTES = 1024 * 1024
# Helm's own bound on a chart's unpacked size: a gzip bomb stops here, not in memory or time.
_MAX_UNPACKED_BYTES = 100 * 1024 * 1024


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def chart_identity(data: bytes) -> tuple[str, str] | None:
    """`(name, version)` from the archive's top-level `<chart>/Chart.yaml`; None if it has none."""
    unpacked = 0
    try:
        with tarfile.open(fileobj=io.BytesIO(data), mode="r:gz") as tar:
            for member in tar:
                unpacked += member.size
                if unpacked > _MAX_UNPACKED_BYTES:
                    return None
                parts = member.name.split("/")
                if len(parts) != 2 or parts[1] != "Chart.yaml" or not member.isfile():
                    continue
                if member.size > _MAX_CHART_YAML_BYTES:
                    return None
                stream = tar.extractfile(member)
                return _identity(stream.read(), member.name) if stream else None
    except (OSError, EOFError, tarfile.TarError):
        return None
    return None


def _identity(raw: bytes, display: str) -> tuple[str, str] | None:
    try:
        metadata = load_text(raw, display).data
    except LoadError:
        return None
    if not isinstance(metadata, dict) or not metadata.get("name") or not metadata.get("version"):
        return None
    return str(metadata["name"]), str(metadata["version"])
