"""`rendered/<env>/README.md`: the environment at a glance, for reviewers in the Git host."""

from __future__ import annotations

from typing import Any

from generator.model.conventions import ingress_host
from generator.model.graph import application_edges
from generator.model.types import Component, Platform
from generator.templating import render_template


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _row(platform: Platform, component: Component, wave: int) -> dict[str, Any]:
    spec = component.spec
    if component.kind == "workload":
        source = f"`{spec.get('image')}`"
        if "autoscaling" in spec:
            replicas = (
                f"{spec['autoscaling'].get('minReplicas')}–{spec['autoscaling'].get('maxReplicas')} (HPA)"
            )
        elif component.workload_type in ("job", "cronjob", "daemonset"):
            replicas = "—"
        else:
            replicas = str(spec.get("replicas", 1))
        kind = component.workload_type
    elif component.kind == "chart":
        chart = spec.get("chart") or {}
        source = f"{chart.get('name')} {chart.get('version')}"
        replicas = "—"
        kind = "chart"
    else:
        external = spec.get("external") or {}
        source = f"→ {external.get('target') or external.get('host')}"
        replicas = "—"
        kind = "external"
    exposure = []
    if spec.get("ingress"):
        exposure.append(f"https://{ingress_host(platform, str(spec['ingress']['host']))}")
    elif component.ports:
        exposure.append(", ".join(f"{n}:{p}" for n, p in component.ports.items()))
    return {
        "wave": wave,
        "app": component.app,
        "namespace": component.namespace,
        "component": component.name,
        "kind": kind,
        "source": _cell(source),
        "replicas": replicas,
        "exposure": _cell(" ".join(exposure)) or "—",
    }


def mermaid_graph(platform: Platform) -> str:
    lines = ["graph LR"]
    edges = application_edges(platform)
    waves = {name: app.wave for name, app in platform.applications.items()} | platform.system_waves
    for name in sorted(edges, key=lambda n: (waves.get(n, 0), n)):
        lines.append(f'  {_node(name)}["{name}<br/>wave {waves.get(name, 0)}"]')
    for name in sorted(edges):
        for dep in sorted(edges[name]):
            lines.append(f"  {_node(dep)} --> {_node(name)}")
    return "\n".join(lines)


def _node(name: str) -> str:
    return "n_" + name.replace("-", "_")


def readme(platform: Platform) -> str:
    apps = sorted((a for a in platform.applications.values() if a.enabled), key=lambda a: (a.wave, a.name))
    rows = [
        _row(platform, component, app.wave)
        for app in apps
        for component in sorted(app.enabled_components(), key=lambda c: (c.wave, c.name))
    ]
    return render_template(
        "README.md.j2",
        platform=platform.name,
        env=platform.env,
        kubernetes_version=platform.kubernetes_version,
        domain=platform.domain,
        revision=platform.gitops.get("targetRevision", ""),
        applications=apps,
        component_count=len(rows),
        rows=rows,
        mermaid=mermaid_graph(platform),
    )
