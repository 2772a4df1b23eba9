"""The schema of the Argo CD keys: cluster, runs, ignoreDifferences."""

from __future__ import annotations

from typing import Any

import pytest
from jsonschema import Draft202012Validator

from generator.validate import load_schema


def _valid(definition: str, instance: Any) -> bool:
    schema = {"$defs": load_schema()["$defs"], "$ref": f"#/$defs/{definition}"}
    return Draft202012Validator(schema).is_valid(instance)


GITOPS = {"repoURL": "https://example.com/p.git", "targetRevision": "main", "path": "rendered"}
ARGOCD = {"namespace": "argocd", "project": "p"}


@pytest.mark.parametrize(
    ("gitops", "valid"),
    [
        ({**GITOPS, "argocd": ARGOCD}, True),
        ({**GITOPS, "argocd": {**ARGOCD, "runs": "central"}, "cluster": {"name": "prod-eu"}}, True),
        (
            {**GITOPS, "argocd": {**ARGOCD, "runs": "in-cluster"}, "cluster": {"server": "https://k:6443"}},
            True,
        ),
        ({**GITOPS, "argocd": {**ARGOCD, "runs": "elsewhere"}}, False),
        ({**GITOPS, "argocd": ARGOCD, "cluster": {"server": "https://k:6443", "name": "prod"}}, False),
        ({**GITOPS, "argocd": ARGOCD, "cluster": {}}, False),
        ({**GITOPS, "argocd": ARGOCD, "cluster": {"server": "http://k"}}, False),
    ],
)
def test_a_cluster_is_named_one_way_and_argocd_runs_in_cluster_or_centrally(
    gitops: dict[str, Any], valid: bool
) -> None:
    assert _valid("gitops", gitops) is valid


@pytest.mark.parametrize(
    ("entry", "valid"),
    [
        ({"group": "apps", "kind": "Deployment", "jsonPointers": ["/spec/replicas"]}, True),
        ({"kind": "ConfigMap", "name": "c", "namespace": "n", "jqPathExpressions": [".data.x"]}, True),
        ({"kind": "ClusterRole", "managedFieldsManagers": ["clusterrole-aggregation-controller"]}, True),
        ({"kind": "Deployment"}, False),  # which fields?
        ({"jsonPointers": ["/spec/replicas"]}, False),  # of what?
        ({"kind": "Deployment", "jsonPointers": ["spec/replicas"]}, False),  # a pointer starts with /
        ({"kind": "Deployment", "jqPathExpressions": ["spec"]}, False),  # a jq path starts with .
        ({"kind": "Deployment", "jsonPointers": ["/a"], "paths": ["/b"]}, False),
    ],
)
def test_an_ignore_differences_entry_names_a_kind_and_its_fields(entry: dict[str, Any], valid: bool) -> None:
    assert _valid("diffIgnore", entry) is valid
