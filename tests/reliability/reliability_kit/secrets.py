"""A scan of rendered files for anything that looks like a credential; hits never quote one.

Three passes over every file:
- Kubernetes structure (YAML files): `Secret` objects carrying data, env entries
  whose name says password/token/key and whose value is a literal;
- text: `name = literal` and `name: literal` lines for secret-looking names
  (properties and config files carried in ConfigMaps), credentials in URLs;
- shapes: AWS key IDs, private key headers, JWTs, GitHub/Slack tokens, and
  long high-entropy base64 or hex strings — outside known-safe places
  (image and chart digests).
A literal is anything that is not a reference: `${…}`, `$(…)`, `{{ … }}`.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

SECRET_NAME = re.compile(
    r"(?i)(pass(word|wd|phrase)?|pwd|secret|token|api[-_.]?key|access[-_.]?key|private[-_.]?key|credentials?)"
)
# Names that point at a secret instead of holding one.
REFERENCE_NAME = re.compile(
    r"((?<=[a-z0-9])(Key|Keys|Ref|Name|Names|File|Path|Secret|Enabled|Policy|Length|Interval)"
    r"|_FILE|_PATH|[-_.](file|path|name|ref|enabled))$"
)
REFERENCE_VALUE = re.compile(r"^\s*(\$\{[^}]*\}|\$\([^)]*\)|\{\{.*\}\}|<[^>]*>)\s*$")
HARMLESS_VALUE = re.compile(
    r"(?i)^(|none|null|~|true|false|yes|no|on|off|enabled|disabled|required|optional)$"
)
SAFE_SPANS = re.compile(r"(?i)(sha(256|384|512):[0-9a-f]{32,}|@sha256:[0-9a-f]{64})")
SHAPES: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("AWS access key ID", re.compile(r"\b(AKIA|ASIA)[0-9A-Z]{16}\b")),
    ("private key", re.compile(r"-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY-----")),
    ("JWT", re.compile(r"\beyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}")),
    ("GitHub token", re.compile(r"\bgh[pousr]_[A-Za-z0-9]{36,}\b")),
    ("Slack token", re.compile(r"\bxox[abprs]-[A-Za-z0-9-]{10,}")),
    ("password in a URL", re.compile(r"\b[a-z][a-z0-9+.-]*://[^/\s:@'\"]+:(?!\$\{|\$\()[^/\s@'\"]+@")),
)
TOKEN = re.compile(r"[A-Za-z0-9+/_=-]{32,}")
HEX = re.compile(r"\b[0-9a-fA-F]{32,}\b")
ASSIGNMENT = re.compile(r"^\s*(?:-\s+)?(?P<name>[\w.-]+)\s*[:=]\s*(?P<value>\S.*?)\s*$")


@dataclass(frozen=True)
class SecretHit:
    file: str
    line: int
    what: str
    sample: str  # masked: never the whole value

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.what} ({self.sample})"


def mask(value: str) -> str:
    """Enough to find it again, never enough to use it."""
    shown = value[:2] if len(value) >= 8 else ""
    return f"{shown}…[{len(value)} chars]"


def entropy(text: str) -> float:
    counts = Counter(text)
    return -sum(n / len(text) * math.log2(n / len(text)) for n in counts.values())


def looks_random(token: str) -> bool:
    """Base64/hex-like and high entropy; identifiers, paths and rule names are not."""
    token = token.strip("=")
    if len(token) < 32:
        return False
    if HEX.fullmatch(token):
        return entropy(token) > 3.0
    classes = sum(bool(re.search(p, token)) for p in ("[a-z]", "[A-Z]", "[0-9]"))
    if classes < 3:
        return False
    if re.search(r"[-_/.]", token) and not re.search(r"[+=]", token):
        # word-ish pieces joined by separators: names, paths, rule IDs
        pieces = re.split(r"[-_/.]", token)
        if max(len(p) for p in pieces) < 20:
            return False
    return entropy(token) > 4.0


def is_literal(value: Any) -> bool:
    return (
        isinstance(value, str)
        and not REFERENCE_VALUE.match(value)
        and not HARMLESS_VALUE.match(value.strip().strip("'\""))
        and "${" not in value
        and "$(" not in value
        and "{{" not in value
    )


def _secret_name(name: str) -> bool:
    return bool(SECRET_NAME.search(name)) and not REFERENCE_NAME.search(name)


def scan_text(text: str, display: str) -> Iterator[SecretHit]:
    for number, line in enumerate(text.splitlines(), start=1):
        clean = SAFE_SPANS.sub("", line)
        for what, pattern in SHAPES:
            for match in pattern.finditer(clean):
                yield SecretHit(display, number, what, mask(match.group(0)))
        for match in TOKEN.finditer(clean):
            if looks_random(match.group(0)):
                yield SecretHit(display, number, "high-entropy token", mask(match.group(0)))
        assignment = ASSIGNMENT.match(clean)
        if assignment and _secret_name(assignment.group("name")):
            value = assignment.group("value").strip().strip("'\"")
            if value and not value.startswith(("|", ">", "{", "[", "&", "*")) and is_literal(value):
                yield SecretHit(display, number, f"literal value for {assignment.group('name')}", mask(value))


def _walk(node: Any) -> Iterator[Any]:
    yield node
    if isinstance(node, dict):
        for value in node.values():
            yield from _walk(value)
    elif isinstance(node, list):
        for value in node:
            yield from _walk(value)


def scan_objects(documents: list[Any], display: str) -> Iterator[SecretHit]:
    for document in documents:
        for node in _walk(document):
            if not isinstance(node, dict):
                continue
            if node.get("kind") == "Secret" and (node.get("data") or node.get("stringData")):
                yield SecretHit(display, 0, "Kubernetes Secret with data", "Secret object")
            name, value = node.get("name"), node.get("value")
            if isinstance(name, str) and _secret_name(name) and is_literal(value) and value:
                yield SecretHit(display, 0, f"env {name} holds a literal", mask(str(value)))


def scan_file(path: Path, display: str) -> list[SecretHit]:
    text = path.read_bytes().decode("utf-8", errors="replace")
    hits = list(scan_text(text, display))
    if path.suffix in (".yaml", ".yml") and "{{" not in text:
        try:
            documents = list(yaml.load_all(text, Loader=_Loader))
        except yaml.YAMLError:
            documents = []
        hits.extend(scan_objects(documents, display))
    return hits


def scan_tree(directory: Path) -> tuple[int, list[SecretHit]]:
    """(files scanned, hits) for every regular file below `directory`."""
    files = sorted(p for p in directory.rglob("*") if p.is_file() and not p.is_symlink())
    hits: list[SecretHit] = []
    for path in files:
        hits.extend(scan_file(path, path.relative_to(directory).as_posix()))
    return len(files), hits


# ------------------------------------------------------------------ controls: the scanner is not vacuous

SECRET = "hunter2-very-secret"
NUMERIC_SECRET = "7319462855"
PLANTED = {
    "aws.yaml": "aws_access_key_id: AKIAIOSFODNN7EXAMPLE\n",
    "pem.yaml": "key: |\n  -----BEGIN RSA PRIVATE KEY-----\n  MIIEow\n",
    "jwt.yaml": "t: eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0."
    "dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U\n",
    "gh.yaml": "t: ghp_aBcDeFgHiJkLmNoPqRsTuVwXyZ0123456789\n",
    "b64.yaml": "blob: dGhpcyBpcyBhIHZlcnkgc2VjcmV0IHRva2VuIGZvciB0ZXN0aW5n\n",
    "hex.yaml": "blob: 8f14e45fceea167a5a36dedd4bea2543aa7f2c1d\n",
    "url.yaml": "db: postgres://admin:hunter2pass@db:5432/x\n",
    "env.yaml": f"env:\n- name: POSTGRES_PASSWORD\n  value: {SECRET}\n",
    "secret.yaml": "apiVersion: v1\nkind: Secret\nmetadata: {name: x}\nstringData: {a: b}\n",
    "conf.properties": f"db.url=jdbc:x\ndb.password={SECRET}\n",
}
SAFE = {
    "digest.yaml": "image: docker.io/x/y@sha256:" + "ab" * 32 + "\ndigest: sha256:" + "cd" * 32 + "\n",
    "refs.yaml": "env:\n- name: DB_PASSWORD\n  valueFrom: {secretKeyRef: {name: db, key: password}}\n"
    "admin: {existingSecret: grafana-admin, passwordKey: admin-password}\n"
    "props: s3.aws-secret-key=${ENV:AWS_SECRET_ACCESS_KEY}\n",
}


# ------------------------------------------------------------------ a literal password in platform.yaml

_KONG_ENV = "            POSTGRESQL_DATABASE: kong\n"
PLACEMENTS: dict[str, tuple[str, str, str]] = {
    # name: (text to find in platform.yaml, replacement, the secret it plants)
    "env value": (_KONG_ENV, f"{_KONG_ENV}            POSTGRES_PASSWORD: {SECRET}\n", SECRET),
    "env value, numeric": (
        _KONG_ENV,
        f"{_KONG_ENV}            POSTGRES_PASSWORD: {NUMERIC_SECRET}\n",
        NUMERIC_SECRET,
    ),
    "password in a URL, numeric": (
        _KONG_ENV,
        f"{_KONG_ENV}            DATABASE_URL: postgres://kong:{NUMERIC_SECRET}@kong-postgres:5432/kong\n",
        NUMERIC_SECRET,
    ),
    "password in a URL": (
        _KONG_ENV,
        f"{_KONG_ENV}            DATABASE_URL: postgres://kong:{SECRET}@kong-postgres:5432/kong\n",
        SECRET,
    ),
    "chart values": (
        "pg_password: {valueFrom: {secretKeyRef: {name: kong-db, key: password}}}\n",
        f"pg_password: {SECRET}\n",
        SECRET,
    ),
    "config file": (
        "        kong-postgres:\n          type: statefulset\n",
        "        kong-postgres:\n          type: statefulset\n          files:\n"
        f"            /etc/app/app.properties: |\n              db.password={SECRET}\n",
        SECRET,
    ),
    "secret reference of the wrong shape": (
        "            POSTGRESQL_PASSWORD: {secret: kong-db, key: password}\n",
        f"            POSTGRESQL_PASSWORD: {{secret: kong-db, key: password, value: {SECRET}}}\n",
        SECRET,
    ),
}


def plant_password(root: Path, placement: str) -> tuple[Path, str]:
    """Write PLACEMENTS[placement] into root/platform.yaml; (root, the planted secret)."""
    old, new, secret = PLACEMENTS[placement]
    path = root / "platform.yaml"
    text = path.read_text(encoding="utf-8")
    if old not in text:
        raise ValueError(f"the reference platform.yaml changed: {old!r} is gone")
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return root, secret
