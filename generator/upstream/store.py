"""`vendor/charts/`: where vendored chart archives live, read and written safely.

Archives are named `<name>-<version>.tgz` after their own Chart.yaml, the name
Helm gives a packaged chart. They are written to a temporary file beside the
target and renamed into place, so a reader never sees half an archive.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from generator.errors import InputError
from generator.upstream.archive import MAX_ARCHIVE_BYTES, chart_identity

VENDOR_DIR = "vendor"
CHARTS_DIR = f"{VENDOR_DIR}/charts"
_TEMP_PREFIX = ".platformc-"


def archive_name(name: str, version: str) -> str:
    return f"{name}-{version}.tgz"


def charts_dir(root: Path) -> Path:
    return root / CHARTS_DIR


def load_vendored(root: Path) -> dict[tuple[str, str], bytes]:
    """Every archive under `vendor/charts/`, keyed by the `(name, version)` its Chart.yaml gives.

    Raises InputError for what platformc refuses to copy into rendered/: a symbolic
    link (it could point anywhere), a file over MAX_ARCHIVE_BYTES, a file that is not
    a chart archive, or one whose name does not match its Chart.yaml.
    """
    directory = charts_dir(root)
    for part in (root / VENDOR_DIR, directory):
        if part.is_symlink():
            shown = _shown(root, part)
            raise InputError(
                f"{shown} is a symbolic link; platformc reads vendored charts from a real directory"
            )
    if not directory.is_dir():
        return {}
    vendored: dict[tuple[str, str], bytes] = {}
    for path in sorted(directory.iterdir()):
        if path.name.startswith(".") or not path.name.endswith(".tgz"):
            continue  # dotfiles are unfinished writes; other files are not archives
        data = read_archive(root, path)
        identity = chart_identity(data)
        if identity is None:
            raise InputError(
                f"{_shown(root, path)} is not a Helm chart archive; delete it and run `platformc vendor`"
            )
        expected = archive_name(*identity)
        if path.name != expected:
            raise InputError(
                f"{_shown(root, path)} holds chart {identity[0]} {identity[1]}, so it must be named "
                f"{expected}; delete it and run `platformc vendor`"
            )
        vendored[identity] = data
    return vendored


def read_archive(root: Path, path: Path) -> bytes:
    """The bytes of one archive, refusing symbolic links and oversized files."""
    shown = _shown(root, path)
    try:
        if path.is_symlink():
            raise InputError(f"{shown} is a symbolic link; vendored charts must be regular files")
        if not path.is_file():
            raise InputError(f"{shown} is not a regular file")
        size = path.stat().st_size
        if size > MAX_ARCHIVE_BYTES:
            raise InputError(
                f"{shown} is {size:,} bytes; platformc reads chart archives up to {MAX_ARCHIVE_BYTES:,} bytes"
            )
        with path.open("rb") as stream:
            data = stream.read(MAX_ARCHIVE_BYTES + 1)
    except OSError as e:
        raise InputError(f"cannot read {shown}: {e.strerror or e}") from e
    if len(data) > MAX_ARCHIVE_BYTES:
        raise InputError(f"{shown} grew past {MAX_ARCHIVE_BYTES:,} bytes while it was read")
    return data


def write_atomically(path: Path, data: bytes) -> None:
    """Replace `path` with `data`: a temporary file in the same directory, flushed, then renamed."""
    path.parent.mkdir(parents=True, exist_ok=True)
    descriptor, temporary = tempfile.mkstemp(prefix=_TEMP_PREFIX, suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(descriptor, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        os.chmod(temporary, 0o644)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def _shown(root: Path, path: Path) -> str:
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return str(path)
