"""Istio's sidecar injection, as istiod's webhook would apply it before Kyverno validates a Pod.

Everything is read from what the istiod chart renders into the environment: which Pods reach
the injector from its MutatingWebhookConfiguration's selectors (webhooks calling istiod's
`/inject`), the injection policy from the `istio-sidecar-injector` ConfigMap's `config`, and the
values the template reads (`global.proxy`, `global.proxy_init`, `pilot.cni` / `istio_cni`,
`global.pilotCertProvider`, ...) from its `values`. The containers and volumes follow the
`sidecar` template of the chart's files/injection-template.yaml, field for field where it
decides admission (images, security contexts, volume types, resources).

Approximated: the template itself is not executed (it is a Go template with istiod's own
functions); ProxyConfig comes from the defaults (interception mode REDIRECT, no proxy
metadata such as IPTABLES_TRACE_LOGGING), native sidecars (istiod's ENABLE_NATIVE_SIDECARS)
are off, and probes, ports, env and args are left out, since no admission rule reads them.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from generator.verify.admission.match import selector_matches
from generator.verify.cluster.objects import ClusterObject
from generator.verify.manifests import parse_manifests

INJECTOR_CONFIGMAP = "istio-sidecar-injector"
INJECT_PATH = "/inject"
INJECT_KEY = "sidecar.istio.io/inject"
NAMESPACE_NAME_LABEL = "kubernetes.io/metadata.name"
IGNORED_NAMESPACES = frozenset({"kube-system", "kube-public"})  # istiod's ignoredNamespaces
PROXY_UID = 1337  # istiod's default .ProxyUID / .ProxyGID
TRUE_WORDS = frozenset({"y", "yes", "true", "on"})


@dataclass(frozen=True)
class Injector:
    """One istiod injector: whom its webhooks receive, and what it adds."""

    selectors: tuple[tuple[Mapping[str, Any], Mapping[str, Any]], ...]  # (namespace, object)
    values: Mapping[str, Any]
    policy_enabled: bool = True
    never: tuple[Mapping[str, Any], ...] = field(default=())
    always: tuple[Mapping[str, Any], ...] = field(default=())

    def injects(self, pod: Mapping[str, Any], namespace: str, namespace_labels: Mapping[str, str]) -> bool:
        """Whether istiod adds its sidecar to `pod` (webhook selectors, then istiod's own policy)."""
        if namespace in IGNORED_NAMESPACES or (pod.get("spec") or {}).get("hostNetwork"):
            return False
        labels = {NAMESPACE_NAME_LABEL: namespace, **namespace_labels}
        meta = pod.get("metadata") or {}
        pod_labels = {str(k): str(v) for k, v in (meta.get("labels") or {}).items()}
        if not any(
            selector_matches(ns or {}, labels) and selector_matches(obj or {}, pod_labels)
            for ns, obj in self.selectors
        ):
            return False
        requested = pod_labels.get(INJECT_KEY, (meta.get("annotations") or {}).get(INJECT_KEY))
        if requested is not None:
            return str(requested).strip().lower() in TRUE_WORDS
        if any(selector_matches(s, pod_labels) for s in self.never if s):
            return False
        if any(selector_matches(s, pod_labels) for s in self.always if s):
            return True
        return self.policy_enabled

    def inject(self, pod: dict[str, Any]) -> dict[str, Any]:
        """The Pod with istiod's init container, proxy and volumes added."""
        injected = copy.deepcopy(pod)
        annotations = (injected.get("metadata") or {}).get("annotations") or {}
        spec = injected.setdefault("spec", {})
        spec["initContainers"] = [*(spec.get("initContainers") or []), *self._init_containers(annotations)]
        containers = [c for c in spec.get("containers") or [] if c.get("name") != "istio-proxy"]
        spec["containers"] = [*containers, self._proxy(annotations)]
        spec["volumes"] = [*(spec.get("volumes") or []), *self._volumes(annotations)]
        return injected

    def _value(self, *path: str) -> Any:
        node: Any = self.values
        for key in path:
            node = node.get(key) if isinstance(node, Mapping) else None
        return node

    def _annotation(self, annotations: Mapping[str, Any], key: str, default: Any) -> str:
        """The template's `annotation .ObjectMeta key default`."""
        value = annotations.get(key, default)
        if isinstance(value, bool):
            return "true" if value else "false"
        return "" if value is None else str(value)

    def _cni(self) -> bool:
        return bool(self._value("pilot", "cni", "enabled") or self._value("istio_cni", "enabled"))

    def _image(self, annotations: Mapping[str, Any], key: str) -> str:
        image = self._annotation(
            annotations, "sidecar.istio.io/proxyImage", self._value("global", key, "image")
        )
        if "/" in image:
            return image
        hub, tag = self._value("global", "hub") or "", self._value("global", "tag") or ""
        return f"{hub}/{image or 'proxyv2'}:{tag}"

    def _resources(self) -> dict[str, Any]:
        resources = self._value("global", "proxy", "resources")
        return copy.deepcopy(dict(resources)) if isinstance(resources, Mapping) else {}

    def _init_containers(self, annotations: Mapping[str, Any]) -> list[dict[str, Any]]:
        found: list[dict[str, Any]] = []
        privileged = bool(self._value("global", "proxy", "privileged"))
        if self._annotation(annotations, "sidecar.istio.io/interceptionMode", "REDIRECT") != "NONE":
            context: dict[str, Any] = {
                "allowPrivilegeEscalation": privileged,
                "privileged": privileged,
                "capabilities": {"drop": ["ALL"]},
            }
            if self._cni():
                context |= {"readOnlyRootFilesystem": True, "runAsGroup": PROXY_UID}
                context |= {"runAsUser": PROXY_UID, "runAsNonRoot": True}
            else:
                context["capabilities"] = {"add": ["NET_ADMIN", "NET_RAW"], "drop": ["ALL"]}
                context |= {"readOnlyRootFilesystem": False, "runAsGroup": 0}
                context |= {"runAsNonRoot": False, "runAsUser": 0}
            found.append(
                {
                    "name": "istio-validation" if self._cni() else "istio-init",
                    "image": self._image(annotations, "proxy_init"),
                    "args": ["istio-iptables"],
                    "resources": self._resources(),
                    "securityContext": context,
                }
            )
        core = self._value("global", "proxy", "enableCoreDump")
        if self._annotation(annotations, "sidecar.istio.io/enableCoreDump", core) == "true":
            found.append(
                {
                    "name": "enable-core-dump",
                    "image": self._image(annotations, "proxy_init"),
                    "command": ["/bin/sh"],
                    "resources": self._resources(),
                    "securityContext": {
                        "allowPrivilegeEscalation": True,
                        "capabilities": {"add": ["SYS_ADMIN"], "drop": ["ALL"]},
                        "privileged": True,
                        "readOnlyRootFilesystem": False,
                        "runAsGroup": 0,
                        "runAsNonRoot": False,
                        "runAsUser": 0,
                    },
                }
            )
        return found

    def _proxy(self, annotations: Mapping[str, Any]) -> dict[str, Any]:
        privileged = bool(self._value("global", "proxy", "privileged"))
        tproxy = self._annotation(annotations, "sidecar.istio.io/interceptionMode", "REDIRECT") == "TPROXY"
        bind = self._value("global", "proxy", "capNetBindService")
        bind_service = self._annotation(annotations, "sidecar.istio.io/capNetBindService", bind) == "true"
        core = self._value("global", "proxy", "enableCoreDump")
        added = (["NET_ADMIN"] if tproxy else []) + (["NET_BIND_SERVICE"] if bind_service else [])
        capabilities: dict[str, Any] = {"add": added, "drop": ["ALL"]} if added else {"drop": ["ALL"]}
        context: dict[str, Any] = {
            "allowPrivilegeEscalation": privileged,
            "capabilities": capabilities,
            "privileged": privileged,
            "readOnlyRootFilesystem": self._annotation(annotations, "sidecar.istio.io/enableCoreDump", core)
            != "true",
            "runAsGroup": PROXY_UID,
        }
        if added:
            context |= {"runAsNonRoot": False, "runAsUser": 0}
        else:
            context |= {"runAsNonRoot": True, "runAsUser": PROXY_UID}
        return {
            "name": "istio-proxy",
            "image": self._image(annotations, "proxy"),
            "args": ["proxy", "sidecar"],
            "resources": self._resources(),
            "securityContext": context,
        }

    def _volumes(self, annotations: Mapping[str, Any]) -> list[dict[str, Any]]:
        volumes: list[dict[str, Any]] = [
            {"name": "workload-socket", "emptyDir": {}},
            {"name": "credential-socket", "emptyDir": {}},
        ]
        if self._value("global", "caName") == "GkeWorkloadCertificate":
            volumes.append(
                {
                    "name": "gke-workload-certificate",
                    "csi": {"driver": "workloadcertificates.security.cloud.google.com"},
                }
            )
        else:
            volumes.append({"name": "workload-certs", "emptyDir": {}})
        if "sidecar.istio.io/bootstrapOverride" in annotations:
            override = annotations["sidecar.istio.io/bootstrapOverride"]
            volumes.append({"name": "custom-bootstrap-volume", "configMap": {"name": override}})
        volumes += [
            {"name": "istio-envoy", "emptyDir": {"medium": "Memory"}},
            {"name": "istio-data", "emptyDir": {}},
            {"name": "istio-podinfo", "downwardAPI": {"items": []}},
            {
                "name": "istio-token",
                "projected": {"sources": [{"serviceAccountToken": {"path": "istio-token"}}]},
            },
        ]
        provider = self._value("global", "pilotCertProvider")
        if provider == "istiod":
            volumes.append({"name": "istiod-ca-cert", "configMap": {"name": "istio-ca-root-cert"}})
        if provider == "kubernetes":
            volumes.append({"name": "kube-ca-cert", "configMap": {"name": "kube-root-ca.crt"}})
        if self._value("global", "mountMtlsCerts"):
            volumes.append(
                {"name": "istio-certs", "secret": {"optional": True, "secretName": "istio.default"}}
            )
        if "sidecar.istio.io/userVolume" in annotations:
            try:
                extra = json.loads(str(annotations["sidecar.istio.io/userVolume"]))
            except ValueError:
                extra = {}
            for name, volume in sorted(extra.items()) if isinstance(extra, dict) else ():
                volumes.append({"name": name, **(volume if isinstance(volume, dict) else {})})
        return volumes


def find_injectors(config_maps: Iterable[ClusterObject], webhooks: Iterable[ClusterObject]) -> list[Injector]:
    """The injectors istiod charts install: an `istio-sidecar-injector` ConfigMap (values and
    config) with the webhooks that call `/inject` on a Service of the same namespace."""
    selectors: dict[str, list[tuple[Mapping[str, Any], Mapping[str, Any]]]] = {}
    for configuration in webhooks:
        for webhook in configuration.data.get("webhooks") or []:
            service = ((webhook or {}).get("clientConfig") or {}).get("service") or {}
            if service.get("path") != INJECT_PATH:
                continue
            pair = (webhook.get("namespaceSelector") or {}, webhook.get("objectSelector") or {})
            selectors.setdefault(str(service.get("namespace") or ""), []).append(pair)
    found: list[Injector] = []
    for config_map in config_maps:
        data = config_map.data.get("data") or {}
        if not config_map.name.startswith(INJECTOR_CONFIGMAP) or "values" not in data:
            continue
        try:
            values = json.loads(str(data.get("values") or "{}"))
            config = next(iter(parse_manifests(str(data.get("config") or ""))), None) or {}
        except ValueError:
            continue
        if not isinstance(values, dict) or not isinstance(config, dict):
            continue
        found.append(
            Injector(
                selectors=tuple(selectors.get(config_map.namespace, ())),
                values=values,
                policy_enabled=str(config.get("policy", "enabled")) == "enabled",
                never=tuple(s for s in config.get("neverInjectSelector") or () if isinstance(s, dict)),
                always=tuple(s for s in config.get("alwaysInjectSelector") or () if isinstance(s, dict)),
            )
        )
    return found
