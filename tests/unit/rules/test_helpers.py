"""The small parsers rules stand on: amounts shown, cron fields, hostnames, credential names, images."""

from __future__ import annotations

import datetime
from fractions import Fraction
from pathlib import Path

import pytest

from generator.pipeline import analyse, today_from
from generator.rules.credentials import credential_key, literal_credential, literal_value, masked
from generator.rules.hostnames import host_like, host_tokens
from generator.rules.images import parse_image
from generator.rules.registry import closest_rule
from generator.rules.schedules import schedule_problem
from generator.rules.support import pdb_allowed, show

CASES = Path(__file__).resolve().parents[2] / "cases"


def test_show_amounts() -> None:
    assert show(Fraction(3, 2), "cpu") == "1.5"
    assert show(Fraction(48 * 2**30), "memory") == "48Gi"
    assert show(Fraction(256 * 2**20), "memory") == "256Mi"


@pytest.mark.parametrize(
    ("amount", "which", "pods", "allowed"),
    [
        (1, "minAvailable", 1, 0),
        (2, "minAvailable", 3, 1),
        ("100%", "minAvailable", 3, 0),
        ("50%", "minAvailable", 1, 0),
        (0, "maxUnavailable", 3, 0),
        ("0%", "maxUnavailable", 3, 0),
        ("10%", "maxUnavailable", 3, 1),
        (1, "maxUnavailable", 1, 1),
    ],
)
def test_pdb_allowed_rounds_like_kubernetes(amount: int | str, which: str, pods: int, allowed: int) -> None:
    assert pdb_allowed(amount, which, pods) == allowed


@pytest.mark.parametrize(
    "schedule",
    [
        "0 3 * * *",
        "*/15 * * * 1-5",
        "0 0 1 JAN,jul *",
        "0 12 ? * SUN",
        "59 23 31 12 7",
        "@daily",
        "0 0-23/2 * * *",
    ],
)
def test_schedule_accepted(schedule: str) -> None:
    assert schedule_problem(schedule) is None


@pytest.mark.parametrize(
    ("schedule", "problem"),
    [
        ("0 0 3 * * *", "6 fields (a seconds field"),
        ("60 * * * *", "minute field '60': 60 is outside 0-59"),
        ("0 24 * * *", "hour field '24'"),
        ("0 0 0 * *", "day of month field '0'"),
        ("0 0 * 13 *", "month field '13'"),
        ("0 0 * FOO *", '"FOO" is not a month'),
        ("0 0 * * 8", "day of week field '8'"),
        ("0 0 * * SUX", '"SUX" is not a day of week'),
        ("*/0 * * * *", 'step "/0"'),
        ("0 22-2 * * *", "range 22-2 runs backwards"),
        ("0 ? * * *", '"?" is not a number'),
        ("@every 5m", "is not a cron macro"),
    ],
)
def test_schedule_refused(schedule: str, problem: str) -> None:
    found = schedule_problem(schedule)
    assert found is not None and problem in found


@pytest.mark.parametrize(
    ("text", "key", "hosts"),
    [
        ("zookeeper:2181", "X", [("zookeeper", "2181")]),
        ("http://minio:9000/bucket", "X", [("minio", "9000")]),
        ("http://minio", "X", [("minio", None)]),
        ("jdbc:postgresql://postgres-workflow:5432/db", "X", [("postgres-workflow", "5432")]),
        ("trino://admin@trino.data:8080/x", "X", [("trino.data", "8080")]),
        ("redis", "REDIS_HOST", [("redis", None)]),
        ("redis", "REGISTRY_TYPE", []),
        ("s3://warehouse/", "X", []),
        ("${ref:zookeeper.client}", "X", []),
        ("http://${ref:minio.api}", "X", []),
        ("${ENV:REDIS_HOST}:6379", "X", []),
        ("/var/lib/redis", "X", []),
        ("redis.conf", "REDIS_HOST", [("redis.conf", None)]),
        ("Name loki\nHost loki", "", [("loki", None)]),
        ("--zookeeper=zk:2181", "X", [("zk", "2181")]),
    ],
)
def test_hostname_tokens(text: str, key: str, hosts: list[tuple[str, str | None]]) -> None:
    assert [(token, port) for _, token, port in host_tokens(text, key)] == hosts


def test_host_like_keys() -> None:
    assert host_like("REDIS_HOST") and host_like("bootstrapServers") and host_like("s3Url")
    assert not host_like("REGISTRY_TYPE") and not host_like("fullnameOverride")


