"""HTTP chart repositories: the index, the entry of a pinned version, the archive download."""

from __future__ import annotations

import posixpath
import re
import urllib.error
import urllib.request
from collections.abc import Mapping
from typing import Any
from urllib.parse import urljoin, urlsplit, urlunsplit

from generator import __version__
from generator.upstream.archive import MAX_ARCHIVE_BYTES
from generator.upstream.errors import FetchError
from generator.upstream.pins import ChartPin

_SCHEMES = ("http", "https")
INDEX = "index.yaml"
# Public repositories' indexes run to tens of MiB; a mirror of everything can be larger
MAX_INDEX_BYTES = 256 * 1024 * 1024
_SHA256 = re.compile(r"^[0-9a-f]{64}$")


def read_index(repository: str, timeout: float) -> dict[str, Any]:
    """`<repository>/index.yaml`, downloaded and parsed (Helm joins the file name to the URL's path)."""
    parts = urlsplit(repository)
    url = urlunsplit(parts._replace(path=posixpath.join(parts.path or "/", INDEX)))
    try:
        data = download(url, timeout, MAX_INDEX_BYTES)
    except FetchError as e:
        raise FetchError(f"cannot read its index: {e.reason}") from e
    return parse_index(data, url)


def parse_index(data: bytes, shown: str) -> dict[str, Any]:
    """A chart repository index; FetchError for an HTML page, what is not YAML, or no `entries`."""
    head = data[:1024].lstrip().lower()
    if head.startswith((b"<!doctype html", b"<html", b"<?xml", b"<head", b"<body")):
        raise FetchError(
            f"{shown} is an HTML page, not a chart repository index (a sign-in page or a proxy's error?)"
        )
    import yaml

    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    try:
        index = yaml.load(data, Loader=loader)
    except yaml.YAMLError as e:
        raise FetchError(f"{shown} is not YAML: {str(e).splitlines()[0]}") from e
    if not isinstance(index, dict) or not isinstance(index.get("entries"), dict):
        raise FetchError(f"{shown} is not a chart repository index: it has no `entries`")
    return index


def find_entry(repository_index: Mapping[str, Any], pin: ChartPin) -> dict[str, Any]:
    """The index entry of exactly `pin.version` (a range would make the archive's name a guess)."""
    entries = (repository_index.get("entries") or {}).get(pin.name)
    if not isinstance(entries, list) or not entries:
        raise FetchError(f"the repository index has no chart named {pin.name}")
    versions = [str(entry.get("version")) for entry in entries if isinstance(entry, dict)]
    for entry in entries:
        if isinstance(entry, dict) and str(entry.get("version")) == pin.version:
            return entry
    near = [v for v in versions if v.removeprefix("v") == pin.version.removeprefix("v")]
    hint = f'; it lists "{near[0]}": pin that' if near else f"; it lists {', '.join(versions[:5])}"
    raise FetchError(f"the repository index has no version {pin.version} of {pin.name}{hint}")


def archive_url(repository: str, entry: Mapping[str, Any]) -> str:
    """The entry's first URL, resolved against the repository the way Helm does."""
    urls = entry.get("urls")
    if not isinstance(urls, list) or not urls:
        raise FetchError("its index entry lists no download URL")
    url = urljoin(repository.rstrip("/") + "/", str(urls[0]))
    if urlsplit(url).scheme not in _SCHEMES:
        raise FetchError(f"its index entry points at {url}; platformc downloads over http and https only")
    return url


def expected_digest(entry: Mapping[str, Any]) -> str | None:
    """The sha256 the index gives for the archive, when it gives one."""
    digest = entry.get("digest")
    if not digest:
        return None
    text = str(digest).strip().lower().removeprefix("sha256:")
    if not _SHA256.match(text):
        raise FetchError(f"its index entry gives a malformed digest {digest!r}")
    return text


def download(url: str, timeout: float, limit: int = MAX_ARCHIVE_BYTES) -> bytes:
    request = urllib.request.Request(url, headers={"User-Agent": f"platformc/{__version__}"})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            if urlsplit(response.geturl()).scheme not in _SCHEMES:
                moved = response.geturl()
                raise FetchError(f"{url} redirects to {moved}; platformc follows http and https only")
            data: bytes = response.read(limit + 1)
    except urllib.error.HTTPError as e:
        e.close()
        raise FetchError(f"downloading {url} failed: HTTP {e.code} {e.reason}") from e
    except (urllib.error.URLError, OSError, ValueError) as e:
        reason = e.reason if isinstance(e, urllib.error.URLError) else e
        raise FetchError(f"cannot download {url}: {reason}") from e
    if len(data) > limit:
        raise FetchError(f"{url} is over {limit:,} bytes; that is no chart archive or index")
    return data
