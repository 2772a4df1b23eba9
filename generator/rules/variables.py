"""Variables: `$(VAR)` a container does not define, or defines later (PC114); `${ENV:X}` in a file the
component does not define (PC115). The judgement is generator.rules.values.variables."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from generator.model.types import Component, Platform
from generator.rules.engine import Hit, check
from generator.rules.support import text_mark
from generator.rules.values.variables import env_problems, env_reads, undefined_in_args


def _env(platform: Platform, component: Component) -> list[tuple[str, str | None]]:
    env = platform.doc.get((*component.path, "env"))
    if not isinstance(env, dict):
        return []
    return [(str(k), v if isinstance(v, str) else None) for k, v in env.items()]


@check("PC114")
def variable_references(platform: Platform) -> Iterator[Hit]:
    for component in platform.components():
        if component.kind != "workload":
            continue
        env = _env(platform, component)
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
        for key in ("command", "args"):
            args: Any = platform.doc.get((*component.path, key))
            strings = [str(a) for a in args] if isinstance(args, list) else []
            for index, name in undefined_in_args(strings, defined):
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
        files = platform.doc.get((*component.path, "files"))
        if not isinstance(files, dict):
            continue
        defined = {name for name, _ in _env(platform, component)}
        for file, content in files.items():
            path = (*component.path, "files", file)
            for offset, name in env_reads(content) if isinstance(content, str) else ():
                if name not in defined:
                    yield Hit(
                        "PC115",
                        f"{component.name}: {file} reads ${{ENV:{name}}}, but {component.name} defines no "
                        f"env var {name}; the program fails to start (or reads it empty): add it to env",
                        path,
                        mark=text_mark(platform, path, content, offset),
                        component=component,
                    )
