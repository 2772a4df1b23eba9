"""Wiring: references, dependsOn and ExternalName targets that name nothing, and dependency cycles.

Each (component, target) pair is judged once: a component that both depends on
and references a missing component gets one finding, at the first place it
names it, not one per mention.
"""

from __future__ import annotations

from collections.abc import Iterator

from generator.findings import Severity
from generator.load.document import YamlPath
from generator.model.types import Component, Platform, Reference
from generator.rules.registry import Hit, check, define, did_you_mean
from generator.rules.support import caused_by

ERROR = Severity.ERROR


def _qualify(name: str, app: str) -> str:
    return name if "/" in name else f"{app}/{name}"


def missing_detail(platform: Platform, target_id: str, written: str) -> str:
    """Why `target_id` names nothing, with the closest real name."""
    app_name, _, name = target_id.partition("/")
    app = platform.applications.get(app_name)
    if app is None:
        hint = did_you_mean(app_name, platform.applications)
        return f'names the application "{app_name}", which does not exist{hint}'
    if "/" not in written:
        elsewhere = sorted(c.id for c in platform.components(enabled_only=False) if c.name == name)
        if elsewhere:
            return f'names "{name}", which is not in application {app_name}; did you mean "{elsewhere[0]}"?'
    return (
        f'names "{written}", which application {app_name} does not have{did_you_mean(name, app.components)}'
    )


def disabled_path(platform: Platform, target: Component, fallback: YamlPath) -> YamlPath:
    """Point at the overlay that disabled the target when it did; else where it is named."""
    enabled = (*target.path, "enabled")
    if platform.doc.get(enabled) is False and platform.doc.mark(enabled).file != platform.doc.file:
        return enabled
    return fallback


def _judge(
    platform: Platform, component: Component, target_id: str, written: str, path: YamlPath, how: str
) -> Hit | None:
    """PC101/PC102 for a name that must resolve to an enabled component."""
    target = platform.find(target_id)
    label = f"{component.name}: {how}"
    if target is None:
        return Hit(
            "PC101", f"{label} {missing_detail(platform, target_id, written)}", path, component=component
        )
    if not target.enabled:
        return Hit(
            "PC102",
            f'{label} names "{written}", which is disabled in this environment; enable it here or stop '
            f"using it from {component.name}",
            disabled_path(platform, target, path),
            component=component,
        )
    return None


def _dangling_external(platform: Platform, target: Component) -> bool:
    """An external whose own target is missing or disabled: PC106 is that one finding."""
    aim = target.external.target if target.kind == "external" and target.external is not None else None
    if aim is None:
        return False
    found = platform.find(_qualify(aim, target.app))
    return found is None or not found.enabled


def _port_hit(platform: Platform, component: Component, target: Component, ref: Reference) -> Hit | None:
    if ref.kind != "ref" or ref.port in target.ports or _dangling_external(platform, target):
        return None
    if not target.ports:
        hint = f"; {target.name} declares no ports: add `ports:` to it"
    else:
        known = ", ".join(sorted(target.ports))
        hint = f"{did_you_mean(ref.port or '', target.ports)} ({target.name} has {known})"
    return Hit(
        "PC103",
        f'{component.name}: {ref.text} names port "{ref.port}", which {target.name} lacks{hint}',
        **caused_by(platform, ref.path, (*target.path, "ports", ref.port or "")),
        component=component,
    )


define(
    "PC101",
    "wiring",
    ERROR,
    "Reference to something that does not exist",
    why="""A `${ref:…}`/`${host:…}`, a `dependsOn`, a monitoring backend or an ArgoCD role names
    a component or application the platform does not have, usually a typo or a component in
    another application written without its `<application>/` prefix. The reference would
    reach the pod as literal text and the dependency would order nothing.""",
    fix="Fix the name (the message suggests the closest one); write `<application>/<component>` "
    "for a component of another application.",
    bad="""
    env:
      CATALOG_S3_ENDPOINT: "http://${ref:minio.api}"   # minio lives in application storage
    """,
    good="""
    env:
      CATALOG_S3_ENDPOINT: "http://${ref:storage/minio.api}"
    """,
)

define(
    "PC102",
    "wiring",
    ERROR,
    "Reference to a component disabled in this environment",
    why="""A component is needed (referenced or in `dependsOn`) by one that is enabled, but this
    environment disables it, typically in an overlay (DataHub enabled without Elasticsearch).
    The dependent starts, cannot reach what it needs and crash-loops. The finding points at the
    overlay line that disabled it.""",
    fix="Enable the component in this environment, or disable its dependents too.",
    bad="""
    # overlays/dev.yaml
    elasticsearch: {enabled: false}      # datahub-gms still depends on it
    """,
    good="""
    elasticsearch: {enabled: false}
    datahub-gms: {enabled: false}
    """,
)

