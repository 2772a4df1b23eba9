"""The library chart, one controller kind at a time, and values that break the contract.

The umbrella chart is built by hand (`umbrella.py`); `conftest.py` renders it once.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import helm_python
import pytest

from tests.unit.emit.library.umbrella import (
    LIVENESS,
    MIGRATE_HOOK,
    NAMESPACE,
    READINESS,
    VALUES,
    VELERO_NAMESPACE,
    Manifests,
    build_umbrella,
    helm_documents,
    pod_spec,
    render,
)

# ------------------------------------------------------------------ one kind at a time


def test_autoscaled_deployment_has_no_replicas(manifests: Manifests) -> None:
    assert "replicas" not in manifests[("Deployment", "api")]["spec"]
    hpa = manifests[("HorizontalPodAutoscaler", "api")]
    assert hpa["apiVersion"] == "autoscaling/v2"
    assert hpa["spec"]["scaleTargetRef"] == {"apiVersion": "apps/v1", "kind": "Deployment", "name": "api"}
    assert (hpa["spec"]["minReplicas"], hpa["spec"]["maxReplicas"]) == (2, 6)
    assert hpa["spec"]["metrics"] == [
        {
            "type": "Resource",
            "resource": {"name": "cpu", "target": {"type": "Utilization", "averageUtilization": 75}},
        }
    ]


@pytest.mark.parametrize(
    ("kind", "name", "replicas"), [("Deployment", "trino", 2), ("StatefulSet", "kafka", 3)]
)
def test_replicas_are_written_when_given(manifests: Manifests, kind: str, name: str, replicas: int) -> None:
    assert manifests[(kind, name)]["spec"]["replicas"] == replicas


def test_zero_replicas_are_kept(tmp_path: Path) -> None:
    values = {"api": {**VALUES["api"], "replicas": 0}}
    values["api"].pop("autoscaling")
    (_, deployment) = helm_documents(render(build_umbrella(tmp_path, ["api"]), values))
    assert deployment["spec"]["replicas"] == 0


def test_probes_pass_through(manifests: Manifests) -> None:
    container = pod_spec(manifests[("Deployment", "trino")])["containers"][0]
    assert container["readinessProbe"] == READINESS
    assert container["livenessProbe"] == LIVENESS


def test_service_and_ingress(manifests: Manifests) -> None:
    service = manifests[("Service", "trino")]["spec"]
    assert service["type"] == "ClusterIP"
    assert service["selector"] == VALUES["trino"]["selectorLabels"]
    assert service["ports"] == VALUES["trino"]["service"]["ports"]
    ingress = manifests[("Ingress", "trino")]["spec"]
    assert ingress["ingressClassName"] == "nginx"
    (rule,) = ingress["rules"]
    assert rule["host"] == "trino.254carbon.com"
    (path,) = rule["http"]["paths"]
    assert path == {
        "path": "/",
        "pathType": "Prefix",
        "backend": {"service": {"name": "trino", "port": {"name": "http"}}},
    }


def test_pod_annotations_and_configmap_volume(manifests: Manifests) -> None:
    template = manifests[("Deployment", "trino")]["spec"]["template"]
    assert template["metadata"]["annotations"] == VALUES["trino"]["podAnnotations"]
    assert {"name": "platformc-files", "configMap": {"name": "trino-files"}} in template["spec"]["volumes"]
    assert template["spec"]["affinity"] == VALUES["trino"]["affinity"]


def test_statefulset_claims_its_volumes(manifests: Manifests) -> None:
    statefulset = manifests[("StatefulSet", "kafka")]["spec"]
    assert statefulset["serviceName"] == "kafka-headless"
    assert statefulset["volumeClaimTemplates"] == [
        {
            "metadata": {"name": "data"},
            "spec": {"accessModes": ["ReadWriteOnce"], "resources": {"requests": {"storage": "100Gi"}}},
        },
        {
            "metadata": {"name": "logs"},
            "spec": {
                "accessModes": ["ReadWriteOnce"],
                "storageClassName": "fast",
                "resources": {"requests": {"storage": "1Gi"}},
            },
        },
    ]
    assert (
        statefulset["template"]["spec"]["topologySpreadConstraints"]
        == VALUES["kafka"]["topologySpreadConstraints"]
    )


@pytest.mark.parametrize(
    ("name", "budget"), [("kafka", {"minAvailable": 2}), ("trino", {"maxUnavailable": 1})]
)
def test_pdb(manifests: Manifests, name: str, budget: dict[str, int]) -> None:
    pdb = manifests[("PodDisruptionBudget", name)]
    assert pdb["apiVersion"] == "policy/v1"
    assert pdb["spec"] == {**budget, "selector": {"matchLabels": VALUES[name]["selectorLabels"]}}


def test_deployment_mounts_its_standalone_claim(manifests: Manifests) -> None:
    claim = manifests[("PersistentVolumeClaim", "uploads-data")]["spec"]
    assert claim == {
        "accessModes": ["ReadWriteOnce"],
        "storageClassName": "local-path",
        "resources": {"requests": {"storage": "10Gi"}},
    }
    deployment = manifests[("Deployment", "uploads")]["spec"]
    # The old pod must release a ReadWriteOnce volume before the new one starts.
    assert deployment["strategy"] == {"type": "Recreate"}
    volumes = deployment["template"]["spec"]["volumes"]
    assert {"name": "data", "persistentVolumeClaim": {"claimName": "uploads-data"}} in volumes
    assert "strategy" not in manifests[("Deployment", "trino")]["spec"]


def test_daemonset(manifests: Manifests) -> None:
    spec = manifests[("DaemonSet", "node-agent")]["spec"]
    assert "replicas" not in spec
    assert spec["template"]["spec"]["nodeSelector"] == {"kubernetes.io/os": "linux"}
    assert spec["template"]["spec"]["tolerations"] == VALUES["node-agent"]["tolerations"]


def test_job(manifests: Manifests) -> None:
    job = manifests[("Job", "migrate")]
    assert job["apiVersion"] == "batch/v1"
    assert job["spec"]["backoffLimit"] == 3
    assert job["spec"]["activeDeadlineSeconds"] == 600
    assert job["spec"]["ttlSecondsAfterFinished"] == 3600
    assert "selector" not in job["spec"]
    pod = job["spec"]["template"]
    assert pod["spec"]["restartPolicy"] == "OnFailure"
    assert pod["metadata"]["labels"]["sidecar.istio.io/inject"] == "false"
    assert pod["spec"]["containers"][0]["command"] == ["/bin/migrate"]


def test_a_hook_job_and_everything_it_needs_run_in_its_phase(manifests: Manifests) -> None:
    """The ServiceAccount and ConfigMap of a PreSync job are hooks too: they exist before its pod starts."""
    for key in [("Job", "migrate"), ("ServiceAccount", "migrate"), ("ConfigMap", "migrate-files")]:
        annotations = manifests[key]["metadata"]["annotations"]
        assert annotations == {"argocd.argoproj.io/sync-wave": "4", **MIGRATE_HOOK}, key
    assert "argocd.argoproj.io/hook" not in manifests[("Deployment", "api")]["metadata"]["annotations"]


def test_every_workload_has_its_own_service_account_without_a_token(manifests: Manifests) -> None:
    for (kind, name), manifest in manifests.items():
        if kind not in ("Deployment", "StatefulSet", "DaemonSet", "Job", "CronJob"):
            continue
        spec = manifest["spec"]
        pod = (spec["jobTemplate"]["spec"] if kind == "CronJob" else spec)["template"]["spec"]
        assert (pod["serviceAccountName"], pod["automountServiceAccountToken"]) == (name, False), name
        account = manifests[("ServiceAccount", name)]
        assert account["automountServiceAccountToken"] is False
        assert account["metadata"]["namespace"] == NAMESPACE


def test_a_component_that_calls_the_api_gets_its_token(tmp_path: Path) -> None:
    values = {"api": {**VALUES["api"], "serviceAccount": {"automountServiceAccountToken": True}}}
    found = {d["kind"]: d for d in helm_documents(render(build_umbrella(tmp_path, ["api"]), values))}
    assert found["Deployment"]["spec"]["template"]["spec"]["automountServiceAccountToken"] is True
    assert found["ServiceAccount"]["automountServiceAccountToken"] is True


def test_cronjob(manifests: Manifests) -> None:
    cronjob = manifests[("CronJob", "report")]
    assert cronjob["apiVersion"] == "batch/v1"
    spec = cronjob["spec"]
    assert (spec["schedule"], spec["suspend"], spec["concurrencyPolicy"]) == ("30 2 * * *", True, "Forbid")
    job = spec["jobTemplate"]["spec"]
    assert job["backoffLimit"] == 2
    assert job["template"]["spec"]["restartPolicy"] == "OnFailure"
    assert job["template"]["metadata"]["labels"]["sidecar.istio.io/inject"] == "false"


@pytest.mark.parametrize("workload", ["trino", "api", "kafka", "node-agent"])
def test_long_running_pods_keep_the_default_restart_policy(manifests: Manifests, workload: str) -> None:
    assert "restartPolicy" not in pod_spec(manifests[(VALUES[workload]["kind"], workload)])


def test_velero_schedule(manifests: Manifests) -> None:
    schedule = manifests[("Schedule", "data-platform-trino")]
    assert schedule["apiVersion"] == "velero.io/v1"
    assert schedule["metadata"]["namespace"] == VELERO_NAMESPACE
    assert schedule["spec"] == {
        "schedule": "0 * * * *",
        "template": {
            "includedNamespaces": [NAMESPACE],
            "labelSelector": {"matchLabels": VALUES["trino"]["selectorLabels"]},
            "ttl": "720h",
        },
    }


# ------------------------------------------------------------------ broken values fail loudly


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"kind": "ReplicaSet"}, 'has kind "ReplicaSet"'),
        ({"namespace": None}, '"namespace" is required'),
        ({"syncWave": None}, '"syncWave" is required'),
        ({"container": None}, '"container" is required'),
        ({"backup": {"schedule": "0 * * * *"}}, "needs namespace"),
        ({"ingress": {"host": "x.example.com", "port": "http"}}, "has an ingress but no service"),
    ],
)
def test_values_that_break_the_contract_fail_rendering(
    tmp_path: Path, change: dict[str, Any], message: str
) -> None:
    values = {**VALUES["api"], **change}
    values = {key: value for key, value in values.items() if value is not None}
    with pytest.raises(helm_python.HelmRenderError, match=message):
        render(build_umbrella(tmp_path, ["api"]), {"api": values})
