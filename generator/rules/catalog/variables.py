"""Variables a container reads: `$(VAR)` in command, args and env; `${ENV:X}` in its files."""

from __future__ import annotations

from generator.findings import Severity
from generator.rules.engine import define

define(
    "PC114",
    "wiring",
    Severity.ERROR,
    "Variable reference Kubernetes leaves unexpanded",
    why="""Kubernetes expands `$(NAME)` in `command` and `args` from the container's env vars, and
    in an env value from the env vars defined *before* it (env is rendered in the order
    written; an overlay's new vars come last). A name it does not know, or one defined further
    down, is left as the text `$(NAME)`, and the program gets that instead of the value.
    `$$(NAME)` is the literal text and is not judged; neither are lower-case names
    (`$(hostname)` in `sh -c` is the shell's) or the variables Service links provide
    (`KUBERNETES_SERVICE_HOST`, `<SVC>_SERVICE_PORT`). Suppressible.""",
    fix="Define the variable in `env`, above the one that reads it.",
    bad="""
    env:
      JDBC_URL: "jdbc:postgresql://db/app?password=$(DB_PASSWORD)"
      DB_PASSWORD: {secret: app-db, key: password}
    """,
    good="""
    env:
      DB_PASSWORD: {secret: app-db, key: password}
      JDBC_URL: "jdbc:postgresql://db/app?password=$(DB_PASSWORD)"
    """,
    suppressible=True,
)
define(
    "PC115",
    "wiring",
    Severity.ERROR,
    "Configuration file reads an undefined env var",
    why="""A file that reads `${ENV:NAME}` (Trino's catalog properties, and other programs using
    the same syntax) needs NAME in the component's env. Without it Trino refuses to start
    (`Environment variable is not set`); other programs read an empty string. Suppressible,
    for a program that gets the variable some other way.""",
    fix="Add the variable to the component's `env` (from a secret item when it is a credential).",
    bad="""
    env: {}
    files:
      /etc/trino/catalog/hive.properties: |
        s3.aws-access-key=${ENV:AWS_ACCESS_KEY_ID}
    """,
    good="""
    env:
      AWS_ACCESS_KEY_ID: {secret: minio-trino, key: access-key}
    files:
      /etc/trino/catalog/hive.properties: |
        s3.aws-access-key=${ENV:AWS_ACCESS_KEY_ID}
    """,
    suppressible=True,
)
