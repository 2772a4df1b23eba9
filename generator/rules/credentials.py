"""Secrets: credentials written out in platform.yaml (PC404), in env, chart values, files and the store.

A setting counts as a credential by its key (`password`, `API_TOKEN`, not
`passwordKey`), a URL's password (`scheme://user:password@host`), or a
`key = value` line of a file; references, paths and plain words are not values.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from generator.findings import Mark, Severity
from generator.load.document import YamlPath
from generator.model.types import Component, Platform
from generator.rules.registry import Hit, check, define
from generator.rules.support import lines_of, text_mark

ERROR = Severity.ERROR

_WORDS = re.compile(r"[A-Z]?[a-z0-9]+|[A-Z]+(?![a-z])")
_SECRET_WORDS = frozenset(
    {
        "password",
        "passwd",
        "passphrase",
        "secret",
        "token",
        "credential",
        "credentials",
        "apikey",
        "accesskey",
        "privatekey",
        "secretkey",
    }
)
_SECRET_PAIRS = frozenset({("api", "key"), ("access", "key"), ("private", "key")})
# Keys that *name* a credential (where it is, how long it lives) rather than hold one.
_NAMING_LAST = frozenset(
    {
        "name",
        "names",
        "ref",
        "refs",
        "file",
        "path",
        "dir",
        "enabled",
        "enable",
        "mount",
        "namespace",
        "store",
        "type",
        "length",
        "policy",
        "provider",
        "class",
        "kind",
        "source",
        "from",
        "keys",
        "url",
        "uri",
        "endpoint",
        "host",
        "ttl",
        "expiry",
        "expiration",
        "timeout",
        "lifetime",
        "duration",
        "interval",
        "size",
        "count",
        "max",
        "min",
        "algorithm",
        "format",
        "header",
        "prefix",
        "audience",
        "issuer",
        "scope",
        "mode",
        "method",
        "annotations",
        "labels",
        "volume",
        "template",
        "resource",
        "role",
    }
)
_KEY_OWNERS = frozenset({"password", "passwd", "token", "user", "username", "credential", "credentials"})
_PLAIN_WORDS = frozenset(
    {"true", "false", "yes", "no", "on", "off", "none", "null", "~", "disabled", "enabled"}
)
_URL_PASSWORD = re.compile(r"://[^/\s:@]+:([^@\s/]+)@")
_LINE = re.compile(r"^\s*([A-Za-z][A-Za-z0-9_.-]*)\s*[:=]\s*(\S.*?)\s*$")
# `"password": "hunter2"` in JSON (a config file, a JSON env value)
_JSON_PAIR = re.compile(r'"([A-Za-z][A-Za-z0-9_.-]*)"\s*:\s*"((?:[^"\\\n]|\\.)*)"')
_CREDENTIAL_ENDS = _SECRET_PAIRS | {("secret", "key")}
_NUMBER = re.compile(r"[0-9]+(\.[0-9]+)?")
_MIN_NUMERIC_DIGITS = 4  # a PIN at the shortest; 0, 1 and 2 are flags and versions


def credential_key(key: str) -> bool:
    """Does a setting named `key` hold a credential? (`password`, `API_TOKEN`; not `passwordKey`)."""
    words = [w.lower() for w in _WORDS.findall(key)]
    if not words or words[0] == "existing" or words[-1] in _NAMING_LAST:
        return False
    if words[-1] == "key" and len(words) > 1 and words[-2] in _KEY_OWNERS:
        return False  # `passwordKey: admin-password` names a key inside a Secret
    pairs = set(zip(words, words[1:], strict=False))
    return any(w in _SECRET_WORDS for w in words) or bool(pairs & _SECRET_PAIRS)


def literal_value(value: str) -> bool:
    text = value.strip()
    if not text or "${" in text or "{{" in text or text.startswith(("$", "/")):
        return False
    return text.lower() not in _PLAIN_WORDS and not text.replace(".", "").isdigit()


def names_the_credential(key: str) -> bool:
    """Is the credential the last word of `key` (`POSTGRES_PASSWORD`, `apiToken`), not a setting about it?"""
    words = [w.lower() for w in _WORDS.findall(key)]
    return bool(words) and (words[-1] in _SECRET_WORDS or tuple(words[-2:]) in _CREDENTIAL_ENDS)


def literal_credential(key: str, value: object) -> str | None:
    """The text of a credential written out as `key: value`, or None.

    Text counts unless it is a reference, a path or a plain word. A number
    (`80412993`, quoted or not) counts under a key that ends in the credential
    itself and when it has enough digits to be one: `PASSWORD_MAX_AGE: 90` is a
    setting and `MYSQL_RANDOM_ROOT_PASSWORD: 1` a flag, neither a password.
    """
    if isinstance(value, bool) or not isinstance(value, str | int | float) or not credential_key(key):
        return None
    text = str(value).strip()
    if _NUMBER.fullmatch(text):
        digits = sum(c.isdigit() for c in text)
        return text if digits >= _MIN_NUMERIC_DIGITS and names_the_credential(key) else None
    return text if isinstance(value, str) and literal_value(text) else None


def masked(value: str) -> str:
    text = value.strip()
    return f"{text[:2]}****" if len(text) > 2 else "****"


def _scalars(value: object, path: YamlPath, key: str = "") -> Iterator[tuple[YamlPath, str, object]]:
    """(path, nearest mapping key, value) for every string and number in a value tree."""
    if isinstance(value, str | int | float) and not isinstance(value, bool):
        yield path, key, value
    elif isinstance(value, dict):
        for k, item in value.items():
            yield from _scalars(item, (*path, k), str(k))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _scalars(item, (*path, index), key)


def _literals(
    platform: Platform, source: object, path: YamlPath
) -> Iterator[tuple[YamlPath, str, str, Mark | None]]:
    """(path, setting, masked value, mark) of every credential written as plain text below `source`."""
    for where, key, value in _scalars(source, path):
        written = literal_credential(key, value)
        if written is not None and "\n" not in written:
            yield where, key, masked(written), None
            continue
        if not isinstance(value, str):
            continue
        url = _URL_PASSWORD.search(value)
        password = literal_credential("password", url.group(1)) if url else None
        if url and password is not None:
            yield (
                where,
                f"{key} (a URL password)",
                masked(password),
                text_mark(platform, where, value, url.start(1)),
            )
            continue
        for offset, name, written in _settings_in(value):
            yield where, name, masked(written), text_mark(platform, where, value, offset)
            break


def _settings_in(value: str) -> Iterator[tuple[int, str, str]]:
    """(offset, name, credential) of the settings written inside text: `key = value` or `key: value`
    lines of a file, and `"key": "value"` pairs of JSON, on any line."""
    lines = list(lines_of(value)) if "\n" in value else [(0, value)]
    for offset, line in lines:
        match = _LINE.match(line) if "\n" in value else None
        written = literal_credential(match.group(1), match.group(2)) if match else None
        if match and written is not None:
            yield offset, match.group(1), written
            continue
        for pair in _JSON_PAIR.finditer(line):
            written = literal_credential(pair.group(1), pair.group(2))
            if written is not None:
                yield offset + pair.start(), pair.group(1), written


def _component_sources(component: Component) -> Iterator[tuple[str, object]]:
    """(key, value) of what a component passes to its program that could hold a credential.

    In `env`, `{secret: item, key: key}` is how a credential *should* arrive: only plain values count.
    """
    plain = {e.name: e.value for e in component.env if e.secret is None}
    if plain:
        yield "env", plain
    for key, value in component.settings():
        if key in ("values", "files"):
            yield key, value


_FIXES = {
    "env": "use {secret: <item>, key: <key>}",
    "values": "point the chart at a declared secret item (existingSecret)",
    "files": "pass it in through an env var read from a secret item",
}


define(
    "PC404",
    "secrets",
    ERROR,
    "Literal credential in platform.yaml",
    why="""A password, token or key written as a plain value (an env var, a chart value or a
    file line whose name says password, secret, token, api-key, access-key, private-key or
    credential, a `"password": "…"` pair of JSON, or a password inside a URL) is committed
    to Git and rendered into manifests for everyone who can read them. Nothing secret is
    ever rendered. The message shows only the first two characters. A number is a password
    too (`ADMIN_PASSWORD: 80412993`, quoted or not) when the name ends in the credential and
    it has at least four digits; `MYSQL_RANDOM_ROOT_PASSWORD: 1` or `PASSWORD_MAX_AGE: 90`
    are settings. References, `${…}` text, file paths and empty values are not credentials.
    Suppressible: the detection reads names, not meaning.""",
    fix="Store the value in the secret store, declare it under `spec.secrets.items`, and read it "
    "with `{secret: <item>, key: <key>}` (or a chart's `existingSecret`).",
    bad="""
    env:
      POSTGRESQL_PASSWORD: hunter2
    """,
    good="""
    env:
      POSTGRESQL_PASSWORD: {secret: kong-db, key: password}
    """,
    suppressible=True,
)


@check("PC404")
def literal_credentials(platform: Platform) -> Iterator[Hit]:
    for component in platform.components():
        for source, value in _component_sources(component):
            for path, key, shown, mark in _literals(platform, value, (*component.path, source)):
                yield Hit(
                    "PC404",
                    f"{component.name}: {key} holds a literal credential ({shown}); nothing secret may "
                    f"be written in platform.yaml: put it in the secret store, declare it under "
                    f"spec.secrets.items and {_FIXES[source]}",
                    path,
                    mark=mark,
                    component=component,
                )
    store = platform.secrets.store
    if store is None:
        return
    for path, key, shown, mark in _literals(platform, store.written, store.path):
        yield Hit(
            "PC404",
            f"secret store: {key} holds a literal credential ({shown}); authenticate the store "
            f"without a written secret (e.g. Kubernetes auth)",
            path,
            mark=mark,
        )
