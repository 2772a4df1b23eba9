"""Dependencies between components and applications, and the sync waves they decide.

Explicit edges (`dependsOn`, references) come first. Implied edges — a secret
reader needs external-secrets, an exception needs Kyverno, everything Kyverno
admits comes after Kyverno — are added only where they close no cycle, so an
implied edge can never make a valid platform unorderable.

Every walk here is iterative: a chain of thousands of dependent components
must not exhaust Python's recursion limit.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from generator.model.conventions import dashboards_application
from generator.model.refs import references_in
from generator.model.types import Component, Platform, Reference

NAMESPACES_APP = "platform-namespaces"
POLICIES_APP = "platform-policies"
SECRETS_APP = "platform-secrets"
DASHBOARDS_APP = "platform-dashboards"
# Every name platformc gives an Application of its own: no application may take one (PC012).
SYSTEM_APPS = (NAMESPACES_APP, POLICIES_APP, SECRETS_APP, DASHBOARDS_APP)


def system_apps(platform: Platform) -> tuple[str, ...]:
    """The system applications in this platform's graph: platform-dashboards only with its ConfigMaps."""
    if dashboards_application(platform) is None:
        return tuple(name for name in SYSTEM_APPS if name != DASHBOARDS_APP)
    return SYSTEM_APPS


def component_dependencies(component: Component) -> list[str]:
    """Explicit dependencies plus those implied by references, as sorted component ids."""
    deps = set(component.depends_on)
    for ref in component.references:
        deps.add(f"{ref.app or component.app}/{ref.component}")
    deps.discard(component.id)
    return sorted(deps)


def find_cycle(edges: Mapping[str, Iterable[str]]) -> list[str] | None:
    """One cycle in a directed graph as [a, b, …, a], or None: depth first, nodes and successors sorted."""
    state: dict[str, int] = {}  # 1: on the current path, 2: done
    for root in sorted(edges):
        if state.get(root) is not None:
            continue
        path: list[str] = [root]
        pending: list[list[str]] = [sorted(edges.get(root, ()), reverse=True)]
        state[root] = 1
        while path:
            if not pending[-1]:
                state[path.pop()] = 2
                pending.pop()
                continue
            nxt = pending[-1].pop()
            if state.get(nxt) == 1:
                return [*path[path.index(nxt) :], nxt]
            if nxt in edges and state.get(nxt) is None:
                state[nxt] = 1
                path.append(nxt)
                pending.append(sorted(edges.get(nxt, ()), reverse=True))
    return None


def _reaches(edges: Mapping[str, set[str]], start: str, goal: str) -> bool:
    seen = {start}
    todo = [start]
    while todo:
        node = todo.pop()
        if node == goal:
            return True
        for nxt in edges.get(node, ()):
            if nxt not in seen:
                seen.add(nxt)
                todo.append(nxt)
    return False


def longest_path_waves(edges: Mapping[str, Iterable[str]], base: int = 0) -> dict[str, int]:
    """node -> 1 + the wave of its latest dependency, `base` without one (a cycle's edge counts `base`).

    Depth first from each node in sorted order, as a recursive walk would visit them, with an
    explicit stack.
    """
    waves: dict[str, int] = {}
    for root in sorted(edges):
        if root in waves:
            continue
        visiting = {root}
        stack: list[tuple[str, list[str], int]] = [
            (root, [d for d in edges.get(root, ()) if d in edges], base)
        ]
        while stack:
            node, deps, best = stack[-1]
            if not deps:
                stack.pop()
                visiting.discard(node)
                waves[node] = best
                if stack:
                    parent, parent_deps, parent_best = stack[-1]
                    stack[-1] = (parent, parent_deps, max(parent_best, best + 1))
                continue
            dep = deps.pop()
            if dep in waves:
                stack[-1] = (node, deps, max(best, waves[dep] + 1))
            elif dep in visiting:  # a cycle: the wiring rules report it
                stack[-1] = (node, deps, max(best, base + 1))
            else:
                visiting.add(dep)
                stack.append((dep, [d for d in edges.get(dep, ()) if d in edges], base))
    return waves


