"""The library chart, rendered by Helm's own engine the way ArgoCD will render it.

An umbrella chart is built by hand in a temporary directory (the compiler is
not involved), with one workload subchart per controller kind, values in the
shape of docs/chart-contract.md, objects carried as data in files under
`objects/` (named and written as the compiler does), and the library copied
from `library_files()`.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import helm_python
import kubernetes_validate
import pytest
import yaml

from generator.emit.charts import object_file
from generator.emit.library_chart import OBJECTS_TEMPLATE, WORKLOAD_TEMPLATE, library_files
from generator.emit.tree import HEADER
from generator.emit.yamldump import dump_yaml
from generator.model.conventions import LIBRARY_CHART_NAME, OBJECTS_DIR
from generator.verify.objects import RenderedObject, validate_objects

KUBERNETES_VERSION = "1.31"
NAMESPACE = "data-platform"
RELEASE = "data-platform"
VELERO_NAMESPACE = "velero"
# Kinds without a Kubernetes schema; their shape is asserted field by field below.
CUSTOM_API_VERSIONS = {"velero.io/v1", "monitoring.coreos.com/v1"}

# Platform text that must reach the cluster exactly as written.
ALERT_TEXT = "{{ $labels.pod }} restarted {{ $value }} times"
FILE_TEXT = (
    "# rendered by platformc\n"
    "summary: {{ $labels.pod }} is down\n"
    "password: {{ .Values.secret }}\n"
    '{{ include "platformc.workload" . }}\n'
    "\n"
    "  indented: 'quoted' \"double\" # not a comment\n"
    "trailing blank line follows\n"
    "\n"
)
ENV_TEXT = "{{ .Values.secret }} and {{ tpl .Values.x . }}"
# Strings a careless YAML writer turns into booleans, numbers, nulls or comments.
TRICKY_ENV = [
    "yes",
    "on",
    "0755",
    "1e3",
    "null",
    "~",
    "",
    " padded ",
    "a: b",
    "# not a comment",
    "line\nbreak\n",
]
POD_SECURITY = {
    "runAsNonRoot": True,
    "runAsUser": 1001,
    "fsGroup": 1001,
    "seccompProfile": {"type": "RuntimeDefault"},
}
CONTAINER_SECURITY = {
    "allowPrivilegeEscalation": False,
    "readOnlyRootFilesystem": True,
    "runAsNonRoot": True,
    "capabilities": {"drop": ["ALL"]},
    "seccompProfile": {"type": "RuntimeDefault"},
}
READINESS = {"httpGet": {"path": "/v1/info", "port": "http"}, "periodSeconds": 10, "failureThreshold": 6}
LIVENESS = {"tcpSocket": {"port": "http"}, "periodSeconds": 10}
MIGRATE_HOOK = {
    "argocd.argoproj.io/hook": "PreSync",
    "argocd.argoproj.io/hook-delete-policy": "BeforeHookCreation",
}


def _workload(name: str, kind: str, wave: str, **extra: Any) -> dict[str, Any]:
    """Values in the contract's shape, as the compiler hands them over."""
    selector = {"app.kubernetes.io/name": name, "app.kubernetes.io/instance": RELEASE}
    values: dict[str, Any] = {
        "name": name,
        "namespace": NAMESPACE,
        "kind": kind,
        "syncWave": wave,
        "labels": {
            **selector,
            "app.kubernetes.io/part-of": "254carbon",
            "app.kubernetes.io/managed-by": "platformc",
        },
        "selectorLabels": selector,
        "podLabels": {},
        "podAnnotations": {},
        "container": {
            "name": name,
            "image": f"docker.io/example/{name}:1.0.0",
            "resources": {"requests": {"cpu": "100m", "memory": "256Mi"}, "limits": {"memory": "1Gi"}},
            "securityContext": CONTAINER_SECURITY,
            "volumeMounts": [{"name": "platformc-tmp", "mountPath": "/tmp"}],
        },
        "podSecurityContext": POD_SECURITY,
        "serviceAccount": {"automountServiceAccountToken": False},
        "volumes": [{"name": "platformc-tmp", "emptyDir": {}}],
    }
    values.update(extra)
    return values


