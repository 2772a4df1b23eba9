"""One workload component -> the values its subchart hands the library chart.

See docs/chart-contract.md: everything that needs knowledge of the platform is
computed here, in Kubernetes shape; the library chart only assembles objects.
"""

from __future__ import annotations

from generator.emit.job import hook_annotations, run_values
from generator.emit.meta import component_labels, selector_labels
from generator.emit.secret_files import secret_files_name
from generator.emit.tree import Output
from generator.model import placement
from generator.model.conventions import config_key, effective_resources, ingress_host
from generator.model.parts import Probe, Security
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


def workload_values(platform: Platform, component: Component) -> Output:
    kind = component.workload_type
    values: Output = {
        "name": component.name,
        "namespace": component.namespace,
        "kind": KINDS.get(kind, "Deployment"),
        "syncWave": str(component.wave),
        "labels": component_labels(platform, component),
        "selectorLabels": selector_labels(component),
    }
    annotations = hook_annotations(component)
    if annotations:
        values["annotations"] = annotations
    if kind not in _NO_REPLICAS and component.autoscaling is None:
        values["replicas"] = 1 if component.replicas is None else component.replicas
    for key, found in (
        ("podLabels", _pod_labels(platform, component)),
        ("podAnnotations", _pod_annotations(component)),
    ):
        if found:
            values[key] = found
    volumes, mounts, claims = _volumes(component)
    values["container"] = _container(platform, component, mounts)
    values["podSecurityContext"] = _pod_security(component.security)
    values["serviceAccount"] = {
        # The token is mounted only where the component says it calls the Kubernetes API.
        "automountServiceAccountToken": component.api_access is not None,
    }
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
    if component.pdb is not None:
        values["pdb"] = {component.pdb.which: component.pdb.amount}
    if component.autoscaling is not None:
        values["autoscaling"] = component.autoscaling.as_written()
    if component.ingress is not None:
        ingress = component.ingress
        values["ingress"] = {
            "host": ingress_host(platform, ingress.host),
            "path": ingress.url_path or "/",
            "port": str(ingress.port),
            "className": "nginx",
        }
    backup = _backup(platform, component)
    if backup:
        values["backup"] = backup
    values.update(run_values(component))
    return values


def _pod_labels(platform: Platform, component: Component) -> dict[str, str]:
    labels: dict[str, str] = {}
    if platform.in_mesh(component.namespace) and component.workload_type in ("job", "cronjob"):
        # An injected sidecar never exits, so the Job would never complete.
        labels["sidecar.istio.io/inject"] = "false"
    return labels


def _pod_annotations(component: Component) -> dict[str, str]:
    metrics = component.metrics
    if metrics is None:
        return {}
    port = component.ports.get(metrics.port, 0)
    return {
        "prometheus.io/scrape": "true",
        "prometheus.io/port": str(port),
        "prometheus.io/path": metrics.url_path or "/metrics",
    }


def _container(platform: Platform, component: Component, mounts: list[Output]) -> Output:
    container: Output = {"name": component.name, "image": str(component.image)}
    for key, written in (("command", component.command), ("args", component.args)):
        if written:
            container[key] = [str(v) for v in resolve_value(platform, component.app, list(written))]
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
        probe = component.probe(which)
        if probe is not None:
            container[key] = _probe(probe)
    container["securityContext"] = _container_security(component.security)
    if mounts:
        container["volumeMounts"] = mounts
    return container


def _env(platform: Platform, component: Component) -> list[Output]:
    out: list[Output] = []
    for entry in component.env:
        name, value = entry.name, entry.value
        if entry.secret is not None:
            ref = {"name": entry.secret.item, "key": entry.secret.key}
            out.append({"name": name, "valueFrom": {"secretKeyRef": ref}})
        elif isinstance(value, bool):
            out.append({"name": name, "value": "true" if value else "false"})
        else:
            out.append({"name": name, "value": str(resolve_value(platform, component.app, str(value)))})
    return out


def _probe(probe: Probe) -> Output:
    if probe.http is not None:
        action: Output = {"httpGet": {"path": probe.http, "port": probe.port}}
    else:
        action = {"tcpSocket": {"port": probe.port}}
    return {**action, "periodSeconds": 10, "timeoutSeconds": 5, "failureThreshold": 6}


def _pod_security(security: Security) -> Output:
    pod: Output = {"runAsNonRoot": not security.runs_as_root}
    if security.run_as_user is not None:
        pod["runAsUser"] = security.run_as_user
    if security.run_as_group is not None:
        pod["runAsGroup"] = security.run_as_group
    # Volumes are writable by the pod's group: its own where written, else its user's id as before.
    group = security.run_as_group if security.run_as_group is not None else security.run_as_user
    if group is not None:
        pod["fsGroup"] = group
    pod["seccompProfile"] = {"type": "RuntimeDefault"}
    return pod


def _container_security(security: Security) -> Output:
    capabilities: Output = {"drop": ["ALL"]}
    if security.capabilities:
        capabilities["add"] = sorted(security.capabilities)
    return {
        "allowPrivilegeEscalation": False,
        "readOnlyRootFilesystem": security.read_only_root,
        "runAsNonRoot": not security.runs_as_root,
        "capabilities": capabilities,
        "seccompProfile": {"type": "RuntimeDefault"},
    }


def _files(platform: Platform, component: Component) -> dict[str, str]:
    return {
        config_key(file.mount): str(resolve_value(platform, component.app, file.content))
        for file in component.files
        if not file.secrets
    }


