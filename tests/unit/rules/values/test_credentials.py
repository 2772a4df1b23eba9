"""Credentials found in text by detect-secrets' plugins (and ours), with the offset that holds them."""

from __future__ import annotations

import base64
import json

import pytest

from generator.rules.values.credentials import find_credentials, find_flag_credentials


def _jwt() -> str:
    def part(value: dict[str, object]) -> str:
        return base64.urlsafe_b64encode(json.dumps(value).encode()).decode().rstrip("=")

    return f"{part({'alg': 'HS256', 'typ': 'JWT'})}.{part({'sub': 'grafana'})}.dBjftJeZ4CVPmB92K27uhbUJU1p1r"


FOUND = [
    ("-----BEGIN RSA PRIVATE KEY-----\nMIIEow\n-----END RSA PRIVATE KEY-----", "Private Key", 5),
    ("-----BEGIN OPENSSH PRIVATE KEY-----", "Private Key", 5),
    (f"token {_jwt()}", "JSON Web Token", 6),
    ("ghp_R8fZ2kLm9Qx4Tb7Vn1Cw5Hy3Js6Pd0Ga8EuY", "GitHub Token", 0),
    ("xoxb-123456789012-1234567890123-AbCdEfGhIjKlMnOpQrStUvWx", "Slack Token", 0),
    ("see https://hooks.slack.com/services/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", "Slack Token", 4),
    ("sk_live_4eC39HqLyjWDarjtT1zdp7dc", "Stripe Access Key", 0),
    ("AKIAQ3EGWJ2ZB4PXN7TD", "AWS Access Key", 0),
    ("key=AIzaSyD3f9Kx2LmQ8vTb7Rw1Np4Hs6Jc0Ga5EuYz", "Google API Key", 4),
    ("glpat-Xk29LmQ8vTb7Rw1Np4Hs", "GitLab Token", 0),
    ("Authorization: Basic YWRtaW46VHIwdWI0ZG9yMw==", "Authorization Credentials", 21),
    ("Authorization: Bearer 9f8e7d6c5b4a39281706f5e4", "Authorization Credentials", 22),
    ("redis://:Sn0wfall42@redis:6379/0", "Basic Auth Credentials", 9),
    ("https://ci:Chart5ecret@charts.example.com", "Basic Auth Credentials", 11),
    ("https://deploy:gh5ecretPat@github.com/example/platform.git", "Basic Auth Credentials", 15),
    ("--password=Tr0ub4dor3", "Credential Assignment", 11),
    ("ops login is password=Hunter2x until rotated", "Credential Assignment", 22),
    ("PGPASSWORD=Hunter2x psql", "Credential Assignment", 11),
    ("--token=Zk3jq9xPq2w", "Credential Assignment", 8),
    ("--api-key=Zk3jq9xPq2w", "Credential Assignment", 10),
    ("curl https://api.example.com/v1?access_token=Zk3jq9xPq2w&page=2", "Credential Assignment", 45),
    ("GITHUB_TOKEN=Zk3jq9xPq2w ./release.sh", "Credential Assignment", 13),
]


@pytest.mark.parametrize(("text", "kind", "offset"), FOUND, ids=[k for _, k, _ in FOUND])
def test_credential_found_where_it_starts(text: str, kind: str, offset: int) -> None:
    [found] = find_credentials(text)
    assert (found.kind, found.offset) == (kind, offset)
    assert found.shown == text[offset : offset + 2] + "****"


def test_offset_counts_earlier_lines() -> None:
    text = "# tls\nkey: |\n-----BEGIN EC PRIVATE KEY-----\n"
    [found] = find_credentials(text)
    assert text.count("\n", 0, found.offset) == 2


NOT_FOUND = [
    "postgresql://reader:${ENV:DB_PASSWORD}@db.example.com/api",
    "redis://:$(DB_PASSWORD)@redis:6379/0",
    "http://${ref:storage/minio.api}",
    "https://github.com/example/platform.git",
    "Bearer $(API_TOKEN)",
    "Bearer authentication fails, see the runbook",
    "Basic authentication",
    "Basic aGVsbG8gd29ybGQ=",  # decodes to text without user:password
    "AKIAXXXXXXXXXXXXXXXX",
    "docker.io/example/api@sha256:3b1f7a0c5d2e4f6a8b9c0d1e2f3a4b5c6d7e8f9a0b1c2d3e4f5a6b7c8d9e0f1a",
    "--password=$(DB_PASSWORD)",
    "--tls-key-file=/etc/tls/key",
    "password=${ENV:DB_PASSWORD}",
    "password=/run/secrets/db",
    "existingSecretName=grafana-admin",
    "passwordFile=/run/secrets/db",
    "--token-file=/run/secrets/tunnel",
    "--auth-token=$(TUNNEL_TOKEN)",
    "TOKEN_TTL=3600 --api-key-header=X-Api-Key",
    "Pod {{ $labels.pod }} is crash looping ({{ $value }} restarts in 15m)",
    "short",
]


@pytest.mark.parametrize("text", NOT_FOUND)
def test_no_credential(text: str) -> None:
    assert find_credentials(text) == []


def test_flag_then_value() -> None:
    args = ["api", "--db-password", "Zx81qPm4Lk20", "--password-file", "/run/secrets/db", "--user", "bob"]
    assert find_flag_credentials(args) == [2]


def test_token_flag_then_value() -> None:
    args = ["tunnel", "run", "--token", "eyJhIjoiYWJjZGVmMTIzNDU2Nzg5MCJ9", "--api-key", "Zk3jq9xPq2w"]
    assert find_flag_credentials(args) == [3, 5]


def test_flag_then_reference_or_flag() -> None:
    assert find_flag_credentials(["--password", "$(DB_PASSWORD)", "--secret", "--verbose"]) == []


def test_prose_about_a_password_is_not_one() -> None:
    assert find_credentials("set password= in the file, then restart") == []
