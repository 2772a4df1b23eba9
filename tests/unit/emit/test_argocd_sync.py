"""Sync options, ignoreDifferences, data safety and finalizers of the Applications platformc writes."""

from __future__ import annotations

import copy
from typing import Any

import yaml

from generator.emit import RenderedTree
from generator.emit.argocd import chart_application, root_application, system_applications
from generator.emit.meta import SYNC_OPTIONS
from generator.model import Platform, build_platform


def _with(prod: Platform, change: dict[str, Any], app: str = "data-platform") -> Platform:
    doc = copy.deepcopy(prod.doc)
    doc.data["spec"]["applications"][app].update(change)
    return build_platform(doc, "prod", today=prod.today, vendored=prod.vendored)


def _options(application: dict[str, Any]) -> list[str]:
    return list(application["spec"]["syncPolicy"]["syncOptions"])


def test_server_side_apply_is_the_default_and_an_application_can_turn_it_off(prod: Platform) -> None:
    assert "ServerSideApply=true" in _options(chart_application(prod, prod.applications["data-platform"]))
    off = _with(prod, {"serverSideApply": False})
    assert "ServerSideApply=true" not in _options(chart_application(off, off.applications["data-platform"]))


def test_every_application_prunes_last_and_retries_with_backoff(prod_tree: RenderedTree) -> None:
    for path in [p for p in prod_tree if p.startswith("argocd/") and p != "argocd/project.yaml"]:
        policy = yaml.safe_load(prod_tree[path])["spec"]["syncPolicy"]
        assert "PruneLast=true" in policy["syncOptions"], path
        assert policy["retry"]["backoff"] == {"duration": "10s", "factor": 2, "maxDuration": "3m"}


def test_ignore_differences_of_application_and_component_reach_the_application(prod: Platform) -> None:
    assert "ignoreDifferences" not in chart_application(prod, prod.applications["portal-services"])["spec"]
    doc = copy.deepcopy(prod.doc)
    app = doc.data["spec"]["applications"]["portal-services"]
    app["ignoreDifferences"] = [{"group": "apps", "kind": "Deployment", "jsonPointers": ["/spec/replicas"]}]
    first = next(iter(app["components"].values()))
    first["ignoreDifferences"] = [
        {"kind": "ConfigMap", "name": "settings", "jqPathExpressions": [".data.generated"]},
        {"group": "apps", "kind": "Deployment", "managedFieldsManagers": ["kube-controller-manager"]},
    ]
    platform = build_platform(doc, "prod", today=prod.today, vendored=prod.vendored)
    spec = chart_application(platform, platform.applications["portal-services"])["spec"]
    assert spec["ignoreDifferences"] == [
        {"group": "", "kind": "ConfigMap", "name": "settings", "jqPathExpressions": [".data.generated"]},
        {"group": "apps", "kind": "Deployment", "managedFieldsManagers": ["kube-controller-manager"]},
        {"group": "apps", "kind": "Deployment", "jsonPointers": ["/spec/replicas"]},
    ]
    assert "RespectIgnoreDifferences=true" in spec["syncPolicy"]["syncOptions"]
    assert "RespectIgnoreDifferences=true" not in _options(
        chart_application(prod, prod.applications["portal-services"])
    )


def test_controllers_the_platform_installs_get_their_fields_ignored(prod: Platform) -> None:
    kyverno = chart_application(prod, prod.applications["kyverno"])["spec"]["ignoreDifferences"]
    assert {"group": "rbac.authorization.k8s.io", "kind": "ClusterRole"} | {
        "managedFieldsManagers": ["clusterrole-aggregation-controller"]
    } in kyverno
    mesh = chart_application(prod, prod.applications["service-mesh"])["spec"]["ignoreDifferences"]
    validating = [e for e in mesh if e["kind"] == "ValidatingWebhookConfiguration"]
    assert validating and all(".webhooks[]?.failurePolicy" in e["jqPathExpressions"] for e in validating)


def test_namespaces_are_never_pruned_or_deleted(prod_tree: RenderedTree) -> None:
    namespaces = [p for p in prod_tree if p.startswith("namespaces/")]
    assert namespaces
    for path in namespaces:
        namespace = next(d for d in yaml.safe_load_all(prod_tree[path]) if d["kind"] == "Namespace")
        assert namespace["metadata"]["annotations"][SYNC_OPTIONS] == "Prune=false,Delete=false"
        quota = [d for d in yaml.safe_load_all(prod_tree[path]) if d["kind"] != "Namespace"]
        assert all(SYNC_OPTIONS not in (d["metadata"].get("annotations") or {}) for d in quota)


def test_root_and_namespaces_have_no_finalizer_the_applications_have_the_cascade_one(prod: Platform) -> None:
    assert "finalizers" not in root_application(prod)["metadata"]
    system = {a["metadata"]["name"]: a for a in system_applications(prod)}
    assert "finalizers" not in system["platform-namespaces"]["metadata"]
    assert system["platform-secrets"]["metadata"]["finalizers"] == ["resources-finalizer.argocd.argoproj.io"]
    data = chart_application(prod, prod.applications["data-platform"])
    assert data["metadata"]["finalizers"] == ["resources-finalizer.argocd.argoproj.io"]


def test_the_secrets_application_ignores_the_data_external_secrets_writes(prod: Platform) -> None:
    secrets = {a["metadata"]["name"]: a for a in system_applications(prod)}["platform-secrets"]["spec"]
    expected = {(item.name, item.namespace) for item in prod.secrets.items.values()}
    assert expected and {(e["name"], e["namespace"]) for e in secrets["ignoreDifferences"]} == expected
    assert all(e == e | {"kind": "Secret", "jsonPointers": ["/data"]} for e in secrets["ignoreDifferences"])
    assert "RespectIgnoreDifferences=true" in secrets["syncPolicy"]["syncOptions"]
    namespaces = {a["metadata"]["name"]: a for a in system_applications(prod)}["platform-namespaces"]["spec"]
    assert "ignoreDifferences" not in namespaces