def _umbrella_values() -> dict[str, Any]:
    trino = _workload(
        "trino",
        "Deployment",
        "3",
        replicas=2,
        podAnnotations={"prometheus.io/scrape": "true", "prometheus.io/port": "8080"},
        service={"ports": [{"name": "http", "port": 8080, "targetPort": "http", "protocol": "TCP"}]},
        # The templated file sorts last: the end of a document is where `helm template` trims.
        configMap={
            "data": {"etc-trino-catalog.properties": "a=b\n", "etc-trino-config.properties": FILE_TEXT}
        },
        ingress={"host": "trino.254carbon.com", "path": "/", "port": "http", "className": "nginx"},
        pdb={"maxUnavailable": 1},
        backup={
            "schedule": "0 * * * *",
            "ttl": "720h",
            "includedNamespaces": [NAMESPACE],
            "namespace": VELERO_NAMESPACE,
        },
        affinity={
            "nodeAffinity": {
                "requiredDuringSchedulingIgnoredDuringExecution": {
                    "nodeSelectorTerms": [
                        {
                            "matchExpressions": [
                                {"key": "kubernetes.io/hostname", "operator": "In", "values": ["n1"]}
                            ]
                        }
                    ]
                }
            }
        },
    )
    trino["container"] = {
        **trino["container"],
        "args": ["--config", "/etc/trino/config.properties"],
        "env": [
            {"name": "TEMPLATED", "value": ENV_TEXT},
            *({"name": f"TRICKY_{i}", "value": value} for i, value in enumerate(TRICKY_ENV)),
            {"name": "DB_PASSWORD", "valueFrom": {"secretKeyRef": {"name": "trino-db", "key": "password"}}},
        ],
        "ports": [{"name": "http", "containerPort": 8080, "protocol": "TCP"}],
        "readinessProbe": READINESS,
        "livenessProbe": LIVENESS,
        "volumeMounts": [
            {"name": "platformc-tmp", "mountPath": "/tmp"},
            {
                "name": "platformc-files",
                "mountPath": "/etc/trino/config.properties",
                "subPath": "etc-trino-config.properties",
                "readOnly": True,
            },
        ],
    }
    trino["volumes"] = [*trino["volumes"], {"name": "platformc-files", "configMap": {"name": "trino-files"}}]

    api = _workload(
        "api", "Deployment", "2", autoscaling={"minReplicas": 2, "maxReplicas": 6, "targetCPU": 75}
    )

    uploads = _workload(
        "uploads",
        "Deployment",
        "2",
        replicas=1,
        persistentVolumeClaims=[{"name": "data", "size": "10Gi", "storageClass": "local-path"}],
    )
    uploads["container"] = {
        **uploads["container"],
        "volumeMounts": [*uploads["container"]["volumeMounts"], {"name": "data", "mountPath": "/data"}],
    }

    spread = [
        {
            "maxSkew": 1,
            "topologyKey": "kubernetes.io/hostname",
            "whenUnsatisfiable": "DoNotSchedule",
            "labelSelector": {"matchLabels": {"app.kubernetes.io/name": "kafka"}},
        }
    ]
    kafka = _workload(
        "kafka",
        "StatefulSet",
        "1",
        replicas=3,
        service={"ports": [{"name": "client", "port": 9092, "targetPort": "client", "protocol": "TCP"}]},
        volumeClaimTemplates=[
            {"name": "data", "size": "100Gi"},
            {"name": "logs", "size": "1Gi", "storageClass": "fast"},
        ],
        pdb={"minAvailable": 2},
        topologySpreadConstraints=spread,
    )
    kafka["container"] = {
        **kafka["container"],
        "ports": [{"name": "client", "containerPort": 9092, "protocol": "TCP"}],
        "volumeMounts": [
            {"name": "data", "mountPath": "/bitnami/kafka"},
            {"name": "logs", "mountPath": "/logs"},
        ],
    }

    node_agent = _workload(
        "node-agent",
        "DaemonSet",
        "0",
        nodeSelector={"kubernetes.io/os": "linux"},
        tolerations=[{"key": "nvidia.com/gpu", "operator": "Exists", "effect": "NoSchedule"}],
    )
    no_sidecar = {"sidecar.istio.io/inject": "false"}
    migrate = _workload(
        "migrate",
        "Job",
        "4",
        podLabels=no_sidecar,
        annotations=MIGRATE_HOOK,
        job={"backoffLimit": 3, "activeDeadlineSeconds": 600, "ttlSecondsAfterFinished": 3600},
        configMap={"data": {"migrate.sql": "select 1;\n"}},
    )
    migrate["container"] = {**migrate["container"], "command": ["/bin/migrate"], "args": ["--all"]}
    report = _workload(
        "report",
        "CronJob",
        "5",
        podLabels=no_sidecar,
        job={"backoffLimit": 2},
        cronjob={"schedule": "30 2 * * *", "suspend": True, "concurrencyPolicy": "Forbid"},
    )

    workloads = [trino, api, uploads, kafka, node_agent, migrate, report]
    return {w["name"]: w for w in workloads}


