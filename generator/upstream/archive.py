"""What a chart archive says it is, read without unpacking it to disk.

`inspect` proves an archive whole before it is vendored: gzip to its last byte
(a truncated download fails its length and checksum), no larger unpacked than
Helm loads (a gzip bomb stops there, not in memory or time), and a tar holding
`<chart>/Chart.yaml` with a name and version.
"""

from __future__ import annotations

import hashlib
import io
import tarfile
import zlib

from generator.load.limits import LoadError
from generator.load.yaml import load_text
from generator.upstream.errors import FetchError

# The largest upstream charts are a few MiB; anything far past that is not a chart.
MAX_ARCHIVE_BYTES = 32 * 1024 * 1024
_MAX_CHART_YAML_BYTES = 1024 * 1024
# Helm's own bound on a chart's unpacked size (MaxDecompressedChartSize)
MAX_UNPACKED_BYTES = 100 * 1024 * 1024
_CHUNK = 1024 * 1024
_GZIP = 16 + zlib.MAX_WBITS


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def chart_identity(data: bytes) -> tuple[str, str] | None:
    """`(name, version)` from the archive's top-level `<chart>/Chart.yaml`; None if it has none.

    Reads up to that file only (the quick look the pipeline takes at every run);
    `inspect` is the whole check.
    """
    unpacked = 0
    try:
        with tarfile.open(fileobj=io.BytesIO(data), mode="r:gz") as tar:
            for member in tar:
                unpacked += member.size + tarfile.BLOCKSIZE
                if unpacked > MAX_UNPACKED_BYTES:
                    return None
                if _is_chart_yaml(member):
                    return _identity(tar, member)
    except (OSError, EOFError, tarfile.TarError, FetchError):
        return None
    return None


def inspect(data: bytes) -> tuple[str, str]:
    """`(name, version)` of a whole, sound chart archive; FetchError saying what is wrong with it."""
    unpacked_size(data)
    identity = chart_identity(data)
    if identity is None:
        try:
            with tarfile.open(fileobj=io.BytesIO(data), mode="r:gz") as tar:
                chart_yaml = next((m for m in tar if _is_chart_yaml(m)), None)
                if chart_yaml is not None:
                    return _identity(tar, chart_yaml)  # raises what is wrong with it
        except (OSError, EOFError, tarfile.TarError) as e:
            raise FetchError(f"the archive is not a readable tar: {e}") from e
        raise FetchError("the archive holds no <chart>/Chart.yaml: it is not a Helm chart archive")
    return identity


def _is_chart_yaml(member: tarfile.TarInfo) -> bool:
    parts = member.name.split("/")
    return len(parts) == 2 and parts[1] == "Chart.yaml" and member.isfile()


def unpacked_size(data: bytes) -> int:
    """The bytes `data` gunzips to, read to the end; FetchError if it is not whole gzip or too large."""
    total = 0
    rest = data
    while rest:
        stream = zlib.decompressobj(_GZIP)
        try:
            pending = rest
            while pending and not stream.eof:
                total += len(stream.decompress(pending, _CHUNK))
                pending = stream.unconsumed_tail
                if total > MAX_UNPACKED_BYTES:
                    raise FetchError(
                        f"the archive unpacks to more than {MAX_UNPACKED_BYTES:,} bytes "
                        "(Helm's limit): a gzip bomb, not a chart"
                    )
        except zlib.error as e:
            raise FetchError(f"the archive is not gzip data: {e}") from e
        if not stream.eof:
            raise FetchError(f"the archive is truncated: its gzip data ends early, after {len(data):,} bytes")
        rest = stream.unused_data
    if total == 0:
        raise FetchError("the archive is empty")
    return total


def _identity(tar: tarfile.TarFile, member: tarfile.TarInfo) -> tuple[str, str]:
    if member.size > _MAX_CHART_YAML_BYTES:
        raise FetchError(f"its {member.name} is over {_MAX_CHART_YAML_BYTES:,} bytes")
    stream = tar.extractfile(member)
    raw = stream.read() if stream else b""
    try:
        metadata = load_text(raw, member.name).data
    except LoadError as e:
        raise FetchError(f"its {member.name} is not YAML: {e.message}") from e
    if not isinstance(metadata, dict) or not metadata.get("name") or not metadata.get("version"):
        raise FetchError(f"its {member.name} gives no name and version")
    return str(metadata["name"]), str(metadata["version"])
