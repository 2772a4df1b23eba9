"""`${secret:<item>.<key>}` inside strings: env values and mounted files.

A secret can stand inside a string (a DSN, a JDBC URL) without its value ever
being rendered. In `env`, each distinct secret key becomes a generated variable
read from the Secret (`secretKeyRef`), placed just before the first variable
that uses it, and the token becomes Kubernetes' `$(VAR)` expansion: Kubernetes
expands only variables defined earlier in the list, so the order is the
contract. The model's `env` holds the generated entries in that order, so a
check of `$(VAR)` references sees them like any other variable. In `files`,
a file with a token is rendered from the secret by an ExternalSecret template
(`generator.emit.secret_files`), never into a ConfigMap.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from generator.load.document import YamlPath
from generator.model.parts import EnvVar, SecretUse

# `${secret:minio-root.root-password}`: an item (a Kubernetes name) and one of its keys.
SECRET_TOKEN = re.compile(r"\$\{secret:([a-z0-9](?:[-a-z0-9]*[a-z0-9])?)\.([-._a-zA-Z0-9]+)\}")
GENERATED_PREFIX = "PLATFORMC_SECRET_"
# Anything written as a secret token, well-formed or not (a malformed one is PC430).
ANY_SECRET_TOKEN = re.compile(r"\$\{secret:[^}]*\}")


def secret_tokens(text: str) -> Iterator[tuple[str, str, str]]:
    """(token as written, item, key) of every well-formed secret token in `text`, in order."""
    for match in SECRET_TOKEN.finditer(text):
        yield match.group(0), match.group(1), match.group(2)


def malformed_tokens(text: str) -> list[str]:
    """Every `${secret:…}` in `text` that does not read `<item>.<key>`."""
    return [m.group(0) for m in ANY_SECRET_TOKEN.finditer(text) if not SECRET_TOKEN.fullmatch(m.group(0))]


def variable_name(item: str, key: str) -> str:
    """`${secret:minio-root.root-password}` -> `PLATFORMC_SECRET_MINIO_ROOT__ROOT_PASSWORD`."""
    return f"{GENERATED_PREFIX}{_upper(item)}__{_upper(key)}"


def _upper(text: str) -> str:
    return re.sub(r"[^A-Z0-9]", "_", text.upper())


def _unique(base: str, taken: set[str]) -> str:
    name, suffix = base, 2
    while name in taken:
        name, suffix = f"{base}_{suffix}", suffix + 1
    return name


def interpolate_env(entries: tuple[EnvVar, ...]) -> tuple[EnvVar, ...]:
    """The env list with one generated secret variable before the first use of each secret key.

    Names are deterministic (`variable_name`), and a name another variable of the
    component already has (or that two keys would share) gets `_2`, `_3`… in
    document order, so no generated variable ever shadows a written one.
    """
    taken = {entry.name for entry in entries}
    generated: dict[tuple[str, str], str] = {}
    out: list[EnvVar] = []
    for entry in entries:
        tokens = list(secret_tokens(entry.value)) if isinstance(entry.value, str) else []
        if not tokens:
            out.append(entry)
            continue
        value = str(entry.value)
        for token, item, key in tokens:
            if (item, key) not in generated:
                name = _unique(variable_name(item, key), taken)
                taken.add(name)
                generated[(item, key)] = name
                use = SecretUse(item, key, entry.name, entry.path)
                out.append(EnvVar(name, None, use, entry.path, generated_for=entry.name))
            value = value.replace(token, f"$({generated[(item, key)]})")
        out.append(EnvVar(entry.name, value, None, entry.path, written=entry.value))
    return tuple(out)


def template_key(item: str, key: str) -> str:
    """The ExternalSecret data key (and Go template field) one secret key is fetched under."""
    return re.sub(r"[^a-zA-Z0-9]", "_", f"{item}__{key}")


def file_secrets(content: str, path: YamlPath, mount: str) -> tuple[SecretUse, ...]:
    """Each distinct secret key a file's content reads, in order of first use."""
    seen: dict[tuple[str, str], SecretUse] = {}
    for _, item, key in secret_tokens(content):
        seen.setdefault((item, key), SecretUse(item, key, mount, path))
    return tuple(seen.values())
