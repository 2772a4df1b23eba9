"""An unknown key that is really an indentation mistake: where it would be valid.

`ingress:` indented two columns too far lands under `probes:` and is unknown
there; the nearest key name (`liveness`) would be the wrong advice. So for each
mapping above the one that holds the key, nearest first: is the key valid
there (no schema problem with the key or its value once moved up), and do that mapping's
keys stand to the left of it in the same file? The first that answers yes is
where the author meant it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from generator.load.document import Document, YamlPath

# (the document's data) -> the paths of its schema problems
ProblemPaths = Callable[[Any], Iterable[YamlPath]]


def indentation_hint(doc: Document, path: YamlPath, problem_paths: ProblemPaths) -> str | None:
    """`path` ends with the unknown key; a hint when moving it left makes it valid, else None."""
    key = path[-1]
    here = doc.keys.get(path)
    if here is None:
        return None
    value = _at(doc.data, path)
    for depth in range(len(path) - 2, -1, -1):
        parent = path[:depth]
        mapping = _at(doc.data, parent)
        if not isinstance(mapping, dict) or key in mapping:
            continue
        column = _key_column(doc, parent, mapping, here.file)
        if column is None or column >= here.column:
            continue
        # Valid there: no problem with the key or its value once moved. A mapping of names (the
        # components of an application) takes any key, but not any value.
        moved = (*parent, key)
        if any(found[: len(moved)] == moved for found in problem_paths(_with(doc.data, parent, key, value))):
            continue
        shift = here.column - column
        return (
            f"it looks mis-indented: `{key}` is valid {shift} column{'s' if shift != 1 else ''} left, "
            f"under {_owner(parent)}; indent it like the keys there"
        )
    return None


_NAMED = {"components": "component", "applications": "application"}


def _owner(parent: YamlPath) -> str:
    """`the component `web` (`spec.applications.shop.components.web`)`, or the path alone."""
    dotted = f"`{'.'.join(str(p) for p in parent)}`" if parent else "the top level"
    if len(parent) >= 2 and parent[-2] in _NAMED:
        return f"the {_NAMED[str(parent[-2])]} `{parent[-1]}` ({dotted})"
    return dotted


def _at(data: Any, path: YamlPath) -> Any:
    for part in path:
        found = isinstance(data, dict) and part in data
        found = found or (isinstance(data, list) and isinstance(part, int) and 0 <= part < len(data))
        if not found:
            return None
        data = data[part]
    return data


def _key_column(doc: Document, parent: YamlPath, mapping: dict[Any, Any], file: str) -> int | None:
    """The column the keys of `parent` stand at, when they are written in `file`."""
    for name in mapping:
        mark = doc.keys.get((*parent, name))
        if mark is not None and mark.file == file:
            return mark.column
    return None


def _with(data: Any, parent: YamlPath, key: Any, value: Any) -> Any:
    """`data` with `key: value` added to the mapping at `parent`; only the mappings on the way are copied."""
    if not parent:
        return {**data, key: value}
    head, rest = parent[0], parent[1:]
    if isinstance(data, dict):
        return {**data, head: _with(data[head], rest, key, value)}
    copy = list(data)
    index = int(head)
    copy[index] = _with(data[index], rest, key, value)
    return copy
