"""The exception index picks the same exception a scan of every exception would.

For one rule and one resource only exceptions that name the rule's policy and can match the
resource's namespace are read; the result must be exactly Kyverno's: the first exception, by
namespace/name, that names the rule and matches (pkg/utils/match, Exception.Contains).
"""

from __future__ import annotations

import itertools
from typing import Any

import pytest

from generator.verify.admission.exceptions import ExceptionIndex, exempting, names_rule, reachable_namespaces
from generator.verify.admission.match import Target, matches
from generator.verify.admission.model import PolicyException


def _resources(namespaces: list[str] | None, names: list[str] | None = None) -> dict[str, Any]:
    described: dict[str, Any] = {"kinds": ["Pod", "Namespace"]}
    if namespaces is not None:
        described["namespaces"] = namespaces
    if names is not None:
        described["names"] = names
    return {"resources": described}


@pytest.mark.parametrize(
    ("match", "expected"),
    [
        ({"any": [_resources(["a"]), _resources(["b", "c"])]}, {"a", "b", "c"}),
        ({"any": [_resources(["a"]), _resources(None)]}, None),  # the second filter: any namespace
        ({"any": [_resources(["team-*"])]}, None),  # a wildcard
        ({"all": [_resources(None, ["web-*"]), _resources(["a", "b"])]}, {"a", "b"}),
        ({"all": [_resources(None, ["web-*"])]}, None),
        (_resources(["a"]), {"a"}),  # the legacy single filter
        ({}, None),
    ],
)
def test_the_namespaces_an_exception_can_reach(match: dict[str, Any], expected: set[str] | None) -> None:
    assert reachable_namespaces(match) == (None if expected is None else frozenset(expected))


def _every_exception() -> list[PolicyException]:
    shapes: list[dict[str, Any]] = [
        {"any": [_resources(["a"])]},
        {"any": [_resources(["b"], ["web-*"])]},
        {"any": [_resources(["a", "b"]), _resources(["c"])]},
        {"any": [_resources(["?"])]},
        {"any": [_resources(None, ["web-1"])]},
        {"all": [_resources(["a"]), _resources(None, ["web-*"])]},
        _resources(["c"]),
    ]
    found: list[PolicyException] = []
    rules = (("p1", ("r1",)), ("p1", ("r*",)), ("p2", ("r1", "r2")))
    for index, (shape, named) in enumerate(itertools.product(shapes, rules)):
        name = f"ex-{(index * 7) % 23:02d}"  # keys not in the order they are built
        found.append(PolicyException(name, "kyverno", (named,), shape))
    return found


def _scan(
    exceptions: list[PolicyException], policy: str, rule: str, target: Target
) -> PolicyException | None:
    """Every exception read, in namespace/name order: what the index must agree with."""
    for exception in sorted(exceptions, key=lambda e: e.key):
        if names_rule(exception, policy, rule) and matches(exception.match, target):
            return exception
    return None


def test_the_index_agrees_with_a_scan_of_every_exception() -> None:
    exceptions = _every_exception()
    index = ExceptionIndex.of(exceptions)
    checked = exempted = 0
    for kind, name, namespace in itertools.product(("Pod", "Namespace"), ("web-1", "db-0", "a", "c"), "abcd"):
        target = Target("", "v1", kind, name, "" if kind == "Namespace" else namespace, {}, {}, {})
        for policy, rule in (("p1", "r1"), ("p1", "r2"), ("p2", "r2"), ("p3", "r1")):
            expected = _scan(exceptions, policy, rule, target)
            assert exempting(index, policy, rule, target, {}) == expected, (kind, name, namespace, rule)
            assert exempting(exceptions, policy, rule, target, {}) == expected
            checked += 1
            exempted += expected is not None
    assert checked == 128 and 0 < exempted < checked  # both outcomes were exercised


def test_candidates_come_in_namespace_name_order_across_both_tables() -> None:
    anywhere = PolicyException("a-first", "kyverno", (("p1", ("r1",)),), {"any": [_resources(None)]})
    local = PolicyException("b-second", "kyverno", (("p1", ("r1",)),), {"any": [_resources(["x"])]})
    later = PolicyException("c-third", "kyverno", (("p1", ("r1",)),), {"any": [_resources(None)]})
    index = ExceptionIndex.of([later, local, anywhere])
    assert [e.name for e in index.candidates("p1", "x")] == ["a-first", "b-second", "c-third"]
    assert [e.name for e in index.candidates("p1", "y")] == ["a-first", "c-third"]
    assert index.candidates("p2", "x") == []
