"""`platformc graph`: the platform's dependency graph as Mermaid, Graphviz DOT or SVG.

Both go down to components: each application is a group (a Mermaid subgraph, a
DOT cluster) of its components, each with its sync wave, with the dependencies
between components as well as between applications. The rendered README embeds
the smaller application-level graph (generator.emit.readme).
"""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Iterator

from generator.errors import PlatformcError
from generator.model.graph import SYSTEM_APPS, component_dependencies
from generator.model.types import Component, Platform

DOT = "dot"
DOT_TIMEOUT = 120.0


class GraphvizError(PlatformcError):
    """SVG was asked for and Graphviz cannot provide it."""


def render_graph(platform: Platform, fmt: str) -> str:
    if fmt == "mermaid":
        return mermaid_graph(platform)
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
    for dep, component_id, same_app in _component_edges(platform):
        style = "" if same_app else " [style=dashed]"
        lines.append(f"  {_quote(dep)} -> {_quote(component_id)}{style};")
    lines.append("}")
    return "\n".join(lines) + "\n"


def _component_edges(platform: Platform) -> Iterator[tuple[str, str, bool]]:
    """(dependency, component, whether both are in one application) between enabled components,
    in component order: the edges both drawings show."""
    enabled = {c.id for c in platform.components()}
    for component in sorted(platform.components(), key=lambda c: c.id):
        for dep in component_dependencies(component):
            if dep in enabled:
                yield dep, component.id, dep.partition("/")[0] == component.app


def _mermaid_id(name: str) -> str:
    # Names are DNS labels (and `app/component`): `-` and `/` are not allowed in a Mermaid id.
    return name.replace("-", "_").replace("/", "__")


def _mermaid_text(text: str) -> str:
    return text.replace('"', "#quot;")


def mermaid_graph(platform: Platform) -> str:
    """A flowchart: one subgraph per application (its wave in the title) holding its components,
    each with its kind and wave; component dependencies as arrows, application ones as thick arrows."""
    waves = {**{name: app.wave for name, app in platform.applications.items()}, **platform.system_waves}
    app_edges = platform.application_graph
    lines = ["flowchart LR"]
    for name in sorted(app_edges, key=lambda n: (waves.get(n, 0), n)):
        app = platform.applications.get(name)
        title = _mermaid_text(f"{name} · wave {waves.get(name, 0)}")
        if app is None or name in SYSTEM_APPS:
            lines.append(f'  app_{_mermaid_id(name)}[["{title}"]]')
            continue
        lines.append(f'  subgraph app_{_mermaid_id(name)}["{title}"]')
        for component in sorted(app.enabled_components(), key=lambda c: (c.wave, c.name)):
            kind = component.workload_type if component.kind == "workload" else component.kind
            label = _mermaid_text(f"{component.name}<br/>{kind} · wave {component.wave}")
            lines.append(f'    c_{_mermaid_id(component.id)}["{label}"]')
        lines.append("  end")
    for name in sorted(app_edges):
        for dep in sorted(app_edges[name]):
            lines.append(f"  app_{_mermaid_id(dep)} ==> app_{_mermaid_id(name)}")
    for dep, component_id, same_app in _component_edges(platform):
        arrow = "-->" if same_app else "-.->"
        lines.append(f"  c_{_mermaid_id(dep)} {arrow} c_{_mermaid_id(component_id)}")
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
