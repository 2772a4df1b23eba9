"""Jobs: Argo CD hooks and their order, run limits, no sidecar where Istio injects; the workload defaults."""

from __future__ import annotations

import copy
from typing import Any

from generator.emit.workload import workload_values
from generator.model import Platform, build_platform
from generator.model.types import Component

NO_SIDECAR = {"sidecar.istio.io/inject": "false"}
PHASES = {"PreSync": 0, None: 1, "Sync": 1, "PostSync": 2}


def _with(prod: Platform, app: str, components: dict[str, dict[str, Any]]) -> Platform:
    """The reference platform with components added to (or replaced in) one application."""
    doc = copy.deepcopy(prod.doc)
    doc.data["spec"]["applications"][app]["components"].update(components)
    return build_platform(doc, "prod")


def _job(**extra: Any) -> dict[str, Any]:
    return {
        "type": "job",
        "image": "docker.io/example/migrate:1.0.0",
        "security": {"runAsUser": 1000, "runAsGroup": 1000},
        **extra,
    }


def _order(component: Component) -> tuple[int, int]:
    """When Argo CD applies it within its application: hook phase first, then sync wave."""
    return PHASES[component.hook], component.wave


def test_every_job_comes_before_what_depends_on_it_in_the_project(prod: Platform) -> None:
    pairs = []
    for component in prod.components():
        for target_id in component.depends_on:
            job = prod.find(target_id)
            if job is not None and job.workload_type == "job" and job.app == component.app:
                pairs.append((job.name, component.name))
                assert _order(job) < _order(component), (job.name, component.name)
    assert ("superset-init", "superset-web") in pairs
    assert ("datahub-system-update", "datahub-gms") in pairs


def test_a_sync_hook_gets_the_wave_between_its_database_and_its_dependent(prod: Platform) -> None:
    platform = _with(
        prod,
        "data-platform",
        {
            "schema": _job(job={"hook": "Sync"}, dependsOn=["postgres-workflow"]),
            "reader": {**_job(), "type": "deployment", "dependsOn": ["schema"]},
        },
    )
    components = platform.applications["data-platform"].components
    database, schema, reader = components["postgres-workflow"], components["schema"], components["reader"]
    assert database.wave < schema.wave < reader.wave
    values = workload_values(platform, schema)
    assert values["syncWave"] == str(schema.wave)
    assert values["annotations"] == {
        "argocd.argoproj.io/hook": "Sync",
        "argocd.argoproj.io/hook-delete-policy": "BeforeHookCreation",
    }


def test_a_plain_job_is_no_hook_and_keeps_its_limits(prod: Platform) -> None:
    platform = _with(
        prod,
        "data-platform",
        {"once": _job(job={"backoffLimit": 0, "activeDeadlineSeconds": 60, "ttlSecondsAfterFinished": 300})},
    )
    values = workload_values(platform, platform.applications["data-platform"].components["once"])
    assert "annotations" not in values
    assert values["kind"] == "Job"
    assert values["job"] == {"backoffLimit": 0, "activeDeadlineSeconds": 60, "ttlSecondsAfterFinished": 300}


def test_the_delete_policy_is_written_as_given(prod: Platform) -> None:
    platform = _with(
        prod, "data-platform", {"check": _job(job={"hook": "PostSync", "deletePolicy": "HookFailed"})}
    )
    values = workload_values(platform, platform.applications["data-platform"].components["check"])
    assert values["annotations"]["argocd.argoproj.io/hook-delete-policy"] == "HookFailed"
    assert values["job"] == {"backoffLimit": 3}


def test_jobs_and_cronjobs_in_a_mesh_namespace_run_without_the_sidecar(prod: Platform) -> None:
    assert prod.in_mesh("data-platform") and not prod.in_mesh("ml-platform")
    cron = {**_job(), "type": "cronjob", "schedule": "0 1 * * *"}
    meshed = _with(prod, "data-platform", {"once": _job(), "nightly": cron})
    plain = _with(prod, "ml-platform", {"once": _job(), "nightly": cron})
    for name in ("once", "nightly"):
        inside = workload_values(meshed, meshed.applications["data-platform"].components[name])
        assert inside["podLabels"] == NO_SIDECAR, name
        outside = workload_values(plain, plain.applications["ml-platform"].components[name])
        assert "podLabels" not in outside, name
    server = workload_values(prod, prod.applications["data-platform"].components["superset-web"])
    assert "sidecar.istio.io/inject" not in server.get("podLabels", {})


def test_every_workload_gets_its_service_account_and_only_the_api_caller_its_token(prod: Platform) -> None:
    for component in prod.components():
        if component.kind == "workload":
            values = workload_values(prod, component)
            assert values["serviceAccount"] == {"automountServiceAccountToken": False}, component.name
    caller = {**_job(), "type": "deployment", "serviceAccount": {"api": True, "reason": "lists pods"}}
    platform = _with(prod, "data-platform", {"operator": caller})
    operator = platform.applications["data-platform"].components["operator"]
    assert operator.api_access is not None and operator.api_access.reason == "lists pods"
    assert workload_values(platform, operator)["serviceAccount"] == {"automountServiceAccountToken": True}


def test_the_pod_runs_as_the_numeric_user_and_group_written(prod: Platform) -> None:
    superset = workload_values(prod, prod.applications["data-platform"].components["superset-web"])
    assert superset["podSecurityContext"] == {
        "runAsNonRoot": True,
        "runAsUser": 1000,
        "runAsGroup": 1000,
        "fsGroup": 1000,
        "seccompProfile": {"type": "RuntimeDefault"},
    }
    elastic = workload_values(prod, prod.applications["data-platform"].components["elasticsearch"])
    assert (elastic["podSecurityContext"]["runAsGroup"], elastic["podSecurityContext"]["fsGroup"]) == (0, 0)


def test_probes_none_with_a_reason_renders_no_probe(prod: Platform) -> None:
    relay = {
        **_job(),
        "type": "deployment",
        "ports": {"udp": 9000},
        "probes": {"none": True, "reason": "UDP only"},
    }
    platform = _with(prod, "data-platform", {"relay": relay})
    component = platform.applications["data-platform"].components["relay"]
    assert component.no_probes is not None and component.no_probes.reason == "UDP only"
    assert component.probes == ()
    container = workload_values(platform, component)["container"]
    assert "readinessProbe" not in container and "livenessProbe" not in container
