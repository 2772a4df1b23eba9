"""Variables: `$(VAR)` a container does not define, or defines later (PC114); `${ENV:X}` in a file the
component does not define (PC115). The judgement is generator.rules.values.variables."""

from __future__ import annotations

from collections.abc import Iterator

from generator.findings import Severity
from generator.model.types import Component, Platform
from generator.rules.registry import Hit, check, define
from generator.rules.support import text_mark
from generator.rules.values.variables import env_problems, env_reads, undefined_in_args

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


def _env(component: Component) -> list[tuple[str, str | None]]:
    return [(e.name, e.value if isinstance(e.value, str) else None) for e in component.env]


@check("PC114")
def variable_references(platform: Platform) -> Iterator[Hit]:
    for component in platform.components():
        if component.kind != "workload":
            continue
        env = _env(component)
        for index, name, later in env_problems(env):
            where = "is defined after it" if later else "is not defined in the container"
            yield Hit(
                "PC114",
                f"{component.name}: env {env[index][0]} reads $({name}), which {where}; Kubernetes "
                f"expands only variables defined earlier in env and leaves the text `$({name})` as it "
                f"is: {'move it above' if later else 'define it in env'} (or write `$$({name})` for "
                f"the literal text)",
                (*component.path, "env", env[index][0]),
                component=component,
            )
        defined = {name for name, _ in env}
        for key, args in (("command", component.command), ("args", component.args)):
            for index, name in undefined_in_args(list(args or ()), defined):
                yield Hit(
                    "PC114",
                    f"{component.name}: {key}[{index}] reads $({name}), which no env var of the container "
                    f"defines; Kubernetes leaves the text `$({name})` as it is: define it in env (or "
                    f"write `$$({name})` for the literal text)",
                    (*component.path, key, index),
                    component=component,
                )


@check("PC115")
def file_environment_reads(platform: Platform) -> Iterator[Hit]:
    for component in platform.components():
        if component.kind != "workload":
            continue
        defined = {name for name, _ in _env(component)}
        for file in component.files:
            path, content = file.path, file.content
            for offset, name in env_reads(content):
                if name not in defined:
                    yield Hit(
                        "PC115",
                        f"{component.name}: {file.mount} reads ${{ENV:{name}}}, but {component.name} defines "
                        f"no env var {name}; the program fails to start (or reads it empty): add it to env",
                        path,
                        mark=text_mark(platform, path, content, offset),
                        component=component,
                    )
