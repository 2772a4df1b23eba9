"""`match` / `exclude` blocks and PolicyException `match` (Kyverno's pkg/utils/match)."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from generator.verify.admission import wildcard
from generator.verify.admission.model import Unsupported

_USER_KEYS = ("subjects", "roles", "clusterRoles")
_VERSION = re.compile(r"^v\d+((alpha|beta)\d+)?$|^\*$")


@dataclass(frozen=True)
class Target:
    """The resource as the matcher sees it."""

    group: str
    version: str
    kind: str
    name: str
    namespace: str
    labels: Mapping[str, str]
    annotations: Mapping[str, str]
    namespace_labels: Mapping[str, str] | None
    operation: str = "CREATE"

    @classmethod
    def of(
        cls, resource: Mapping[str, Any], namespace_labels: Mapping[str, str] | None, operation: str
    ) -> Target:
        api = str(resource.get("apiVersion", ""))
        group, _, version = api.rpartition("/")
        metadata = resource.get("metadata") or {}
        name = str(metadata.get("name") or metadata.get("generateName") or "")
        return cls(
            group=group,
            version=version,
            kind=str(resource.get("kind", "")),
            name=name,
            namespace=str(metadata.get("namespace") or ""),
            labels={str(k): str(v) for k, v in (metadata.get("labels") or {}).items()},
            annotations={str(k): str(v) for k, v in (metadata.get("annotations") or {}).items()},
            namespace_labels=namespace_labels,
            operation=operation,
        )


def rule_applies(match: Mapping[str, Any], exclude: Mapping[str, Any], target: Target) -> bool:
    """Does a rule with these blocks apply to the target (matched and not excluded)?"""
    return matches(match, target) and not _excluded(exclude, target)


def matches(block: Mapping[str, Any], target: Target) -> bool:
    """A `match` block: any (one filter), all (every filter) or the legacy single filter."""
    if block.get("any"):
        return _any(block["any"], target)
    if block.get("all"):
        return _all(block["all"], target)
    legacy = {k: block[k] for k in ("resources", *_USER_KEYS) if block.get(k)}
    return bool(legacy) and _filter(legacy, target)


def _excluded(block: Mapping[str, Any], target: Target) -> bool:
    if block.get("any"):
        return _any([f for f in block["any"] if _nonempty(f)], target)
    if block.get("all"):
        return _all([f for f in block["all"] if _nonempty(f)], target)
    legacy = {k: block[k] for k in ("resources", *_USER_KEYS) if block.get(k)}
    return bool(legacy) and _filter(legacy, target)


def _any(filters: list[Mapping[str, Any]], target: Target) -> bool:
    """One filter decides; a filter that cannot be judged only counts when none matches."""
    unknown: Unsupported | None = None
    for block in filters:
        try:
            if _filter(block, target):
                return True
        except Unsupported as e:
            unknown = e
    if unknown is not None:
        raise unknown
    return False


def _all(filters: list[Mapping[str, Any]], target: Target) -> bool:
    unknown: Unsupported | None = None
    for block in filters:
        try:
            if not _filter(block, target):
                return False
        except Unsupported as e:
            unknown = e
    if unknown is not None:
        raise unknown
    return True


def _nonempty(block: Mapping[str, Any]) -> bool:
    return any(block.get(k) for k in ("resources", *_USER_KEYS))


def _filter(block: Mapping[str, Any], target: Target) -> bool:
    """One resource filter; the requesting user is not known offline, so a filter that still
    depends on it once its resource description matches cannot be judged."""
    description = block.get("resources") or {}
    if description and not _description(description, target):
        return False
    users = [k for k in _USER_KEYS if block.get(k)]
    if users:
        raise Unsupported(f"match on the requesting user ({', '.join(users)})")
    return bool(description)


def _description(rd: Mapping[str, Any], target: Target) -> bool:
    if rd.get("kinds") and not any(kind_matches(k, target) for k in rd["kinds"]):
        return False
    if rd.get("name") and not wildcard.match(str(rd["name"]), target.name):
        return False
    if rd.get("names") and not any(wildcard.match(str(n), target.name) for n in rd["names"]):
        return False
    if rd.get("namespaces"):
        namespace = target.name if target.kind == "Namespace" else target.namespace
        if not any(wildcard.match(str(n), namespace) for n in rd["namespaces"]):
            return False
    if rd.get("annotations") and not _annotations(rd["annotations"], target.annotations):
        return False
    if rd.get("selector") and not selector_matches(rd["selector"], target.labels):
        return False
    if rd.get("namespaceSelector"):
        if target.namespace_labels is None:
            raise Unsupported("namespaceSelector without the namespace's labels")
        if not selector_matches(rd["namespaceSelector"], target.namespace_labels):
            return False
    operations = rd.get("operations")
    return not operations or target.operation in operations


def kind_matches(selector: str, target: Target) -> bool:
    """`Pod`, `v1/Pod`, `apps/v1/Deployment`, `apps/*/Deployment`, `Pod/status` (subresource)."""
    return _kind_matches(str(selector), target.group, target.version, target.kind)


@lru_cache(maxsize=4096)
def _kind_matches(selector: str, target_group: str, target_version: str, target_kind: str) -> bool:
    parts = selector.split("/")
    group, version, subresource = "*", "*", ""
    if len(parts) == 1:
        kind = parts[0]
    elif len(parts) == 2 and _VERSION.match(parts[0]):
        version, kind = parts
        group = ""
    elif len(parts) == 2:
        kind, subresource = parts
    elif len(parts) == 3:
        group, version, kind = parts
    else:
        group, version, kind, subresource = parts[:4]
    if subresource:
        return False
    return (
        wildcard.match(group, target_group)
        and wildcard.match(version, target_version)
        and wildcard.match(kind, target_kind)
    )


def _annotations(wanted: Mapping[str, Any], actual: Mapping[str, str]) -> bool:
    return all(
        any(wildcard.match(str(k), ak) and wildcard.match(str(v), av) for ak, av in actual.items())
        for k, v in wanted.items()
    )


def selector_matches(selector: Mapping[str, Any], labels: Mapping[str, str]) -> bool:
    """A LabelSelector (matchLabels with Kyverno's wildcards, matchExpressions)."""
    for key, value in (selector.get("matchLabels") or {}).items():
        if not any(wildcard.match(str(key), k) and wildcard.match(str(value), v) for k, v in labels.items()):
            return False
    for expression in selector.get("matchExpressions") or ():
        key = str(expression.get("key", ""))
        operator = str(expression.get("operator", ""))
        values = [str(v) for v in expression.get("values") or ()]
        present = key in labels
        if operator == "In" and not (present and labels[key] in values):
            return False
        if operator == "NotIn" and present and labels[key] in values:
            return False
        if operator == "Exists" and not present:
            return False
        if operator == "DoesNotExist" and present:
            return False
    return True