def _carried_objects() -> list[dict[str, Any]]:
    """What the umbrella carries as data: files under objects/, as the compiler writes them."""
    return [
        {
            "apiVersion": "monitoring.coreos.com/v1",
            "kind": "PrometheusRule",
            "metadata": {
                "name": "platform-alerts",
                "namespace": NAMESPACE,
                "annotations": {"argocd.argoproj.io/sync-wave": "0"},
            },
            "spec": {
                "groups": [
                    {
                        "name": "platform",
                        "rules": [
                            {
                                "alert": "PodRestarting",
                                "expr": "increase(kube_pod_container_status_restarts_total[15m]) > 3",
                                "for": "5m",
                                "labels": {"severity": "warning"},
                                "annotations": {"summary": ALERT_TEXT},
                            }
                        ],
                    }
                ]
            },
        },
        {
            "apiVersion": "v1",
            "kind": "ConfigMap",
            "metadata": {
                "name": "grafana-datasources",
                "namespace": NAMESPACE,
                "annotations": {"argocd.argoproj.io/sync-wave": "0"},
            },
            "data": {"datasources.yaml": "url: {{ .Values.url }}\n", "notes.txt": FILE_TEXT},
        },
    ]


VALUES = _umbrella_values()
WORKLOADS = list(VALUES)
OBJECTS = _carried_objects()

# (kind, name, component): every object the library makes for these values.
WORKLOAD_OBJECTS = [
    ("Deployment", "trino", "trino"),
    ("Service", "trino", "trino"),
    ("ConfigMap", "trino-files", "trino"),
    ("PodDisruptionBudget", "trino", "trino"),
    ("Ingress", "trino", "trino"),
    ("Schedule", "data-platform-trino", "trino"),
    ("Deployment", "api", "api"),
    ("HorizontalPodAutoscaler", "api", "api"),
    ("Deployment", "uploads", "uploads"),
    ("PersistentVolumeClaim", "uploads-data", "uploads"),
    ("StatefulSet", "kafka", "kafka"),
    ("Service", "kafka", "kafka"),
    ("Service", "kafka-headless", "kafka"),
    ("PodDisruptionBudget", "kafka", "kafka"),
    ("DaemonSet", "node-agent", "node-agent"),
    ("Job", "migrate", "migrate"),
    ("ConfigMap", "migrate-files", "migrate"),
    ("CronJob", "report", "report"),
    *(("ServiceAccount", name, name) for name in WORKLOADS),
]
CARRIED_OBJECTS = [("PrometheusRule", "platform-alerts"), ("ConfigMap", "grafana-datasources")]
EXPECTED = [(kind, name) for kind, name, _ in WORKLOAD_OBJECTS] + CARRIED_OBJECTS

Manifests = dict[tuple[str, str], dict[str, Any]]


