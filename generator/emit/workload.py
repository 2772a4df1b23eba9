"""One workload component -> the values its subchart hands the library chart.

See docs/chart-contract.md: everything that needs knowledge of the platform is
computed here, in Kubernetes shape; the library chart only assembles objects.
"""

from __future__ import annotations

from typing import Any

from generator.emit.meta import component_labels, selector_labels
from generator.model import placement
from generator.model.conventions import config_key, effective_resources, ingress_host
from generator.model.placement import HOSTNAME_LABEL
from generator.model.resolve import resolve_value
from generator.model.types import Component, Platform

KINDS = {
    "deployment": "Deployment",
    "statefulset": "StatefulSet",
    "daemonset": "DaemonSet",
    "job": "Job",
    "cronjob": "CronJob",
}
_NO_REPLICAS = {"daemonset", "job", "cronjob"}


def workload_values(platform: Platform, component: Component) -> dict[str, Any]:
    spec = component.spec
    kind = component.workload_type
    values: dict[str, Any] = {
        "name": component.name,
        "namespace": component.namespace,
        "kind": KINDS.get(kind, "Deployment"),
        "syncWave": str(component.wave),
        "labels": component_labels(platform, component),
        "selectorLabels": selector_labels(component),
    }
    if kind not in _NO_REPLICAS and "autoscaling" not in spec:
        values["replicas"] = int(spec.get("replicas", 1))
    for key, found in (
        ("podLabels", _pod_labels(platform, component)),
        ("podAnnotations", _pod_annotations(component)),
    ):
        if found:
            values[key] = found
    volumes, mounts, claims = _volumes(component)
    values["container"] = _container(platform, component, mounts)
    values["podSecurityContext"] = _pod_security(spec)
    if volumes:
        values["volumes"] = volumes
    if claims:
        values["volumeClaimTemplates" if kind == "statefulset" else "persistentVolumeClaims"] = claims
    values.update(_placement(platform, component))
    if component.ports:
        values["service"] = {
            "ports": [
                {"name": name, "port": number, "targetPort": name, "protocol": "TCP"}
                for name, number in component.ports.items()
            ]
        }
    files = _files(platform, component)
    if files:
        values["configMap"] = {"data": files}
    for key in ("pdb", "autoscaling"):
        if spec.get(key):
            values[key] = dict(spec[key])
    if spec.get("ingress"):
        ingress = spec["ingress"]
        values["ingress"] = {
            "host": ingress_host(platform, str(ingress["host"])),
            "path": str(ingress.get("path", "/")),
            "port": str(ingress["port"]),
            "className": "nginx",
        }
    backup = _backup(platform, component)
    if backup:
        values["backup"] = backup
    if kind == "cronjob":
        values["cronjob"] = {
            "schedule": str(spec.get("schedule", "")),
            "suspend": bool(spec.get("suspend", False)),
            "concurrencyPolicy": "Forbid",
        }
    if kind in ("job", "cronjob"):
        values["job"] = {"backoffLimit": 3}
    return values


def _pod_labels(platform: Platform, component: Component) -> dict[str, str]:
    labels: dict[str, str] = {}
    mesh = bool((platform.namespaces.get(component.namespace) or {}).get("mesh"))
    if mesh and component.workload_type in ("job", "cronjob"):
        # An injected sidecar never exits, so the Job would never complete.
        labels["sidecar.istio.io/inject"] = "false"
    return labels


def _pod_annotations(component: Component) -> dict[str, str]:
    metrics = component.spec.get("metrics")
    if not metrics:
        return {}
    port = component.ports.get(str(metrics.get("port")), 0)
    return {
        "prometheus.io/scrape": "true",
        "prometheus.io/port": str(port),
        "prometheus.io/path": str(metrics.get("path", "/metrics")),
    }


def _container(platform: Platform, component: Component, mounts: list[dict[str, Any]]) -> dict[str, Any]:
    spec = component.spec
    container: dict[str, Any] = {"name": component.name, "image": str(spec["image"])}
    for key in ("command", "args"):
        if spec.get(key):
            container[key] = [str(v) for v in resolve_value(platform, component.app, spec[key])]
    env = _env(platform, component)
    if env:
        container["env"] = env
    if component.ports:
        container["ports"] = [
            {"name": name, "containerPort": number, "protocol": "TCP"}
            for name, number in component.ports.items()
        ]
    container["resources"] = effective_resources(platform, component)
    for which, key in (("readiness", "readinessProbe"), ("liveness", "livenessProbe")):
        probe = (spec.get("probes") or {}).get(which)
        if probe:
            container[key] = _probe(probe)
    container["securityContext"] = _container_security(spec)
    if mounts:
        container["volumeMounts"] = mounts
    return container


def _env(platform: Platform, component: Component) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    for name, value in (component.spec.get("env") or {}).items():
        if isinstance(value, dict):
            ref = {"name": str(value.get("secret")), "key": str(value.get("key"))}
            out.append({"name": name, "valueFrom": {"secretKeyRef": ref}})
        elif isinstance(value, bool):
            out.append({"name": name, "value": "true" if value else "false"})
        else:
            out.append({"name": name, "value": str(resolve_value(platform, component.app, str(value)))})
    return out


