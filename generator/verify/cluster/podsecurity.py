"""Pod Security Admission: what a namespace enforces against what its pods need.

A namespace labelled `pod-security.kubernetes.io/enforce: baseline` or
`restricted` refuses pods that break that level of the Pod Security
Standards; an unlabelled namespace is `privileged`. Pods are judged after istiod's sidecar
injection, which runs before Pod Security Admission. The controls below are the
standards' (kubernetes.io/docs/concepts/security/pod-security-standards).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from generator.findings import Finding
from generator.verify.cluster.injection import Injector, find_injectors
from generator.verify.cluster.objects import ClusterObject, ObjectSet
from generator.verify.cluster.places import ClusterFacts, finding
from generator.verify.cluster.pods import containers, pod_metadata, pods

RULE = "PC826"
ENFORCE_LABEL = "pod-security.kubernetes.io/enforce"
LEVELS = ("privileged", "baseline", "restricted")
BASELINE_CAPABILITIES = frozenset(
    {
        "AUDIT_WRITE",
        "CHOWN",
        "DAC_OVERRIDE",
        "FOWNER",
        "FSETID",
        "KILL",
        "MKNOD",
        "NET_BIND_SERVICE",
        "SETFCAP",
        "SETGID",
        "SETPCAP",
        "SETUID",
        "SYS_CHROOT",
    }
)
RESTRICTED_VOLUMES = frozenset(
    {
        "configMap",
        "csi",
        "downwardAPI",
        "emptyDir",
        "ephemeral",
        "persistentVolumeClaim",
        "projected",
        "secret",
    }
)


def baseline_violations(spec: dict[str, Any]) -> Iterator[str]:
    for field in ("hostNetwork", "hostPID", "hostIPC"):
        if spec.get(field):
            yield f"{field}: true"
    for volume in spec.get("volumes") or []:
        if isinstance(volume, dict) and "hostPath" in volume:
            yield f"hostPath volume {volume.get('name')}"
    for container in containers(spec):
        context = container.get("securityContext") or {}
        name = container.get("name")
        if context.get("privileged"):
            yield f"container {name} is privileged"
        added = set((context.get("capabilities") or {}).get("add") or []) - BASELINE_CAPABILITIES
        if added:
            yield f"container {name} adds {', '.join(sorted(map(str, added)))}"
        if any(isinstance(p, dict) and p.get("hostPort") for p in container.get("ports") or []):
            yield f"container {name} uses a hostPort"
        if (context.get("seccompProfile") or {}).get("type") == "Unconfined":
            yield f"container {name} runs seccomp Unconfined"


def restricted_violations(spec: dict[str, Any]) -> Iterator[str]:
    pod_context = spec.get("securityContext") or {}
    for volume in spec.get("volumes") or []:
        kinds = set(volume) - {"name"} if isinstance(volume, dict) else set()
        if kinds - RESTRICTED_VOLUMES:
            yield f"volume {volume.get('name')} is of type {', '.join(sorted(kinds))}"
    for container in containers(spec):
        yield from _restricted_container(container, pod_context)


def _restricted_container(container: dict[str, Any], pod_context: dict[str, Any]) -> Iterator[str]:
    context = container.get("securityContext") or {}
    name = container.get("name")
    if context.get("allowPrivilegeEscalation") is not False:
        yield f"container {name} does not set allowPrivilegeEscalation: false"
    if not context.get("runAsNonRoot", pod_context.get("runAsNonRoot")):
        yield f"container {name} does not set runAsNonRoot: true"
    if context.get("runAsUser", pod_context.get("runAsUser")) == 0:
        yield f"container {name} runs as user 0"
    seccomp = (context.get("seccompProfile") or pod_context.get("seccompProfile") or {}).get("type")
    if seccomp not in ("RuntimeDefault", "Localhost"):
        yield f"container {name} sets no RuntimeDefault or Localhost seccomp profile"
    capabilities = context.get("capabilities") or {}
    if "ALL" not in (capabilities.get("drop") or []):
        yield f"container {name} does not drop ALL capabilities"
    if set(capabilities.get("add") or []) - {"NET_BIND_SERVICE"}:
        yield f"container {name} adds capabilities other than NET_BIND_SERVICE"


def check_pod_security(objects: ObjectSet, facts: ClusterFacts) -> Iterator[Finding]:
    enforced: dict[str, str] = {}
    for namespace in objects.of_kind("Namespace"):
        level = str(namespace.labels.get(ENFORCE_LABEL, "privileged"))
        enforced[namespace.name] = level if level in LEVELS else "restricted"  # unknown: the strictest
    injectors = find_injectors(objects.of_kind("ConfigMap"), objects.of_kind("MutatingWebhookConfiguration"))
    labels = {n.name: {str(k): str(v) for k, v in n.labels.items()} for n in objects.of_kind("Namespace")}
    for obj, spec in pods(objects):
        level = enforced.get(obj.namespace, "privileged")
        if level == "privileged":
            continue
        spec = _admitted(obj, spec, injectors, labels.get(obj.namespace, {}))
        problems = list(baseline_violations(spec))
        if level == "restricted":
            problems += list(restricted_violations(spec))
        if problems:
            message = (
                f"{obj.label} in namespace {obj.namespace} (Application {obj.application}) breaks the "
                f"{level} Pod Security Standard the namespace enforces: {'; '.join(problems[:4])}"
                f"{' …' if len(problems) > 4 else ''}; fix the pod's security settings or the "
                "namespace's level"
            )
            yield finding(RULE, message, obj, facts.object_place(obj))


def _admitted(
    obj: ClusterObject, spec: dict[str, Any], injectors: list[Injector], labels: dict[str, str]
) -> dict[str, Any]:
    """The pod spec as admission sees it: after istiod's sidecar injection where it applies."""
    template = obj.data if obj.kind == "Pod" else {"metadata": pod_metadata(obj), "spec": spec}
    for injector in injectors:
        if injector.injects(template, obj.namespace, labels):
            injected: dict[str, Any] = injector.inject({"metadata": pod_metadata(obj), "spec": spec})["spec"]
            return injected
    return spec