@pytest.mark.parametrize(
    "key",
    [
        "POSTGRESQL_PASSWORD",
        "apiToken",
        "SECRET_KEY",
        "secretKey",
        "accessKey",
        "AWS_SECRET_ACCESS_KEY",
        "api-key",
        "private_key",
        "clientCredentials",
    ],
)
def test_credential_keys(key: str) -> None:
    assert credential_key(key)


@pytest.mark.parametrize(
    "key",
    [
        "passwordKey",
        "existingSecret",
        "secretName",
        "PASSWORD_MIN_LENGTH",
        "tokenTTL",
        "username",
        "secretKeyRef",
        "xpack.security.enabled",
        "NEO4J_AUTH",
    ],
)
def test_not_credential_keys(key: str) -> None:
    assert not credential_key(key)


def test_literal_values_and_masking() -> None:
    assert literal_value("hunter2")
    assert not literal_value("${ENV:X}") and not literal_value("/etc/secret") and not literal_value(" ")
    assert not literal_value("true") and not literal_value("3600")
    assert masked("hunter2") == "hu****" and masked("ab") == "****"


@pytest.mark.parametrize(
    ("key", "value"),
    [
        ("POSTGRES_PASSWORD", 7319462855),
        ("POSTGRES_PASSWORD", "7319462855"),
        ("apiToken", 12345678),
        ("SECRET_KEY", 9876),
        ("AWS_SECRET_ACCESS_KEY", 20240101123456),
        ("db.password", "31415.9265"),
        ("ADMIN_PASSWORD", "hunter2"),
    ],
)
def test_literal_credentials(key: str, value: object) -> None:
    assert literal_credential(key, value) == str(value)


@pytest.mark.parametrize(
    ("key", "value"),
    [
        ("MYSQL_RANDOM_ROOT_PASSWORD", 1),  # a flag
        ("MYSQL_ALLOW_EMPTY_PASSWORD", "1"),
        ("POSTGRES_PASSWORD", 123),  # too short to be one
        ("PASSWORD_MAX_AGE", 90000),  # a setting about the password
        ("tokenRefreshSeconds", 300000),
        ("secretVersion", 20240101),
        ("GF_AUTH_TOKEN_TTL", 3600),
        ("replicas", 12345678),
        ("password", True),
        ("password", None),
        ("password", [12345678]),
        ("POSTGRES_PASSWORD", "${secret}"),
    ],
)
def test_not_literal_credentials(key: str, value: object) -> None:
    assert literal_credential(key, value) is None


@pytest.mark.parametrize(
    ("image", "registry", "tag", "digest"),
    [
        ("docker.io/bitnami/redis:7.2.5", "docker.io", "7.2.5", None),
        ("registry.local:5000/team/api", "registry.local:5000", None, None),
        ("localhost/api:1", "localhost", "1", None),
        ("bitnami/redis:7.2.5", None, "7.2.5", None),
        ("redis", None, None, None),
        ("docker.io/library/nginx@sha256:abc", "docker.io", None, "sha256:abc"),
        ("nvcr.io/nvidia/rapidsai/base:24.08-cuda12.5-py3.11", "nvcr.io", "24.08-cuda12.5-py3.11", None),
    ],
)
def test_parse_image(image: str, registry: str | None, tag: str | None, digest: str | None) -> None:
    name = parse_image(image)
    assert (name.registry, name.tag, name.digest) == (registry, tag, digest)


def test_closest_rule_prefers_swapped_digits() -> None:
    assert closest_rule("PC620", ["PC602", "PC609", "PC101"]) == "; did you mean PC602?"
    assert closest_rule("XX999", ["PC602"]) == ""


def test_today_is_injectable() -> None:
    assert today_from({"PLATFORMC_TODAY": "2030-02-03"}) == datetime.date(2030, 2, 3)
    assert today_from({}) == datetime.date.today()


def test_files_over_a_configmap_are_refused(tmp_path: Path) -> None:
    """PC705 has no case folder: its platform would be a megabyte."""
    source = CASES / "PC704-ok-distinct-files"
    root = tmp_path / "big"
    (root / "overlays").mkdir(parents=True)
    (root / "overlays" / "dev.yaml").write_text("spec: {}\n")
    big = "x" * (600 * 1024)
    text = (source / "platform.yaml").read_text()
    text = text.replace('"a = 1"', f'"{big}"').replace('"a = 2"', f'"{big}"')
    (root / "platform.yaml").write_text(text)
    [result] = analyse(root, ["dev"])
    # PC516: the platform leaves out its workload's numeric ids, as most case platforms do.
    [finding] = [f for f in result.findings if f.rule != "PC516"]
    assert finding.rule == "PC705"
    assert "over the 1 MiB a ConfigMap may hold" in finding.message
