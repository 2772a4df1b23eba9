"""Every Kyverno PolicyException is least-privilege: exactly the policies and rules the component asked
for (plus Kyverno's autogen- variants), only that component's resources, only its namespace.

The expectation is read from platform.yaml and the overlay by reliability_kit.policy with PyYAML and
its own merge — never through platformc's model or emitters.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml
from reliability_kit.policy import check_environment
from reliability_kit.repo import ENVS, REPO, copy_inputs


@pytest.mark.parametrize("env", ENVS)
def test_committed_exceptions_are_least_privilege(env: str) -> None:
    result = check_environment(REPO, env)
    assert result.checked > 0
    assert result.violations == []


@pytest.mark.parametrize("env", ENVS)
def test_freshly_rendered_exceptions_are_least_privilege(reference_render: Path, env: str) -> None:
    result = check_environment(reference_render, env)
    assert result.checked > 0
    assert result.violations == []


@pytest.fixture
def prod_copy(reference_render: Path, tmp_path: Path) -> Path:
    """The reference inputs with a rendered prod tree that a test may edit."""
    root = copy_inputs(tmp_path / "repo")
    shutil.copytree(reference_render / "rendered" / "prod", root / "rendered" / "prod")
    return root


def _resources(document: dict[str, Any]) -> dict[str, Any]:
    resources: dict[str, Any] = document["spec"]["match"]["any"][0]["resources"]
    return resources


WIDENINGS: dict[str, Callable[[dict[str, Any]], object]] = {
    "all kinds": lambda d: _resources(d).update(kinds=["*"]),
    "every name": lambda d: _resources(d).update(names=["*"]),
    "a second namespace": lambda d: _resources(d)["namespaces"].append("kube-system"),
    "no namespace": lambda d: _resources(d).pop("namespaces"),
    "an extra rule": lambda d: d["spec"]["exceptions"][0]["ruleNames"].append("other-rule"),
    "every rule": lambda d: d["spec"]["exceptions"][0].update(ruleNames=[]),
    "another policy": lambda d: d["spec"]["exceptions"].append(
        {"policyName": "disallow-host-path", "ruleNames": ["host-path"]}
    ),
    "a second match block": lambda d: d["spec"]["match"]["any"].append({"resources": {"kinds": ["Pod"]}}),
    "an exclude": lambda d: d["spec"]["match"].update(exclude={}),
    "conditions": lambda d: d["spec"].update(conditions={"any": []}),
}


def test_the_check_catches_every_widening(prod_copy: Path) -> None:
    """The checker is not vacuous: each way of widening an exception is reported."""
    policies = (prod_copy / "rendered" / "prod" / "policies").glob("*.yaml")
    path = sorted(p for p in policies if not p.name.startswith("clusterpolicy-"))[0]
    original = path.read_text()
    for label, widen in WIDENINGS.items():
        document = yaml.safe_load(original)
        widen(document)
        path.write_text(yaml.safe_dump(document))
        assert check_environment(prod_copy, "prod").violations, f"{label} went unnoticed"
    path.write_text(original)
    assert check_environment(prod_copy, "prod").violations == []


def test_an_exception_nobody_asked_for_is_caught(prod_copy: Path) -> None:
    platform = prod_copy / "platform.yaml"
    request = (
        "          exceptions:\n            - policy: require-ro-rootfs\n"
        "              reason: DolphinScheduler writes logs under its install directory.\n"
    )
    assert request in platform.read_text()
    platform.write_text(platform.read_text().replace(request, "", 1))
    violations = check_environment(prod_copy, "prod").violations
    assert any("dolphinscheduler-alert, which asked for none" in v for v in violations), violations


def test_a_cluster_policy_other_than_the_declared_one_is_caught(prod_copy: Path) -> None:
    path = prod_copy / "rendered" / "prod" / "policies" / "clusterpolicy-require-ro-rootfs.yaml"
    document = yaml.safe_load(path.read_text())
    document["spec"]["validationFailureAction"] = "Audit"
    path.write_text(yaml.safe_dump(document))
    assert check_environment(prod_copy, "prod").violations == [
        "prod/policies/clusterpolicy-require-ro-rootfs.yaml: ClusterPolicy require-ro-rootfs is not the one "
        "platform.yaml declares"
    ]
