"""`platformc graph`: the platform's dependency graph as Mermaid, Graphviz DOT or SVG.

Mermaid is the graph the rendered README embeds (generator.emit.readme), reused
as is so the two can never disagree. DOT goes one level deeper: each application
is a cluster of its components, each with its sync wave, with the dependencies
between components as well as between applications.
"""

from __future__ import annotations

import shutil
import subprocess

from generator.emit.readme import mermaid_graph
from generator.errors import PlatformcError
from generator.model.graph import SYSTEM_APPS, component_dependencies
from generator.model.types import Component, Platform

DOT = "dot"
DOT_TIMEOUT = 120.0


class GraphvizError(PlatformcError):
    """SVG was asked for and Graphviz cannot provide it."""


def render_graph(platform: Platform, fmt: str) -> str:
    if fmt == "mermaid":
        return mermaid_graph(platform) + "\n"
    dot = dot_graph(platform)
    return svg(dot) if fmt == "svg" else dot


def _quote(text: str) -> str:
    # Backslashes pass through: `\n` in a label is DOT's line break. Names are DNS labels.
    return '"' + text.replace('"', '\\"') + '"'


def _component_label(component: Component) -> str:
    kind = component.workload_type if component.kind == "workload" else component.kind
    return f"{component.name}\\n{kind} · wave {component.wave}"


def dot_graph(platform: Platform) -> str:
    waves = {**{name: app.wave for name, app in platform.applications.items()}, **platform.system_waves}
    app_edges = platform.application_graph
    lines = [
        f"digraph {_quote(platform.name + '-' + platform.env)} {{",
        "  rankdir=LR;",
        '  graph [fontname="Helvetica", fontsize=11];',
        '  node [shape=box, style=rounded, fontname="Helvetica", fontsize=10];',
        '  edge [color="#555555"];',
    ]
    for name in sorted(app_edges, key=lambda n: (waves.get(n, 0), n)):
        header = f"{name}\\nwave {waves.get(name, 0)}"
        app = platform.applications.get(name)
        if app is None or name in SYSTEM_APPS:
            # The applications platformc adds itself: namespaces, policies, secrets.
            lines.append(f"  {_quote('app:' + name)} [label={_quote(header)}, shape=folder, style=dashed];")
            continue
        lines.append(f"  subgraph {_quote('cluster_' + name)} {{")
        lines.append(f'    label={_quote(f"namespace {app.namespace}")}; style=rounded; color="#999999";')
        lines.append(f"    {_quote('app:' + name)} [label={_quote(header)}, shape=folder, style=bold];")
        for component in sorted(app.enabled_components(), key=lambda c: (c.wave, c.name)):
            lines.append(f"    {_quote(component.id)} [label={_quote(_component_label(component))}];")
        lines.append("  }")
    for name in sorted(app_edges):
        for dep in sorted(app_edges[name]):
            lines.append(f"  {_quote('app:' + dep)} -> {_quote('app:' + name)} [penwidth=2];")
    enabled = {c.id for c in platform.components()}
    for component in sorted(platform.components(), key=lambda c: c.id):
        for dep in component_dependencies(component):
            if dep in enabled:
                style = "" if dep.partition("/")[0] == component.app else " [style=dashed]"
                lines.append(f"  {_quote(dep)} -> {_quote(component.id)}{style};")
    lines.append("}")
    return "\n".join(lines) + "\n"


def svg(dot: str) -> str:
    executable = shutil.which(DOT)
    if executable is None:
        raise GraphvizError(
            "--format svg needs Graphviz, and `dot` is not on PATH: install graphviz "
            "(apt-get install graphviz, brew install graphviz) or use --format dot"
        )
    try:
        done = subprocess.run(
            [executable, "-Tsvg"], input=dot, capture_output=True, text=True, timeout=DOT_TIMEOUT, check=False
        )
    except (OSError, subprocess.TimeoutExpired) as e:
        raise GraphvizError(f"Graphviz `dot` failed: {e}") from e
    if done.returncode != 0:
        raise GraphvizError(f"Graphviz `dot` failed: {done.stderr.strip()}")
    return done.stdout
