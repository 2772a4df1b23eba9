"""What a chart's values.schema.json says of one place in its values: the keys it accepts, the types.

Only what the values contract needs: local `$ref`s, `allOf`/`anyOf`/`oneOf`
(taken together: a key or type any branch accepts is accepted), `properties`,
`patternProperties`, `additionalProperties` and `type`.
"""

from __future__ import annotations

import re
from typing import Any

_REF_DEPTH = 32
_SCHEMA_KINDS = {
    "object": "map",
    "array": "list",
    "string": "string",
    "boolean": "boolean",
    "number": "number",
    "integer": "number",
    "null": "null",
}


def _resolve(node: Any, root: dict[str, Any] | None) -> dict[str, Any] | None:
    for _ in range(_REF_DEPTH):
        if not isinstance(node, dict):
            return None
        ref = node.get("$ref")
        if not isinstance(ref, str) or not ref.startswith("#") or root is None:
            return node
        target: Any = root
        for part in [p for p in ref[1:].split("/") if p]:
            target = (
                target.get(part.replace("~1", "/").replace("~0", "~")) if isinstance(target, dict) else None
            )
        node = target
    return None


def _branches(node: dict[str, Any] | None, root: dict[str, Any] | None) -> list[dict[str, Any]]:
    """The node and the subschemas it combines (allOf, anyOf, oneOf), `$ref`s followed."""
    resolved = _resolve(node, root)
    if resolved is None:
        return []
    out = [resolved]
    for combinator in ("allOf", "anyOf", "oneOf"):
        for sub in resolved.get(combinator) or []:
            branch = _resolve(sub, root)
            if branch is not None:
                out.append(branch)
    return out


def schema_child(
    node: dict[str, Any] | None, root: dict[str, Any] | None, key: str
) -> tuple[bool, dict[str, Any] | None]:
    """Whether the schema accepts `key` in this object, and the schema of its value if it says one."""
    for branch in _branches(node, root):
        properties = branch.get("properties")
        if isinstance(properties, dict) and key in properties:
            return True, _resolve(properties[key], root)
        for pattern, sub in (branch.get("patternProperties") or {}).items():
            if _matches(pattern, key):
                return True, _resolve(sub, root)
        additional = branch.get("additionalProperties")
        if isinstance(additional, dict):
            return True, _resolve(additional, root)
    return False, None


def schema_openness(node: dict[str, Any] | None, root: dict[str, Any] | None) -> bool | None:
    """True: an object that lists no properties; False: one that does; None: the schema does not say."""
    branches = _branches(node, root)
    if not branches:
        return None
    closed = any(
        b.get("properties") or b.get("patternProperties") or b.get("additionalProperties") is False
        for b in branches
    )
    if closed:
        return any(b.get("additionalProperties") is True for b in branches)
    says_object = any(_SCHEMA_KINDS.get(str(t)) == "map" for b in branches for t in _types(b))
    return True if says_object or "additionalProperties" in branches[0] else None


def schema_kinds(node: dict[str, Any] | None, root: dict[str, Any] | None) -> set[str]:
    kinds: set[str] = set()
    for branch in _branches(node, root):
        kinds.update(_SCHEMA_KINDS.get(str(t), "any") for t in _types(branch))
    return set() if "any" in kinds else kinds


def _types(branch: dict[str, Any]) -> list[Any]:
    declared = branch.get("type")
    if isinstance(declared, list):
        return declared
    return [declared] if declared is not None else []


def schema_properties(node: dict[str, Any] | None, root: dict[str, Any] | None) -> set[str]:
    names: set[str] = set()
    for branch in _branches(node, root):
        properties = branch.get("properties")
        if isinstance(properties, dict):
            names.update(str(k) for k in properties)
    return names


def _matches(pattern: str, key: str) -> bool:
    try:
        return re.search(pattern, key) is not None
    except re.error:
        return False
