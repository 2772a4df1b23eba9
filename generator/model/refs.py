"""`${ref:…}` and `${host:…}`: finding them in text and resolving them."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from typing import Any

from generator.load.document import YamlPath
from generator.model.parts import MalformedReference, Reference

__all__ = ["MalformedReference", "Reference", "parse_references", "references_in", "substitute_all"]

# `${ref:app/component.port}`, `${host:component}`. Text such as Trino's own
# `${ENV:NAME}` does not match and passes through untouched.
REFERENCE = re.compile(r"\$\{(ref|host):([^}]*)\}")
_TARGET = re.compile(
    r"^(?:(?P<app>[a-z0-9][-a-z0-9]*)/)?(?P<component>[a-z0-9][-a-z0-9]*)(?:\.(?P<port>[a-z0-9][-a-z0-9]*))?$"
)


def parse_references(text: str, path: YamlPath) -> Iterator[Reference | MalformedReference]:
    for match in REFERENCE.finditer(text):
        kind, target = match.group(1), match.group(2).strip()
        parsed = _TARGET.match(target)
        if (
            parsed is None
            or (kind == "ref" and not parsed.group("port"))
            or (kind == "host" and parsed.group("port"))
        ):
            yield MalformedReference(match.group(0), path)
            continue
        yield Reference(
            kind="ref" if kind == "ref" else "host",
            text=match.group(0),
            app=parsed.group("app"),
            component=parsed.group("component"),
            port=parsed.group("port"),
            path=path,
        )


def references_in(value: Any, path: YamlPath) -> Iterator[Reference | MalformedReference]:
    """Every reference in every string below `value` (keys included)."""
    if isinstance(value, str):
        yield from parse_references(value, path)
    elif isinstance(value, dict):
        for key, item in value.items():
            if isinstance(key, str) and "${" in key:
                yield from parse_references(key, (*path, key))
            yield from references_in(item, (*path, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from references_in(item, (*path, index))


def substitute(text: str, resolve: Callable[[Reference], str | None]) -> str:
    """Replace every well-formed reference that `resolve` knows; leave the rest as written."""

    def replace(match: re.Match[str]) -> str:
        for ref in parse_references(match.group(0), ()):
            if isinstance(ref, Reference):
                resolved = resolve(ref)
                if resolved is not None:
                    return resolved
        return match.group(0)

    return REFERENCE.sub(replace, text)


def substitute_all(value: Any, resolve: Callable[[Reference], str | None]) -> Any:
    if isinstance(value, str):
        return substitute(value, resolve) if "${" in value else value
    if isinstance(value, dict):
        return {substitute_all(k, resolve): substitute_all(v, resolve) for k, v in value.items()}
    if isinstance(value, list):
        return [substitute_all(v, resolve) for v in value]
    return value
