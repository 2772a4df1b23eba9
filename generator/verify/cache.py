"""Verify's findings for unchanged Application sources, kept between runs.

What verify finds for one source depends only on the source's files (their
paths and bytes), how the Application reads them (release, namespace, value
files), the Kubernetes version, the schemas, the verify code and the engines
(Helm, the validator). The key is a SHA-256 over all of that, with a format
version, so anything that could change a finding misses. Entries are JSON
files under `$PLATFORMC_CACHE_DIR`, else `$XDG_CACHE_HOME/platformc/verify`,
else `~/.cache/platformc/verify`; `PLATFORMC_NO_CACHE=1` turns the cache off.

An entry is written to a temporary file and renamed into place, so a reader
sees a whole entry or none. One that cannot be read or does not decode to
exactly what was stored is a miss, never an error and never a pass. Only
complete results are stored: a verifier that failed (I/O, the Helm library, a
timeout) leaves nothing behind.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import tempfile
import time
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

from generator.findings import Finding, Severity
from generator.verify.application import Placement, SourceVerdict
from generator.verify.objects import RenderedObject

CACHE_FORMAT = 3  # 3: charts are rendered with the built-in API versions
CACHE_DIR_ENV = "PLATFORMC_CACHE_DIR"
NO_CACHE_ENV = "PLATFORMC_NO_CACHE"
MAX_AGE_SECONDS = 30 * 24 * 3600  # an entry not read for this long is removed


def cache_directory(environ: Mapping[str, str]) -> Path | None:
    """Where verify keeps its results; None when `PLATFORMC_NO_CACHE` turns the cache off."""
    if environ.get(NO_CACHE_ENV, "").strip().lower() not in ("", "0", "false", "no"):
        return None
    if environ.get(CACHE_DIR_ENV):
        return Path(environ[CACHE_DIR_ENV]).expanduser()
    xdg = environ.get("XDG_CACHE_HOME", "")
    if xdg and Path(xdg).is_absolute():  # the XDG spec: a relative path is to be ignored
        return Path(xdg) / "platformc" / "verify"
    try:
        return Path.home() / ".cache" / "platformc" / "verify"
    except RuntimeError:  # no home directory to speak of
        return None


def files_digest(root: Path, files: Iterable[Path]) -> str:
    """SHA-256 over each file's path under `root` and its bytes. Raises OSError if one cannot be read."""
    digest = hashlib.sha256()
    for path in files:
        data = path.read_bytes()
        name = path.relative_to(root).as_posix().encode("utf-8")
        digest.update(b"%d:%s\0%d:" % (len(name), name, len(data)))
        digest.update(data)
    return digest.hexdigest()


def tree_files(root: Path) -> list[Path]:
    """Every file under `root`, through symbolic links as Helm follows them, sorted by path."""
    found: list[str] = []
    seen: set[tuple[int, int]] = set()

    def walk(directory: str, prefix: str) -> None:
        status = os.stat(directory)
        if (status.st_dev, status.st_ino) in seen:  # a link back up the tree
            return
        seen.add((status.st_dev, status.st_ino))
        with os.scandir(directory) as entries:
            for entry in entries:
                if entry.is_dir():
                    walk(entry.path, f"{prefix}{entry.name}/")
                else:
                    found.append(prefix + entry.name)

    walk(str(root), "")
    return [root / name for name in sorted(found)]


class VerifyCache:
    """The entries of one toolchain in one directory; `stored` and `write_error` report on writes."""

    def __init__(self, directory: Path, toolchain: str) -> None:
        self.directory = directory
        self.toolchain = toolchain
        self.stored = 0
        self.write_error: str | None = None

    def key(self, source: Mapping[str, Any], files: str) -> str:
        return digest_json(
            {"format": CACHE_FORMAT, "toolchain": self.toolchain, "source": source, "files": files}
        )

    def load(self, key: str) -> SourceVerdict | None:
        path = self._path(key)
        try:
            entry = json.loads(path.read_text(encoding="utf-8"))
            verdict = _decode(entry, key)
        except (OSError, ValueError, TypeError, KeyError):
            return None
        with contextlib.suppress(OSError):
            os.utime(path)  # recently used: kept by `prune`
        return verdict

    def store(self, key: str, verdict: SourceVerdict) -> None:
        path = self._path(key)
        temporary: str | None = None
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{key[:16]}-", suffix=".tmp")
            with os.fdopen(handle, "w", encoding="utf-8") as stream:
                json.dump(_encode(verdict, key), stream, separators=(",", ":"))
            os.replace(temporary, path)
        except OSError as e:
            self.write_error = self.write_error or f"cannot write the verify cache in {self.directory}: {e}"
            if temporary is not None:
                with contextlib.suppress(OSError):
                    os.unlink(temporary)
            return
        self.stored += 1

    def prune(self, now: float | None = None) -> None:
        """Remove entries not read for MAX_AGE_SECONDS, and temporary files left by a crash."""
        limit = (time.time() if now is None else now) - MAX_AGE_SECONDS
        try:
            shards = [d for d in self.directory.iterdir() if d.is_dir() and len(d.name) == 2]
            for shard in shards:
                for entry in shard.iterdir():
                    if entry.stat().st_mtime < limit:
                        entry.unlink(missing_ok=True)
        except OSError:
            return

    def _path(self, key: str) -> Path:
        return self.directory / key[:2] / f"{key}.json"


# ------------------------------------------------------------------ entries


def _encode(verdict: SourceVerdict, key: str) -> dict[str, Any]:
    return {
        "format": CACHE_FORMAT,
        "key": key,
        "findings": [
            [f.rule, str(f.severity), f.message, f.file, f.line, f.column, f.path] for f in verdict.findings
        ],
        "placements": [[p.file, p.kind, p.name, p.namespace] for p in verdict.placements],
        "objects": [[o.file, o.index, o.origin or "", o.line, o.data] for o in verdict.objects],
    }


def _decode(entry: Any, key: str) -> SourceVerdict:
    if not isinstance(entry, dict) or entry.get("format") != CACHE_FORMAT or entry.get("key") != key:
        raise ValueError("not an entry of this key")
    findings = tuple(_decode_finding(item) for item in _list(entry["findings"]))
    placements = tuple(Placement(*_fields(item, (str, str, str, str))) for item in _list(entry["placements"]))
    objects = tuple(_decode_object(item) for item in _list(entry["objects"]))
    return SourceVerdict(findings, placements, objects)


def _decode_object(item: Any) -> RenderedObject:
    file, index, origin, line, data = _fields(item, (str, int, str, int, dict))
    return RenderedObject(file, index, data, origin or None, line)


def _decode_finding(item: Any) -> Finding:
    rule, severity, message, file, line, column, path = _fields(item, (str, str, str, str, int, int, str))
    return Finding(rule, Severity(severity), message, file, line, column, path)


def _list(value: Any) -> list[Any]:
    if not isinstance(value, list):
        raise TypeError("expected a list")
    return value


def _fields(item: Any, types: Sequence[type]) -> list[Any]:
    values = _list(item)
    if len(values) != len(types) or not all(
        type(value) is kind for value, kind in zip(values, types, strict=True)
    ):
        raise TypeError("unexpected fields")
    return values


# ------------------------------------------------------------------ digests


def digest_json(value: Any) -> str:
    return hashlib.sha256(json.dumps(value, sort_keys=True, separators=(",", ":")).encode()).hexdigest()
