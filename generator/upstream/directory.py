"""A directory mirror: a chart repository on disk (`index.yaml` and the archives it lists).

Nothing is read from outside the directory: an index entry whose URL climbs out
with `..` or is absolute, and a file that is (or sits behind) a symbolic link
leading elsewhere, are refused. Only regular files are read, and no more of
them than a chart repository index or archive can be.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path, PurePosixPath
from typing import Any
from urllib.parse import unquote, urlsplit

from generator.upstream.archive import MAX_ARCHIVE_BYTES
from generator.upstream.errors import FetchError
from generator.upstream.index import INDEX, MAX_INDEX_BYTES, parse_index


def read_index(directory: Path) -> dict[str, Any]:
    """`<directory>/index.yaml`, parsed; FetchError when it is missing, outside or not an index."""
    base = _base(directory)
    return parse_index(_read(base, base / INDEX, MAX_INDEX_BYTES, "its index.yaml"), "its index.yaml")


def read_archive(directory: Path, url: str) -> bytes:
    """The archive an index entry's URL names, inside `directory`.

    A relative URL is a path in the directory; an absolute one (an index copied from
    the upstream repository) names the archive by its last path segment.
    """
    base = _base(directory)
    parts = urlsplit(url)
    relative = unquote(parts.path)
    if parts.scheme or parts.netloc:
        relative = PurePosixPath(relative).name
    path = PurePosixPath(relative)
    if not relative or path.is_absolute() or ".." in path.parts:
        raise FetchError(f"its index names the archive {url!r}, outside the mirror directory; refused")
    return _read(base, base.joinpath(*path.parts), MAX_ARCHIVE_BYTES, relative)


def _base(directory: Path) -> Path:
    try:
        base = directory.resolve(strict=True)
    except (OSError, RuntimeError) as e:
        raise FetchError(f"the mirror directory cannot be read: {getattr(e, 'strerror', None) or e}") from e
    if not base.is_dir():
        raise FetchError("the mirror is not a directory")
    return base


def _read(base: Path, path: Path, limit: int, shown: str) -> bytes:
    """A regular file inside `base` (after following every link), up to `limit` bytes."""
    try:
        real = path.resolve(strict=True)
    except FileNotFoundError as e:
        raise FetchError(f"the mirror directory has no {shown}") from e
    except (OSError, RuntimeError) as e:
        raise FetchError(f"cannot read {shown}: {getattr(e, 'strerror', None) or e}") from e
    if not real.is_relative_to(base):
        raise FetchError(f"{shown} is a symbolic link leading out of the mirror directory; refused")
    try:
        descriptor = os.open(real, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0))
    except OSError as e:
        raise FetchError(f"cannot read {shown}: {e.strerror or e}") from e
    with os.fdopen(descriptor, "rb") as stream:
        if not stat.S_ISREG(os.fstat(stream.fileno()).st_mode):
            raise FetchError(f"{shown} is not a regular file")
        data = stream.read(limit + 1)
    if len(data) > limit:
        raise FetchError(f"{shown} is over {limit:,} bytes")
    return data
