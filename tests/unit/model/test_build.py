"""The typed model: what build_platform reads from the document, and the facts it derives once."""

from __future__ import annotations

import dataclasses
import datetime
from pathlib import Path

import pytest

from generator.load import load_document
from generator.merge import merge_overlay
from generator.model import Platform, build_platform

REPO = Path(__file__).resolve().parents[3]


@pytest.fixture(scope="module")
def prod() -> Platform:
    base = load_document(REPO / "platform.yaml", "platform.yaml")
    overlay = load_document(REPO / "overlays" / "prod.yaml", "overlays/prod.yaml")
    return build_platform(merge_overlay(base, overlay), "prod", today=datetime.date(2030, 1, 2))


def test_the_model_is_frozen(prod: Platform) -> None:
    component = prod.components()[0]
    with pytest.raises(dataclasses.FrozenInstanceError):
        component.wave = 3  # type: ignore[misc]
    with pytest.raises(dataclasses.FrozenInstanceError):
        prod.env = "dev"  # type: ignore[misc]


def test_parts_keep_their_place_in_the_document(prod: Platform) -> None:
    for component in prod.components(enabled_only=False):
        paths = [p.path for p in component.env] + [p.path for p in component.files]
        paths += [p.path for p in component.volumes] + [p.path for p in component.exceptions]
        for path in paths:
            assert path[: len(component.path)] == component.path
            assert prod.doc.get(path) is not None, path
        if component.autoscaling is not None:
            assert prod.doc.get(component.autoscaling.path) is not None
    for item in prod.secrets.items.values():
        assert prod.doc.get(item.path) is not None
    for node in prod.nodes:
        assert prod.doc.get(node.path)["name"] == node.name


def test_settings_are_read_as_written(prod: Platform) -> None:
    written = prod.doc.data["spec"]
    assert prod.domain == written["domain"]
    assert set(prod.namespaces) == set(written["namespaces"])
    assert list(prod.secrets.items) == list(written["secrets"]["items"])
    assert prod.kyverno is not None
    assert prod.kyverno.exception_namespace == written["policy"]["kyverno"]["exceptionNamespace"]
    assert prod.gitops.repo_url == written["gitops"]["repoURL"]
    assert prod.today == datetime.date(2030, 1, 2)


def test_a_chart_keeps_its_values_opaque_and_its_pin_typed(prod: Platform) -> None:
    charts = [c for c in prod.components() if c.chart is not None]
    assert charts
    for component in charts:
        spec = prod.doc.get(component.path)
        assert component.chart is not None
        assert component.chart.name == spec["chart"]["name"]
        assert dict(component.values) == (spec.get("values") or {})


def test_env_entries_say_which_read_secrets(prod: Platform) -> None:
    readers = [c for c in prod.components() if c.secrets]
    assert readers
    for component in readers:
        secret_entries = [e for e in component.env if e.secret is not None]
        assert [e.secret for e in secret_entries] == list(component.secrets)
        assert all(e.value is None for e in secret_entries)


def test_derived_facts_are_fields_filled_at_build(prod: Platform) -> None:
    assert prod.edges and prod.application_graph and prod.installers
    for target_id, sources in prod.edges_into.items():
        for source, ports in sources:
            assert prod.edges[(source, target_id)] == ports
    for name, app_name in prod.installers.items():
        assert any(c.chart_name == name for c in prod.applications[app_name].enabled_components())
    for component in prod.components():
        for dep in component.depends_on:
            target = prod.find(dep)
            if target is not None and target.app == component.app and target.enabled:
                assert component.wave > target.wave


def test_an_external_with_a_target_takes_its_ports(prod: Platform) -> None:
    (component,) = [c for c in prod.components() if c.external is not None]
    assert component.external is not None and component.external.target is not None
    assert not component.declared_ports
    target = prod.find(component.external.target)
    assert target is not None
    assert dict(component.ports) == dict(target.ports) != {}
    assert target.id in component.depends_on
