"""What the emitters write for the reference platform, asserted and pinned."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest
import yaml
from syrupy.assertion import SnapshotAssertion

from generator.emit import RenderedTree, emit_platform
from generator.emit.kyverno import exception_api_version, rule_names
from generator.emit.workload import workload_values
from generator.model import Platform, build_platform
from generator.pipeline import analyse

REPO = Path(__file__).resolve().parents[3]


# Every object the monitoring umbrella carries: its Ingress and alerts.
MONITORING_OBJECTS = ["ingress_monitoring_grafana", "prometheusrule_monitoring_254carbon-alerts"]
# The Grafana ConfigMaps, in no chart: dashboards/, synced by platform-dashboards.
DASHBOARD_CONFIG_MAPS = [
    "platformc-datasources",
    "platformc-dashboard-overview",
    *(
        f"platformc-dashboard-app-{app}"
        for app in (
            "argocd",
            "kyverno",
            "cert-manager",
            "networking",
            "istio-cni",
            "service-mesh",
            "vault",
            "external-secrets",
            "storage",
            "kafka",
            "data-platform",
            "api-gateway",
            "portal-services",
            "ml-platform",
            "metrics",
            "monitoring",
            "backup",
            "cloudflare-tunnel",
        )
    ),
]


def test_monitoring_objects_are_all_pinned(prod_tree: RenderedTree) -> None:
    carried = [p for p in prod_tree if p.startswith("apps/monitoring/objects/")]
    assert sorted(carried) == sorted(f"apps/monitoring/objects/{name}.yaml" for name in MONITORING_OBJECTS)
    dashboards = [p for p in prod_tree if p.startswith("dashboards/")]
    assert sorted(dashboards) == sorted(f"dashboards/{name}.yaml" for name in DASHBOARD_CONFIG_MAPS)


def load(tree: RenderedTree, path: str) -> Any:
    return yaml.safe_load(tree[path])


@pytest.mark.parametrize(
    "path",
    [
        "apps/data-platform/Chart.yaml",
        "apps/kafka/values.yaml",
        "apps/kafka/charts/kafka/values.yaml",
        "apps/kafka/charts/kafka/objects/networkpolicy_kafka_kafka-ingress.yaml",
        "apps/monitoring/values.yaml",
        *(f"apps/monitoring/objects/{name}.yaml" for name in MONITORING_OBJECTS),
        *(f"dashboards/{name}.yaml" for name in DASHBOARD_CONFIG_MAPS),
        "apps/data-platform/charts/trino-coordinator/Chart.yaml",
        "apps/data-platform/charts/superset-init/values.yaml",
        "apps/data-platform/charts/superset-web/values.yaml",
        "apps/data-platform/charts/datahub-system-update/values.yaml",
        "apps/storage/charts/minio-buckets/values.yaml",
        "policies/data-platform-graphql-gateway.yaml",
        "argocd/api-gateway.yaml",
        "argocd/data-platform.yaml",
        "argocd/kyverno.yaml",
        "argocd/platform-dashboards.yaml",
        "argocd/platform-namespaces.yaml",
        "bootstrap/README.md",
        "bootstrap/argocd-values.yaml",
        "argocd/project.yaml",
        "root.yaml",
        "namespaces/data-platform.yaml",
        "secrets/data-platform/superset-secret.yaml",
    ],
)
def test_snapshots(prod_tree: RenderedTree, path: str, snapshot: SnapshotAssertion) -> None:
    assert prod_tree[path].decode() == snapshot


def test_workloads_are_secure_by_default(prod: Platform) -> None:
    values = workload_values(prod, prod.applications["data-platform"].components["redis"])
    container = values["container"]["securityContext"]
    assert container == {
        "allowPrivilegeEscalation": False,
        "readOnlyRootFilesystem": True,
        "runAsNonRoot": True,
        "capabilities": {"drop": ["ALL"]},
        "seccompProfile": {"type": "RuntimeDefault"},
    }
    assert values["podSecurityContext"]["seccompProfile"] == {"type": "RuntimeDefault"}


def test_deviations_are_exactly_what_platform_yaml_says(prod: Platform) -> None:
    gateway = workload_values(prod, prod.applications["portal-services"].components["graphql-gateway"])
    assert gateway["container"]["securityContext"]["capabilities"] == {"drop": ["ALL"], "add": ["NET_RAW"]}
    trino = workload_values(prod, prod.applications["data-platform"].components["trino-coordinator"])
    assert trino["container"]["securityContext"]["readOnlyRootFilesystem"] is False


def test_autoscaled_deployment_has_no_replicas(prod: Platform) -> None:
    api = workload_values(prod, prod.applications["data-platform"].components["dolphinscheduler-api"])
    assert "replicas" not in api
    assert api["autoscaling"] == {"minReplicas": 3, "maxReplicas": 10, "targetCPU": 70}


def test_jobs_in_mesh_namespaces_get_no_sidecar(prod: Platform) -> None:
    job = workload_values(prod, prod.applications["data-platform"].components["iceberg-compaction"])
    assert job["podLabels"] == {"sidecar.istio.io/inject": "false"}
    deployment = workload_values(prod, prod.applications["data-platform"].components["redis"])
    assert "sidecar.istio.io/inject" not in deployment.get("podLabels", {})


def test_references_resolve_to_full_service_names(prod: Platform) -> None:
    api = workload_values(prod, prod.applications["data-platform"].components["dolphinscheduler-api"])
    env = {e["name"]: e.get("value") for e in api["container"]["env"]}
    assert env["REGISTRY_ZOOKEEPER_CONNECT_STRING"] == "zookeeper.data-platform.svc.cluster.local:2181"
    assert env["SPRING_DATASOURCE_URL"] == (
        "jdbc:postgresql://postgres-workflow.data-platform.svc.cluster.local:5432/dolphinscheduler"
    )


def test_trino_env_placeholders_pass_through(prod: Platform) -> None:
    trino = workload_values(prod, prod.applications["data-platform"].components["trino-coordinator"])
    (catalog,) = trino["configMap"]["data"].values()
    assert "s3.aws-access-key=${ENV:AWS_ACCESS_KEY_ID}" in catalog
    assert "s3.endpoint=http://minio.data-platform.svc.cluster.local:9000" in catalog


def test_alert_templates_are_carried_as_data(prod_tree: RenderedTree) -> None:
    rule = load(prod_tree, "apps/monitoring/objects/prometheusrule_monitoring_254carbon-alerts.yaml")
    summaries = [r["annotations"]["summary"] for r in rule["spec"]["groups"][0]["rules"]]
    assert "Pod {{ $labels.pod }} is crash looping ({{ $value }} restarts in 15m)" in summaries
    assert "{{" not in prod_tree["apps/monitoring/templates/objects.yaml"].decode().replace(
        '{{ include "platformc.objects" . }}', ""
    )


def test_application_waves_follow_dependencies(prod: Platform) -> None:
    apps = prod.applications
    assert apps["kyverno"].wave < apps["vault"].wave < apps["external-secrets"].wave
    assert apps["storage"].wave < apps["data-platform"].wave < apps["portal-services"].wave
    for name, app in apps.items():
        if name != "kyverno" and app.enabled:
            assert app.wave > apps["kyverno"].wave, name
    assert prod.system_waves["platform-policies"] > apps["kyverno"].wave
    assert prod.system_waves["platform-secrets"] > apps["external-secrets"].wave
    # Its ConfigMaps need only their namespace; before monitoring, which hands them over (it pruned them).
    assert prod.system_waves["platform-namespaces"] < prod.system_waves["platform-dashboards"]
    assert prod.system_waves["platform-dashboards"] < apps["monitoring"].wave


def test_component_waves_inside_an_application(prod: Platform) -> None:
    components = prod.applications["data-platform"].components
    for before in ("zookeeper", "postgres-workflow"):
        assert components[before].wave < components["dolphinscheduler-api"].wave
    assert components["dolphinscheduler-api"].wave < components["dolphinscheduler-master"].wave
    assert components["dolphinscheduler-master"].wave < components["dolphinscheduler-worker"].wave


def test_an_implied_dependency_never_closes_a_cycle(prod: Platform) -> None:
    doc = copy.deepcopy(prod.doc)
    # kyverno now reads a secret: it needs external-secrets, which itself comes after kyverno.
    kyverno = doc.data["spec"]["applications"]["kyverno"]["components"]
    kyverno["probe"] = {
        "image": "docker.io/library/busybox:1.36",
        "env": {"T": {"secret": "redis-auth", "key": "password"}},
    }
    platform = build_platform(doc, "prod")
    apps = platform.applications
    # The real need (a secret) wins over the preference (Kyverno first), and no cycle forms.
    assert apps["kyverno"].wave > apps["external-secrets"].wave
    assert "kyverno" not in apps["external-secrets"].depends_on


@pytest.mark.parametrize(
    ("version", "api"),
    [
        ("1.11", "kyverno.io/v2beta1"),
        ("1.12", "kyverno.io/v2beta1"),
        ("1.13", "kyverno.io/v2"),
        ("1.19", "kyverno.io/v2"),
    ],
)
def test_exception_api_version_follows_kyverno(version: str, api: str) -> None:
    assert exception_api_version(version) == api


def test_exceptions_name_autogen_rules_cut_to_63() -> None:
    long_rule = "r" * 60
    names = rule_names(["validate-readOnlyRootFilesystem", long_rule])
    assert names[:3] == [
        "validate-readOnlyRootFilesystem",
        "autogen-validate-readOnlyRootFilesystem",
        "autogen-cronjob-validate-readOnlyRootFilesystem",
    ]
    assert all(len(n) <= 63 for n in names)
    assert f"autogen-{long_rule}"[:63] in names


def test_exception_is_scoped_to_its_component(prod_tree: RenderedTree) -> None:
    exception = load(prod_tree, "policies/data-platform-trino-worker.yaml")
    (match,) = exception["spec"]["match"]["any"]
    assert match["resources"]["namespaces"] == ["data-platform"]
    assert match["resources"]["names"] == ["trino-worker", "trino-worker-*"]
    assert exception["spec"]["exceptions"][0]["policyName"] == "require-ro-rootfs"


def test_kyverno_install_enables_exceptions_for_the_exception_namespace(prod_tree: RenderedTree) -> None:
    values = load(prod_tree, "apps/kyverno/values.yaml")
    assert values["kyverno"]["features"]["policyExceptions"] == {"enabled": True, "namespace": "kyverno"}


def test_disabled_components_are_not_rendered() -> None:
    (result,) = analyse(REPO, ["dev"])
    assert result.platform is not None
    dev = emit_platform(result.platform)
    assert not any(path.startswith("apps/data-platform/charts/datahub-gms/") for path in dev)
    assert "doris" not in load(dev, "apps/data-platform/Chart.yaml").get("dependencies", [{}])[0].get(
        "alias", ""
    )


def test_quota_with_limits_gets_a_limit_range(prod_tree: RenderedTree) -> None:
    objects = list(yaml.safe_load_all(prod_tree["namespaces/data-platform.yaml"]))
    kinds = [o["kind"] for o in objects]
    assert kinds == ["Namespace", "ResourceQuota", "LimitRange", "NetworkPolicy"]  # networkPolicy: enforce
    assert objects[0]["metadata"]["labels"]["istio-injection"] == "enabled"
    assert objects[2]["spec"]["limits"][0]["default"]["memory"] == "1Gi"
