"""Names, labels and annotations shared by every emitter."""

from __future__ import annotations

from generator.emit.tree import Output
from generator.model.types import Component, Platform

SYNC_WAVE = "argocd.argoproj.io/sync-wave"
# Data safety: Argo CD neither prunes nor deletes (with its Application) an object carrying this.
SYNC_OPTIONS = "argocd.argoproj.io/sync-options"
KEEP = {SYNC_OPTIONS: "Prune=false,Delete=false"}
MANAGED_BY = {"app.kubernetes.io/managed-by": "platformc"}
COMPONENT_LABEL = "platform.254carbon.com/component"


def selector_labels(component: Component) -> dict[str, str]:
    return {"app.kubernetes.io/name": component.name, "app.kubernetes.io/instance": component.app}


def component_labels(platform: Platform, component: Component) -> dict[str, str]:
    return {
        **selector_labels(component),
        "app.kubernetes.io/part-of": platform.name,
        **MANAGED_BY,
        "platform.254carbon.com/application": component.app,
        COMPONENT_LABEL: component.name,
    }


def object_meta(
    name: str,
    namespace: str | None = None,
    *,
    labels: dict[str, str] | None = None,
    wave: int | None = None,
    annotations: dict[str, str] | None = None,
) -> Output:
    meta: Output = {"name": name}
    if namespace is not None:
        meta["namespace"] = namespace
    meta["labels"] = {**MANAGED_BY, **(labels or {})}
    merged = dict(annotations or {})
    if wave is not None:
        merged[SYNC_WAVE] = str(wave)
    if merged:
        meta["annotations"] = merged
    return meta
