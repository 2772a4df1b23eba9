"""Helm values maps merged key by key, for the rules (a chart's defaults) and verify (`-f a -f b`)."""

from __future__ import annotations

from typing import Any


def merge_maps(base: dict[str, Any], over: dict[str, Any]) -> dict[str, Any]:
    """`over` on `base`: maps merge key by key, anything else (a `null` too) replaces.

    The way Helm layers values files, and coalesces a parent's values onto a dependency's.
    """
    out = dict(base)
    for key, value in over.items():
        if isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = merge_maps(out[key], value)
        else:
            out[key] = value
    return out