def _explicit_edges(platform: Platform, apps: set[str], system: tuple[str, ...]) -> dict[str, set[str]]:
    """app -> apps it names in dependsOn or whose components its components depend on."""
    edges: dict[str, set[str]] = {name: set() for name in apps}
    for name in system:
        edges[name] = set()
    for name in sorted(apps):
        app = platform.applications[name]
        edges[name].update(d.written for d in app.dependencies if d.written in apps and d.written != name)
        for component in app.enabled_components():
            for dep in component_dependencies(component):
                target_app = dep.partition("/")[0]
                if target_app in apps and target_app != name:
                    edges[name].add(target_app)
    return edges


@dataclass
class _Implier:
    """Adds an implied edge only where it closes no cycle."""

    edges: dict[str, set[str]]

    def imply(self, source: str, target: str | None) -> None:
        edges = self.edges
        if target is None or source == target or target not in edges or source not in edges:
            return
        if not _reaches(edges, target, source):
            edges[source].add(target)


def _store_targets(platform: Platform) -> list[str]:
    store = platform.secrets.store
    if store is None:
        return []
    found = references_in(store.written, store.path)
    return sorted({ref.app for ref in found if isinstance(ref, Reference) and ref.app})


def _imply_installers(platform: Platform, implier: _Implier, apps: list[str]) -> None:
    """Secret readers after external-secrets, exceptions after Kyverno, mesh namespaces after istiod."""
    kyverno = platform.installer_of("kyverno")
    external_secrets = platform.installer_of("external-secrets")
    istio = platform.installer_of("istiod")
    # The secret store lives in the application that installs external-secrets.
    if external_secrets is not None and platform.secrets.store is not None:
        for target_app in _store_targets(platform):
            implier.imply(external_secrets.name, target_app)
    implier.imply(POLICIES_APP, kyverno.name if kyverno else None)
    implier.imply(SECRETS_APP, external_secrets.name if external_secrets else None)
    for name in apps:
        app = platform.applications[name]
        components = app.enabled_components()
        if any(c.secrets for c in components):
            implier.imply(name, SECRETS_APP)
        if any(c.exceptions for c in components):
            implier.imply(name, POLICIES_APP)
        if istio is not None and platform.in_mesh(app.namespace):
            implier.imply(name, istio.name)
    if kyverno is not None:
        for name in apps:
            implier.imply(name, kyverno.name)


def application_edges(platform: Platform) -> dict[str, set[str]]:
    """app -> apps it must come after, explicit edges plus acyclic implied ones."""
    apps = {name for name, app in platform.applications.items() if app.enabled}
    system = system_apps(platform)
    implier = _Implier(_explicit_edges(platform, apps, system))
    _imply_installers(platform, implier, sorted(apps))
    # The dashboards' ConfigMaps need only their namespace: Grafana's sidecar loads them whenever it starts.
    for name in [*sorted(apps), *(s for s in system if s != NAMESPACES_APP)]:
        implier.imply(name, NAMESPACES_APP)
    return implier.edges


@dataclass(frozen=True)
class Waves:
    """The sync waves of one platform: per application, per component, and of the system applications."""

    applications: dict[str, int]
    depends_on: dict[str, tuple[str, ...]]  # application -> every application it comes after
    components: dict[str, int]  # component id -> its wave within its application
    system: dict[str, int]
    graph: dict[str, tuple[str, ...]]  # application (system ones included) -> applications it comes after


def compute_waves(platform: Platform) -> Waves:
    app_edges = application_edges(platform)
    app_waves = longest_path_waves(app_edges)
    depends_on: dict[str, tuple[str, ...]] = {}
    component_waves: dict[str, int] = {}
    for name, app in platform.applications.items():
        written = {d.written for d in app.dependencies}
        depends_on[name] = tuple(sorted(written | app_edges.get(name, set())))
        edges: dict[str, set[str]] = {}
        for component in app.enabled_components():
            edges[component.name] = {
                dep.partition("/")[2]
                for dep in component_dependencies(component)
                if dep.partition("/")[0] == name
            }
        for component_name, wave in longest_path_waves(edges).items():
            component_waves[f"{name}/{component_name}"] = wave
    system = {name: app_waves[name] for name in system_apps(platform)}
    graph = {name: tuple(sorted(deps)) for name, deps in app_edges.items()}
    return Waves(
        {n: app_waves.get(n, 0) for n in platform.applications}, depends_on, component_waves, system, graph
    )
