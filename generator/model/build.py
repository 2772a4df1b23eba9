"""Build the resolved model of one environment from its merged document."""

from __future__ import annotations

from typing import Any

from generator.load.document import Document, YamlPath
from generator.model.graph import assign_waves
from generator.model.refs import references_in
from generator.model.types import Application, Component, ComponentKind, Platform, Reference, SecretUse


def build_platform(doc: Document, env: str) -> Platform:
    """Assumes the document passed the schema; stays defensive about everything else."""
    root = doc.data if isinstance(doc.data, dict) else {}
    spec = root.get("spec") if isinstance(root.get("spec"), dict) else {}
    assert isinstance(spec, dict)
    name = str((root.get("metadata") or {}).get("name", "platform"))
    applications: dict[str, Application] = {}
    for app_name, app_spec in _mapping(spec.get("applications")).items():
        applications[app_name] = _application(app_name, _mapping(app_spec))
    platform = Platform(env=env, doc=doc, spec=spec, name=name, applications=applications)
    _resolve_externals(platform)
    assign_waves(platform)
    return platform


def _mapping(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _application(name: str, spec: dict[str, Any]) -> Application:
    path: YamlPath = ("spec", "applications", name)
    namespace = str(spec.get("namespace", name))
    app = Application(
        name=name,
        namespace=namespace,
        enabled=spec.get("enabled", True) is not False,
        spec=spec,
        path=path,
        depends_on=[str(d) for d in spec.get("dependsOn") or []],
    )
    for component_name, component_spec in _mapping(spec.get("components")).items():
        app.components[component_name] = _component(app, component_name, _mapping(component_spec))
    return app


def component_kind(spec: dict[str, Any]) -> ComponentKind:
    if "chart" in spec:
        return "chart"
    if "external" in spec:
        return "external"
    return "workload"


def _component(app: Application, name: str, spec: dict[str, Any]) -> Component:
    path: YamlPath = (*app.path, "components", name)
    kind = component_kind(spec)
    ports = {str(k): v for k, v in _mapping(spec.get("ports")).items() if isinstance(v, int)}
    component = Component(
        app=app.name,
        name=name,
        kind=kind,
        namespace=app.namespace,
        enabled=app.enabled and spec.get("enabled", True) is not False,
        spec=spec,
        path=path,
        ports=ports,
        service=str(spec.get("service", name)) if kind == "chart" else name,
    )
    for dep in spec.get("dependsOn") or []:
        component.depends_on.append(_qualify(str(dep), app.name))
    for key in ("env", "files", "values", "args", "command"):
        if key in spec:
            for ref in references_in(spec[key], (*path, key)):
                if isinstance(ref, Reference):
                    component.references.append(ref)
    if kind == "external":
        for ref in references_in(spec.get("external"), (*path, "external")):
            if isinstance(ref, Reference):
                component.references.append(ref)
    for env_name, value in _mapping(spec.get("env")).items():
        if isinstance(value, dict) and "secret" in value:
            component.secrets.append(
                SecretUse(str(value.get("secret")), str(value.get("key")), env_name, (*path, "env", env_name))
            )
    return component


def _qualify(component_id: str, app: str) -> str:
    return component_id if "/" in component_id else f"{app}/{component_id}"


def _resolve_externals(platform: Platform) -> None:
    """An external with `target:` has its target's ports and depends on it."""
    for component in platform.components(enabled_only=False):
        if component.kind != "external":
            continue
        target_id = _mapping(component.spec.get("external")).get("target")
        if not isinstance(target_id, str):
            continue
        target = platform.find(_qualify(target_id, component.app))
        if target is not None and not component.ports:
            component.ports = dict(target.ports)
        component.depends_on.append(_qualify(target_id, component.app))
