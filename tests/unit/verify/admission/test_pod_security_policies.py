"""Every rule of Kyverno's published baseline/restricted policies, and of the policies the
kyverno-policies 3.2.6 chart renders, accepts one pod and rejects another: as a bare Pod, a
Deployment (autogen-<rule> and the Pods it makes) and a CronJob (autogen-cronjob-<rule>)."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.verify.admission import (
    ClusterPolicy,
    KyvernoConfig,
    Outcome,
    Verdict,
    evaluate,
    evaluate_workload,
    parse_documents,
    parse_filters,
)

from .conftest import rendered
from .pss_cases import CASES, as_cronjob, as_deployment, compliant_pod, pod_with

SETS = ("published-baseline", "published-restricted", "chart-restricted", "chart-baseline")
EXPECTED_SIZES = {
    "published-baseline": 12,
    "published-restricted": 6,
    "chart-restricted": 17,
    "chart-baseline": 11,
}


def _pairs(policy_sets: dict[str, dict[str, ClusterPolicy]], name: str) -> list[tuple[str, str]]:
    return [(p.name, r.name) for p in policy_sets[name].values() for r in p.rules]


def _outcome(verdicts: list[Verdict], policy: str, rule: str, kind: str) -> Outcome:
    found = [v.outcome for v in verdicts if (v.policy, v.rule, v.kind) == (policy, rule, kind)]
    assert len(found) == 1, f"{policy}/{rule} on {kind}: {found}"
    return found[0]


def test_the_sets_hold_what_kyverno_publishes(policy_sets: dict[str, dict[str, ClusterPolicy]]) -> None:
    assert {k: len(v) for k, v in policy_sets.items()} == EXPECTED_SIZES
    assert "require-run-as-nonroot" in policy_sets["chart-restricted"]
    assert "require-run-as-nonroot" not in policy_sets["chart-baseline"]


@pytest.mark.parametrize("set_name", SETS)
def test_every_rule_has_a_case(policy_sets: dict[str, dict[str, ClusterPolicy]], set_name: str) -> None:
    missing = [rule for _, rule in _pairs(policy_sets, set_name) if rule not in CASES]
    assert missing == []


@pytest.mark.parametrize("set_name", SETS)
def test_a_compliant_pod_passes_every_rule(
    policy_sets: dict[str, dict[str, ClusterPolicy]], set_name: str
) -> None:
    verdicts = evaluate(list(policy_sets[set_name].values()), [], compliant_pod())
    assert {v.outcome for v in verdicts} == {Outcome.PASS}
    assert len(verdicts) == len(_pairs(policy_sets, set_name))


@pytest.mark.parametrize("set_name", SETS)
@pytest.mark.parametrize("form", ["Pod", "Deployment", "CronJob"])
@pytest.mark.parametrize("accepted", [True, False], ids=["accepted", "rejected"])
def test_each_rule_both_ways(
    policy_sets: dict[str, dict[str, ClusterPolicy]], set_name: str, form: str, accepted: bool
) -> None:
    policies = list(policy_sets[set_name].values())
    wrong: list[str] = []
    for policy, rule in _pairs(policy_sets, set_name):
        pod = pod_with(CASES[rule][0 if accepted else 1])
        expected = Outcome.PASS if accepted else Outcome.FAIL
        if form == "Pod":
            checks = [(rule, "Pod", evaluate(policies, [], pod))]
        elif form == "Deployment":
            verdicts = evaluate_workload(policies, [], as_deployment(pod))
            checks = [(f"autogen-{rule}", "Deployment", verdicts), (rule, "Pod", verdicts)]
        else:
            verdicts = evaluate_workload(policies, [], as_cronjob(pod))
            checks = [
                (f"autogen-cronjob-{rule}", "CronJob", verdicts),
                (f"autogen-{rule}", "Job", verdicts),  # the Job the CronJob creates
                (rule, "Pod", verdicts),
            ]
        for name, kind, verdicts in checks:
            got = _outcome(verdicts, policy, name, kind)
            if got is not expected:
                wrong.append(f"{policy}/{name} on {kind}: {got} (expected {expected})")
    assert wrong == []


@pytest.mark.parametrize("set_name", ["chart-restricted"])
def test_the_rejected_pod_fails_only_its_own_policy_in_enforce(
    policy_sets: dict[str, dict[str, ClusterPolicy]], set_name: str
) -> None:
    policies = list(policy_sets[set_name].values())
    verdicts = evaluate(policies, [], pod_with(CASES["host-path"][1]))
    blocking = sorted((v.policy, v.rule) for v in verdicts if v.blocks)
    # a hostPath volume also is not one of the restricted volume types
    assert blocking == [("disallow-host-path", "host-path"), ("restrict-volume-types", "restricted-volumes")]


def test_an_exception_for_the_strict_capability_rule_leaves_the_baseline_one(
    policy_sets: dict[str, dict[str, ClusterPolicy]],
) -> None:
    exception = {
        "apiVersion": "kyverno.io/v2beta1",
        "kind": "PolicyException",
        "metadata": {"name": "gateway", "namespace": "kyverno"},
        "spec": {
            "exceptions": [
                {
                    "policyName": "disallow-capabilities-strict",
                    "ruleNames": ["adding-capabilities-strict", "autogen-adding-capabilities-strict"],
                }
            ],
            "match": {"any": [{"resources": {"kinds": ["Deployment", "Pod"], "names": ["web", "web-*"]}}]},
        },
    }
    _, exceptions = parse_documents([exception])
    pod = pod_with(CASES["adding-capabilities"][1])  # adds NET_RAW
    policies = list(policy_sets["chart-restricted"].values())
    # the kyverno chart's default resourceFilters keep ReplicaSets from Kyverno
    config = KyvernoConfig(parse_filters("[ReplicaSet,*,*]"))
    verdicts = evaluate_workload(policies, exceptions, as_deployment(pod), config=config)
    found = {
        (v.kind, v.policy): v.outcome for v in verdicts if "capabilities" in v.policy and "adding" in v.rule
    }
    assert found == {
        ("Deployment", "disallow-capabilities"): Outcome.FAIL,
        ("Pod", "disallow-capabilities"): Outcome.FAIL,
        ("Deployment", "disallow-capabilities-strict"): Outcome.EXCEPTED,
        ("Pod", "disallow-capabilities-strict"): Outcome.EXCEPTED,
    }


def test_the_charts_policy_exclude_reaches_the_autogen_rules(tmp_path: Path) -> None:
    exclude = {"disallow-host-path": {"any": [{"resources": {"namespaces": ["logging"]}}]}}
    policies = list(rendered("baseline", tmp_path, {"policyExclude": exclude}).values())
    pod = pod_with(CASES["host-path"][1])

    def host_path(namespace: str) -> set[tuple[str, Outcome]]:
        pod["metadata"]["namespace"] = namespace
        verdicts = evaluate_workload(policies, [], as_deployment(pod))
        return {(v.rule, v.outcome) for v in verdicts if v.policy == "disallow-host-path"}

    assert host_path("logging") == set()
    assert host_path("portal") == {("host-path", Outcome.FAIL), ("autogen-host-path", Outcome.FAIL)}
