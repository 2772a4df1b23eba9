"""`ignoreDifferences` entries of an application or a component, as Argo CD reads them."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from generator.load.document import YamlPath


@dataclass(frozen=True)
class DiffIgnore:
    """Fields of matching objects that Argo CD leaves out of its diff (and, with
    RespectIgnoreDifferences, out of its sync): JSON pointers, jq paths, or whatever
    the named field managers own."""

    kind: str
    group: str = ""
    name: str | None = None
    namespace: str | None = None
    json_pointers: tuple[str, ...] = ()
    jq_paths: tuple[str, ...] = ()
    managers: tuple[str, ...] = ()
    path: YamlPath = ()


def _strings(value: object) -> tuple[str, ...]:
    return tuple(str(v) for v in value) if isinstance(value, list) else ()


def read_diff_ignores(spec: Mapping[str, Any], path: YamlPath) -> tuple[DiffIgnore, ...]:
    """The `ignoreDifferences:` list of `spec` (schema-valid), in the order written."""
    entries = spec.get("ignoreDifferences")
    if not isinstance(entries, list):
        return ()
    out = []
    for index, entry in enumerate(entries):
        if not isinstance(entry, dict):
            continue
        name, namespace = entry.get("name"), entry.get("namespace")
        out.append(
            DiffIgnore(
                kind=str(entry.get("kind", "")),
                group=str(entry.get("group", "")),
                name=None if name is None else str(name),
                namespace=None if namespace is None else str(namespace),
                json_pointers=_strings(entry.get("jsonPointers")),
                jq_paths=_strings(entry.get("jqPathExpressions")),
                managers=_strings(entry.get("managedFieldsManagers")),
                path=(*path, "ignoreDifferences", index),
            )
        )
    return tuple(out)
