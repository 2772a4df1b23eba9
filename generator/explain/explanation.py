"""`platformc explain`: one component, resolved, with where every value came from.

Everything here is read off the model (the merged document keeps the position
of every value, overlay values with the overlay's) and off the emitted tree; no
question is answered twice, so explain can never disagree with render.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from typing import Any

from generator.emit import emit_platform
from generator.emit.chart_objects import application_objects
from generator.emit.charts import object_file
from generator.emit.kyverno import exception_name
from generator.emit.meta import COMPONENT_LABEL
from generator.emit.secret_files import secret_files_name
from generator.errors import InputError
from generator.explain.chart_values import ChartValues, explain_chart_values
from generator.explain.decisions import Decision, decisions
from generator.findings import Finding, Mark
from generator.load.document import YamlPath, format_path
from generator.model.conventions import OBJECTS_DIR
from generator.model.graph import component_dependencies
from generator.model.resolve import resolve_value
from generator.model.types import Component, Platform

MAX_SHOWN = 200  # characters of one value; file contents are summarised, not dumped


@dataclass(frozen=True)
class Value:
    path: str  # below the component: `resources.requests.cpu`
    value: Any
    origin: Mark
    resolved: Any = None  # the value with references resolved, when that differs


@dataclass(frozen=True)
class Link:
    component: str
    wave: int
    app_wave: int
    why: str


@dataclass(frozen=True)
class SecretRead:
    env: str
    item: str
    key: str
    store_path: str
    origin: Mark


@dataclass
class Explanation:
    component: Component
    env: str
    defined_at: Mark
    app_wave: int
    app_after: list[str]
    values: list[Value] = field(default_factory=list)
    decisions: list[Decision] = field(default_factory=list)
    references: list[Value] = field(default_factory=list)
    secrets: list[SecretRead] = field(default_factory=list)
    dependencies: list[Link] = field(default_factory=list)
    dependents: list[Link] = field(default_factory=list)
    exceptions: list[dict[str, Any]] = field(default_factory=list)
    files: list[str] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    chart_values: ChartValues | None = None  # a chart component: what it passes the chart


def find_component(platform: Platform, target: str) -> Component:
    everything = {c.id: c for c in platform.components(enabled_only=False)}
    if target in everything:
        return everything[target]
    by_name = [c for c in everything.values() if c.name == target]
    if len(by_name) == 1:
        return by_name[0]
    if len(by_name) > 1:
        names = ", ".join(sorted(c.id for c in by_name))
        raise InputError(f"{target!r} names several components ({names}); write <app>/<component>")
    close = difflib.get_close_matches(target, sorted(everything), n=1, cutoff=0.6)
    hint = f"; did you mean {close[0]}?" if close else "; `platformc graph --format dot` lists them"
    raise InputError(f"no component {target!r} in {platform.env}{hint}")


def explain_component(platform: Platform, target: str, findings: list[Finding] | None = None) -> Explanation:
    component = find_component(platform, target)
    app = platform.applications[component.app]
    doc = platform.doc
    out = Explanation(
        component=component,
        env=platform.env,
        defined_at=doc.mark(component.path, prefer_key=True),
        app_wave=app.wave,
        app_after=sorted(app.depends_on),
    )
    _collect_values(platform, component, dict(component.source), (), out.values)
    out.chart_values = explain_chart_values(platform, component)
    out.decisions = decisions(platform, component)
    for ref in component.references:
        target_component = platform.target_of(ref, component.app)
        resolved = resolve_value(platform, component.app, ref.text)
        shown = target_component.id if target_component else "(missing)"
        out.references.append(Value(shown, ref.text, doc.mark(ref.path), resolved))
    for use in component.secrets:
        item = platform.secrets.items.get(use.item)
        out.secrets.append(
            SecretRead(
                use.env, use.item, use.key, (item.store_path or "") if item else "", doc.mark(use.path)
            )
        )
    _links(platform, component, out)
    written = component.source.get("exceptions")
    out.exceptions = [dict(e) for e in written if isinstance(e, dict)] if isinstance(written, list) else []
    out.files = rendered_files(platform, component) if component.enabled else []
    prefix = format_path(component.path)
    out.findings = [
        f for f in findings or [] if f.path == prefix or f.path.startswith((prefix + ".", prefix + "["))
    ]
    return out


def _collect_values(
    platform: Platform, component: Component, value: Any, sub: YamlPath, out: list[Value]
) -> None:
    flat_list = isinstance(value, list) and all(not isinstance(v, dict | list) for v in value)
    if isinstance(value, dict) and value:
        for key, item in value.items():
            _collect_values(platform, component, item, (*sub, key), out)
        return
    if isinstance(value, list) and value and not flat_list:
        for index, item in enumerate(value):
            _collect_values(platform, component, item, (*sub, index), out)
        return
    resolved = resolve_value(platform, component.app, value)
    mark = platform.doc.mark((*component.path, *sub))
    out.append(Value(format_path(sub), value, mark, resolved if resolved != value else None))


def _links(platform: Platform, component: Component, out: Explanation) -> None:
    referenced = {f"{r.app or component.app}/{r.component}" for r in component.references}
    for dep in component_dependencies(component):
        found = platform.find(dep)
        why = " and ".join(
            w
            for w, on in (("dependsOn", dep in component.depends_on), ("reference", dep in referenced))
            if on
        )
        out.dependencies.append(_link(platform, dep, found, why))
    for other in platform.components():
        if other.id != component.id and component.id in component_dependencies(other):
            why = (
                "reference"
                if any(f"{r.app or other.app}/{r.component}" == component.id for r in other.references)
                else "dependsOn"
            )
            out.dependents.append(_link(platform, other.id, other, why))


def _link(platform: Platform, ident: str, found: Component | None, why: str) -> Link:
    if found is None:
        return Link(ident, -1, -1, f"{why} (no such component)")
    app_wave = platform.applications[found.app].wave
    return Link(ident, found.wave, app_wave, why + ("" if found.enabled else " (disabled)"))


def rendered_files(platform: Platform, component: Component) -> list[str]:
    """Files of rendered/<env>/ that this component writes or has a part in."""
    tree = emit_platform(platform)
    base = f"apps/{component.app}"
    wanted = {f"argocd/{component.app}.yaml"}
    if component.kind == "chart":  # the umbrella passes it its values (a workload's are its subchart's own)
        wanted.update((f"{base}/values.yaml", f"{base}/Chart.yaml"))
    if component.kind != "workload":  # the umbrella carries its objects (a workload's subchart its own)
        for obj in application_objects(platform, platform.applications[component.app]):
            if (obj["metadata"].get("labels") or {}).get(COMPONENT_LABEL) == component.name:
                wanted.add(f"{base}/{OBJECTS_DIR}/{object_file(obj)}")
    wanted.add(f"policies/{exception_name(component)}.yaml")
    for use in component.secrets:
        item = platform.secrets.items.get(use.item)
        wanted.add(f"secrets/{item.namespace if item else None}/{use.item}.yaml")
    wanted.add(f"secrets/{component.namespace}/{secret_files_name(component)}.yaml")  # files reading secrets
    subchart = f"{base}/charts/{component.name}/"
    found = [p for p in tree if p in wanted or (component.kind == "workload" and p.startswith(subchart))]
    return [f"rendered/{platform.env}/{p}" for p in found]
