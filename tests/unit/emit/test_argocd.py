"""The AppProject: roles from platform.yaml, and boundaries that are exactly what the platform renders."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generator.emit import RenderedTree, emit_platform
from generator.emit.argocd import app_project, cluster_kinds
from generator.model import Platform, build_platform
from generator.pipeline import analyse

REPO = Path(__file__).resolve().parents[3]
ENVS = ("dev", "prod", "staging")


def project(tree: RenderedTree) -> dict[str, Any]:
    return dict(yaml.safe_load(tree["argocd/project.yaml"]))


def destinations(obj: dict[str, Any]) -> list[str]:
    return [d["namespace"] for d in obj["spec"]["destinations"]]


def declared(platform: Platform) -> set[str]:
    return {*platform.doc.data["spec"]["namespaces"], platform.gitops.argocd_namespace}


def rendered_objects(tree: RenderedTree) -> list[dict[str, Any]]:
    """Every object the project's Applications write, with a namespace (workloads by their values)."""
    found: list[dict[str, Any]] = []
    for path in tree:
        if not path.endswith(".yaml") or path.startswith(("argocd/", "bootstrap/")) or path == "root.yaml":
            continue
        if path.startswith("apps/"):
            # Carried objects: apps/<app>/objects/ and apps/<app>/charts/<workload>/objects/
            if path.split("/")[-2] == "objects":
                found.append(yaml.safe_load(tree[path]))
            # apps/<app>/charts/<workload>/values.yaml for each workload
            elif path.count("/") == 4 and path.endswith("/values.yaml"):
                values = yaml.safe_load(tree[path]) or {}
                if "container" in values:
                    found.append(
                        {
                            "kind": "Workload",
                            "metadata": {"name": values["name"], "namespace": values["namespace"]},
                        }
                    )
            continue
        found += [o for o in yaml.safe_load_all(tree[path]) if o]
    return found


def test_roles_come_from_platform_yaml(prod_tree: RenderedTree) -> None:
    roles = {r["name"]: r for r in project(prod_tree)["spec"]["roles"]}
    assert roles["platform-admin"]["groups"] == ["platform-admins"]
    assert roles["platform-admin"]["policies"] == [
        "p, proj:platform:platform-admin, applications, *, platform/*, allow",
        "p, proj:platform:platform-admin, logs, get, platform/*, allow",
    ]
    assert roles["devops"]["policies"] == [
        "p, proj:platform:devops, applications, get, platform/*, allow",
        "p, proj:platform:devops, applications, sync, platform/*, allow",
        "p, proj:platform:devops, logs, get, platform/*, allow",
    ]
    developer = roles["developer"]["policies"]
    assert {p.split(", ")[4] for p in developer} == {
        "platform/data-platform",
        "platform/ml-platform",
        "platform/portal-services",
    }
    assert {tuple(p.split(", ")[2:4]) for p in developer} == {("applications", "get"), ("logs", "get")}


def test_a_role_grants_nothing_on_applications_this_environment_does_not_render(prod: Platform) -> None:
    doc = copy.deepcopy(prod.doc)
    doc.data["spec"]["applications"]["ml-platform"]["enabled"] = False
    roles = {r["name"]: r for r in app_project(build_platform(doc, "prod"))["spec"]["roles"]}
    assert not [p for p in roles["developer"]["policies"] if "ml-platform" in p]
    assert "ml-platform" not in roles["developer"]["description"]


def test_the_project_covers_every_namespace_rendered_into_and_no_other() -> None:
    for env in ENVS:
        (result,) = analyse(REPO, [env])
        assert result.platform is not None
        tree = emit_platform(result.platform)
        allowed = set(destinations(project(tree)))
        assert allowed <= declared(result.platform), env
        used = {o["metadata"]["namespace"] for o in rendered_objects(tree) if "namespace" in o["metadata"]}
        apps = [
            yaml.safe_load(tree[p]) for p in tree if p.startswith("argocd/") and p != "argocd/project.yaml"
        ]
        used |= {a["spec"]["destination"]["namespace"] for a in apps}
        assert used == allowed, env


