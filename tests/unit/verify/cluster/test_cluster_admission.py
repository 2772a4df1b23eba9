"""The admission call site: the evaluator receives the environment's policies, exceptions and workloads."""

from __future__ import annotations

import pytest

from generator.findings import Finding, Severity
from generator.verify.cluster import admission
from tests.unit.verify.cluster.cluster_env import Env, container, crd, deployment, obj


def _kyverno_env(env: Env) -> Env:
    kinds = [crd("kyverno.io", "ClusterPolicy"), crd("kyverno.io", "PolicyException", version="v2beta1")]
    env.app(
        "kyverno", [*kinds, obj("ClusterPolicy", "require-ro-rootfs", "kyverno.io/v1", None, spec={})], wave=1
    )
    env.app("policies", [obj("PolicyException", "web", "kyverno.io/v2beta1", "kyverno", spec={})], wave=2)
    return env.app("web", [deployment("web", {"containers": [container()]}), obj("ConfigMap", "c")], wave=3)


def test_without_an_evaluator_admission_is_not_evaluated(env: Env, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(admission, "ADMISSION", None)
    assert _kyverno_env(env).rules() == []


def test_the_evaluator_sees_what_kyverno_would_and_its_findings_are_reported(
    env: Env, monkeypatch: pytest.MonkeyPatch
) -> None:
    seen: list[admission.AdmissionInput] = []

    def evaluator(given: admission.AdmissionInput) -> list[Finding]:
        seen.append(given)
        return [Finding("PC830", Severity.ERROR, "rejected", "platform.yaml", 1, 1, "")]

    monkeypatch.setattr(admission, "ADMISSION", evaluator)
    assert _kyverno_env(env).rules() == ["PC830"]
    [given] = seen
    assert [p.name for p in given.policies] == ["require-ro-rootfs"]
    assert [(e.name, e.application) for e in given.exceptions] == [("web", "policies")]
    assert [w.label for w in given.workloads] == ["Deployment/web"]
