"""Overlay semantics: maps merge key by key, lists and scalars replace, `null` removes.

Every merged value keeps the position of the file it came from, so a finding
about a value an overlay set points into the overlay. Only mappings merge: a
file whose document is not one (a list, a scalar, an empty platform.yaml) is
passed on as it is, the base before the overlay since every environment shares
it, so validate reports it at its own file instead of at the other one.
"""

from __future__ import annotations

from typing import Any

from generator.findings import Mark
from generator.load.document import Document, YamlPath


def merge_overlay(base: Document, overlay: Document) -> Document:
    if overlay.data is None or not isinstance(base.data, dict):
        return base  # an empty overlay changes nothing; a broken base is the first thing to fix
    if not isinstance(overlay.data, dict):
        return overlay
    from_overlay: set[YamlPath] = set()
    removed: list[YamlPath] = []
    data = _merge(base.data, overlay.data, (), from_overlay, removed)
    keys: dict[YamlPath, Mark] = {}
    values: dict[YamlPath, Mark] = {}
    _collect_marks(data, (), False, from_overlay, base, overlay, keys, values)
    nulls = {path: overlay.mark(path, prefer_key=True) for path in removed}
    return Document(data=data, file=base.file, keys=keys, values=values, removed=nulls)


def _merge(base: Any, over: Any, path: YamlPath, from_overlay: set[YamlPath], removed: list[YamlPath]) -> Any:
    if isinstance(base, dict) and isinstance(over, dict):
        merged = dict(base)
        for key, value in over.items():
            child = (*path, key)
            if value is None:
                merged.pop(key, None)
                removed.append(child)
            elif isinstance(merged.get(key), dict) and isinstance(value, dict):
                merged[key] = _merge(merged[key], value, child, from_overlay, removed)
            else:
                merged[key] = value
                from_overlay.add(child)
        return merged
    from_overlay.add(path)
    return over


def _collect_marks(
    data: Any,
    path: YamlPath,
    overlaid: bool,
    from_overlay: set[YamlPath],
    base: Document,
    overlay: Document,
    keys: dict[YamlPath, Mark],
    values: dict[YamlPath, Mark],
) -> None:
    overlaid = overlaid or path in from_overlay
    source = overlay if overlaid else base
    if path in source.keys:
        keys[path] = source.keys[path]
    if path in source.values:
        values[path] = source.values[path]
    elif not overlaid and path in overlay.values:
        values[path] = overlay.values[path]
    if isinstance(data, dict):
        for key, value in data.items():
            _collect_marks(value, (*path, key), overlaid, from_overlay, base, overlay, keys, values)
    elif isinstance(data, list):
        for index, value in enumerate(data):
            _collect_marks(value, (*path, index), overlaid, from_overlay, base, overlay, keys, values)
