"""The cluster stage: one environment's objects, all together, as the cluster meets them."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from generator.findings import Finding
from generator.verify.cluster import admission
from generator.verify.cluster.apply import check_apply_limits
from generator.verify.cluster.crds import check_custom_resources, index_crds, is_custom
from generator.verify.cluster.disruption import check_disruption_budgets
from generator.verify.cluster.exposure import check_load_balancers
from generator.verify.cluster.mesh_jobs import check_mesh_jobs
from generator.verify.cluster.objects import collect_objects
from generator.verify.cluster.places import ClusterFacts
from generator.verify.cluster.podsecurity import check_pod_security
from generator.verify.cluster.secrets import check_secrets
from generator.verify.cluster.services import check_services
from generator.verify.helm import merge_values
from generator.verify.manifests import parse_manifests
from generator.verify.objects import RenderedObject
from generator.verify.sources import Source


@dataclass(frozen=True)
class ClusterVerdict:
    """The stage's findings, and the custom resources it validated against their own CRDs."""

    findings: list[Finding]
    validated: frozenset[tuple[str, str]]  # (rendered file, Kind/name)


def verify_cluster(
    sources: Sequence[Source],
    rendered: Sequence[Sequence[RenderedObject]],
    facts: ClusterFacts,
    partial: Iterable[str] = (),
) -> ClusterVerdict:
    """`rendered[i]` are the objects of `sources[i]`; `partial` names the Applications rendered
    without some of their upstream charts (not vendored)."""
    objects = collect_objects(sources, rendered, partial)
    crds = index_crds(objects)
    values = {source.application: chart_values(source) for source in sources if source.kind == "helm"}
    namespaces = {source.application: source.namespace for source in sources}
    waves = {source.application: source.wave for source in sources}
    findings: list[Finding] = []
    findings += check_custom_resources(objects, crds, facts)
    findings += check_apply_limits(objects, facts)
    findings += check_services(objects, values, facts)
    findings += check_secrets(objects, values, namespaces, waves, facts)
    findings += check_load_balancers(objects, crds, facts)
    findings += check_disruption_budgets(objects, facts)
    findings += check_mesh_jobs(objects, facts)
    findings += check_pod_security(objects, facts)
    findings += admission.check_admission(objects, facts, admission.ADMISSION)
    validated = frozenset(
        (obj.file, obj.label)
        for obj in objects.objects
        if is_custom(obj) and crds.installers(obj.group, obj.kind)
    )
    return ClusterVerdict(findings, validated)


def chart_values(source: Source) -> Mapping[str, Any]:
    """The umbrella chart's values as the Application passes them: chart name -> its values."""
    documents: list[dict[str, Any]] = []
    for file in source.value_files:
        try:
            documents += [d for d in parse_manifests(file.read_text(encoding="utf-8")) if isinstance(d, dict)]
        except (OSError, ValueError):
            continue  # unreadable values are the Helm stage's finding
    return {key: value for key, value in merge_values(documents).items() if isinstance(value, dict)}
