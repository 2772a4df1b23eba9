"""Where Kyverno admission joins the cluster stage.

The stage hands the evaluator what the cluster's Kyverno will hold and meet:
the ClusterPolicies and PolicyExceptions the environment installs, every
pod-bearing object (and the custom resources operators make Pods from), the
namespaces with their labels, and the ConfigMaps and mutating webhooks that
decide what Kyverno sees (its own configuration, istiod's sidecar injection).
`ADMISSION` is the evaluator, generator.verify.cluster.kyverno; None turns
admission off.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from generator.findings import Finding
from generator.verify.cluster.kyverno import evaluate_admission
from generator.verify.cluster.objects import ClusterObject, ObjectSet
from generator.verify.cluster.operated import OPERATED_KINDS
from generator.verify.cluster.places import ClusterFacts
from generator.verify.cluster.pods import POD_KINDS


@dataclass(frozen=True)
class AdmissionInput:
    """What Kyverno would see in one environment."""

    policies: Sequence[ClusterObject]  # ClusterPolicies (and namespaced Policies)
    exceptions: Sequence[ClusterObject]  # PolicyExceptions
    workloads: Sequence[ClusterObject]  # every pod and pod controller
    facts: ClusterFacts
    namespaces: Sequence[ClusterObject] = ()
    config_maps: Sequence[ClusterObject] = ()  # Kyverno's configuration, istiod's injector
    webhooks: Sequence[ClusterObject] = ()  # MutatingWebhookConfigurations
    operated: Sequence[ClusterObject] = ()  # custom resources an operator makes Pods from
    incomplete: bool = False  # an application was rendered without some charts: policies may be unseen


Evaluator = Callable[[AdmissionInput], Iterable[Finding]]
ADMISSION: Evaluator | None = evaluate_admission


def admission_input(objects: ObjectSet, facts: ClusterFacts) -> AdmissionInput:
    return AdmissionInput(
        policies=list(objects.of_kind("ClusterPolicy", "Policy")),
        exceptions=list(objects.of_kind("PolicyException")),
        workloads=list(objects.of_kind(*POD_KINDS)),
        facts=facts,
        namespaces=list(objects.of_kind("Namespace")),
        config_maps=list(objects.of_kind("ConfigMap")),
        webhooks=list(objects.of_kind("MutatingWebhookConfiguration")),
        operated=list(objects.of_kind(*OPERATED_KINDS)),
        incomplete=bool(objects.partial),
    )


def check_admission(objects: ObjectSet, facts: ClusterFacts, evaluator: Evaluator | None) -> list[Finding]:
    """The evaluator's findings for this environment; none while no evaluator is connected."""
    if evaluator is None:
        return []
    return list(evaluator(admission_input(objects, facts)))
