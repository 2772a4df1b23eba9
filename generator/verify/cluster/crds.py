"""Custom resources: their CRD is installed before them, and they match its schema.

Ordering follows ArgoCD. The root Application syncs Applications wave by wave
and waits for each wave to be healthy, so a CRD installed by an Application of
an earlier wave exists when the object is applied. Inside one Application
ArgoCD skips the dry run of a kind whose CRD is part of the same sync
(gitops-engine's `hasCRDOfGroupKind`) and applies a wave's CRDs before its other
kinds, so the same Application also works as long as the CRD's own wave is not
later than the object's. Nothing orders two Applications of the same wave:
there the CRD may come too late. ArgoCD's own kinds exist before anything
syncs, since Argo CD is what syncs.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from generator.findings import Finding
from generator.verify.cluster.objects import CRD_KIND, ClusterObject, ObjectSet
from generator.verify.cluster.places import ClusterFacts, Place, chart_of, finding
from generator.verify.cluster.schema import CrdSchemas

RULE_ORDER = "PC820"
RULE_SCHEMA = "PC824"
BOOTSTRAP_GROUPS = frozenset({"argoproj.io"})
BUILT_IN_GROUPS = frozenset(
    {
        "",
        "admissionregistration.k8s.io",
        "apiextensions.k8s.io",
        "apiregistration.k8s.io",
        "apps",
        "authentication.k8s.io",
        "authorization.k8s.io",
        "autoscaling",
        "batch",
        "certificates.k8s.io",
        "coordination.k8s.io",
        "discovery.k8s.io",
        "events.k8s.io",
        "flowcontrol.apiserver.k8s.io",
        "internal.apiserver.k8s.io",
        "networking.k8s.io",
        "node.k8s.io",
        "policy",
        "rbac.authorization.k8s.io",
        "resource.k8s.io",
        "scheduling.k8s.io",
        "storage.k8s.io",
        "storagemigration.k8s.io",
    }
)


@dataclass(frozen=True)
class CrdIndex:
    """Every CRD of the environment by (group, kind), earliest wave first."""

    by_kind: dict[tuple[str, str], list[ClusterObject]]

    def installers(self, group: str, kind: str) -> list[ClusterObject]:
        return self.by_kind.get((group, kind), [])


def index_crds(objects: ObjectSet) -> CrdIndex:
    by_kind: dict[tuple[str, str], list[ClusterObject]] = {}
    for crd in objects.of_kind(CRD_KIND):
        spec = crd.data.get("spec") or {}
        names = spec.get("names") or {}
        key = (str(spec.get("group") or ""), str(names.get("kind") or ""))
        by_kind.setdefault(key, []).append(crd)
    for crds in by_kind.values():
        crds.sort(key=lambda crd: (crd.wave, crd.object_wave, crd.application))
    return CrdIndex(by_kind)


def is_custom(obj: ClusterObject) -> bool:
    return obj.group not in BUILT_IN_GROUPS and obj.group not in BOOTSTRAP_GROUPS


def check_custom_resources(objects: ObjectSet, crds: CrdIndex, facts: ClusterFacts) -> Iterator[Finding]:
    """PC820 for a kind whose CRD is missing or comes too late; PC824 for a schema mismatch."""
    schemas = CrdSchemas()
    for obj in objects.objects:
        if not is_custom(obj) or obj.group in facts.preinstalled:
            continue
        installers = crds.installers(obj.group, obj.kind)
        problem = _order_problem(obj, installers)
        if problem is not None and objects.may_hide(before=obj.wave, application=obj.application):
            continue  # a chart that is not vendored may install the CRD in time
        if problem is not None:
            yield finding(RULE_ORDER, problem, obj, chart_place(obj, facts) or facts.object_place(obj))
            continue
        for message in schemas.errors(obj, installers[0]):
            yield finding(RULE_SCHEMA, message, obj, chart_place(obj, facts) or facts.object_place(obj))


def chart_place(obj: ClusterObject, facts: ClusterFacts) -> Place | None:
    """The chart value an object comes from: the object itself written into the values (an
    `extraObjects` entry, at its apiVersion), or the value that turns it on (`serviceMonitor.enabled`
    for a ServiceMonitor)."""
    chart = chart_of(obj.file)
    if chart is None:
        return None
    written = facts.setting_place(obj.application, chart, "apiVersion", obj.api_version)
    if written is not None and facts.setting_place(obj.application, chart, "kind", obj.kind) is not None:
        return written
    switch = obj.kind[:1].lower() + obj.kind[1:]
    return facts.switch_place(obj.application, chart, switch)


def _order_problem(obj: ClusterObject, installers: list[ClusterObject]) -> str | None:
    what = f"{obj.label} ({obj.api_version} {obj.kind}, Application {obj.application}, wave {obj.wave})"
    if not installers:
        return (
            f"{what}: no Application of this environment installs the CustomResourceDefinition for "
            f"{obj.kind}.{obj.group}; add the chart that provides it (a CRD chart or the operator's), "
            "in an earlier wave"
        )
    for crd in installers:
        if crd.wave < obj.wave:
            return None
        if crd.application == obj.application and crd.object_wave <= obj.object_wave:
            return None
    first = installers[0]
    return (
        f"{what}: its CustomResourceDefinition {first.name} is installed by Application "
        f"{first.application} in wave {first.wave}, not before it; make {obj.application} depend on "
        f"{first.application}, or install the CRD in the same Application"
    )
