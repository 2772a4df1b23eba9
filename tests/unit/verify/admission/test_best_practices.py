"""Kyverno's best-practices samples the platform may install (require-ro-rootfs among them):
every rule accepts one pod and rejects another, as a Pod and through autogen."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
import yaml

from generator.verify.admission import (
    ClusterPolicy,
    Outcome,
    evaluate,
    evaluate_workload,
    installed_rule_names,
    parse_policy,
)

from .conftest import shared
from .pss_cases import as_cronjob, as_deployment, pod_with

Pod = dict[str, Any]


def _each_container(field: str, value: Any) -> Callable[[Pod], None]:
    def change(pod: Pod) -> None:
        for key in ("initContainers", "containers"):
            for container in pod["spec"][key]:
                container[field] = value

    return change


def _image(image: str) -> Callable[[Pod], None]:
    def change(pod: Pod) -> None:
        pod["spec"]["containers"][0]["image"] = image

    return change


def _read_only(pod: Pod) -> None:
    for container in pod["spec"]["containers"]:
        container["securityContext"]["readOnlyRootFilesystem"] = True


def _unchanged(pod: Pod) -> None:
    return None


RESOURCES = {"requests": {"cpu": "100m", "memory": "128Mi"}, "limits": {"memory": "256Mi"}}
PROBE = {"httpGet": {"path": "/healthz", "port": 8080}}

CASES: dict[str, tuple[Callable[[Pod], None], Callable[[Pod], None]]] = {
    "require-image-tag": (_image("registry.example/web:1.0"), _image("registry.example/web")),
    "validate-image-tag": (_image("registry.example/web:1.0"), _image("registry.example/web:latest")),
    "validate-resources": (_each_container("resources", RESOURCES), _unchanged),
    "validate-probes": (_each_container("readinessProbe", PROBE), _unchanged),
    "validate-readOnlyRootFilesystem": (_read_only, _unchanged),
}


@pytest.fixture(scope="module")
def policies() -> list[ClusterPolicy]:
    folder = shared() / "crds" / "kyverno-policies" / "best-practices"
    return [
        parse_policy(yaml.safe_load(p.read_text(encoding="utf-8"))) for p in sorted(folder.glob("*.yaml"))
    ]


def test_require_probes_asks_for_no_cronjob_rule(policies: list[ClusterPolicy]) -> None:
    # pod-policies.kyverno.io/autogen-controllers: DaemonSet,Deployment,StatefulSet
    assert installed_rule_names(policies)["require-pod-probes"] == (
        "validate-probes",
        "autogen-validate-probes",
    )


@pytest.mark.parametrize("rule", sorted(CASES))
@pytest.mark.parametrize("accepted", [True, False], ids=["accepted", "rejected"])
def test_each_rule_both_ways(policies: list[ClusterPolicy], rule: str, accepted: bool) -> None:
    pod = pod_with(CASES[rule][0 if accepted else 1])
    expected = Outcome.PASS if accepted else Outcome.FAIL
    pod_verdicts = {v.rule: v.outcome for v in evaluate(policies, [], pod)}
    deployment = {(v.kind, v.rule): v.outcome for v in evaluate_workload(policies, [], as_deployment(pod))}
    cronjob = {(v.kind, v.rule): v.outcome for v in evaluate_workload(policies, [], as_cronjob(pod))}
    assert pod_verdicts[rule] is expected
    assert deployment[("Deployment", f"autogen-{rule}")] is expected
    assert deployment[("Pod", rule)] is expected
    assert cronjob[("Pod", rule)] is expected
    if rule != "validate-probes":
        assert cronjob[("CronJob", f"autogen-cronjob-{rule}")] is expected
    else:
        assert ("CronJob", f"autogen-cronjob-{rule}") not in cronjob
