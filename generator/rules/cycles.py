"""Wiring: dependency cycles, over components and then over applications.

Edges are explicit `dependsOn` plus references, among enabled components only:
a dependency on something missing or disabled is PC101/PC102's one finding.
"""

from __future__ import annotations

from collections.abc import Iterator

from generator.findings import Severity
from generator.load.document import YamlPath
from generator.model.graph import component_dependencies, find_cycle
from generator.model.types import Component, Platform
from generator.rules.registry import Hit, check, define

ERROR = Severity.ERROR


define(
    "PC107",
    "wiring",
    ERROR,
    "Dependency cycle",
    why="""Dependencies (`dependsOn` and references) decide ArgoCD sync waves. A cycle (a needs b,
    b needs a) has no order: the waves are arbitrary and each side may wait for the other
    forever. The message prints the cycle.""",
    fix="Remove one dependency of the cycle; a reference that is only read lazily can often go "
    "without a `dependsOn`.",
    bad="""
    api: {image: …, dependsOn: [worker]}
    worker: {image: …, dependsOn: [api]}
    """,
    good="""
    api: {image: …}
    worker: {image: …, dependsOn: [api]}
    """,
)


@check("PC107")
def dependency_cycles(platform: Platform) -> Iterator[Hit]:
    """Cycles over enabled components (dependsOn and references), then over applications."""
    enabled = {c.id: c for c in platform.components()}
    edges = {cid: {d for d in component_dependencies(c) if d in enabled} for cid, c in enabled.items()}
    cycle = find_cycle(edges)
    if cycle is not None:
        first = enabled[cycle[0]]
        apps = {c.partition("/")[0] for c in cycle}
        shown = " → ".join(c if len(apps) > 1 else c.partition("/")[2] for c in cycle)
        yield Hit(
            "PC107",
            f"{first.name}: components depend on each other in a cycle: {shown}; ArgoCD cannot "
            f"order their sync waves: remove one of these dependencies",
            _edge_path(first, cycle[1]),
            component=first,
        )
        return
    app_edges: dict[str, set[str]] = {name: set() for name in platform.applications}
    for name, app in platform.applications.items():
        app_edges[name].update(
            d.written for d in app.dependencies if d.written in app_edges and d.written != name
        )
        for cid in [c.id for c in app.enabled_components()]:
            for dep in edges.get(cid, ()):
                owner = dep.partition("/")[0]
                if owner != name:
                    app_edges[name].add(owner)
    app_cycle = find_cycle(app_edges)
    if app_cycle is not None:
        start, nxt = app_cycle[0], app_cycle[1]
        app = platform.applications[start]
        written = next((d for d in app.dependencies if d.written == nxt), None)
        path = written.path if written is not None else app.path
        yield Hit(
            "PC107",
            f"application {start}: applications depend on each other in a cycle: "
            f"{' → '.join(app_cycle)} (through dependsOn and references between their components); "
            f"ArgoCD cannot order their sync waves",
            path,
        )


def _edge_path(component: Component, target_id: str) -> YamlPath:
    for dep in component.dependencies:
        if dep.target == target_id:
            return dep.path
    for ref in component.references:
        if f"{ref.app or component.app}/{ref.component}" == target_id:
            return ref.path
    return component.path
