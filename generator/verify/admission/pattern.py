"""Kyverno's `validate.pattern` walk (pkg/engine/validate): a resource against a pattern tree.

`match_pattern` returns None when the resource matches, else a `Mismatch`; a mismatch raised by a
conditional or global anchor is a skip (the rule does not apply), any other is a failure.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from generator.verify.admission import anchors, values, wildcard
from generator.verify.admission.anchors import Anchor

_SCALAR = (str, int, float, bool, type(None))


@dataclass(frozen=True)
class Mismatch:
    path: str
    message: str
    skip: bool = False


def match_pattern(resource: Any, pattern: Any) -> Mismatch | None:
    return _element(resource, pattern, "/")


def _element(resource: Any, pattern: Any, path: str) -> Mismatch | None:
    if isinstance(pattern, dict):
        if not isinstance(resource, dict):
            return Mismatch(path, f"expected an object at {path}, found {_type(resource)}")
        return _map(resource, pattern, path)
    if isinstance(pattern, list):
        if not isinstance(resource, list):
            return Mismatch(path, f"expected a list at {path}, found {_type(resource)}")
        return _array(resource, pattern, path)
    if isinstance(pattern, _SCALAR):
        items = resource if isinstance(resource, list) else [resource]
        for item in items:
            if not values.validate(item, pattern):
                return Mismatch(path, f"value {_show(resource)} does not match {_show(pattern)} at {path}")
        return None
    return Mismatch(path, f"pattern contains an unknown type at {path}")


Plan = tuple[tuple[str, Anchor | None], ...]
_PLANS: dict[int, tuple[dict[str, Any], Plan]] = {}


def _plan(pattern: dict[str, Any]) -> Plan:
    """The order a pattern map's keys are checked in, worked out once per pattern object.

    Anchors first, conditions before the others (Kyverno walks a Go map in no fixed order;
    "if-then" is the documented intent), then global anchors and keys holding nested anchors.
    """
    known = _PLANS.get(id(pattern))
    if known is not None and known[0] is pattern:
        return known[1]
    first: list[tuple[bool, str, Anchor | None]] = []
    rest: list[tuple[bool, bool, str, Anchor | None]] = []
    for key in pattern:
        anchor = anchors.parse(key)
        if anchor is not None and anchor.modifier not in (anchors.GLOBAL, anchors.ADD_IF_NOT_PRESENT):
            first.append((anchor.modifier != anchors.CONDITION, key, anchor))
        else:
            rest.append((anchor is None, not anchors.has_nested_anchor(pattern[key]), key, anchor))
    plan = tuple((k, a) for _, k, a in sorted(first, key=lambda i: i[:2])) + tuple(
        (k, a) for _, _, k, a in sorted(rest, key=lambda i: i[:3])
    )
    if len(_PLANS) > 65536:
        _PLANS.clear()
    _PLANS[id(pattern)] = (pattern, plan)
    return plan


def _map(resource: dict[str, Any], pattern: dict[str, Any], path: str) -> Mismatch | None:
    pattern = expand_metadata(pattern, resource)
    for key, anchor in _plan(pattern):
        found = (
            _anchor(anchor, resource, pattern[key], path)
            if anchor is not None
            else _plain(key, resource, pattern[key], path)
        )
        if found is not None:
            return found
    return None


def _plain(key: str, resource: dict[str, Any], pattern: Any, path: str) -> Mismatch | None:
    if pattern == "*":
        if resource.get(key) is None:
            return Mismatch(path, f"{path}{key} is required")
        return None
    return _element(resource.get(key), pattern, f"{path}{key}/")


def _anchor(anchor: Anchor, resource: dict[str, Any], pattern: Any, path: str) -> Mismatch | None:
    here = f"{path}{anchor.key}/"
    present = anchor.key in resource
    value = resource.get(anchor.key)
    if anchor.modifier == anchors.NEGATION:
        return Mismatch(here, f"{here} is not allowed") if present else None
    if anchor.modifier == anchors.EQUALITY:
        return _element(value, pattern, here) if present else None
    if anchor.modifier == anchors.CONDITION:
        if not present:
            return Mismatch(here, f"conditional anchor key {anchor.key} is not in the resource", skip=True)
        found = _element(value, pattern, here)
        return Mismatch(found.path, f"conditional anchor mismatch: {found.message}", True) if found else None
    if anchor.modifier == anchors.GLOBAL:
        found = _element(value, pattern, here) if present else None
        return Mismatch(found.path, f"global anchor mismatch: {found.message}", True) if found else None
    if anchor.modifier == anchors.EXISTENCE:
        return _existence(value, pattern, here) if present else None
    return None  # +(key) only acts in mutate rules


def _existence(resource: Any, pattern: Any, path: str) -> Mismatch | None:
    if not isinstance(resource, list):
        return Mismatch(path, f"existence anchor ^() needs a list at {path}, found {_type(resource)}")
    if not isinstance(pattern, list):
        return Mismatch(path, f"existence anchor ^() needs a list pattern at {path}")
    for item in pattern:
        if not isinstance(item, dict):
            return Mismatch(path, f"existence anchor ^() needs objects in its list at {path}")
        if not any(_element(element, item, f"{path}{i}/") is None for i, element in enumerate(resource)):
            return Mismatch(path, f"no element at {path} matches the existence anchor")
    return None


def _array(resource: list[Any], pattern: list[Any], path: str) -> Mismatch | None:
    if not pattern:
        return Mismatch(path, f"empty pattern list at {path}")
    first = pattern[0]
    if isinstance(first, dict):
        return _each(resource, [first] * len(resource), path)
    if isinstance(first, _SCALAR):
        return _element(resource, first, path)
    if len(resource) < len(pattern):
        return Mismatch(path, f"list at {path} has {len(resource)} items, the pattern {len(pattern)}")
    return _each(resource[: len(pattern)], pattern, path)


def _each(resource: list[Any], pattern: list[Any], path: str) -> Mismatch | None:
    applied = 0
    skipped: list[Mismatch] = []
    for index, (element, item) in enumerate(zip(resource, pattern, strict=True)):
        found = _element(element, item, f"{path}{index}/")
        if found is None:
            applied += 1
        elif found.skip:
            skipped.append(found)
        else:
            return found
    if applied == 0 and skipped:
        return Mismatch(path, "; ".join(s.message for s in skipped), skip=True)
    return None


def expand_metadata(pattern: dict[str, Any], resource: dict[str, Any]) -> dict[str, Any]:
    """Wildcard keys under metadata.labels/annotations become the resource's matching keys.

    Kyverno takes one matching key (Go map order); every matching key is checked here, so a
    resource that Kyverno may reject is never reported as passing.
    """
    meta_key = _tag("metadata", pattern)
    resource_meta = resource.get("metadata")
    if meta_key is None or not isinstance(pattern[meta_key], dict) or not isinstance(resource_meta, dict):
        return pattern
    metadata = dict(pattern[meta_key])
    for tag in ("labels", "annotations"):
        key = _tag(tag, metadata)
        if key is None or not isinstance(metadata[key], dict) or not isinstance(resource_meta.get(tag), dict):
            continue
        metadata[key] = _expand(metadata[key], resource_meta[tag])
    return {**pattern, meta_key: metadata}


def _expand(pattern: dict[str, Any], resource: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in pattern.items():
        anchor = anchors.parse(key)
        bare = anchor.key if anchor else key
        if not wildcard.contains_wildcard(bare):
            out[key] = value
            continue
        names = sorted(k for k in resource if wildcard.match(bare, k)) or [bare]
        for name in names:
            out[f"{anchor.modifier}({name})" if anchor else name] = value
    return out


def _tag(tag: str, pattern: dict[str, Any]) -> str | None:
    for key in pattern:
        if anchors.key_of(key) == tag:
            return key
    return None


def _type(value: Any) -> str:
    return "nothing" if value is None else type(value).__name__


def _show(value: Any) -> str:
    return f"'{value}'" if isinstance(value, str) else json.dumps(value, default=str)
