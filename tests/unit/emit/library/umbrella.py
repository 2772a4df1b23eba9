"""The umbrella chart the library chart tests render, built by hand (the compiler is not involved).

One workload subchart per controller kind, values in the shape of docs/chart-contract.md,
objects carried as data in files under `objects/` (named and written as the compiler does),
and the library copied from `library_files()`.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import helm_python
import yaml

from generator.emit.charts import object_file
from generator.emit.library_chart import OBJECTS_TEMPLATE, WORKLOAD_TEMPLATE, library_files
from generator.emit.tree import HEADER
from generator.emit.yamldump import dump_yaml
from generator.model.conventions import LIBRARY_CHART_NAME, OBJECTS_DIR

KUBERNETES_VERSION = "1.31"
NAMESPACE = "data-platform"
RELEASE = "data-platform"
VELERO_NAMESPACE = "velero"
# Kinds without a Kubernetes schema; the tests assert their shape field by field.
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


def write_file(path: Path, content: str | bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")


def build_umbrella(
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
    write_file(chart / "Chart.yaml", header + "".join(dependencies))
    write_file(chart / "templates" / "objects.yaml", OBJECTS_TEMPLATE)
    _write_objects(chart, objects or [])
    for path, content in library_files().items():
        write_file(chart / "charts" / LIBRARY_CHART_NAME / path, content)
    for name in workloads:
        subchart = chart / "charts" / name
        write_file(
            subchart / "Chart.yaml", f"apiVersion: v2\nname: {name}\ntype: application\nversion: 0.1.0\n"
        )
        write_file(subchart / "templates" / "workload.yaml", WORKLOAD_TEMPLATE)
        if own_values and name in own_values:
            write_file(subchart / "values.yaml", dump_yaml(own_values[name]))
        _write_objects(subchart, (own_objects or {}).get(name, []))
    return chart


def _write_objects(chart: Path, objects: list[dict[str, Any]]) -> None:
    for obj in objects:
        write_file(chart / OBJECTS_DIR / object_file(obj), HEADER + dump_yaml(obj))


def render(chart_dir: Path, values: dict[str, Any]) -> dict[str, str]:
    with helm_python.Chart.load(chart_dir) as chart:
        return chart.render(values, name=RELEASE, namespace=NAMESPACE)


# Helm's releaseutil.SplitManifests, which `helm template` (and so ArgoCD) applies to every file.
HELM_SEPARATOR = re.compile(r"(?:^|\s*\n)---\s*")


def helm_documents(rendered: dict[str, str]) -> Iterator[dict[str, Any]]:
    for path in sorted(rendered):
        for text in HELM_SEPARATOR.split(rendered[path].strip()):
            document = yaml.safe_load(text.strip())
            if document is not None:
                yield document


def pod_spec(manifest: dict[str, Any]) -> dict[str, Any]:
    spec = manifest["spec"]
    if manifest["kind"] == "CronJob":
        spec = spec["jobTemplate"]["spec"]
    pod: dict[str, Any] = spec["template"]["spec"]
    return pod