def _probe(probe: dict[str, Any]) -> dict[str, Any]:
    if "http" in probe:
        action: dict[str, Any] = {"httpGet": {"path": str(probe["http"]), "port": str(probe.get("port"))}}
    else:
        action = {"tcpSocket": {"port": str(probe.get("tcp"))}}
    return {**action, "periodSeconds": 10, "timeoutSeconds": 5, "failureThreshold": 6}


def _pod_security(spec: dict[str, Any]) -> dict[str, Any]:
    security = spec.get("security") or {}
    pod: dict[str, Any] = {"runAsNonRoot": security.get("runAsUser", 1) != 0}
    if "runAsUser" in security:
        pod["runAsUser"] = int(security["runAsUser"])
        pod["fsGroup"] = int(security["runAsUser"])
    pod["seccompProfile"] = {"type": "RuntimeDefault"}
    return pod


def _container_security(spec: dict[str, Any]) -> dict[str, Any]:
    security = spec.get("security") or {}
    capabilities: dict[str, Any] = {"drop": ["ALL"]}
    if security.get("capabilities"):
        capabilities["add"] = sorted(str(c) for c in security["capabilities"])
    return {
        "allowPrivilegeEscalation": False,
        "readOnlyRootFilesystem": security.get("readOnlyRootFilesystem", True) is not False,
        "runAsNonRoot": security.get("runAsUser", 1) != 0,
        "capabilities": capabilities,
        "seccompProfile": {"type": "RuntimeDefault"},
    }


def _files(platform: Platform, component: Component) -> dict[str, str]:
    files = component.spec.get("files") or {}
    return {
        config_key(path): str(resolve_value(platform, component.app, content))
        for path, content in files.items()
    }


def _volumes(component: Component) -> tuple[list[dict[str, Any]], list[dict[str, Any]], list[dict[str, Any]]]:
    spec = component.spec
    volumes: list[dict[str, Any]] = []
    mounts: list[dict[str, Any]] = []
    claims: list[dict[str, Any]] = []
    for name, volume in (spec.get("volumes") or {}).items():
        mounts.append({"name": name, "mountPath": str(volume["mount"])})
        if volume.get("emptyDir"):
            volumes.append({"name": name, "emptyDir": {}})
        else:
            claim: dict[str, Any] = {"name": name, "size": str(volume.get("size", "1Gi"))}
            if volume.get("storageClass"):
                claim["storageClass"] = str(volume["storageClass"])
            claims.append(claim)
    if spec.get("files"):
        volumes.append({"name": "platformc-files", "configMap": {"name": f"{component.name}-files"}})
        for path in spec["files"]:
            mounts.append(
                {
                    "name": "platformc-files",
                    "mountPath": str(path),
                    "subPath": config_key(path),
                    "readOnly": True,
                }
            )
    read_only = (spec.get("security") or {}).get("readOnlyRootFilesystem", True) is not False
    mounted = {m["mountPath"].rstrip("/") for m in mounts}
    if read_only and "/tmp" not in mounted:
        # Almost every program writes to /tmp; a read-only root needs it writable.
        volumes.append({"name": "platformc-tmp", "emptyDir": {}})
        mounts.append({"name": "platformc-tmp", "mountPath": "/tmp"})
    return volumes, mounts, claims


def _placement(platform: Platform, component: Component) -> dict[str, Any]:
    """Node affinity, selector and tolerations as generator.model.placement decides; spread over nodes.

    A restricted component (placement.nodes, GPUs) always gets a required node affinity: to its
    eligible nodes, else (PC609/PC606) to the nodes as written and GPU-labelled nodes: never elsewhere.
    """
    out: dict[str, Any] = {}
    if placement.is_restricted(component):
        eligible = placement.eligible_nodes(platform, component)
        names = [str(n["name"]) for n in eligible] or placement.placement_names(component)
        terms: list[dict[str, Any]] = []
        if names:
            terms.append({"key": HOSTNAME_LABEL, "operator": "In", "values": sorted(set(names))})
        if placement.gpu_request(component) and not eligible:
            terms.append({"key": placement.GPU_NODE_LABEL, "operator": "In", "values": ["true"]})
        out["affinity"] = {
            "nodeAffinity": {
                "requiredDuringSchedulingIgnoredDuringExecution": {
                    "nodeSelectorTerms": [{"matchExpressions": terms}]
                }
            }
        }
        selector = placement.common_labels(eligible)
        if selector:
            out["nodeSelector"] = selector
        found = placement.tolerations(platform, component)
        if found:
            out["tolerations"] = found
    if component.spec.get("spread"):
        out["topologySpreadConstraints"] = [
            {
                "maxSkew": 1,
                "topologyKey": HOSTNAME_LABEL,
                "whenUnsatisfiable": "DoNotSchedule",
                "labelSelector": {"matchLabels": selector_labels(component)},
            }
        ]
    return out


def _backup(platform: Platform, component: Component) -> dict[str, Any] | None:
    backup = component.spec.get("backup")
    if not backup:
        return None
    velero = platform.installer_of("velero")
    return {
        "schedule": str(backup["schedule"]),
        "ttl": str(backup.get("ttl", "720h")),
        "includedNamespaces": [component.namespace],
        "namespace": velero.namespace if velero else "velero",
    }
