"""PC710: removing a namespace or a stateful component the committed tree still has."""

from __future__ import annotations

import copy
from pathlib import Path

import pytest

from generator.emit import emit_platform
from generator.model import Platform, build_platform
from generator.write.removals import removal_findings
from tests.unit.emit.conftest import reference_platform


@pytest.fixture(scope="module")
def committed(tmp_path_factory: pytest.TempPathFactory) -> tuple[Platform, Path]:
    platform = reference_platform("prod")
    root = tmp_path_factory.mktemp("rendered") / "prod"
    tree = emit_platform(platform)
    for path in tree:
        if path.startswith(("namespaces/", "apps/")) and path.endswith(".yaml"):
            target = root / path
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(tree[path])
    return platform, root


def test_the_platform_as_committed_removes_nothing(committed: tuple[Platform, Path]) -> None:
    platform, root = committed
    assert removal_findings(platform, root, "rendered/prod") == []


def test_dropping_a_stateful_component_says_what_data_is_left(committed: tuple[Platform, Path]) -> None:
    platform, root = committed
    doc = copy.deepcopy(platform.doc)
    del doc.data["spec"]["applications"]["api-gateway"]["components"]["kong-postgres"]
    doc.data["spec"]["applications"]["api-gateway"]["components"]["kong"].pop("dependsOn", None)
    (finding,) = removal_findings(build_platform(doc, "prod"), root, "rendered/prod")
    assert finding.rule == "PC710" and finding.severity.value == "warning"
    assert finding.file == "rendered/prod/apps/api-gateway/charts/kong-postgres/values.yaml"
    assert "StatefulSet api-gateway/kong-postgres" in finding.message
    assert "volume claims (data: 20Gi, namespace kong)" in finding.message


def test_disabling_an_application_with_volumes_is_reported_for_each(committed: tuple[Platform, Path]) -> None:
    platform, root = committed
    doc = copy.deepcopy(platform.doc)
    doc.data["spec"]["applications"]["api-gateway"]["enabled"] = False
    findings = removal_findings(build_platform(doc, "prod"), root, "rendered/prod")
    assert [f.file.rsplit("/", 2)[-2] for f in findings] == ["kong-postgres"]


def test_dropping_a_namespace_is_reported(committed: tuple[Platform, Path]) -> None:
    platform, root = committed
    doc = copy.deepcopy(platform.doc)
    del doc.data["spec"]["namespaces"]["kong"]
    findings = removal_findings(build_platform(doc, "prod"), root, "rendered/prod")
    assert [f.file for f in findings] == ["rendered/prod/namespaces/kong.yaml"]
    assert "namespace kong" in findings[0].message and "Prune=false" in findings[0].message
