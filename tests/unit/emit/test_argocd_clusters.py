"""One Argo CD for many clusters: qualified names, destinations; and the bootstrap directory."""

from __future__ import annotations

import copy
import re
from pathlib import Path
from typing import Any

import pytest
import yaml

from generator.emit import RenderedTree, emit_platform
from generator.emit.argocd_health import HEALTH_KEY
from generator.emit.argocd_names import root_name
from generator.model import Platform, build_platform
from generator.verify.argocd_setup import argocd_names, name_collisions
from tests.unit.emit.conftest import reference_platform

ENVS = ("dev", "staging", "prod")


def _gitops(platform: Platform, argocd: dict[str, Any], cluster: dict[str, str] | None = None) -> Platform:
    doc = copy.deepcopy(platform.doc)
    doc.data["spec"]["gitops"]["argocd"].update(argocd)
    if cluster is not None:
        doc.data["spec"]["gitops"]["cluster"] = cluster
    return build_platform(doc, platform.env, today=platform.today, vendored=platform.vendored)


def _write(tree: RenderedTree, directory: Path) -> None:
    for path in tree:
        target = directory / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(tree[path])


def _argocd_objects(tree: RenderedTree) -> list[dict[str, Any]]:
    files = ["root.yaml", *sorted(p for p in tree if p.startswith("argocd/"))]
    return [yaml.safe_load(tree[p]) for p in files]


@pytest.fixture(scope="module")
def platforms() -> dict[str, Platform]:
    return {env: reference_platform(env) for env in ENVS}


def test_in_cluster_keeps_the_application_names(platforms: dict[str, Platform]) -> None:
    prod = platforms["prod"]
    names = {o["metadata"]["name"] for o in _argocd_objects(emit_platform(prod))}
    enabled = {name for name, app in prod.applications.items() if app.enabled}
    assert enabled <= names
    assert {"platform", "platform-namespaces", "254carbon-prod"} <= names
    application = yaml.safe_load(emit_platform(prod)["argocd/data-platform.yaml"])
    in_cluster = {"server": "https://kubernetes.default.svc", "namespace": "data-platform"}
    assert application["spec"]["destination"] == in_cluster


def test_a_central_argocd_qualifies_every_name_and_no_two_environments_collide(
    platforms: dict[str, Platform], tmp_path: Path
) -> None:
    for env, platform in platforms.items():
        _write(emit_platform(_gitops(platform, {"runs": "central"})), tmp_path / env)
    assert name_collisions(tmp_path, ENVS) == []
    names = [key for env in ENVS for key in argocd_names(tmp_path / env)]
    assert len(names) == len(set(names))
    assert ("Application", "argocd", "data-platform-staging") in names
    assert ("AppProject", "argocd", "platform-dev") in names
    data = yaml.safe_load((tmp_path / "dev" / "argocd" / "data-platform.yaml").read_text())
    assert data["spec"]["project"] == "platform-dev"
    assert data["spec"]["source"]["helm"]["releaseName"] == "data-platform"  # the release keeps its name


def test_in_cluster_names_collide_when_one_argocd_would_manage_them(
    platforms: dict[str, Platform], tmp_path: Path
) -> None:
    for env, platform in platforms.items():
        _write(emit_platform(platform), tmp_path / env)
    collisions = name_collisions(tmp_path, ENVS)
    assert collisions and {f.rule for f in collisions} == {"PC841"}
    assert any("Application argocd/data-platform of staging" in f.message for f in collisions)


def test_the_destination_is_the_declared_cluster_and_the_root_stays_with_argocd(
    platforms: dict[str, Platform],
) -> None:
    prod = platforms["prod"]
    by_name = emit_platform(_gitops(prod, {"runs": "central"}, {"name": "prod-eu"}))
    application = yaml.safe_load(by_name["argocd/data-platform.yaml"])
    assert application["spec"]["destination"] == {"name": "prod-eu", "namespace": "data-platform"}
    project = yaml.safe_load(by_name["argocd/project.yaml"])
    assert all(d["name"] == "prod-eu" and "server" not in d for d in project["spec"]["destinations"])
    root = yaml.safe_load(by_name["root.yaml"])
    assert root["spec"]["destination"]["server"] == "https://kubernetes.default.svc"
    by_server = emit_platform(_gitops(prod, {}, {"server": "https://prod.example.com:6443"}))
    application = yaml.safe_load(by_server["argocd/data-platform.yaml"])
    assert application["spec"]["destination"]["server"] == "https://prod.example.com:6443"
    assert application["metadata"]["name"] == "data-platform"


def test_roles_name_the_qualified_applications(platforms: dict[str, Platform]) -> None:
    tree = emit_platform(_gitops(platforms["prod"], {"runs": "central"}))
    roles = {r["name"]: r for r in yaml.safe_load(tree["argocd/project.yaml"])["spec"]["roles"]}
    assert (
        "p, proj:platform-prod:developer, applications, get, platform-prod/data-platform-prod, allow"
        in (roles["developer"]["policies"])
    )


def test_bootstrap_holds_the_install_values_and_applies_the_project_and_root_where_the_tree_has_them(
    platforms: dict[str, Platform],
) -> None:
    prod = platforms["prod"]
    tree = emit_platform(prod)
    assert sorted(path for path in tree if path.startswith("bootstrap/")) == [
        "bootstrap/README.md",
        "bootstrap/argocd-values.yaml",
    ]
    values = yaml.safe_load(tree["bootstrap/argocd-values.yaml"])
    assert "obj.status.health" in values["configs"]["cm"][HEALTH_KEY]
    umbrella = yaml.safe_load(tree["apps/argocd/values.yaml"])
    assert umbrella["argo-cd"] == values  # Argo CD syncing itself changes nothing
    readme = tree["bootstrap/README.md"].decode()
    install = "helm upgrade --install argocd argo-cd --repo https://argoproj.github.io/argo-helm"
    assert f"{install} --version 7.6.8" in readme
    applied = re.findall(r"^kubectl apply --server-side -f rendered/prod/(\S+)$", readme, re.MULTILINE)
    assert applied == ["argocd/project.yaml", "root.yaml"]
    assert yaml.safe_load(tree["argocd/project.yaml"])["kind"] == "AppProject"
    assert yaml.safe_load(tree["root.yaml"])["metadata"]["name"] == root_name(prod)


def test_without_an_argocd_chart_the_bootstrap_values_still_carry_the_health_check(
    platforms: dict[str, Platform],
) -> None:
    doc = copy.deepcopy(platforms["prod"].doc)
    doc.data["spec"]["applications"]["argocd"]["enabled"] = False
    tree = emit_platform(build_platform(doc, "prod"))
    values = yaml.safe_load(tree["bootstrap/argocd-values.yaml"])
    assert set(values["configs"]["cm"]) == {HEALTH_KEY}
    assert "--repo https://argoproj.github.io/argo-helm \\" in tree["bootstrap/README.md"].decode()
