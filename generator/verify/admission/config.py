"""Kyverno's own configuration: what its webhooks never see.

The `kyverno` ConfigMap's `resourceFilters` (`[Kind,Namespace,Name]` entries with wildcards;
`*/*` is every kind and subresource) and the webhooks' namespaceSelector (`webhooks`, JSON)
keep resources away from every policy: by default kube-system, kube-public, kube-node-lease,
Kyverno's own namespace, Events and ReplicaSets.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from generator.verify.admission import wildcard
from generator.verify.admission.match import selector_matches

_ENTRY = re.compile(r"\[([^\[\]]*)\]")
_VERSION = re.compile(r"^v\d+((alpha|beta)\d+)?$")
NAMESPACE_NAME_LABEL = "kubernetes.io/metadata.name"


@dataclass(frozen=True)
class ResourceFilter:
    group: str
    version: str
    kind: str
    subresource: str
    namespace: str
    name: str


@dataclass(frozen=True)
class KyvernoConfig:
    filters: tuple[ResourceFilter, ...] = ()
    namespace_selectors: tuple[Mapping[str, Any], ...] = ()

    def skips(self, resource: Mapping[str, Any], namespace_labels: Mapping[str, str] | None = None) -> str:
        """Why Kyverno never evaluates `resource`, or "" when its webhooks receive it."""
        api = str(resource.get("apiVersion", ""))
        group, _, version = api.rpartition("/")
        kind = str(resource.get("kind", ""))
        metadata = resource.get("metadata") or {}
        name = str(metadata.get("name") or metadata.get("generateName") or "")
        namespace = str(metadata.get("namespace") or "")
        for f in self.filters:
            if _filter_matches(f, group, version, kind, namespace, name):
                return f"Kyverno's resourceFilters skip it ([{f.kind},{f.namespace},{f.name}])"
        if namespace:
            labels = {NAMESPACE_NAME_LABEL: namespace, **(namespace_labels or {})}
            for selector in self.namespace_selectors:
                if not selector_matches(selector, labels):
                    return f"Kyverno's webhooks do not receive namespace {namespace}"
        return ""


def _filter_matches(
    f: ResourceFilter, group: str, version: str, kind: str, namespace: str, name: str
) -> bool:
    if kind == "Namespace" and not group and wildcard.match(f.namespace, name):
        return True
    return (
        wildcard.match(f.group, group)
        and wildcard.match(f.version, version)
        and wildcard.match(f.kind, kind)
        and wildcard.match(f.subresource, "")
        and wildcard.match(f.namespace, namespace)
        and wildcard.match(f.name, name)
    )


def parse_filters(text: str) -> tuple[ResourceFilter, ...]:
    """`[Event,*,*] [*/*,kube-system,*] ...` as Kyverno reads it."""
    found: list[ResourceFilter] = []
    for entry in _ENTRY.findall(text):
        parts = [p.strip() for p in entry.split(",")]
        if not parts or not parts[0]:
            continue
        kind, namespace, name = (parts + ["", "", ""])[:3]
        group, version, kind_name, subresource = _kind_selector(kind)
        found.append(ResourceFilter(group, version, kind_name, subresource, namespace or "*", name or "*"))
    return tuple(found)


def _kind_selector(text: str) -> tuple[str, str, str, str]:
    parts = text.split("/")
    if len(parts) == 1:
        return "*", "*", parts[0], ""
    if len(parts) == 2:
        if parts == ["*", "*"]:
            return "*", "*", "*", "*"
        if _VERSION.match(parts[0]):
            return "", parts[0], parts[1], ""
        return "*", "*", parts[0], parts[1]
    if len(parts) == 3:
        return parts[0], parts[1], parts[2], ""
    return parts[0], parts[1], parts[2], parts[3]


def parse_config(configmap: Mapping[str, Any]) -> KyvernoConfig:
    """The `kyverno` ConfigMap the kyverno chart renders."""
    data = configmap.get("data") or {}
    selectors: list[Mapping[str, Any]] = []
    try:
        webhooks = json.loads(str(data.get("webhooks") or "[]"))
    except ValueError:
        webhooks = []
    for webhook in webhooks if isinstance(webhooks, list) else []:
        selector = (webhook or {}).get("namespaceSelector")
        if isinstance(selector, Mapping):
            selectors.append(selector)
    return KyvernoConfig(parse_filters(str(data.get("resourceFilters") or "")), tuple(selectors))
