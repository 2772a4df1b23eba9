"""`match`/`exclude` and autogen.

Expected outcomes: "Selecting Resources" (https://kyverno.io/docs/writing-policies/match-exclude/)
and "Auto-Gen Rules for Pod Controllers" (https://kyverno.io/docs/writing-policies/autogen/),
checked against pkg/autogen (autogen.go, rule.go) and pkg/utils/match.
"""

from __future__ import annotations

from typing import Any

import pytest

from generator.verify.admission import (
    ClusterPolicy,
    Outcome,
    computed_rules,
    controllers,
    evaluate,
    installed_rule_names,
    parse_policy,
    rule_name,
)

PATTERN = {"spec": {"=(hostNetwork)": False}}


def policy(
    match: dict[str, Any],
    exclude: dict[str, Any] | None = None,
    annotations: dict[str, str] | None = None,
    name: str = "host",
    rule: str = "host-network",
) -> ClusterPolicy:
    raw: dict[str, Any] = {"name": rule, "match": match, "validate": {"message": "m", "pattern": PATTERN}}
    if exclude:
        raw["exclude"] = exclude
    return parse_policy(
        {
            "apiVersion": "kyverno.io/v1",
            "kind": "ClusterPolicy",
            "metadata": {"name": name, "annotations": annotations or {}},
            "spec": {"rules": [raw]},
        }
    )


def pods(kinds: list[str], **resources: Any) -> dict[str, Any]:
    return {"any": [{"resources": {"kinds": kinds, **resources}}]}


def pod(name: str = "web-1", namespace: str = "apps", labels: dict[str, str] | None = None) -> dict[str, Any]:
    meta = {"name": name, "namespace": namespace, "labels": labels or {}}
    return {"apiVersion": "v1", "kind": "Pod", "metadata": meta, "spec": {"hostNetwork": True}}


def outcomes(
    p: ClusterPolicy, resource: dict[str, Any], labels: dict[str, str] | None = None
) -> list[Outcome]:
    return [v.outcome for v in evaluate([p], [], resource, labels)]


@pytest.mark.parametrize(
    ("match", "matched"),
    [
        (pods(["Pod"]), True),
        (pods(["v1/Pod"]), True),
        (pods(["apps/v1/Deployment"]), False),
        (pods(["*"]), True),
        (pods(["Pod/status"]), False),
        (pods(["Pod"], namespaces=["app*"]), True),
        (pods(["Pod"], namespaces=["kube-system"]), False),
        (pods(["Pod"], names=["web-?"]), True),
        (pods(["Pod"], names=["api-*"]), False),
        (pods(["Pod"], selector={"matchLabels": {"tier": "front*"}}), True),
        (
            pods(
                ["Pod"],
                selector={"matchExpressions": [{"key": "tier", "operator": "NotIn", "values": ["frontend"]}]},
            ),
            False,
        ),
        (pods(["Pod"], operations=["UPDATE"]), False),
        ({"all": [{"resources": {"kinds": ["Pod"]}}, {"resources": {"namespaces": ["apps"]}}]}, True),
        ({"all": [{"resources": {"kinds": ["Pod"]}}, {"resources": {"namespaces": ["other"]}}]}, False),
        ({"resources": {"kinds": ["Pod"]}}, True),
        ({}, False),
    ],
)
def test_match(match: dict[str, Any], matched: bool) -> None:
    found = outcomes(policy(match), pod(labels={"tier": "frontend"}))
    assert found == ([Outcome.FAIL] if matched else [])


@pytest.mark.parametrize(
    ("exclude", "excluded"),
    [
        (pods(["Pod"], namespaces=["apps"]), True),
        (pods(["Pod"], namespaces=["other"]), False),
        ({"any": [{"resources": {"namespaces": ["other"]}}, {"resources": {"names": ["web-*"]}}]}, True),
        ({"all": [{"resources": {"namespaces": ["apps"]}}, {"resources": {"names": ["api-*"]}}]}, False),
        ({"all": [{"resources": {"namespaces": ["apps"]}}, {"resources": {"names": ["web-*"]}}]}, True),
    ],
)
def test_exclude(exclude: dict[str, Any], excluded: bool) -> None:
    found = outcomes(policy(pods(["Pod"]), exclude), pod())
    assert found == ([] if excluded else [Outcome.FAIL])


def test_namespace_selector_reads_the_namespace_labels() -> None:
    p = policy(pods(["Pod"], namespaceSelector={"matchLabels": {"pss": "restricted"}}))
    assert outcomes(p, pod(), {"pss": "restricted"}) == [Outcome.FAIL]
    assert outcomes(p, pod(), {"pss": "baseline"}) == []
    assert outcomes(p, pod(), None) == [Outcome.NOT_EVALUATED]


def test_autogen_names_and_kinds() -> None:
    rules = {r.name: r for r in computed_rules(policy(pods(["Pod"])))}
    assert list(rules) == ["host-network", "autogen-host-network", "autogen-cronjob-host-network"]
    assert rules["autogen-host-network"].match["any"][0]["resources"]["kinds"] == [
        "DaemonSet",
        "Deployment",
        "Job",
        "ReplicaSet",
        "ReplicationController",
        "StatefulSet",
    ]
    assert rules["autogen-cronjob-host-network"].match["any"][0]["resources"]["kinds"] == ["CronJob"]
    assert rules["autogen-host-network"].validate["pattern"] == {"spec": {"template": PATTERN}}
    assert rules["autogen-cronjob-host-network"].validate["pattern"] == {
        "spec": {"jobTemplate": {"spec": {"template": PATTERN}}}
    }


