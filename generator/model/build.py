"""Build the resolved model of one environment from its merged document, once.

Reading gives frozen components and settings; then the facts derived from
the whole platform are computed into fields, in this order: external
components take their target's ports, chart installers, eligible nodes,
traffic edges, and last the sync waves (which need the others).
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from dataclasses import replace
from typing import Any

from generator.load.document import Document
from generator.model.diffing import read_diff_ignores
from generator.model.graph import compute_waves
from generator.model.placement import eligible_by_key
from generator.model.read_component import dependencies, mapping, qualify, read_component
from generator.model.read_settings import (
    read_defaults,
    read_gitops,
    read_kyverno,
    read_load_balancer,
    read_monitoring,
    read_namespaces,
    read_nodes,
    read_secrets,
)
from generator.model.settings import DEFAULT_KUBERNETES_VERSION
from generator.model.traffic import declared_edges, edges_into
from generator.model.types import Application, Component, Platform


def build_platform(
    doc: Document,
    env: str,
    *,
    today: datetime.date | None = None,
    vendored: Mapping[tuple[str, str], bytes] | None = None,
) -> Platform:
    """Assumes the document passed the schema; stays defensive about everything else.

    `today` is the date exception expiries are judged against (the caller's clock;
    the current date when left out); `vendored` the chart archives of vendor/charts/.
    """
    root = mapping(doc.data)
    spec = mapping(root.get("spec"))
    applications = _resolve_externals(
        {name: _application(name, mapping(app)) for name, app in mapping(spec.get("applications")).items()}
    )
    draft = Platform(
        env=env,
        doc=doc,
        name=str(mapping(root.get("metadata")).get("name", "platform")),
        applications=applications,
        today=today if today is not None else datetime.date.today(),
        kubernetes_version=str(spec.get("kubernetesVersion", DEFAULT_KUBERNETES_VERSION)),
        domain=str(spec.get("domain", "")),
        registries=tuple(str(r) for r in spec.get("registries") or []),
        gitops=read_gitops(spec),
        nodes=read_nodes(spec),
        load_balancer=read_load_balancer(spec),
        kyverno=read_kyverno(spec),
        secrets=read_secrets(spec),
        defaults=read_defaults(spec),
        monitoring=read_monitoring(spec),
        namespaces=read_namespaces(spec),
        vendored=dict(vendored or {}),
        installers=_installers(applications),
    )
    edges = declared_edges(draft)
    draft = replace(
        draft,
        edges=edges,
        edges_into=edges_into(edges),
        eligible=eligible_by_key(draft.nodes, draft.components(enabled_only=False)),
    )
    return _with_waves(draft)


def _application(name: str, spec: dict[str, Any]) -> Application:
    namespace = str(spec.get("namespace", name))
    enabled = spec.get("enabled", True) is not False
    path = ("spec", "applications", name)
    components = {
        str(component_name): read_component(name, namespace, enabled, str(component_name), mapping(component))
        for component_name, component in mapping(spec.get("components")).items()
    }
    return Application(
        name=name,
        namespace=namespace,
        enabled=enabled,
        path=path,
        components=components,
        dependencies=dependencies(spec.get("dependsOn"), name, path),
        depends_on=tuple(str(d) for d in spec.get("dependsOn") or []),
        server_side_apply=spec.get("serverSideApply") is not False,
        ignore_differences=read_diff_ignores(spec, path),
    )


def _resolve_externals(applications: dict[str, Application]) -> dict[str, Application]:
    """An external with `target:` has its target's ports (unless it declares its own) and depends on it.

    Components are resolved in declaration order, each against the targets as resolved so far.
    """
    resolved = {name: dict(app.components) for name, app in applications.items()}
    for app_name, components in resolved.items():
        for name, component in components.items():
            if (
                component.kind != "external"
                or component.external is None
                or component.external.target is None
            ):
                continue
            target_id = qualify(component.external.target, app_name)
            target_app, _, target_name = target_id.partition("/")
            target = resolved.get(target_app, {}).get(target_name)
            ports = dict(target.ports) if target is not None and not component.ports else component.ports
            components[name] = replace(component, ports=ports, depends_on=(*component.depends_on, target_id))
    return {name: replace(app, components=resolved[name]) for name, app in applications.items()}


def _installers(applications: Mapping[str, Application]) -> dict[str, str]:
    """Chart name -> the first application (declaration order) with an enabled component installing it."""
    out: dict[str, str] = {}
    for app in applications.values():
        for component in app.components.values():
            if component.enabled and component.chart is not None:
                out.setdefault(component.chart.name, app.name)
    return out


def _with_waves(draft: Platform) -> Platform:
    waves = compute_waves(draft)
    applications: dict[str, Application] = {}
    for name, app in draft.applications.items():
        components: dict[str, Component] = {
            component_name: replace(component, wave=waves.components.get(component.id, 0))
            for component_name, component in app.components.items()
        }
        applications[name] = replace(
            app, components=components, wave=waves.applications[name], depends_on=waves.depends_on[name]
        )
    return replace(draft, applications=applications, system_waves=waves.system, application_graph=waves.graph)