define(
    "PC103",
    "wiring",
    ERROR,
    "Reference to a port the component does not have",
    why="""`${ref:<component>.<port>}` resolves to `host:port` from the target's named ports. A
    port name it lacks (or a chart component that declares no `ports`) cannot be resolved, so
    the text would reach the pod unresolved.""",
    fix="Use one of the target's port names, or declare the port on the target.",
    bad="""
    REGISTRY_ZOOKEEPER_CONNECT_STRING: "${ref:zookeeper.clinet}"
    """,
    good="""
    REGISTRY_ZOOKEEPER_CONNECT_STRING: "${ref:zookeeper.client}"
    """,
)

define(
    "PC104",
    "wiring",
    ERROR,
    "Malformed reference",
    why="""Text that starts like a platformc reference but is not one: `${ref:x}` without a port,
    `${host:x.port}` with one, uppercase or stray characters. It would be left as written and
    reach the pod as literal `${…}` text. (Other `${…}` text, such as Trino's `${ENV:NAME}`,
    is not a platformc reference and is left alone.)""",
    fix="Write `${ref:<component>.<port>}` or `${host:<component>}`, with `<application>/` for "
    "another application.",
    bad="""
    SPRING_DATASOURCE_URL: "jdbc:postgresql://${ref:postgres-workflow}/ds"
    """,
    good="""
    SPRING_DATASOURCE_URL: "jdbc:postgresql://${ref:postgres-workflow.postgres}/ds"
    """,
)

define(
    "PC106",
    "wiring",
    ERROR,
    "ExternalName target missing or disabled",
    why="""An external component with `target: <app>/<component>` becomes an ExternalName Service
    pointing at the target's full name. A target that does not exist, or is disabled in this
    environment, leaves a Service that resolves to nothing.""",
    fix="Point `target` at an existing, enabled component, or use `host:` for a service outside "
    "the platform.",
    bad="""
    postgres-shared:
      external: {target: api-gateway/kong-postgre}
    """,
    good="""
    postgres-shared:
      external: {target: api-gateway/kong-postgres}
    """,
)


@check("PC101", "PC102", "PC103", "PC104", "PC106", "PC107")
def component_wiring(platform: Platform) -> Iterator[Hit]:
    for component in platform.components():
        judged: set[str] = set()
        for dep in component.dependencies:
            if dep.target == component.id:
                yield Hit("PC107", f"{component.name}: dependsOn names itself; remove it", dep.path)
                continue
            judged.add(dep.target)
            hit = _judge(platform, component, dep.target, dep.written, dep.path, "dependsOn")
            if hit is not None:
                yield hit
        yield from _external_target(platform, component, judged)
        yield from _references(platform, component, judged)


def _external_target(platform: Platform, component: Component, judged: set[str]) -> Iterator[Hit]:
    external = component.external if component.kind == "external" else None
    target = external.target if external is not None else None
    if target is None:
        return
    target_id = _qualify(target, component.app)
    judged.add(target_id)
    hit = _judge(
        platform, component, target_id, target, (*component.path, "external", "target"), "external target"
    )
    if hit is not None:
        yield Hit(
            "PC106",
            hit.message + "; the ExternalName Service would point nowhere",
            hit.path,
            component=component,
        )


def _references(platform: Platform, component: Component, judged: set[str]) -> Iterator[Hit]:
    for bad in component.malformed:
        yield Hit("PC104", f"{component.name}: {malformed(bad.text)}", bad.path, component=component)
    for ref in component.references:
        target_id = f"{ref.app or component.app}/{ref.component}"
        written = f"{ref.app}/{ref.component}" if ref.app else ref.component
        if target_id in judged:
            target = platform.find(target_id)
            if target is not None and target.enabled:
                port = _port_hit(platform, component, target, ref)
                if port is not None:
                    yield port
            continue
        judged.add(target_id)
        hit = _judge(platform, component, target_id, written, ref.path, ref.text)
        if hit is not None:
            yield hit
            continue
        target = platform.find(target_id)
        port = _port_hit(platform, component, target, ref) if target is not None else None
        if port is not None:
            yield port


def malformed(text: str) -> str:
    kind = "ref" if text.startswith("${ref:") else "host"
    inner = text[len(kind) + 3 : -1].strip()
    if kind == "ref" and "." not in inner:
        return (
            f'{text} names no port; write "${{ref:{inner or "<component>"}.<port>}}" or "${{host:{inner}}}"'
        )
    if kind == "host" and "." in inner:
        name = inner.split(".")[0]
        return (
            f'{text} names a port, which ${{host:…}} does not take; write "${{host:{name}}}" '
            f'or "${{ref:{inner}}}"'
        )
    return (
        f"{text} is not a reference: write ${{ref:<component>.<port>}} or ${{host:<component>}}, "
        f"with <application>/<component> for another application (lowercase names)"
    )