def _file_volumes(component: Component) -> tuple[list[Output], list[Output]]:
    """Plain files from the component's ConfigMap; files that read secrets from their rendered Secret."""
    volumes: list[Output] = []
    mounts: list[Output] = []
    for volume, files, source in (
        ("platformc-files", [f for f in component.files if not f.secrets], "configMap"),
        ("platformc-secret-files", [f for f in component.files if f.secrets], "secret"),
    ):
        if not files:
            continue
        if source == "configMap":
            volumes.append({"name": volume, "configMap": {"name": f"{component.name}-files"}})
        else:
            volumes.append({"name": volume, "secret": {"secretName": secret_files_name(component)}})
        for file in files:
            mounts.append(
                {"name": volume, "mountPath": file.mount, "subPath": config_key(file.mount), "readOnly": True}
            )
    return volumes, mounts


def _volumes(component: Component) -> tuple[list[Output], list[Output], list[Output]]:
    volumes: list[Output] = []
    mounts: list[Output] = []
    claims: list[Output] = []
    for volume in component.volumes:
        mounts.append({"name": volume.name, "mountPath": volume.mount})
        if volume.empty_dir:
            volumes.append({"name": volume.name, "emptyDir": {}})
        else:
            claim: Output = {
                "name": volume.name,
                "size": str(volume.size if volume.size is not None else "1Gi"),
            }
            if volume.storage_class:
                claim["storageClass"] = volume.storage_class
            claims.append(claim)
    file_volumes, file_mounts = _file_volumes(component)
    volumes.extend(file_volumes)
    mounts.extend(file_mounts)
    read_only = component.security.read_only_root
    mounted = {m["mountPath"].rstrip("/") for m in mounts}
    if read_only and "/tmp" not in mounted:
        # Almost every program writes to /tmp; a read-only root needs it writable.
        volumes.append({"name": "platformc-tmp", "emptyDir": {}})
        mounts.append({"name": "platformc-tmp", "mountPath": "/tmp"})
    return volumes, mounts, claims


def _placement(platform: Platform, component: Component) -> Output:
    """Node affinity, selector and tolerations as generator.model.placement decides; spread and avoidance.

    A restricted component (placement.nodes, GPUs) always gets a required node affinity: to its
    eligible nodes, else (PC609/PC606) to the nodes as written and GPU-labelled nodes: never elsewhere.
    `placement.nodeSelector` and `placement.tolerations` are passed on as written, beside what the
    restriction adds.
    """
    out: Output = {}
    selector: dict[str, str] = {}
    found: list[dict[str, str]] = []
    if placement.is_restricted(component):
        out["affinity"] = {"nodeAffinity": _node_affinity(platform, component)}
        selector = placement.common_labels(platform.eligible_nodes(component))
        found = placement.tolerations(platform, component)
    selector = {**selector, **component.node_selector}
    if selector:
        out["nodeSelector"] = dict(sorted(selector.items()))
    for toleration in component.tolerations:
        written = toleration.as_kubernetes()
        if written not in found:
            found.append(written)
    if found:
        out["tolerations"] = found
    anti = _anti_affinity(platform, component)
    if anti:
        out["affinity"] = {**out.get("affinity", {}), "podAntiAffinity": anti}
    spread = _spread(component)
    if spread:
        out["topologySpreadConstraints"] = spread
    return out


def _node_affinity(platform: Platform, component: Component) -> Output:
    eligible = platform.eligible_nodes(component)
    names = [n.name for n in eligible] or list(component.placement)
    terms: list[Output] = []
    if names:
        terms.append({"key": HOSTNAME_LABEL, "operator": "In", "values": sorted(set(names))})
    if component.gpus and not eligible:
        terms.append({"key": placement.GPU_NODE_LABEL, "operator": "In", "values": ["true"]})
    required = {"nodeSelectorTerms": [{"matchExpressions": terms}]}
    return {"requiredDuringSchedulingIgnoredDuringExecution": required}


def _anti_affinity(platform: Platform, component: Component) -> Output:
    """`placement.avoid`: never on a node that runs a pod of the avoided component."""
    terms: list[Output] = []
    for avoided in component.avoid:
        target = platform.find(avoided.target)
        if target is None:
            continue  # PC632 reports it
        terms.append(
            {
                "labelSelector": {"matchLabels": selector_labels(target)},
                "namespaces": [target.namespace],
                "topologyKey": HOSTNAME_LABEL,
            }
        )
    return {"requiredDuringSchedulingIgnoredDuringExecution": terms} if terms else {}


def _spread(component: Component) -> list[Output]:
    keys = [HOSTNAME_LABEL] if component.spread else []
    if component.spread_across is not None:
        key = placement.TOPOLOGY_KEYS[component.spread_across]
        if key not in keys:
            keys.append(key)
    return [
        {
            "maxSkew": 1,
            "topologyKey": key,
            "whenUnsatisfiable": "DoNotSchedule",
            "labelSelector": {"matchLabels": selector_labels(component)},
        }
        for key in keys
    ]


def _backup(platform: Platform, component: Component) -> Output | None:
    backup = component.backup
    if backup is None:
        return None
    velero = platform.installer_of("velero")
    return {
        "schedule": backup.schedule,
        "ttl": backup.ttl or "720h",
        "includedNamespaces": [component.namespace],
        "namespace": velero.namespace if velero else "velero",
    }
