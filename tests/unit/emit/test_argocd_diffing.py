"""The built-in ignoreDifferences, decided per chart from what the charts render.

Every umbrella chart of the reference platform is rendered twice with the Helm engine:
what differs between the two renders (certificates a chart generates at render time)
must be ignored by its Application, or Argo CD would never see it in sync. And every
admission webhook a chart renders has its `caBundle` patched in by a controller (the
cert-manager cainjector, a certgen job, istiod, Vault's injector, the operator itself),
so each must be covered too.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from generator.emit import RenderedTree
from generator.emit.argocd import chart_application
from generator.model import Platform
from generator.verify.helm import render_chart

Key = tuple[str, str, str]  # kind, namespace, name
WEBHOOKS = ("MutatingWebhookConfiguration", "ValidatingWebhookConfiguration")


def _render(directory: Path, app: str, namespace: str) -> dict[Key, dict[str, Any]]:
    result = render_chart(
        directory,
        release=app,
        namespace=namespace,
        value_files=[directory / "values.yaml"],
        kube_version="1.31",
    )
    assert not result.errors, result.errors
    out: dict[Key, dict[str, Any]] = {}
    for _, obj in result.manifests:
        meta = obj.get("metadata") or {}
        out[(str(obj.get("kind")), str(meta.get("namespace") or namespace), str(meta.get("name")))] = obj
    return out


def _covered(entries: list[dict[str, Any]], key: Key, field: str | None = None) -> bool:
    kind, namespace, name = key
    for entry in entries:
        if entry["kind"] != kind or entry.get("name", name) != name:
            continue
        if entry.get("namespace", namespace) != namespace:
            continue
        paths = [*entry.get("jsonPointers", []), *entry.get("jqPathExpressions", [])]
        if field is None or any(field in path for path in paths):
            return True
    return False


@pytest.fixture(scope="module")
def renders(prod: Platform, prod_tree: RenderedTree, tmp_path_factory: pytest.TempPathFactory) -> Any:
    root = tmp_path_factory.mktemp("rendered")
    for path in prod_tree:
        if path.startswith("apps/"):
            target = root / path
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(prod_tree[path])
    out = {}
    for name, app in sorted(prod.applications.items()):
        if app.enabled and any(c.chart is not None for c in app.enabled_components()):
            directory = root / "apps" / name
            out[name] = (_render(directory, name, app.namespace), _render(directory, name, app.namespace))
    return out


@pytest.mark.slow  # every chart of the platform rendered twice by Helm: ~8 s
def test_objects_that_differ_between_two_renders_are_ignored(prod: Platform, renders: Any) -> None:
    differing: list[tuple[str, Key]] = []
    for name, (first, second) in renders.items():
        entries = chart_application(prod, prod.applications[name])["spec"].get("ignoreDifferences", [])
        for key, obj in first.items():
            if second.get(key) != obj:
                differing.append((name, key))
                assert _covered(entries, key), f"{name}: {key} changes on every render and is not ignored"
    # Kong generates its admission webhook's CA and certificate at render time
    assert ("api-gateway", ("Secret", "kong", "kong-validation-webhook-keypair")) in differing


@pytest.mark.slow  # every chart of the platform rendered twice by Helm: ~8 s
def test_every_admission_webhook_has_its_ca_bundle_ignored(prod: Platform, renders: Any) -> None:
    seen = 0
    for name, (first, _) in renders.items():
        entries = chart_application(prod, prod.applications[name])["spec"].get("ignoreDifferences", [])
        for key in first:
            if key[0] in WEBHOOKS:
                seen += 1
                assert _covered(entries, key, "caBundle"), f"{name}: {key} has its caBundle patched in"
    assert seen >= 8


def test_a_chart_without_controllers_gets_no_entries(prod: Platform) -> None:
    for name in ("portal-services", "monitoring"):
        assert "ignoreDifferences" not in chart_application(prod, prod.applications[name])["spec"], name


def test_the_entries_are_valid_application_fields(prod_tree: RenderedTree) -> None:
    for path in [p for p in prod_tree if p.startswith("argocd/")]:
        for entry in yaml.safe_load(prod_tree[path])["spec"].get("ignoreDifferences", []):
            assert set(entry) <= {
                "group",
                "kind",
                "name",
                "namespace",
                "jsonPointers",
                "jqPathExpressions",
                "managedFieldsManagers",
            }