def test_sources_are_the_repository_and_the_charts_in_use(prod: Platform, prod_tree: RenderedTree) -> None:
    charts = {
        c.chart.repository
        for c in prod.components()
        if c.chart is not None and prod.applications[c.app].enabled
    }
    assert project(prod_tree)["spec"]["sourceRepos"] == sorted({prod.gitops.repo_url or "", *charts})


def test_cluster_scoped_kinds_are_listed_never_wildcarded(prod: Platform, prod_tree: RenderedTree) -> None:
    whitelist = project(prod_tree)["spec"]["clusterResourceWhitelist"]
    kinds = {(k["group"], k["kind"]) for k in whitelist}
    assert not [k for k in whitelist if "*" in (k["group"], k["kind"])]
    assert {("", "Namespace"), ("external-secrets.io", "ClusterSecretStore")} <= kinds
    assert ("networking.k8s.io", "IngressClass") in kinds  # ingress-nginx
    assert ("apiextensions.k8s.io", "CustomResourceDefinition") in kinds
    # Every cluster-scoped object platformc renders itself is allowed.
    own = {
        (o["apiVersion"].rpartition("/")[0], o["kind"])
        for o in rendered_objects(prod_tree)
        if "namespace" not in o["metadata"]
    }
    assert own <= kinds


def test_without_charts_only_platformc_kinds_are_allowed(prod: Platform) -> None:
    doc = copy.deepcopy(prod.doc)
    for app in doc.data["spec"]["applications"].values():
        app["components"] = {n: c for n, c in app["components"].items() if "chart" not in c}
    doc.data["spec"]["policy"]["kyverno"].pop("clusterPolicies", None)
    assert cluster_kinds(build_platform(doc, "prod")) == [("", "Namespace")]


def test_the_platforms_own_cluster_policies_are_allowed(prod: Platform) -> None:
    doc = copy.deepcopy(prod.doc)
    for app in doc.data["spec"]["applications"].values():
        app["components"] = {n: c for n, c in app["components"].items() if "chart" not in c}
    assert ("kyverno.io", "ClusterPolicy") in cluster_kinds(build_platform(doc, "prod"))


def test_directory_applications_point_at_argocd_namespace(prod_tree: RenderedTree) -> None:
    for name in ("platform-namespaces", "platform-secrets"):
        application = yaml.safe_load(prod_tree[f"argocd/{name}.yaml"])
        assert application["spec"]["destination"]["namespace"] == "argocd"


def test_the_dashboards_application_points_at_the_monitoring_namespace(
    prod: Platform, prod_tree: RenderedTree
) -> None:
    application = yaml.safe_load(prod_tree["argocd/platform-dashboards.yaml"])
    namespace = prod.applications["monitoring"].namespace
    assert application["spec"]["destination"]["namespace"] == namespace
    assert namespace in destinations(project(prod_tree))
    assert application["spec"]["source"]["path"] == "rendered/prod/dashboards"
    assert application["spec"]["project"] == project(prod_tree)["metadata"]["name"]


_NAMES = st.sampled_from(["data-platform", "kafka", "rogue", "scratch", "tenant-a", "monitoring", "default"])


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    app_namespaces=st.dictionaries(
        st.sampled_from(["kafka", "storage", "ml-platform", "monitoring"]), _NAMES
    ),
    secret_namespaces=st.dictionaries(st.sampled_from(["redis-auth", "mlflow-db", "kong-db"]), _NAMES),
    dropped=st.sets(st.sampled_from(["kafka", "ml-platform", "monitoring", "velero", "kyverno"])),
)
def test_the_project_never_allows_an_undeclared_namespace(
    prod: Platform, app_namespaces: dict[str, str], secret_namespaces: dict[str, str], dropped: set[str]
) -> None:
    doc = copy.deepcopy(prod.doc)
    spec = doc.data["spec"]
    for app, namespace in app_namespaces.items():
        spec["applications"][app]["namespace"] = namespace
    for item, namespace in secret_namespaces.items():
        spec["secrets"]["items"][item]["namespace"] = namespace
    for namespace in dropped:
        del spec["namespaces"][namespace]
    platform = build_platform(doc, "prod")
    allowed = destinations(app_project(platform))
    assert set(allowed) <= declared(platform)
    assert allowed == sorted(set(allowed))
