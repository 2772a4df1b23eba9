"""For every rule of Kyverno's baseline and restricted pod-security policies: a change to a
compliant pod that the rule accepts and one it rejects (the rule's own message says which)."""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

Pod = dict[str, Any]
Change = Callable[[Pod], None]


def compliant_pod() -> Pod:
    """A pod every baseline and restricted rule accepts."""
    return {
        "apiVersion": "v1",
        "kind": "Pod",
        "metadata": {"name": "web", "namespace": "portal", "labels": {"app": "web"}},
        "spec": {
            "securityContext": {"runAsNonRoot": True, "seccompProfile": {"type": "RuntimeDefault"}},
            "initContainers": [_container("init")],
            "containers": [_container("web")],
            "volumes": [{"name": "config", "configMap": {"name": "web"}}],
        },
    }


def _container(name: str) -> dict[str, Any]:
    return {
        "name": name,
        "image": "registry.example/web:1.0",
        "securityContext": {"allowPrivilegeEscalation": False, "capabilities": {"drop": ["ALL"]}},
    }


def _sc(pod: Pod, index: int = 0, init: bool = False) -> dict[str, Any]:
    containers = pod["spec"]["initContainers" if init else "containers"]
    result: dict[str, Any] = containers[index].setdefault("securityContext", {})
    return result


def _set(path: str, value: Any, init: bool = False) -> Change:
    def change(pod: Pod) -> None:
        target = _sc(pod, init=init)
        *parents, last = path.split(".")
        for part in parents:
            target = target.setdefault(part, {})
        target[last] = value

    return change


def _pod_set(path: str, value: Any) -> Change:
    def change(pod: Pod) -> None:
        target = pod
        *parents, last = path.split(".")
        for part in parents:
            target = target.setdefault(part, {})
        target[last] = value

    return change


def _port(host_port: int) -> Change:
    return _set_ports([{"containerPort": 8080, "hostPort": host_port}])


def _set_ports(ports: list[dict[str, Any]]) -> Change:
    def change(pod: Pod) -> None:
        pod["spec"]["containers"][0]["ports"] = ports

    return change


def _volume(volume: dict[str, Any]) -> Change:
    def change(pod: Pod) -> None:
        pod["spec"]["volumes"].append({"name": "extra", **volume})

    return change


def _drop_pod_seccomp(pod: Pod) -> None:
    del pod["spec"]["securityContext"]["seccompProfile"]


def _no_run_as_non_root(pod: Pod) -> None:
    pod["spec"]["securityContext"]["runAsNonRoot"] = False


def _containers_run_as_non_root(pod: Pod) -> None:
    del pod["spec"]["securityContext"]["runAsNonRoot"]
    for init in (False, True):
        _sc(pod, init=init)["runAsNonRoot"] = True


APPARMOR = "container.apparmor.security.beta.kubernetes.io/web"


def _apparmor(profile: str) -> Change:
    def change(pod: Pod) -> None:
        pod["metadata"].setdefault("annotations", {})[APPARMOR] = profile

    return change


# rule name -> (accepted change, rejected change)
CASES: dict[str, tuple[Change, Change]] = {
    # baseline
    "adding-capabilities": (
        _set("capabilities.add", ["NET_BIND_SERVICE", "CHOWN"]),
        _set("capabilities.add", ["NET_RAW"]),
    ),
    "host-namespaces": (_pod_set("spec.hostNetwork", False), _pod_set("spec.hostPID", True)),
    "host-path": (_volume({"emptyDir": {}}), _volume({"hostPath": {"path": "/var/log"}})),
    "host-port-range": (_port(5500), _port(80)),
    "host-ports-none": (_port(0), _port(8080)),
    "host-process-containers": (
        _set("windowsOptions.hostProcess", False),
        _set("windowsOptions.hostProcess", True, init=True),
    ),
    "privileged-containers": (_set("privileged", False), _set("privileged", True, init=True)),
    "check-proc-mount": (_set("procMount", "Default"), _set("procMount", "Unmasked")),
    "selinux-type": (_set("seLinuxOptions.type", "container_init_t"), _set("seLinuxOptions.type", "spc_t")),
    "selinux-user-role": (
        _set("seLinuxOptions.level", "s0:c123,c456"),
        _pod_set("spec.securityContext.seLinuxOptions", {"role": "sysadm_r"}),
    ),
    "app-armor": (
        _apparmor("localhost/k8s-web"),
        _apparmor("unconfined"),
    ),
    "check-seccomp": (_set("seccompProfile.type", "Localhost"), _set("seccompProfile.type", "Unconfined")),
    "check-sysctls": (
        _pod_set("spec.securityContext.sysctls", [{"name": "net.ipv4.tcp_syncookies", "value": "1"}]),
        _pod_set("spec.securityContext.sysctls", [{"name": "kernel.msgmax", "value": "65536"}]),
    ),
    # restricted
    "require-drop-all": (
        _set("capabilities.drop", ["ALL", "NET_RAW"]),
        _set("capabilities.drop", ["NET_RAW"]),
    ),
    "adding-capabilities-strict": (
        _set("capabilities.add", ["NET_BIND_SERVICE"]),
        _set("capabilities.add", ["SYS_ADMIN"], init=True),
    ),
    "privilege-escalation": (
        _set("allowPrivilegeEscalation", False),
        _set("allowPrivilegeEscalation", True, init=True),
    ),
    "run-as-non-root-user": (_set("runAsUser", 1000), _set("runAsUser", 0)),
    "run-as-non-root": (_containers_run_as_non_root, _no_run_as_non_root),
    "check-seccomp-strict": (_set("seccompProfile.type", "Localhost"), _drop_pod_seccomp),
    "restricted-volumes": (
        _volume({"persistentVolumeClaim": {"claimName": "data"}}),
        _volume({"nfs": {"server": "nas"}}),
    ),
}


def pod_with(change: Change) -> Pod:
    pod = compliant_pod()
    change(pod)
    return pod


def as_deployment(pod: Pod) -> Pod:
    return {
        "apiVersion": "apps/v1",
        "kind": "Deployment",
        "metadata": {"name": "web", "namespace": pod["metadata"]["namespace"]},
        "spec": {"replicas": 2, "template": _template(pod)},
    }


def as_cronjob(pod: Pod) -> Pod:
    return {
        "apiVersion": "batch/v1",
        "kind": "CronJob",
        "metadata": {"name": "report", "namespace": pod["metadata"]["namespace"]},
        "spec": {"schedule": "0 * * * *", "jobTemplate": {"spec": {"template": _template(pod)}}},
    }


def _template(pod: Pod) -> dict[str, Any]:
    metadata = {k: v for k, v in pod["metadata"].items() if k in ("labels", "annotations")}
    return {"metadata": copy.deepcopy(metadata), "spec": copy.deepcopy(pod["spec"])}
