"""Preconditions and deny conditions: operators, any/all, variables.

Expected outcomes: the Preconditions page (https://kyverno.io/docs/writing-policies/preconditions/,
"Operators" and "Any and All Statements") and the operator handlers of
pkg/engine/variables/operator (anyin.go, allin.go, anynotin.go, allnotin.go, equal.go).
"""

from __future__ import annotations

from typing import Any

import pytest

from generator.verify.admission import ClusterPolicy, Outcome, evaluate, parse_policy
from generator.verify.admission.conditions import evaluate_block
from generator.verify.admission.variables import Unresolved, context, strict


def holds(key: Any, operator: str, value: Any) -> bool:
    return evaluate_block([{"key": key, "operator": operator, "value": value}], strict({}))


@pytest.mark.parametrize(
    ("key", "operator", "value", "expected"),
    [
        ("NodePort", "Equals", "NodePort", True),
        ("NodePort", "Equals", "Node*", True),
        ("ClusterIP", "Equals", "NodePort", False),
        ("ClusterIP", "NotEquals", "NodePort", True),
        (3, "Equals", 3, True),
        ("1Gi", "Equals", "1024Mi", True),
        ("1h", "Equals", "60m", True),
        (["a", "b"], "AnyIn", ["b", "c"], True),
        (["a", "d"], "AnyIn", ["b", "c"], False),
        (["a", "b"], "AllIn", ["a", "b", "c"], True),
        (["a", "d"], "AllIn", ["a", "b", "c"], False),
        (["NET_RAW"], "AnyNotIn", ["CHOWN", "KILL"], True),
        (["CHOWN"], "AnyNotIn", ["CHOWN", "KILL"], False),
        ([], "AnyNotIn", ["CHOWN"], False),
        (["a", "b"], "AllNotIn", ["c"], True),
        (["a", "c"], "AllNotIn", ["c"], False),
        ("ALL", "AnyNotIn", [], True),
        ("ALL", "AnyNotIn", ["ALL", "NET_RAW"], False),
        ("prod-eu", "AnyIn", ["prod-*"], True),
        ([5500], "AnyNotIn", "5000-6000", False),
        ([80], "AnyNotIn", "5000-6000", True),
        ([80, 5500], "AllIn", "5000-6000", False),
        ([7], "AnyIn", "1!-5", True),
        ("b", "AnyIn", '["a", "b"]', True),
        ("b", "AnyIn", "not a list", False),
        ("2Gi", "GreaterThan", "1Gi", True),
        ("500Mi", "GreaterThan", "1Gi", False),
        (3, "GreaterThanOrEquals", 3, True),
        (2, "LessThan", "3", True),
        ("90m", "LessThanOrEquals", "1h", False),
        # quantities past the largest float still compare
        ("1e400", "GreaterThan", "1", True),
        (5, "LessThan", "1e400", True),
        ("1e400", "GreaterThan", "1e401", False),
        ("a", "In", ["a", "b"], True),
        ("z", "NotIn", ["a", "b"], True),
    ],
)
def test_operators(key: Any, operator: str, value: Any, expected: bool) -> None:
    assert holds(key, operator, value) is expected


def test_any_and_all_blocks() -> None:
    yes = {"key": "a", "operator": "Equals", "value": "a"}
    no = {"key": "a", "operator": "Equals", "value": "b"}
    assert evaluate_block({"any": [no, yes]}, strict({}))
    assert not evaluate_block({"any": [no, no]}, strict({}))
    assert not evaluate_block({"all": [yes, no]}, strict({}))
    assert evaluate_block({"any": [yes], "all": [yes]}, strict({}))
    assert not evaluate_block({"any": [yes], "all": [no]}, strict({}))
    assert not evaluate_block([yes, no], strict({}))  # the legacy list means "all"


def test_variables_resolve_against_the_request_and_a_missing_one_is_an_error() -> None:
    data = context({"kind": "Service", "spec": {"type": "NodePort"}}, "apps")
    assert evaluate_block(
        [{"key": "{{ request.object.spec.type }}", "operator": "Equals", "value": "NodePort"}], strict(data)
    )
    with pytest.raises(Unresolved):
        evaluate_block(
            [{"key": "{{ request.object.spec.missing }}", "operator": "Equals", "value": ""}], strict(data)
        )
    assert evaluate_block(
        [{"key": "{{ request.object.spec.missing || '' }}", "operator": "Equals", "value": ""}], strict(data)
    )
    assert evaluate_block(
        [{"key": "{{ request.operation || 'BACKGROUND' }}", "operator": "NotEquals", "value": "DELETE"}],
        strict(data),
    )
    assert evaluate_block(
        [{"key": "ns-{{ request.namespace }}", "operator": "Equals", "value": "ns-apps"}], strict(data)
    )


def service_policy() -> ClusterPolicy:
    # the Preconditions page's example: NodePort Services must use externalTrafficPolicy Local
    return parse_policy(
        {
            "apiVersion": "kyverno.io/v1",
            "kind": "ClusterPolicy",
            "metadata": {"name": "nodeport"},
            "spec": {
                "rules": [
                    {
                        "name": "validate-nodeport-trafficpolicy",
                        "match": {"any": [{"resources": {"kinds": ["Service"]}}]},
                        "preconditions": {
                            "all": [
                                {
                                    "key": "{{ request.object.spec.type }}",
                                    "operator": "Equals",
                                    "value": "NodePort",
                                }
                            ]
                        },
                        "validate": {
                            "message": "use Local",
                            "pattern": {"spec": {"externalTrafficPolicy": "Local"}},
                        },
                    }
                ]
            },
        }
    )


@pytest.mark.parametrize(
    ("spec", "expected"),
    [
        ({"type": "NodePort", "externalTrafficPolicy": "Cluster"}, Outcome.FAIL),
        ({"type": "NodePort", "externalTrafficPolicy": "Local"}, Outcome.PASS),
        ({"type": "ClusterIP"}, Outcome.SKIP),
    ],
)
def test_preconditions_gate_the_rule(spec: dict[str, Any], expected: Outcome) -> None:
    service = {
        "apiVersion": "v1",
        "kind": "Service",
        "metadata": {"name": "s", "namespace": "n"},
        "spec": spec,
    }
    [verdict] = evaluate([service_policy()], [], service)
    assert verdict.outcome is expected
    assert verdict.action == "Audit"  # no validationFailureAction: Kyverno's default
