"""`rendered/<env>/README.md`: the environment at a glance, for reviewers in the Git host."""

from __future__ import annotations

from generator.model.conventions import ingress_host
from generator.model.types import Component, Platform
from generator.templating import render_template


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _replicas(component: Component) -> str:
    scaler = component.autoscaling
    if scaler is not None:
        return f"{scaler.min_replicas}–{scaler.max_replicas} (HPA)"
    if component.workload_type in ("job", "cronjob", "daemonset"):
        return "—"
    return str(1 if component.replicas is None else component.replicas)


def _source(component: Component) -> str:
    if component.kind == "workload":
        return f"`{component.image}`"
    if component.chart is not None:
        return f"{component.chart.name} {component.chart.version}"
    external = component.external
    named = (external.target or external.host) if external is not None else None
    return f"→ {named}"


def _row(platform: Platform, component: Component, wave: int) -> dict[str, object]:
    replicas = _replicas(component) if component.kind == "workload" else "—"
    kind = component.workload_type if component.kind == "workload" else component.kind
    source = _source(component)
    exposure = []
    if component.ingress is not None:
        exposure.append(f"https://{ingress_host(platform, component.ingress.host)}")
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
    edges = platform.application_graph
    waves = {**{name: app.wave for name, app in platform.applications.items()}, **platform.system_waves}
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
        revision=platform.gitops.target_revision or "",
        applications=apps,
        component_count=len(rows),
        rows=rows,
        mermaid=mermaid_graph(platform),
    )
