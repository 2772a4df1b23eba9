from __future__ import annotations

import copy
import time
from pathlib import Path
from typing import Any

import pytest
import yaml

from generator.findings import Severity
from generator.verify import objects
from generator.verify.objects import RenderedObject, kubernetes_schema_version, validate_objects

CASES = Path(__file__).parent / "cases" / "schemas"
DEPLOYMENT: dict[str, Any] = {
    "apiVersion": "apps/v1",
    "kind": "Deployment",
    "metadata": {"name": "web", "namespace": "portal", "labels": {"app.kubernetes.io/name": "web"}},
    "spec": {
        "replicas": 2,
        "selector": {"matchLabels": {"app.kubernetes.io/name": "web"}},
        "template": {
            "metadata": {"labels": {"app.kubernetes.io/name": "web"}},
            "spec": {
                "containers": [
                    {
                        "name": "web",
                        "image": "nginx:1.27",
                        "imagePullPolicy": "IfNotPresent",
                        "ports": [{"containerPort": 8080, "name": "http"}],
                        "resources": {"limits": {"cpu": "500m", "memory": 536870912}},
                    }
                ]
            },
        },
    },
}


def deployment(**changes: Any) -> dict[str, Any]:
    data = copy.deepcopy(DEPLOYMENT)
    container = data["spec"]["template"]["spec"]["containers"][0]
    container.update(changes)
    return data


def one(data: dict[str, Any], **kwargs: Any) -> RenderedObject:
    return RenderedObject("rendered/dev/apps/portal/templates/web.yaml", 0, data, **kwargs)


def test_a_valid_deployment_passes() -> None:
    assert validate_objects([one(deployment())], "1.31") == []


def test_a_misspelt_field_fails_strict_validation() -> None:
    data = deployment()
    data["spec"]["template"]["spec"]["containers"][0]["imagePullPolicyy"] = "Always"
    (finding,) = validate_objects([one(data, origin="portal.web", line=12)], "1.31")
    assert (finding.rule, finding.severity) == ("PC801", Severity.ERROR)
    assert (finding.file, finding.line, finding.column) == (
        "rendered/dev/apps/portal/templates/web.yaml",
        12,
        1,
    )
    assert finding.path == "Deployment/web:spec.template.spec.containers[0].imagePullPolicyy"
    assert finding.message.startswith("Deployment/web does not match the Kubernetes 1.31 schema for apps/v1")
    assert "spec.template.spec.containers[0].imagePullPolicyy" in finding.message
    assert "'imagePullPolicyy' was unexpected" in finding.message
    assert "remove the field or correct its spelling" in finding.message
    assert finding.message.endswith("(from portal.web)")


def test_a_wrong_type_is_reported_at_its_path() -> None:
    data = deployment()
    data["spec"]["replicas"] = "two"
    (finding,) = validate_objects([one(data)], "1.31")
    assert finding.path == "Deployment/web:spec.replicas"
    assert "'two' is not of type 'integer'" in finding.message


def test_every_problem_is_reported_not_the_first() -> None:
    data = deployment(imagePullPolicyy="Always", ports=[{"containerPort": "http"}])
    paths = {f.path for f in validate_objects([one(data)], "1.31")}
    assert paths == {
        "Deployment/web:spec.template.spec.containers[0].imagePullPolicyy",
        "Deployment/web:spec.template.spec.containers[0].ports[0].containerPort",
    }


def test_a_policy_exception_with_a_wrong_field_fails() -> None:
    data = {
        "apiVersion": "kyverno.io/v2",
        "kind": "PolicyException",
        "metadata": {"name": "kafka-host-path", "namespace": "kyverno"},
        "spec": {
            "exceptions": [{"policyName": "disallow-host-path", "rules": ["host-path"]}],
            "match": {"any": [{"resources": {"kinds": ["Pod"], "namespaces": ["kafka"]}}]},
        },
    }
    findings = validate_objects([one(data)], "1.31")
    assert {f.rule for f in findings} == {"PC801"}
    assert {f.path for f in findings} == {
        "PolicyException/kafka-host-path:spec.exceptions[0].rules",
        "PolicyException/kafka-host-path:spec.exceptions[0]",
    }
    assert any("platformc's schema for kyverno.io/v2 PolicyException" in f.message for f in findings)
    assert any("'ruleNames' is a required property" in f.message for f in findings)


