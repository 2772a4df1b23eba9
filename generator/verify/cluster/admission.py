"""Where Kyverno admission joins the cluster stage.

The stage hands the evaluator what the cluster's Kyverno will hold and meet:
the ClusterPolicies and PolicyExceptions the environment installs, and every
pod-bearing object. The evaluator itself lives in its own package; until it is
connected, `ADMISSION` is None and admission is not evaluated here.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from generator.findings import Finding
from generator.verify.cluster.objects import ClusterObject, ObjectSet
from generator.verify.cluster.places import ClusterFacts
from generator.verify.cluster.pods import POD_KINDS


@dataclass(frozen=True)
class AdmissionInput:
    """What Kyverno would see in one environment."""

    policies: Sequence[ClusterObject]  # ClusterPolicies (and namespaced Policies)
    exceptions: Sequence[ClusterObject]  # PolicyExceptions
    workloads: Sequence[ClusterObject]  # every pod and pod controller
    facts: ClusterFacts


Evaluator = Callable[[AdmissionInput], Iterable[Finding]]
ADMISSION: Evaluator | None = None  # the lead connects generator.verify.admission here


def admission_input(objects: ObjectSet, facts: ClusterFacts) -> AdmissionInput:
    return AdmissionInput(
        policies=list(objects.of_kind("ClusterPolicy", "Policy")),
        exceptions=list(objects.of_kind("PolicyException")),
        workloads=list(objects.of_kind(*POD_KINDS)),
        facts=facts,
    )


def check_admission(objects: ObjectSet, facts: ClusterFacts, evaluator: Evaluator | None) -> list[Finding]:
    """The evaluator's findings for this environment; none while no evaluator is connected."""
    if evaluator is None:
        return []
    return list(evaluator(admission_input(objects, facts)))
