"""PC832: a chart's Job in a mesh namespace gets istiod's sidecar and never completes."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.unit.verify.cluster.cluster_env import Env, container, obj
from tests.unit.verify.cluster.test_cluster_injection import INJECTED, render_istiod


@pytest.fixture(scope="module")
def istiod(tmp_path_factory: pytest.TempPathFactory) -> list[dict[str, Any]]:
    return render_istiod(tmp_path_factory.mktemp("istiod"), {})


def _job(name: str, labels: dict[str, str] | None = None, kind: str = "Job") -> dict[str, Any]:
    pod = {
        "metadata": {"labels": labels or {}},
        "spec": {"containers": [container()], "restartPolicy": "Never"},
    }
    spec: dict[str, Any] = {"template": pod}
    if kind == "CronJob":
        spec = {"schedule": "0 * * * *", "jobTemplate": {"spec": spec}}
    return obj(kind, name, "batch/v1", spec=spec)


def _mesh(env: Env, istiod: list[dict[str, Any]], jobs: list[dict[str, Any]], labels: dict[str, str]) -> Env:
    namespace = obj("Namespace", "web", namespace=None, labels=labels)
    return env.app("service-mesh", istiod, wave=1, namespace="istio-system").app(
        "web", [namespace, *jobs], wave=2
    )


def test_a_job_injected_with_a_sidecar_is_reported(env: Env, istiod: list[dict[str, Any]]) -> None:
    _mesh(env, istiod, [_job("migrate"), _job("report", kind="CronJob")], INJECTED)
    found = sorted(f.message for f in env.findings("PC832"))
    assert len(found) == 2
    assert found[0].startswith("CronJob/report in namespace web (Application web) gets istiod's sidecar")
    assert found[1].startswith("Job/migrate in namespace web (Application web) gets istiod's sidecar")


def test_jobs_without_a_sidecar_pass(env: Env, istiod: list[dict[str, Any]], tmp_path: Path) -> None:
    opted_out = _job("migrate", {"sidecar.istio.io/inject": "false"})
    _mesh(env, istiod, [opted_out], INJECTED)
    other = Env(tmp_path / "outside")
    _mesh(other, istiod, [_job("migrate")], {})  # a namespace outside the mesh
    assert env.findings("PC832") == [] and other.findings("PC832") == []
