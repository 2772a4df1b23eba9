"""Wiring beyond components: application dependsOn, the monitoring backends, the secret store and
ArgoCD roles name things that exist, are enabled and have the port named.

The rules (PC101–PC107) are defined with the component checks in generator.rules.wiring.
"""

from __future__ import annotations

from collections.abc import Iterator

from generator.load.document import YamlPath
from generator.model.refs import MalformedReference, references_in
from generator.model.types import Platform, Reference
from generator.rules.registry import Hit, check, did_you_mean
from generator.rules.wiring import disabled_path, malformed, missing_detail


@check("PC101", "PC102", "PC103", "PC104", "PC107")
def platform_wiring(platform: Platform) -> Iterator[Hit]:
    """Application dependsOn, the monitoring backends, the secret store and ArgoCD roles."""
    yield from _application_dependencies(platform)
    yield from _monitoring(platform)
    yield from _store(platform)
    yield from _argocd_roles(platform)


def _application_dependencies(platform: Platform) -> Iterator[Hit]:
    apps = platform.applications
    for name, app in apps.items():
        for dep in app.dependencies:
            if dep.written == name:
                yield Hit("PC107", f"application {name}: dependsOn names itself; remove it", dep.path)
            elif dep.written not in apps:
                yield Hit(
                    "PC101",
                    f'application {name}: dependsOn names the application "{dep.written}", which does not '
                    f"exist{did_you_mean(dep.written, apps)}",
                    dep.path,
                )


def _monitoring(platform: Platform) -> Iterator[Hit]:
    owner = platform.monitoring.application
    apps = platform.applications
    if owner is not None and owner not in apps:
        yield Hit(
            "PC101",
            f'spec.monitoring.application names "{owner}", which is not an application'
            f"{did_you_mean(owner, apps)}",
            ("spec", "monitoring", "application"),
        )
    for key in ("metricsBackend", "logsBackend"):
        written = platform.monitoring.backend(key)
        if written is not None:
            yield from _backend(platform, key, written)


def _store(platform: Platform) -> Iterator[Hit]:
    store = platform.secrets.store
    if store is None:
        return
    installer = platform.installer_of("external-secrets")
    for ref in references_in(store.written, store.path):
        if isinstance(ref, MalformedReference):
            yield Hit("PC104", f"secret store: {malformed(ref.text)}", ref.path)
        elif ref.app or installer is not None:
            target_id = f"{ref.app or (installer.name if installer else '')}/{ref.component}"
            yield from _store_ref(platform, ref, target_id)


def _argocd_roles(platform: Platform) -> Iterator[Hit]:
    apps = platform.applications
    for role in platform.gitops.roles:
        for index, app_name in enumerate(role.applications or ()):
            if app_name not in apps:
                yield Hit(
                    "PC101",
                    f'ArgoCD role {role.name} names the application "{app_name}", which does not exist'
                    f"{did_you_mean(app_name, apps)}",
                    (*role.path, "applications", index),
                )


def _backend(platform: Platform, key: str, written: str) -> Iterator[Hit]:
    path: YamlPath = ("spec", "monitoring", key)
    target_text, _, port = written.rpartition(".")
    # An unqualified backend lives in the monitoring application.
    owner = platform.monitoring.application
    target_id = target_text if "/" in target_text else f"{owner}/{target_text}"
    target = platform.find(target_id)
    if target is None:
        yield Hit("PC101", f"spec.monitoring.{key} {missing_detail(platform, target_id, target_text)}", path)
    elif not target.enabled:
        yield Hit(
            "PC102",
            f'spec.monitoring.{key} names "{target_text}", which is disabled in this environment',
            disabled_path(platform, target, path),
        )
    elif port not in target.ports:
        yield Hit(
            "PC103",
            f'spec.monitoring.{key} names port "{port}", which {target.name} lacks'
            f"{did_you_mean(port, target.ports)}",
            path,
        )


def _store_ref(platform: Platform, ref: Reference, target_id: str) -> Iterator[Hit]:
    target = platform.find(target_id)
    if target is None:
        yield Hit(
            "PC101",
            f"secret store: {ref.text} {missing_detail(platform, target_id, ref.component)}",
            ref.path,
        )
    elif not target.enabled:
        yield Hit(
            "PC102",
            f"secret store: {ref.text} names a component disabled in this environment",
            disabled_path(platform, target, ref.path),
        )
    elif ref.kind == "ref" and ref.port not in target.ports:
        yield Hit(
            "PC103",
            f'secret store: {ref.text} names port "{ref.port}", which {target.name} lacks'
            f"{did_you_mean(ref.port or '', target.ports)}",
            ref.path,
        )