def _write(path: Path, content: str | bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")


def _build_umbrella(
    root: Path,
    workloads: list[str],
    own_values: dict[str, dict[str, Any]] | None = None,
    *,
    objects: list[dict[str, Any]] | None = None,
    own_objects: dict[str, list[dict[str, Any]]] | None = None,
) -> Path:
    """`own_values`: a workload's values written into its subchart's values.yaml, as the compiler does;
    `objects` (the umbrella's) and `own_objects` (a workload's) as the files the compiler writes."""
    chart = root / "data-platform"
    # Helm's lint refuses subcharts under charts/ that Chart.yaml does not declare;
    # a dependency without a repository is the one already in charts/.
    header = "apiVersion: v2\nname: data-platform\ntype: application\nversion: 0.1.0\ndependencies:\n"
    dependencies = [f"  - {{name: {name}, version: 0.1.0}}\n" for name in [LIBRARY_CHART_NAME, *workloads]]
    _write(chart / "Chart.yaml", header + "".join(dependencies))
    _write(chart / "templates" / "objects.yaml", OBJECTS_TEMPLATE)
    _write_objects(chart, objects or [])
    for path, content in library_files().items():
        _write(chart / "charts" / LIBRARY_CHART_NAME / path, content)
    for name in workloads:
        subchart = chart / "charts" / name
        _write(subchart / "Chart.yaml", f"apiVersion: v2\nname: {name}\ntype: application\nversion: 0.1.0\n")
        _write(subchart / "templates" / "workload.yaml", WORKLOAD_TEMPLATE)
        if own_values and name in own_values:
            _write(subchart / "values.yaml", dump_yaml(own_values[name]))
        _write_objects(subchart, (own_objects or {}).get(name, []))
    return chart


def _write_objects(chart: Path, objects: list[dict[str, Any]]) -> None:
    for obj in objects:
        _write(chart / OBJECTS_DIR / object_file(obj), HEADER + dump_yaml(obj))


def _render(chart_dir: Path, values: dict[str, Any]) -> dict[str, str]:
    with helm_python.Chart.load(chart_dir) as chart:
        return chart.render(values, name=RELEASE, namespace=NAMESPACE)


# Helm's releaseutil.SplitManifests, which `helm template` (and so ArgoCD) applies to every file.
_HELM_SEPARATOR = re.compile(r"(?:^|\s*\n)---\s*")


def _documents(rendered: dict[str, str]) -> Iterator[dict[str, Any]]:
    for path in sorted(rendered):
        for text in _HELM_SEPARATOR.split(rendered[path].strip()):
            document = yaml.safe_load(text.strip())
            if document is not None:
                yield document


@pytest.fixture(scope="module")
def umbrella(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _build_umbrella(tmp_path_factory.mktemp("umbrella"), WORKLOADS, objects=OBJECTS)


@pytest.fixture(scope="module")
def rendered(umbrella: Path) -> dict[str, str]:
    return _render(umbrella, VALUES)


@pytest.fixture(scope="module")
def manifests(rendered: dict[str, str]) -> Manifests:
    out: Manifests = {}
    for document in _documents(rendered):
        key = (document["kind"], document["metadata"]["name"])
        assert key not in out, f"{key} rendered twice"
        out[key] = document
    return out


def _pod_spec(manifest: dict[str, Any]) -> dict[str, Any]:
    spec = manifest["spec"]
    if manifest["kind"] == "CronJob":
        spec = spec["jobTemplate"]["spec"]
    pod: dict[str, Any] = spec["template"]["spec"]
    return pod


# ------------------------------------------------------------------ the chart itself


def test_library_files_are_a_library_chart() -> None:
    files = library_files()
    assert list(files) == sorted(files)
    assert files == library_files()
    chart = yaml.safe_load(files["Chart.yaml"])
    assert chart["apiVersion"] == "v2"
    assert chart["name"] == LIBRARY_CHART_NAME
    assert chart["type"] == "library"
    templates = [path for path in files if path != "Chart.yaml"]
    # A library chart renders nothing itself: only partials, named `_*.tpl`.
    assert templates
    assert all(path.startswith("templates/_") and path.endswith(".tpl") for path in templates)


def test_library_never_evaluates_platform_text() -> None:
    evaluates = re.compile(rb"(?<![\w.])tpl\b")
    for path, content in library_files().items():
        assert not evaluates.search(content), path


def test_rendering_is_deterministic(umbrella: Path, rendered: dict[str, str]) -> None:
    assert _render(umbrella, copy.deepcopy(VALUES)) == rendered


def test_helm_lint_finds_no_errors(umbrella: Path) -> None:
    report = helm_python.lint(umbrella, VALUES, namespace=NAMESPACE, with_subcharts=True)
    errors = [m for m in report["messages"] if m["severity"] >= 3]
    assert errors == []
    assert report["errors"] == []


# ------------------------------------------------------------------ objects and metadata


def test_renders_exactly_the_expected_objects(manifests: Manifests) -> None:
    assert sorted(manifests) == sorted(EXPECTED)


@pytest.mark.parametrize(("kind", "name"), EXPECTED)
def test_object_is_valid_for_kubernetes(manifests: Manifests, kind: str, name: str) -> None:
    """Built-in kinds against the Kubernetes schemas, custom resources against the CRD schemas of verify."""
    manifest = manifests[(kind, name)]
    if manifest["apiVersion"] not in CUSTOM_API_VERSIONS:
        kubernetes_validate.validate(manifest, KUBERNETES_VERSION, strict=True)
        return
    findings = validate_objects([RenderedObject(f"{kind}/{name}", 0, manifest)], KUBERNETES_VERSION)
    assert [(f.rule, f.message) for f in findings] == []


@pytest.mark.parametrize(("kind", "name", "component"), WORKLOAD_OBJECTS)
def test_object_carries_metadata_and_sync_wave(
    manifests: Manifests, kind: str, name: str, component: str
) -> None:
    metadata = manifests[(kind, name)]["metadata"]
    # Velero reads Schedules only in its own namespace.
    assert metadata["namespace"] == (VELERO_NAMESPACE if kind == "Schedule" else NAMESPACE)
    assert metadata["labels"] == VALUES[component]["labels"]
    wave = {"argocd.argoproj.io/sync-wave": VALUES[component]["syncWave"]}
    # data safety: Argo CD neither prunes nor deletes a claim; nothing else carries it
    keep = (
        {"argocd.argoproj.io/sync-options": "Prune=false,Delete=false"}
        if kind == "PersistentVolumeClaim"
        else {}
    )
    assert metadata["annotations"] == {**wave, **keep, **VALUES[component].get("annotations", {})}


@pytest.mark.parametrize("workload", WORKLOADS)
def test_pod_template_carries_selector_and_pod_labels(manifests: Manifests, workload: str) -> None:
    values = VALUES[workload]
    manifest = manifests[(values["kind"], workload)]
    spec = manifest["spec"]["jobTemplate"]["spec"] if values["kind"] == "CronJob" else manifest["spec"]
    labels = spec["template"]["metadata"]["labels"]
    assert labels.items() >= values["selectorLabels"].items()
    assert labels.items() >= values["podLabels"].items()
    if values["kind"] not in ("Job", "CronJob"):
        assert spec["selector"]["matchLabels"] == values["selectorLabels"]


@pytest.mark.parametrize("workload", WORKLOADS)
def test_security_contexts_and_container_pass_through(manifests: Manifests, workload: str) -> None:
    values = VALUES[workload]
    pod = _pod_spec(manifests[(values["kind"], workload)])
    assert pod["securityContext"] == POD_SECURITY
    assert pod["containers"] == [values["container"]]
    assert pod["containers"][0]["securityContext"] == CONTAINER_SECURITY


# ------------------------------------------------------------------ text from the platform


def test_file_contents_reach_the_configmap_verbatim(manifests: Manifests) -> None:
    data = manifests[("ConfigMap", "trino-files")]["data"]
    assert data == VALUES["trino"]["configMap"]["data"]
    assert "{{ $labels.pod }}" in data["etc-trino-config.properties"]
    assert "{{ .Values.secret }}" in data["etc-trino-config.properties"]


def test_env_values_are_not_evaluated(manifests: Manifests) -> None:
    env = _pod_spec(manifests[("Deployment", "trino")])["containers"][0]["env"]
    assert env == VALUES["trino"]["container"]["env"]
    assert env[0] == {"name": "TEMPLATED", "value": ENV_TEXT}
    assert [variable["value"] for variable in env[1:-1]] == TRICKY_ENV


def test_objects_are_written_verbatim(manifests: Manifests) -> None:
    for obj in OBJECTS:
        assert manifests[(obj["kind"], obj["metadata"]["name"])] == obj
    rule = manifests[("PrometheusRule", "platform-alerts")]["spec"]["groups"][0]["rules"][0]
    assert rule["annotations"]["summary"] == ALERT_TEXT
    assert manifests[("ConfigMap", "grafana-datasources")]["data"]["notes.txt"] == FILE_TEXT


def test_carried_objects_come_last_in_file_order(rendered: dict[str, str]) -> None:
    text = rendered[f"{RELEASE}/templates/objects.yaml"]
    documents = [d for d in _HELM_SEPARATOR.split(text.strip()) if d.strip()]
    # Each file whole, header comment included: .Files.Get neither evaluates nor rewrites it.
    expected = sorted((object_file(o), HEADER + dump_yaml(o)) for o in OBJECTS)
    assert [d.strip() for d in documents] == [content.strip() for _, content in expected]


def test_values_in_a_subchart_render_as_values_from_the_umbrella(
    tmp_path: Path, rendered: dict[str, str]
) -> None:
    # The compiler writes a workload's values into its subchart's own values.yaml;
    # Helm must hand the library the same .Values as from the umbrella's.
    own = {name: VALUES[name] for name in WORKLOADS}
    chart = _build_umbrella(tmp_path, WORKLOADS, own_values=own, objects=OBJECTS)
    assert _render(chart, {}) == rendered


def test_a_value_from_the_umbrella_overrides_the_subchart_own(tmp_path: Path) -> None:
    chart = _build_umbrella(tmp_path, ["uploads"], own_values={"uploads": VALUES["uploads"]})
    documents = _documents(_render(chart, {"uploads": {"replicas": 4}}))
    (deployment,) = [d for d in documents if d["kind"] == "Deployment"]
    assert deployment["spec"]["replicas"] == 4


def test_a_workload_carries_its_own_objects(tmp_path: Path) -> None:
    policy = {
        "apiVersion": "networking.k8s.io/v1",
        "kind": "NetworkPolicy",
        "metadata": {"name": "api-ingress", "namespace": NAMESPACE, "labels": VALUES["api"]["labels"]},
        "spec": {
            "podSelector": {"matchLabels": VALUES["api"]["selectorLabels"]},
            "policyTypes": ["Ingress"],
            "ingress": [{"from": [{"namespaceSelector": {"matchLabels": {"team": "{{ .Values.x }}"}}}]}],
        },
    }
    chart = _build_umbrella(
        tmp_path, ["api"], own_values={"api": VALUES["api"]}, own_objects={"api": [policy]}
    )
    documents = list(_documents(_render(chart, {})))
    kinds = ["ServiceAccount", "Deployment", "HorizontalPodAutoscaler", "NetworkPolicy"]
    assert [d["kind"] for d in documents] == kinds
    assert documents[-1] == policy


@pytest.mark.parametrize("layout", ["no directory", "empty directory", "other files only"])
def test_no_objects_renders_nothing_and_lints(tmp_path: Path, layout: str) -> None:
    chart = _build_umbrella(tmp_path, [])
    if layout != "no directory":
        (chart / OBJECTS_DIR).mkdir()
    if layout == "other files only":
        _write(chart / OBJECTS_DIR / "README.md", "kind: ConfigMap\n")
        _write(chart / OBJECTS_DIR / "nested" / "service_x_y.yaml", "kind: Service\n")
    assert list(_documents(_render(chart, {}))) == []
    report = helm_python.lint(chart, {}, namespace=NAMESPACE, with_subcharts=True)
    assert [m for m in report["messages"] if m["severity"] >= 2] == []
    assert report["errors"] == []


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
    (_, deployment) = _documents(_render(_build_umbrella(tmp_path, ["api"]), values))
    assert deployment["spec"]["replicas"] == 0


def test_probes_pass_through(manifests: Manifests) -> None:
    container = _pod_spec(manifests[("Deployment", "trino")])["containers"][0]
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
    found = {d["kind"]: d for d in _documents(_render(_build_umbrella(tmp_path, ["api"]), values))}
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
    assert "restartPolicy" not in _pod_spec(manifests[(VALUES[workload]["kind"], workload)])


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
        _render(_build_umbrella(tmp_path, ["api"]), {"api": values})
