from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from generator.cli import cli
from generator.diff.compare import read_tree
from generator.diff.objects import HELM, PLATFORMC, ObjectKey, collect_objects
from generator.emit import emit_platform
from generator.pipeline import analyse

REPO = Path(__file__).resolve().parents[3]


@pytest.fixture(scope="module")
def tree(tmp_path_factory: pytest.TempPathFactory) -> dict[str, bytes]:
    root = tmp_path_factory.mktemp("objects") / "demo"
    for args in (["init", str(root)], ["render", "--root", str(root), "--env", "dev"]):
        assert CliRunner().invoke(cli, args, catch_exceptions=False).exit_code == 0
    return read_tree(root / "rendered" / "dev")


def test_objects_are_grouped_by_the_application_that_syncs_them(tree: dict[str, bytes]) -> None:
    found = collect_objects(tree, "1.31.0")
    by_app: dict[str, set[str]] = {}
    for (app, key), obj in found.objects.items():
        by_app.setdefault(app, set()).add(f"{key.kind}/{key.name}")
        assert obj.application == app
    assert "Application/apps" in by_app["demo-dev"]  # argocd/ belongs to the root app
    assert "Namespace/apps" in by_app["platform-namespaces"]
    assert "PolicyException/apps-postgres" in by_app["platform-policies"]
    assert "ExternalSecret/app-db" in by_app["platform-secrets"]
    assert {"StatefulSet/postgres", "Service/postgres-headless", "Deployment/api"} <= by_app["apps"]


def test_the_grafana_config_maps_belong_to_platform_dashboards() -> None:
    (result,) = analyse(REPO, ["prod"])
    assert result.platform is not None
    found = collect_objects(emit_platform(result.platform), "1.31.0", use_helm=False)
    owners = {app for (app, key) in found.objects if key.kind == "ConfigMap" and "dashboard" in key.name}
    assert owners == {"platform-dashboards"}
    assert (
        "platform-dashboards",
        ObjectKey("ConfigMap", "monitoring", "platformc-datasources"),
    ) in found.objects


def test_helm_renders_workloads_and_labels_upstream_charts_it_could_not(tree: dict[str, bytes]) -> None:
    found = collect_objects(tree, "1.31.0")
    deployment = next(
        o for (app, k), o in found.objects.items() if k.kind == "Deployment" and k.name == "api"
    )
    assert deployment.source == HELM
    store = next(o for (app, k), o in found.objects.items() if k.kind == "ClusterSecretStore")
    assert (store.application, store.source) == ("external-secrets", HELM)
    values = next(o for (app, k), o in found.objects.items() if k.kind == "Values")
    assert (values.application, values.key.name, values.source) == (
        "external-secrets",
        "external-secrets",
        PLATFORMC,
    )
    assert values.data["chart"]["repository"] == "https://charts.external-secrets.io"
    assert values.data["values"] == {"installCRDs": True}
    assert "not vendored" in values.note


def test_without_the_helm_engine_every_chart_is_its_values(tree: dict[str, bytes]) -> None:
    found = collect_objects(tree, "1.31.0", use_helm=False)
    kinds = {(app, k.kind, k.name) for (app, k) in found.objects}
    assert ("apps", "Values", "api") in kinds
    assert ("apps", "Values", "postgres") in kinds
    assert not any(kind == "Deployment" for _, kind, _ in kinds)
    api = next(o for (app, k), o in found.objects.items() if k.name == "api" and k.kind == "Values")
    assert api.data["values"]["container"]["image"] == "docker.io/postgrest/postgrest:v12.2.3"
    assert "Helm engine not available" in api.note
    # What a chart carries as data is shown from its objects/ files, as platformc emits it.
    (store,) = [o for (app, k), o in found.objects.items() if k.kind == "ClusterSecretStore"]
    assert (store.application, store.key.name, store.source) == ("external-secrets", "vault", PLATFORMC)
    assert store.data["spec"]["provider"]["vault"]["path"] == "secret"


def test_identical_charts_are_skipped_on_both_sides(tree: dict[str, bytes]) -> None:
    found = collect_objects(tree, "1.31.0", other=dict(tree))
    assert not any(app == "apps" for app, _ in found.objects)
    assert any(app == "platform-namespaces" for app, _ in found.objects)
