"""The built-in API versions of a Kubernetes release, as Argo CD hands them to `helm template`.

Argo CD passes the destination cluster's served resources as `--api-versions`, each both as
`group/version` and as `group/version/Kind` (`policy/v1`, `policy/v1/PodDisruptionBudget`), so a
chart's `.Capabilities.APIVersions.Has` sees the cluster. Verify has no cluster: the list is read
from the Kubernetes schemas kubernetes-validate ships for the platform's `kubernetesVersion`, every
kind with a group-version-kind there, less API machinery (Status, DeleteOptions, lists) and alpha
versions, which a cluster does not serve unless enabled. Custom resources are not in it.
"""

from __future__ import annotations

import functools
import json

from generator.verify.objects import kubernetes_schema_version, strict_schema_dir

_MACHINERY = frozenset(
    {"APIGroup", "APIGroupList", "APIResourceList", "APIVersions", "DeleteOptions", "Status", "WatchEvent"}
)


def built_in_api_versions(kubernetes_version: str) -> tuple[str, ...]:
    """`group/version` and `group/version/Kind` of every built-in kind (`v1`, `v1/Pod` for core)."""
    return _api_versions(kubernetes_schema_version(kubernetes_version))


@functools.cache
def _api_versions(schema_version: str) -> tuple[str, ...]:
    path = strict_schema_dir(schema_version) / "_definitions.json"
    definitions = json.loads(path.read_text(encoding="utf-8")).get("$defs") or {}
    found: set[str] = set()
    for schema in definitions.values():
        for gvk in schema.get("x-kubernetes-group-version-kind") or ():
            group, version, kind = (
                str(gvk.get("group", "")),
                str(gvk.get("version", "")),
                str(gvk.get("kind", "")),
            )
            if kind in _MACHINERY or kind.endswith("List") or "alpha" in version:
                continue
            group_version = f"{group}/{version}" if group else version
            found.update({group_version, f"{group_version}/{kind}"})
    return tuple(sorted(found))
