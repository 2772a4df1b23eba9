"""Constructs the evaluator does not run are reported as not evaluated, never as passing."""

from __future__ import annotations

from typing import Any

import pytest

from generator.verify.admission import Outcome, evaluate, parse_policy

POD = {
    "apiVersion": "v1",
    "kind": "Pod",
    "metadata": {"name": "web", "namespace": "apps"},
    "spec": {"containers": [{"name": "c", "image": "nginx:1.27"}]},
}
PODS = {"any": [{"resources": {"kinds": ["Pod"]}}]}


def verdict(rule: dict[str, Any]) -> tuple[Outcome, str]:
    policy = parse_policy(
        {
            "apiVersion": "kyverno.io/v1",
            "kind": "ClusterPolicy",
            "metadata": {"name": "p"},
            "spec": {"rules": [{"name": "r", "match": PODS, **rule}]},
        }
    )
    [found] = [v for v in evaluate([policy], [], POD) if v.rule == "r"]
    return found.outcome, found.message


@pytest.mark.parametrize(
    ("rule", "what"),
    [
        ({"validate": {"podSecurity": {"level": "restricted", "version": "latest"}}}, "podSecurity"),
        ({"validate": {"cel": {"expressions": [{"expression": "true"}]}}}, "validate.cel"),
        ({"validate": {"manifests": {"attestors": []}}}, "validate.manifests"),
        (
            {
                "celPreconditions": [{"name": "c", "expression": "true"}],
                "validate": {"pattern": {"spec": {}}},
            },
            "celPreconditions",
        ),
        ({"validate": {"message": "m"}}, "without pattern"),
        (
            {
                "context": [{"name": "cm", "configMap": {"name": "x", "namespace": "y"}}],
                "validate": {"pattern": {"spec": {}}},
            },
            "reads from the cluster",
        ),
        (
            {
                "match": {
                    "any": [{"resources": {"kinds": ["Pod"]}, "subjects": [{"kind": "User", "name": "a"}]}]
                },
                "validate": {"pattern": {"spec": {}}},
            },
            "requesting user",
        ),
        (
            {
                "validate": {
                    "deny": {"conditions": {"any": [{"key": "a", "operator": "Resembles", "value": "a"}]}}
                }
            },
            "operator 'Resembles'",
        ),
        (
            {
                "validate": {
                    "deny": {
                        "conditions": {
                            "any": [
                                {
                                    "key": "{{ regex_match('^nginx', request.object.metadata.name) }}",
                                    "operator": "Equals",
                                    "value": True,
                                }
                            ]
                        }
                    }
                }
            },
            "JMESPath function",
        ),
        ({"validate": {"pattern": {"spec": {"containers": [{"name": "$(../image)"}]}}}}, "reference"),
        (
            {
                "validate": {
                    "pattern": {
                        "metadata": {"labels": {"team": "{{ request.object.metadata.labels.owner }}"}}
                    }
                }
            },
            "substitution failed",
        ),
        (
            {
                "validate": {
                    "foreach": [
                        {"list": "request.object.spec.containers", "foreach": [{"list": "element.ports"}]}
                    ]
                }
            },
            "nested foreach",
        ),
        (
            {
                "validate": {
                    "pattern": {"spec": {"containers": [{"image": "{{ images.containers.c.registry }}"}]}}
                }
            },
            "needs data from the cluster",
        ),
    ],
)
def test_unsupported_constructs(rule: dict[str, Any], what: str) -> None:
    outcome, message = verdict(rule)
    assert outcome is Outcome.NOT_EVALUATED
    assert what in message


def test_a_condition_on_a_missing_field_without_a_default() -> None:
    # Kyverno: "failed to substitute variables in condition key ... Unknown key" - a rule error
    missing = {"key": "{{ request.object.spec.priorityClassName }}", "operator": "Equals", "value": ""}
    outcome, message = verdict({"validate": {"deny": {"conditions": {"any": [missing]}}}})
    assert outcome is Outcome.NOT_EVALUATED
    assert "priorityClassName" in message
    defaulted = {**missing, "key": "{{ request.object.spec.priorityClassName || '' }}"}
    assert verdict({"validate": {"deny": {"conditions": {"any": [defaulted]}}}})[0] is Outcome.FAIL


def test_the_requesting_user_is_not_known() -> None:
    user = {"key": "{{ request.userInfo.username }}", "operator": "Equals", "value": "admin"}
    outcome, message = verdict({"preconditions": {"all": [user]}, "validate": {"pattern": {"spec": {}}}})
    assert outcome is Outcome.NOT_EVALUATED
    assert "requesting user" in message


def test_supported_neighbours_are_evaluated() -> None:
    context = [{"name": "allowed", "variable": {"value": ["nginx:1.27"]}}]
    deny = {
        "conditions": {
            "any": [
                {
                    "key": "{{ request.object.spec.containers[].image }}",
                    "operator": "AnyNotIn",
                    "value": "{{ allowed }}",
                }
            ]
        }
    }
    assert verdict({"context": context, "validate": {"deny": deny}})[0] is Outcome.PASS
    context = [{"name": "allowed", "variable": {"value": ["nginx:1.28"]}}]
    assert verdict({"context": context, "validate": {"deny": deny}})[0] is Outcome.FAIL
    foreach = [{"list": "request.object.spec.containers", "pattern": {"image": "nginx:*"}}]
    assert verdict({"validate": {"foreach": foreach}})[0] is Outcome.PASS
    foreach = [{"list": "request.object.spec.containers", "pattern": {"image": "busybox:*"}}]
    assert verdict({"validate": {"foreach": foreach}})[0] is Outcome.FAIL
    foreach = [{"list": "request.object.spec.initContainers", "pattern": {"image": "busybox:*"}}]
    assert verdict({"validate": {"foreach": foreach}})[0] is Outcome.SKIP


def test_messages_carry_substituted_variables() -> None:
    rule = {
        "validate": {
            "message": "image {{ request.object.spec.containers[0].image }} is not allowed",
            "pattern": {"spec": {"containers": [{"image": "busybox:*"}]}},
        }
    }
    outcome, message = verdict(rule)
    assert outcome is Outcome.FAIL
    assert message.startswith("image nginx:1.27 is not allowed")


def test_cel_match_conditions_on_the_policy() -> None:
    policy = parse_policy(
        {
            "apiVersion": "kyverno.io/v1",
            "kind": "ClusterPolicy",
            "metadata": {"name": "p"},
            "spec": {
                "webhookConfiguration": {"matchConditions": [{"name": "m", "expression": "true"}]},
                "rules": [{"name": "r", "match": PODS, "validate": {"pattern": {"spec": {}}}}],
            },
        }
    )
    [found] = [v for v in evaluate([policy], [], POD) if v.rule == "r"]
    assert found.outcome is Outcome.NOT_EVALUATED
    assert "matchConditions" in found.message
