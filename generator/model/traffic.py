"""Who talks to whom: the network edges the platform declares, for network policies and their rules.

An edge runs from a component that has pods (a workload or a chart) to one it
reaches, on the ports it reaches it on:

- `${ref:x.port}` reaches `x` on that port's number;
- `${host:x}` (the port is written by hand) and `dependsOn: [x]` reach every
  port of `x`; a `dependsOn` next to `${ref:…}`s to the same target only orders
  the two, the references already say which ports are used;
- an ExternalName component is not a destination: an edge to it goes on to
  its `target:` (or to what its `host:` references), on the same port number;
- the application installing external-secrets reaches what the secret store
  references (the store's `server: http://${ref:vault/vault.http}`).

An edge to a chart component has no port list (`None`): a chart's `ports` are
what its Service exposes, and the pods behind it may listen elsewhere (the
grafana chart's port 80 is container port 3000), while network policies match
the pod's port.
"""

from __future__ import annotations

from collections.abc import Iterator

from generator.model.refs import parse_references, references_in
from generator.model.types import Component, EdgeKey, Platform, Ports, Reference

__all__ = ["EdgeKey", "Ports", "declared_edges", "destinations", "monitoring_backend", "reaches_pods"]


def reaches_pods(component: Component) -> bool:
    """Workloads and charts run pods; an external component is only a name in DNS."""
    return component.enabled and component.kind in ("workload", "chart")


def destinations(platform: Platform, component: Component) -> list[Component]:
    """The components with pods that traffic addressed to `component` ends up at.

    An external leads on to its `target:` and to what its `host:` references, and
    so on through chains of externals (each visited once): iterative, however long the chain.
    """
    if component.kind != "external":
        return [component] if reaches_pods(component) else []
    found: dict[str, Component] = {}
    seen: set[str] = set()
    todo = [component]
    while todo:
        current = todo.pop()
        if current.kind != "external":
            if reaches_pods(current):
                found[current.id] = current
            continue
        if current.id in seen:
            continue
        seen.add(current.id)
        todo.extend(reversed([n for n in _named_by_external(platform, current) if n.enabled]))
    return [found[k] for k in sorted(found)]


def _named_by_external(platform: Platform, component: Component) -> list[Component]:
    named: list[Component | None] = []
    external = component.external
    if external is not None and external.target is not None:
        target = external.target
        named.append(platform.find(target if "/" in target else f"{component.app}/{target}"))
    for ref in component.references:
        if len(ref.path) > len(component.path) and ref.path[len(component.path)] == "external":
            named.append(platform.target_of(ref, component.app))
    return [n for n in named if n is not None]


def _store_references(platform: Platform, component: Component) -> list[Reference]:
    """The secret store's references, for the chart that installs external-secrets."""
    store = platform.secrets.store
    if component.chart_name != "external-secrets" or store is None:
        return []
    found = [r for r in references_in(store.written, store.path) if isinstance(r, Reference)]
    return [Reference(r.kind, r.text, r.app or component.app, r.component, r.port, r.path) for r in found]


def _named_targets(platform: Platform, source: Component) -> Iterator[tuple[Component, Ports]]:
    """(named target, ports) for every reference and dependsOn, before externals are followed."""
    referenced: set[str] = set()
    for ref in [*source.references, *_store_references(platform, source)]:
        target = platform.target_of(ref, source.app)
        if target is None or not target.enabled:
            continue  # the wiring rules report it; there is nothing to allow
        referenced.add(target.id)
        if ref.kind == "host":
            yield target, None
        elif ref.port in target.ports:
            yield target, frozenset({target.ports[ref.port or ""]})
    for dep in source.depends_on:
        target = platform.find(dep)
        if target is not None and target.enabled and target.id not in referenced:
            yield target, None


def _merge(a: Ports, b: Ports) -> Ports:
    return None if a is None or b is None else a | b


def _pod_ports(target: Component, ports: Ports) -> Ports:
    """What a policy for `target` admits: nothing listed for charts, the target's own ports for 'every'."""
    if target.kind == "chart":
        return None
    return frozenset(target.ports.values()) if ports is None else ports


def declared_edges(platform: Platform) -> dict[EdgeKey, Ports]:
    """(source id, target id) -> ports, for every edge between components with pods (no self-edges).

    The builder computes it once into `Platform.edges`; rules and emitters read that.
    """
    edges: dict[EdgeKey, Ports] = {}
    for source in sorted(platform.components(), key=lambda c: c.id):
        if not reaches_pods(source):
            continue
        for named, ports in _named_targets(platform, source):
            for target in destinations(platform, named):
                if target.id == source.id:
                    continue
                admitted = _pod_ports(target, ports)
                if admitted is not None and not admitted:
                    continue  # a workload without ports has no Service: nothing reaches it
                key = (source.id, target.id)
                edges[key] = _merge(edges[key], admitted) if key in edges else admitted
    return dict(sorted(edges.items()))


def edges_into(edges: dict[EdgeKey, Ports]) -> dict[str, tuple[tuple[str, Ports], ...]]:
    """target id -> ((source id, ports), …), in the order of `edges`."""
    into: dict[str, list[tuple[str, Ports]]] = {}
    for (source, target), ports in edges.items():
        into.setdefault(target, []).append((source, ports))
    return {target: tuple(sources) for target, sources in into.items()}


def monitoring_backend(platform: Platform, key: str) -> tuple[Component, int] | None:
    """The enabled component and port `spec.monitoring.<key>` names (`metrics/victoria-metrics.http`).

    An unqualified backend lives in the monitoring application, as the wiring rules read it.
    """
    written = platform.monitoring.backend(key)
    if written is None:
        return None
    for ref in parse_references(f"${{ref:{written}}}", ("spec", "monitoring", key)):
        if isinstance(ref, Reference):
            target = platform.target_of(ref, platform.monitoring.application or "")
            if target is not None and target.enabled and ref.port in target.ports:
                return target, target.ports[ref.port or ""]
    return None
