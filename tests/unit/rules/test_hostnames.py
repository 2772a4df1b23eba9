"""PC105's scan for hand-written hostnames: the same tokens as the plain regex reading, in linear time."""

from __future__ import annotations

import datetime
import json
import re
import shutil
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from generator.pipeline import analyse
from generator.rules.hostnames import _BUCKET_SCHEMES, _OPAQUE, _PORT, _TOKEN, _bare_values, host_tokens
from generator.rules.support import mask

CASES = Path(__file__).resolve().parents[2] / "cases"
_USERINFO = re.compile(r"(?::[^\s/@]*)?@")
_SCHEME = re.compile(r"([A-Za-z][A-Za-z0-9+.-]*)://$")


def _reference(text: str, key: str) -> Iterator[tuple[int, str, str | None]]:
    """The direct reading with regexes: what host_tokens must agree with (quadratic on long strings)."""
    masked = mask(text, _OPAQUE)
    bare = _bare_values(masked, key)
    for match in _TOKEN.finditer(masked):
        token, start = match.group(0), match.start()
        if _USERINFO.match(masked, match.end()) or masked.startswith("://", match.end()):
            continue
        if masked[:start].endswith("/") and not masked[:start].endswith("://"):
            continue
        port_match = _PORT.match(masked, match.end())
        port = port_match.group(1) if port_match else None
        scheme = _SCHEME.search(masked, 0, start)
        in_url = (
            scheme is not None and scheme.end() == start and scheme.group(1).lower() not in _BUCKET_SCHEMES
        )
        in_url = in_url or masked[:start].endswith("@")
        if port is not None or in_url or "." in token or start in bare:
            yield start, token, port


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("redis:6379", "X"),
        ("http://user:pw@redis/db", "URL"),
        ("postgres://app@db.data:5432/app", "DSN"),
        ("s3a://bucket/path redis", "X"),
        ("1redis://host x.1a://other", "X"),
        ("redis://\nhost", "X"),
        ("a:b:c:d@e f:g/h@i", "X"),
        ("REDIS_HOST = redis\nname = kafka\n", ""),
        ("redis", "REDIS_HOST"),
        ("${ref:x.y} {{ .Values.z }} $(cmd) kafka.data", "BROKERS"),
        ("+.-://host +a://host 9://host", "X"),
        ("@host user@host :@host", "X"),
        ("docker.io/bitnami/kafka:3.7.0 kafka:3.7 kafka:9092. http://kafka/x:1 /data/kafka:2181", "IMAGE"),
    ],
)
def test_host_tokens_agree_with_the_regex_reading(text: str, key: str) -> None:
    assert list(host_tokens(text, key)) == list(_reference(text, key))


@pytest.mark.parametrize(
    "unit",
    [
        "a:",  # every token followed by `:` and a long run without whitespace, `/` or `@`
        "x://",  # every token preceded by a scheme
        "ab.cd ",  # many dotted tokens
        "http://h ",
    ],
)
def test_a_long_value_is_scanned_in_linear_time(unit: str) -> None:
    """400 KiB in one string: the regex reading took minutes (quadratic); this takes well under a second."""
    text = unit * (400 * 1024 // len(unit))
    started = time.perf_counter()
    list(host_tokens(text, "URL"))
    elapsed = time.perf_counter() - started
    assert elapsed < 5.0, f"{elapsed:.1f}s for {len(text)} characters"


def test_a_400_kib_value_is_checked_in_seconds(tmp_path: Path) -> None:
    """Through the whole pipeline (schema, model, every rule): the quadratic scan took five minutes."""
    source = CASES / "PC105-short-hostname"
    shutil.copytree(source, tmp_path / "case")
    platform_yaml = tmp_path / "case" / "platform.yaml"
    big = json.dumps("a:" * (200 * 1024) + " zookeeper:2181")
    text = platform_yaml.read_text().replace(
        "REGISTRY_TYPE: zookeeper", f"REGISTRY_TYPE: zookeeper\n            BIG_URL: {big}", 1
    )
    assert big in text
    platform_yaml.write_text(text)
    started = time.perf_counter()
    (result,) = analyse(tmp_path / "case", ["dev"], today=datetime.date(2026, 1, 15))
    elapsed = time.perf_counter() - started
    assert result.platform is not None
    assert any(f.rule == "PC105" and "BIG_URL" in f.message for f in result.findings)
    assert elapsed < 30.0, f"{elapsed:.1f}s"


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("docker.io/bitnami/kafka:3.7.0", []),
        ("bitnami/redis:7.2.5 redis:7.2", []),
        (
            "kafka:9092. then redis:6379,zookeeper:2181",
            [(0, "kafka", "9092"), (17, "redis", "6379"), (28, "zookeeper", "2181")],
        ),
        ("http://kafka/topics:1", [(7, "kafka", None)]),
    ],
)
def test_image_names_and_versions_are_not_hosts(text: str, found: list[tuple[int, str, str | None]]) -> None:
    names = {"kafka", "redis", "zookeeper"}
    assert [token for token in host_tokens(text, "IMAGE") if token[1] in names] == found