def test_an_unknown_custom_resource_has_no_schema() -> None:
    data = {"apiVersion": "example.com/v1", "kind": "Widget", "metadata": {"name": "w"}, "spec": {"size": 3}}
    (finding,) = validate_objects([one(data)], "1.31")
    assert (finding.rule, finding.severity, finding.path) == ("PC802", Severity.WARNING, "Widget/w")
    assert "no schema for example.com/v1 Widget" in finding.message
    assert "not verified" in finding.message


def test_a_kind_in_a_look_alike_group_is_not_validated_as_the_builtin() -> None:
    # kubernetes-validate's file names drop the group's domain: apps.example.com/v1 would
    # otherwise be checked against apps/v1 Deployment
    data = {"apiVersion": "apps.example.com/v1", "kind": "Deployment", "metadata": {"name": "x"}, "spec": {}}
    assert [f.rule for f in validate_objects([one(data)], "1.31")] == ["PC802"]


def test_an_object_without_apiversion_and_kind_fails() -> None:
    (finding,) = validate_objects([one({"metadata": {"name": "x"}})], "1.31")
    assert finding.rule == "PC801"
    assert "has no apiVersion and kind" in finding.message


@pytest.mark.parametrize("case", sorted(CASES.glob("*.valid.yaml")), ids=lambda p: p.name)
def test_platformc_custom_resources_validate_with_the_shipped_schemas(case: Path) -> None:
    data = yaml.safe_load(case.read_text(encoding="utf-8"))
    assert validate_objects([one(data)], "1.31") == []


@pytest.mark.parametrize("case", sorted(CASES.glob("*.broken.yaml")), ids=lambda p: p.name)
def test_broken_custom_resources_fail_with_the_shipped_schemas(case: Path) -> None:
    data = yaml.safe_load(case.read_text(encoding="utf-8"))
    findings = validate_objects([one(data)], "1.31")
    assert findings
    assert {f.rule for f in findings} == {"PC801"}


@pytest.mark.parametrize(
    ("wanted", "used"),
    [("1.31", "1.31"), ("v1.31.4", "1.31"), ("1.31.0-eks", "1.31"), ("1.99", None), ("1.2", None)],
)
def test_the_closest_shipped_schema_version_is_used(wanted: str, used: str | None) -> None:
    shipped = [f"{major}.{minor}" for major, minor in objects._available_versions()]
    expected = used or (shipped[-1] if wanted == "1.99" else shipped[0])
    assert kubernetes_schema_version(wanted) == expected


def test_a_nonsense_version_is_refused() -> None:
    with pytest.raises(ValueError, match="not a Kubernetes version"):
        kubernetes_schema_version("latest")


def test_validators_are_compiled_once_per_kind() -> None:
    many = [one(deployment()) for _ in range(400)]
    validate_objects(many[:1], "1.30")
    before = objects._kubernetes_validator.cache_info().misses
    started = time.perf_counter()
    assert validate_objects(many, "1.30") == []
    elapsed = time.perf_counter() - started
    assert objects._kubernetes_validator.cache_info().misses == before
    # the kubernetes-validate command spends about a second per manifest; this is a generous bound
    assert elapsed < 20, elapsed


def test_an_object_rendered_alike_in_two_environments_is_reported_in_each() -> None:
    data = deployment(imagePullPolicyy="Always")
    dev = one(data)
    prod = RenderedObject("rendered/prod/apps/portal/templates/web.yaml", 0, copy.deepcopy(data))
    first, second = validate_objects([dev, prod], "1.31")
    assert (first.file, second.file) == (dev.file, prod.file)
    assert first.message == second.message and first.path == second.path
    # the neighbour: another object is validated for itself, not answered from the first
    assert validate_objects([one(deployment())], "1.31") == []
