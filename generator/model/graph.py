"""Dependencies between components and applications, and the sync waves they decide.

Explicit edges (`dependsOn`, references) come first. Implied edges — a secret
reader needs external-secrets, an exception needs Kyverno, everything Kyverno
admits comes after Kyverno — are added only where they close no cycle, so an
implied edge can never make a valid platform unorderable.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from generator.model.conventions import dashboards_application
from generator.model.types import Component, Platform

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


def component_dependencies(platform: Platform, component: Component) -> list[str]:
    """Explicit dependencies plus those implied by references, as sorted component ids."""
    deps = set(component.depends_on)
    for ref in component.references:
        deps.add(f"{ref.app or component.app}/{ref.component}")
    deps.discard(component.id)
    return sorted(deps)


def find_cycle(edges: Mapping[str, Iterable[str]]) -> list[str] | None:
    """One cycle in a directed graph as [a, b, …, a], or None."""
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        stack.append(node)
        for nxt in sorted(edges.get(node, ())):
            if state.get(nxt) == 1:
                return [*stack[stack.index(nxt) :], nxt]
            if nxt in edges and state.get(nxt) is None:
                found = visit(nxt)
                if found:
                    return found
        stack.pop()
        state[node] = 2
        return None

    for node in sorted(edges):
        if state.get(node) is None:
            found = visit(node)
            if found:
                return found
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


def _longest_path_waves(edges: Mapping[str, set[str]], base: int) -> dict[str, int]:
    waves: dict[str, int] = {}
    visiting: set[str] = set()

    def wave(node: str) -> int:
        if node in waves:
            return waves[node]
        if node in visiting:  # a cycle: the wiring rules report it
            return base
        visiting.add(node)
        deps = [d for d in edges.get(node, ()) if d in edges]
        result = max((wave(d) + 1 for d in deps), default=base)
        visiting.discard(node)
        waves[node] = result
        return result

    for node in sorted(edges):
        wave(node)
    return waves


def application_edges(platform: Platform) -> dict[str, set[str]]:
    """app -> apps it must come after, explicit edges plus acyclic implied ones."""
    apps = {name for name, app in platform.applications.items() if app.enabled}
    edges: dict[str, set[str]] = {name: set() for name in apps}
    system = system_apps(platform)
    for name in system:
        edges[name] = set()
    for name in sorted(apps):
        app = platform.applications[name]
        edges[name].update(d for d in app.depends_on if d in apps and d != name)
        for component in app.enabled_components():
            for dep in component_dependencies(platform, component):
                target_app = dep.partition("/")[0]
                if target_app in apps and target_app != name:
                    edges[name].add(target_app)

    def imply(source: str, target: str | None) -> None:
        if target is None or source == target or target not in edges or source not in edges:
            return
        if not _reaches(edges, target, source):
            edges[source].add(target)

    kyverno = platform.installer_of("kyverno")
    external_secrets = platform.installer_of("external-secrets")
    istio = platform.installer_of("istiod")
    # The secret store lives in the application that installs external-secrets.
    store = (platform.spec.get("secrets") or {}).get("store")
    if external_secrets is not None and store is not None:
        for target_app in _store_targets(platform):
            imply(external_secrets.name, target_app)
    imply(POLICIES_APP, kyverno.name if kyverno else None)
    imply(SECRETS_APP, external_secrets.name if external_secrets else None)
    for name in sorted(apps):
        app = platform.applications[name]
        components = app.enabled_components()
        if any(c.secrets for c in components):
            imply(name, SECRETS_APP)
        if any(c.spec.get("exceptions") for c in components):
            imply(name, POLICIES_APP)
        if istio is not None and (platform.namespaces.get(app.namespace) or {}).get("mesh"):
            imply(name, istio.name)
    if kyverno is not None:
        for name in sorted(apps):
            imply(name, kyverno.name)
    # The dashboards' ConfigMaps need only their namespace: Grafana's sidecar loads them whenever it starts.
    for name in [*sorted(apps), *(s for s in system if s != NAMESPACES_APP)]:
        imply(name, NAMESPACES_APP)
    return edges


def _store_targets(platform: Platform) -> list[str]:
    from generator.model.refs import references_in

    store = (platform.spec.get("secrets") or {}).get("store")
    apps: list[str] = []
    for ref in references_in(store, ("spec", "secrets", "store")):
        if not isinstance(ref, ValueError) and ref.app:
            apps.append(ref.app)
    return sorted(set(apps))


def assign_waves(platform: Platform) -> None:
    app_edges = application_edges(platform)
    app_waves = _longest_path_waves(app_edges, 0)
    for name, app in platform.applications.items():
        app.wave = app_waves.get(name, 0)
        app.depends_on = sorted(set(app.depends_on) | app_edges.get(name, set()))
        edges: dict[str, set[str]] = {}
        for component in app.enabled_components():
            edges[component.name] = {
                dep.partition("/")[2]
                for dep in component_dependencies(platform, component)
                if dep.partition("/")[0] == name
            }
        for component_name, wave in _longest_path_waves(edges, 0).items():
            app.components[component_name].wave = wave
    platform.system_waves = {name: app_waves[name] for name in system_apps(platform)}
