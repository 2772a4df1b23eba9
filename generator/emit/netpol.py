"""NetworkPolicies from the dependency graph, for namespaces that set `networkPolicy: enforce`.

What is rendered:

- `default-deny` in every enforced namespace (namespaces/<ns>.yaml, synced by
  platform-namespaces): selects every pod, admits no ingress;
- `<component>-ingress` for every component with pods in an enforced namespace
  that anything may reach, carried by the chart that makes the component (a
  workload's subchart; for an upstream chart, the umbrella chart of its
  application), so it is pruned with the component. It admits
  exactly:
  * the declared edges into the component (generator.model.traffic: refs on
    their ports; `${host:}` and `dependsOn` on all its ports; ExternalName
    components followed to their target), from any namespace, each source
    selected by its namespace and its pods' labels;
  * its own pods, on its own ports: replicas of one component talk to each
    other (Kafka's KRaft quorum on `controller`, Trino workers exchanging data);
  * the ingress controller (the namespace of the application installing the
    ingress-nginx chart) on the `ingress` port;
  * the metrics scraper (the namespace of the application of
    `spec.monitoring.metricsBackend`) on the `metrics` port and, in a mesh
    namespace, on Istio's merged-metrics port 15020, which is where Istio
    rewrites `prometheus.io/port` to.

Ingress only, by decision: egress stays open, DNS included. The model cannot
see every destination a pod needs (a database URI inside a secret, operators
calling the Kubernetes API, Istio sidecars reaching istiod), so default-deny
egress would break pods the platform declares correctly. Every declared edge
into an enforced namespace is still enforced once, at its destination; edges
into namespaces that do not enforce are not restricted at all.

Approximations, for upstream charts, whose pods' labels platformc does not
know: a chart's pods are selected as the pods of its umbrella release
(`app.kubernetes.io/instance: <application>`) that platformc did not make
(no `platform.254carbon.com/component` label), so two charts of one
application in one enforced namespace share their policies; a chart's
Service ports are not its pods' ports, so traffic to a chart is admitted on
any port; and a chart's own pods may reach each other. Traffic the model
does not declare is refused: the API server calling a chart's admission
webhook, a server calling back a client that depends on it (a Trino
coordinator scheduling tasks on its workers), or a hand-written hostname
(rule PC901).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from generator.emit.meta import component_labels, object_meta, selector_labels
from generator.emit.tree import Output
from generator.model.conventions import is_enforced
from generator.model.parts import Ingress, Metrics
from generator.model.traffic import Ports, monitoring_backend, reaches_pods
from generator.model.types import Component, Platform

NETWORK_API = "networking.k8s.io/v1"
DEFAULT_DENY = "default-deny"
NAMESPACE_LABEL = "kubernetes.io/metadata.name"
COMPONENT_LABEL = "platform.254carbon.com/component"
ISTIO_METRICS_PORT = 15020
INGRESS_CONTROLLER_CHART = "ingress-nginx"

Peer = Output


def default_deny(namespace: str) -> Output:
    return {
        "apiVersion": NETWORK_API,
        "kind": "NetworkPolicy",
        "metadata": object_meta(DEFAULT_DENY, namespace),
        "spec": {"podSelector": {}, "policyTypes": ["Ingress"]},
    }


def pod_selector(component: Component) -> Output:
    """A workload's selector labels; for a chart, the pods of its release that platformc did not make."""
    if component.kind == "workload":
        return {"matchLabels": selector_labels(component)}
    return {
        "matchLabels": {"app.kubernetes.io/instance": component.app},
        "matchExpressions": [{"key": COMPONENT_LABEL, "operator": "DoesNotExist"}],
    }


def namespace_peer(namespace: str) -> Peer:
    return {"namespaceSelector": {"matchLabels": {NAMESPACE_LABEL: namespace}}}


def component_peer(component: Component) -> Peer:
    return {**namespace_peer(component.namespace), "podSelector": pod_selector(component)}


def component_policy(platform: Platform, component: Component) -> Output | None:
    """`<component>-ingress` for a component with pods in an enforced namespace that anything may reach."""
    if not reaches_pods(component) or not is_enforced(platform, component.namespace):
        return None
    return network_policy(platform, component, platform.edges_into)


def network_policy(
    platform: Platform, target: Component, edges: Mapping[str, Sequence[tuple[str, Ports]]]
) -> Output | None:
    peers = _peers(platform, target, edges)
    if not peers:
        return None
    return {
        "apiVersion": NETWORK_API,
        "kind": "NetworkPolicy",
        "metadata": object_meta(
            f"{target.name}-ingress",
            target.namespace,
            labels=component_labels(platform, target),
            wave=target.wave,
        ),
        "spec": {
            "podSelector": pod_selector(target),
            "policyTypes": ["Ingress"],
            "ingress": _rules(peers),
        },
    }


def _peers(
    platform: Platform, target: Component, edges: Mapping[str, Sequence[tuple[str, Ports]]]
) -> list[tuple[Peer, Ports]]:
    chart = target.kind == "chart"
    own: Ports = None if chart else frozenset(target.ports.values())
    peers: list[tuple[Peer, Ports]] = []
    for source_id, ports in edges.get(target.id, ()):
        source = platform.find(source_id)
        if source is not None:
            peers.append((component_peer(source), ports))
    if chart or own:
        peers.append((component_peer(target), own))
    controller = platform.installer_of(INGRESS_CONTROLLER_CHART)
    peers += _entry_peers(target, target.ingress, controller.namespace if controller else None)
    backend = monitoring_backend(platform, "metricsBackend")
    extra = frozenset({ISTIO_METRICS_PORT}) if platform.in_mesh(target.namespace) else frozenset()
    peers += _entry_peers(target, target.metrics, backend[0].namespace if backend else None, extra)
    return peers


def _entry_peers(
    target: Component,
    entry: Ingress | Metrics | None,
    namespace: str | None,
    extra: frozenset[int] = frozenset(),
) -> list[tuple[Peer, Ports]]:
    """Traffic from a whole namespace to the port `ingress.port` or `metrics.port` names."""
    if entry is None or namespace is None:
        return []
    if target.kind == "chart":
        return [(namespace_peer(namespace), None)]
    port = target.ports.get(str(entry.port))
    if port is None:
        return []  # PC110 reports the missing port
    return [(namespace_peer(namespace), frozenset({port}) | extra)]


def _rules(peers: list[tuple[Peer, Ports]]) -> list[Output]:
    """One rule per distinct port set, its peers sorted; peers admitted on several sets keep each."""
    by_ports: dict[tuple[int, ...] | None, list[Peer]] = {}
    for peer, ports in peers:
        key = None if ports is None else tuple(sorted(ports))
        group = by_ports.setdefault(key, [])
        if peer not in group:
            group.append(peer)
    rules = []
    for key in sorted(by_ports, key=lambda k: (k is not None, k or ())):
        rule: Output = {"from": sorted(by_ports[key], key=_peer_key)}
        if key is not None:
            rule["ports"] = [{"protocol": "TCP", "port": port} for port in key]
        rules.append(rule)
    return rules


def _peer_key(peer: Peer) -> tuple[str, str]:
    namespace = str(peer["namespaceSelector"]["matchLabels"][NAMESPACE_LABEL])
    pods = peer.get("podSelector", {}).get("matchLabels", {})
    return namespace, "/".join(f"{k}={v}" for k, v in sorted(pods.items()))
