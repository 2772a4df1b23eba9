from __future__ import annotations

from typing import Any

import pytest

from generator.upstream.errors import FetchError
from generator.upstream.index import archive_url, expected_digest, find_entry
from generator.upstream.pins import ChartPin

REPOSITORY = "https://charts.example.com/stable"
DIGEST = "ab" * 32


def index(*versions: str) -> dict[str, Any]:
    return {
        "entries": {"alpha": [{"name": "alpha", "version": v, "urls": [f"alpha-{v}.tgz"]} for v in versions]}
    }


def pin(version: str, name: str = "alpha") -> ChartPin:
    return ChartPin(name, version, REPOSITORY)


def test_the_exact_version_is_found() -> None:
    assert find_entry(index("1.2.4", "1.2.3"), pin("1.2.3"))["version"] == "1.2.3"


def test_a_chart_the_index_lacks_is_named() -> None:
    with pytest.raises(FetchError, match="the repository index has no chart named beta"):
        find_entry(index("1.2.3"), pin("1.2.3", "beta"))


def test_a_missing_version_lists_what_there_is() -> None:
    with pytest.raises(FetchError, match=r"has no version 9\.9\.9 of alpha; it lists 1\.2\.4, 1\.2\.3"):
        find_entry(index("1.2.4", "1.2.3"), pin("9.9.9"))


def test_a_version_written_without_its_v_says_how_the_index_spells_it() -> None:
    with pytest.raises(FetchError, match=r'it lists "v1\.15\.3": pin that'):
        find_entry(index("v1.15.3"), pin("1.15.3"))


@pytest.mark.parametrize(
    ("url", "resolved"),
    [
        ("alpha-1.2.3.tgz", f"{REPOSITORY}/alpha-1.2.3.tgz"),
        ("/archive/alpha-1.2.3.tgz", "https://charts.example.com/archive/alpha-1.2.3.tgz"),
        ("https://cdn.example.com/alpha-1.2.3.tgz", "https://cdn.example.com/alpha-1.2.3.tgz"),
    ],
)
def test_archive_urls_resolve_against_the_repository(url: str, resolved: str) -> None:
    assert archive_url(REPOSITORY, {"urls": [url]}) == resolved


@pytest.mark.parametrize("url", ["file:///etc/passwd", "ftp://example.com/alpha-1.2.3.tgz"])
def test_an_archive_url_that_is_not_http_is_refused(url: str) -> None:
    with pytest.raises(FetchError, match="over http and https only"):
        archive_url(REPOSITORY, {"urls": [url]})


def test_an_entry_without_urls_is_refused() -> None:
    with pytest.raises(FetchError, match="lists no download URL"):
        archive_url(REPOSITORY, {"urls": []})


@pytest.mark.parametrize(
    ("digest", "expected"),
    [(None, None), ("", None), (DIGEST, DIGEST), (f"sha256:{DIGEST.upper()}", DIGEST)],
)
def test_index_digests(digest: str | None, expected: str | None) -> None:
    assert expected_digest({"digest": digest}) == expected


def test_a_malformed_digest_is_refused() -> None:
    with pytest.raises(FetchError, match="malformed digest 'md5:abc'"):
        expected_digest({"digest": "md5:abc"})
