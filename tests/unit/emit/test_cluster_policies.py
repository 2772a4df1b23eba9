"""ClusterPolicies platform.yaml declares (spec.policy.kyverno.clusterPolicies), emitted and enforced."""

from __future__ import annotations

import copy

import yaml

from generator.emit.environment import emit_platform
from generator.emit.tree import RenderedTree
from generator.model.build import build_platform
from generator.model.types import Platform

FILE = "policies/clusterpolicy-require-ro-rootfs.yaml"


def _without_declared(prod: Platform) -> Platform:
    doc = copy.deepcopy(prod.doc)
    doc.data["spec"]["policy"]["kyverno"].pop("clusterPolicies")
    return build_platform(doc, "prod")


def test_a_declared_policy_is_emitted_as_written_into_the_policies_app(prod_tree: RenderedTree) -> None:
    policy = yaml.safe_load(prod_tree[FILE])
    assert (policy["apiVersion"], policy["kind"], policy["metadata"]["name"]) == (
        "kyverno.io/v1",
        "ClusterPolicy",
        "require-ro-rootfs",
    )
    assert "namespace" not in policy["metadata"]
    assert policy["spec"]["validationFailureAction"] == "Enforce"
    assert [r["name"] for r in policy["spec"]["rules"]] == ["validate-readOnlyRootFilesystem"]
    assert "argocd/platform-policies.yaml" in prod_tree


def test_without_declarations_no_cluster_policy_is_emitted(prod: Platform) -> None:
    tree = emit_platform(_without_declared(prod))
    assert not [path for path in tree if path.startswith("policies/clusterpolicy-")]


def test_declared_policies_are_ones_exceptions_may_name(prod: Platform) -> None:
    assert prod.enforced_policies["require-ro-rootfs"] == ("validate-readOnlyRootFilesystem",)
    assert "require-ro-rootfs" not in _without_declared(prod).enforced_policies
