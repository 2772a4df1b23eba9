"""Variable references as Kubernetes expands them, and `${ENV:X}` as configuration files read them.

Kubernetes expands `$(NAME)` in a container's command and args from all of its
environment variables, and in an env value from the variables defined *before*
it in the list; `$$` is a literal `$`, and a reference to a name it does not know
stays as written (third_party/forked/golang/expansion). So `$(DB_URL)` that no
env var defines, or one defined further down, reaches the program as the text
`$(DB_URL)`.

Only upper-case names are judged: `$(hostname)` in `sh -c` is the shell's
command substitution, which Kubernetes passes through as intended. The
variables of Service links (`KUBERNETES_SERVICE_HOST`, `<SVC>_SERVICE_PORT`, …)
are there without being declared.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence

_NAME = re.compile(r"[A-Z_][A-Z0-9_]*")
_SERVICE_LINK = re.compile(r"[A-Z0-9_]+_(SERVICE_HOST|SERVICE_PORT(_[A-Z0-9_]+)?|PORT(_[A-Z0-9_]+)?)")
_ENV_READ = re.compile(r"\$\{ENV:([^}]*)\}")


def references(text: str) -> Iterator[tuple[int, str]]:
    """(offset, name) of every `$(NAME)` Kubernetes would try to expand in `text`."""
    index = 0
    while True:
        index = text.find("$", index)
        if index < 0 or index + 1 >= len(text):
            return
        following = text[index + 1]
        if following == "$":
            index += 2  # `$$` is a literal `$`
            continue
        if following == "(":
            close = text.find(")", index + 2)
            if close < 0:
                return
            yield index, text[index + 2 : close]
            index = close + 1
            continue
        index += 1


def judged(name: str) -> bool:
    """An environment variable's name by convention, and not one a Service link provides."""
    return bool(_NAME.fullmatch(name)) and not _SERVICE_LINK.fullmatch(name)


def env_problems(env: Sequence[tuple[str, str | None]]) -> list[tuple[int, str, bool]]:
    """(index of the env var, name it references, whether it is defined later) for each reference
    Kubernetes leaves unexpanded; `env` is (name, value or None for a secret) in order."""
    position = {name: index for index, (name, _) in reversed(list(enumerate(env)))}
    out: list[tuple[int, str, bool]] = []
    for index, (_, value) in enumerate(env):
        for _, name in references(value or ""):
            defined_at = position.get(name)
            if judged(name) and (defined_at is None or defined_at >= index):
                out.append((index, name, defined_at is not None))
    return out


def undefined_in_args(args: Sequence[str], defined: set[str]) -> list[tuple[int, str]]:
    """(index, name) for each `$(NAME)` in command or args that no env var of the container defines."""
    return [
        (index, name)
        for index, arg in enumerate(args)
        for _, name in references(arg)
        if judged(name) and name not in defined
    ]


def env_reads(text: str) -> Iterator[tuple[int, str]]:
    """(offset, name) of every `${ENV:NAME}` a configuration file reads (Trino's syntax, and others')."""
    for match in _ENV_READ.finditer(text):
        yield match.start(), match.group(1)
