"""Which rendered objects Argo CD applies, and in which namespace.

Argo CD renders a chart with `helm template`, which also prints the chart's
Helm test hooks, then maps Helm hook annotations onto its own sync phases.
Only `pre-install`, `pre-upgrade`, `post-install`, `post-upgrade`,
`pre-delete` and `post-delete` have an equivalent; an object whose
`helm.sh/hook` names none of them (`test`, `test-success`, `test-failure`,
the rollback hooks) is a hook of no phase, which Argo CD never creates
("Unsupported hooks are ignored", Argo CD user guide, Helm, Helm Hooks; the
Helm `--skip-tests` section says Argo CD skips Helm test hooks). An
`argocd.argoproj.io/hook` annotation with a known phase takes precedence over
the Helm one (Argo CD then ignores every Helm hook annotation); `Skip` alone
means the object is never applied.

An object without `metadata.namespace` lands in the Application's destination
namespace, unless its kind is cluster-scoped.
"""

from __future__ import annotations

from typing import Any

from generator.verify.cluster.objects import CLUSTER_SCOPED

HELM_HOOK = "helm.sh/hook"
ARGOCD_HOOK = "argocd.argoproj.io/hook"
HELM_PHASES = frozenset(
    {"pre-install", "pre-upgrade", "post-install", "post-upgrade", "pre-delete", "post-delete"}
)
ARGOCD_PHASES = frozenset({"PreSync", "Sync", "PostSync", "SyncFail", "PreDelete", "PostDelete", "Skip"})
HELM_NOT_A_HOOK = "crd-install"  # Helm marks CRDs so; Argo CD applies them as plain objects


def _annotations(data: dict[str, Any]) -> dict[str, Any]:
    annotations = (data.get("metadata") or {}).get("annotations")
    return annotations if isinstance(annotations, dict) else {}


def _csv(value: Any) -> list[str]:
    return [part.strip() for part in str(value or "").split(",") if part.strip()]


def applied_by_argocd(data: dict[str, Any]) -> bool:
    """False for an object Argo CD never creates: a Helm hook of no sync phase, or an Argo CD Skip."""
    annotations = _annotations(data)
    argocd = [phase for phase in _csv(annotations.get(ARGOCD_HOOK)) if phase in ARGOCD_PHASES]
    if argocd:
        return argocd != ["Skip"] * len(argocd)
    if HELM_HOOK not in annotations:
        return True
    helm = _csv(annotations.get(HELM_HOOK))
    if helm == [HELM_NOT_A_HOOK]:
        return True
    return any(phase in HELM_PHASES for phase in helm)


def with_namespace(data: dict[str, Any], namespace: str) -> dict[str, Any]:
    """`data` with `metadata.namespace` set to `namespace` where Argo CD would put it there."""
    metadata = data.get("metadata")
    if not isinstance(metadata, dict) or metadata.get("namespace") or not namespace:
        return data
    if data.get("kind") in CLUSTER_SCOPED:
        return data
    return {**data, "metadata": {**metadata, "namespace": namespace}}
