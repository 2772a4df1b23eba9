"""Objects too large for client-side apply.

`kubectl apply` (ArgoCD's default) stores the whole object, as JSON, in the
`kubectl.kubernetes.io/last-applied-configuration` annotation, and the API
server refuses an object whose annotations together exceed 262,144 bytes
(apimachinery's TotalAnnotationSizeLimitB, keys and values counted). Server-side
apply writes no such annotation, and Replace uses create/replace, which does not
either.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

from generator.findings import Finding
from generator.verify.cluster.objects import ClusterObject, ObjectSet
from generator.verify.cluster.places import ClusterFacts, finding

RULE = "PC821"
LAST_APPLIED = "kubectl.kubernetes.io/last-applied-configuration"
ANNOTATION_LIMIT = 262_144
APPLIED_WITHOUT_ANNOTATION = ("ServerSideApply=true", "Replace=true")


def annotation_bytes(data: dict[str, Any]) -> int:
    """The annotations' total size once client-side apply has added its last-applied configuration."""
    metadata = dict(data.get("metadata") or {})
    annotations = {
        str(k): str(v) for k, v in (metadata.get("annotations") or {}).items() if k != LAST_APPLIED
    }
    applied = dict(data)
    applied["metadata"] = (
        {**metadata, "annotations": annotations}
        if annotations
        else {k: v for k, v in metadata.items() if k != "annotations"}
    )
    # Go's encoding/json writes compact UTF-8 and escapes <, > and & as \u003c…: six bytes each
    text = json.dumps(applied, separators=(",", ":"), ensure_ascii=False, sort_keys=True)
    escaped = sum(text.count(c) for c in "<>&") * 5
    size = len(text.encode("utf-8")) + escaped + len(LAST_APPLIED)
    return size + sum(len(k.encode("utf-8")) + len(v.encode("utf-8")) for k, v in annotations.items())


def check_apply_limits(objects: ObjectSet, facts: ClusterFacts) -> Iterator[Finding]:
    for obj in objects.objects:
        if any(obj.has_sync_option(option) for option in APPLIED_WITHOUT_ANNOTATION):
            continue
        size = annotation_bytes(obj.data)
        if size > ANNOTATION_LIMIT:
            yield _too_large(obj, size, facts)


def _too_large(obj: ClusterObject, size: int, facts: ClusterFacts) -> Finding:
    message = (
        f"{obj.label} (Application {obj.application}) is too large for client-side apply: its "
        f"last-applied-configuration annotation would make its annotations {size:,} bytes, over the "
        f"{ANNOTATION_LIMIT:,} the API server accepts; sync the Application with ServerSideApply=true "
        f"(`serverSideApply: true` on application {obj.application} in platform.yaml)"
    )
    # the fix is the application's setting; the component says which object
    return finding(RULE, message, obj, facts.application_place(obj.application) or facts.object_place(obj))