def test_autogen_names_are_cut_at_63_characters() -> None:
    long = "x" * 60
    assert rule_name("autogen", long) == ("autogen-" + long)[:63]
    assert len(rule_name("autogen-cronjob", long)) == 63


@pytest.mark.parametrize(
    ("annotation", "expected"),
    [
        (None, ["host-network", "autogen-host-network", "autogen-cronjob-host-network"]),
        ("none", ["host-network"]),
        ("Deployment,StatefulSet", ["host-network", "autogen-host-network"]),
        ("CronJob", ["host-network", "autogen-cronjob-host-network"]),
    ],
)
def test_the_autogen_annotation_chooses_controllers(annotation: str | None, expected: list[str]) -> None:
    annotations = {} if annotation is None else {"pod-policies.kyverno.io/autogen-controllers": annotation}
    p = policy(pods(["Pod"]), annotations=annotations)
    assert installed_rule_names([p]) == {"host": tuple(expected)}


@pytest.mark.parametrize(
    "match",
    [
        pods(["Pod"], names=["web"]),
        pods(["Pod"], selector={"matchLabels": {"a": "b"}}),
        pods(["Pod", "Service"]),
        pods(["Service"]),
    ],
)
def test_no_autogen_for_names_selectors_mixed_kinds_or_no_pods(match: dict[str, Any]) -> None:
    assert controllers(policy(match)) == []


def test_autogen_rules_judge_the_controller_and_its_template() -> None:
    deployment: dict[str, Any] = {
        "apiVersion": "apps/v1",
        "kind": "Deployment",
        "metadata": {"name": "web", "namespace": "apps"},
        "spec": {"template": {"metadata": {}, "spec": {"hostNetwork": True}}},
    }
    [verdict] = evaluate([policy(pods(["Pod"]))], [], deployment)
    assert (verdict.rule, verdict.outcome, verdict.path) == (
        "autogen-host-network",
        Outcome.FAIL,
        "/spec/template/spec/hostNetwork/",
    )
    assert verdict.generated_from == "host-network"
    deployment["spec"]["template"]["spec"]["hostNetwork"] = False
    assert [v.outcome for v in evaluate([policy(pods(["Pod"]))], [], deployment)] == [Outcome.PASS]


def test_the_annotation_narrows_the_kinds_sorted() -> None:
    annotations = {"pod-policies.kyverno.io/autogen-controllers": "StatefulSet,Deployment,CronJob"}
    rules = {r.name: r for r in computed_rules(policy(pods(["Pod"]), annotations=annotations))}
    assert rules["autogen-host-network"].match["any"][0]["resources"]["kinds"] == [
        "Deployment",
        "StatefulSet",
    ]
    assert rules["autogen-cronjob-host-network"].match["any"][0]["resources"]["kinds"] == ["CronJob"]


def test_autogen_shifts_variables_under_the_template() -> None:
    deny = parse_policy(
        {
            "apiVersion": "kyverno.io/v1",
            "kind": "ClusterPolicy",
            "metadata": {"name": "d"},
            "spec": {
                "rules": [
                    {
                        "name": "no-host",
                        "match": pods(["Pod"]),
                        "validate": {
                            "deny": {
                                "conditions": {
                                    "any": [
                                        {
                                            "key": "{{ request.object.spec.hostNetwork || `false` }}",
                                            "operator": "Equals",
                                            "value": True,
                                        }
                                    ]
                                }
                            }
                        },
                    }
                ]
            },
        }
    )
    rules = {r.name: r for r in computed_rules(deny)}
    condition = rules["autogen-cronjob-no-host"].validate["deny"]["conditions"]["any"][0]
    assert (
        condition["key"] == "{{ request.object.spec.jobTemplate.spec.template.spec.hostNetwork || `false` }}"
    )
    cronjob = {
        "apiVersion": "batch/v1",
        "kind": "CronJob",
        "metadata": {"name": "c", "namespace": "apps"},
        "spec": {"jobTemplate": {"spec": {"template": {"spec": {"hostNetwork": True}}}}},
    }
    assert [(v.rule, v.outcome) for v in evaluate([deny], [], cronjob)] == [
        ("autogen-cronjob-no-host", Outcome.FAIL)
    ]


def test_the_requesting_user_only_matters_when_the_resources_match() -> None:
    subjects = [{"kind": "ServiceAccount", "name": "argocd-application-controller", "namespace": "argocd"}]
    other_kind = {"any": [{"resources": {"kinds": ["Service"]}, "subjects": subjects}]}
    assert outcomes(policy(other_kind), pod()) == []
    same_kind = {"any": [{"resources": {"kinds": ["Pod"]}, "subjects": subjects}]}
    assert outcomes(policy(same_kind), pod()) == [Outcome.NOT_EVALUATED]
    either = {
        "any": [{"resources": {"kinds": ["Pod"]}, "subjects": subjects}, {"resources": {"kinds": ["Pod"]}}]
    }
    assert outcomes(policy(either), pod()) == [Outcome.FAIL]
    excluded_by_user = policy(pods(["Pod"]), {"any": [{"subjects": subjects}]})
    assert outcomes(excluded_by_user, pod()) == [Outcome.NOT_EVALUATED]
