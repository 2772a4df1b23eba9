"""Wiring: ports that probes, ingresses and metrics name; ingress hosts; namespaces; Service names."""

from __future__ import annotations

from collections.abc import Iterator

from generator.findings import Severity
from generator.load.document import YamlPath
from generator.model.conventions import ingress_host
from generator.model.parts import Ingress
from generator.model.types import Component, Platform
from generator.rules.registry import Hit, check, define, did_you_mean
from generator.rules.support import caused_by, names

ERROR = Severity.ERROR


def _port_problem(
    platform: Platform, component: Component, port: str | None, what: str, path: YamlPath
) -> Hit | None:
    if port in component.ports:
        return None
    if not component.ports:
        detail = f'{what} names port "{port}", but {component.name} declares no ports; add `ports:`'
    else:
        known = ", ".join(component.ports)
        hint = did_you_mean(str(port), component.ports)
        detail = f'{what} names port "{port}", which it lacks{hint} (ports: {known})'
    return Hit(
        "PC108",
        f"{component.name}: {detail}",
        **caused_by(platform, path, (*component.path, "ports", str(port))),
    )


define(
    "PC108",
    "wiring",
    ERROR,
    "Probe, ingress or metrics port missing",
    why="""Probes, ingresses and metrics name a port of their own component. A name the component
    lacks renders a probe that always fails (the pod never becomes ready) or an Ingress and
    scrape annotation that point at nothing; an ingress without a port cannot render at all.""",
    fix="Name one of the component's ports, or add the port.",
    bad="""
    ports: {http: 8080}
    probes:
      readiness: {http: /health, port: web}
    """,
    good="""
    ports: {http: 8080}
    probes:
      readiness: {http: /health, port: http}
    """,
)


@check("PC108")
def named_ports(platform: Platform) -> Iterator[Hit]:
    for component in platform.components():
        for probe in component.probes:
            hit = _port_problem(
                platform, component, probe.port, f"the {probe.which} probe", (*probe.path, probe.port_key)
            )
            if hit is not None:
                yield hit
        metrics = component.metrics
        if metrics is not None:
            hit = _port_problem(platform, component, metrics.port, "metrics", (*metrics.path, "port"))
            if hit is not None:
                yield hit
        if component.ingress is not None:
            yield from _ingress_port(platform, component, component.ingress)


def _ingress_port(platform: Platform, component: Component, ingress: Ingress) -> Iterator[Hit]:
    path = ingress.path
    if ingress.port is not None:
        hit = _port_problem(platform, component, ingress.port, "ingress", (*path, "port"))
        if hit is not None:
            yield hit
    elif component.ports:
        first = next(iter(component.ports))
        yield Hit(
            "PC108",
            f"{component.name}: ingress names no port; add `port: {first}` (or another of its ports)",
            path,
            prefer_key=True,
        )
    else:
        yield Hit(
            "PC108",
            f"{component.name}: ingress needs a port, but {component.name} declares no ports; "
            f"add `ports:` and name one in `ingress.port`",
            path,
            prefer_key=True,
        )


define(
    "PC109",
    "wiring",
    ERROR,
    "Ingress host claimed twice",
    why="""Two components claim the same ingress host and path (after `host: trino` expands to
    `trino.<spec.domain>`). The ingress controller routes it to only one of them, which one
    depends on object age: the other site silently disappears.""",
    fix="Give each component its own host, or distinct paths on a shared host.",
    bad="""
    superset-web: {ingress: {host: bi, port: http}}
    grafana: {ingress: {host: bi.254carbon.com, port: http}}
    """,
    good="""
    superset-web: {ingress: {host: superset, port: http}}
    grafana: {ingress: {host: grafana, port: http}}
    """,
)


@check("PC109")
def ingress_hosts(platform: Platform) -> Iterator[Hit]:
    claimed: dict[tuple[str, str], Component] = {}
    for component in platform.components():
        ingress = component.ingress
        if ingress is None:
            continue
        host = ingress_host(platform, ingress.host)
        key = (host, ingress.url_path or "/")
        first = claimed.setdefault(key, component)
        if first is not component:
            yield Hit(
                "PC109",
                f'{component.name}: ingress host "{host}" (path {key[1]}) is already claimed by {first.id}; '
                f"the ingress controller would send traffic for it to only one of them: choose another "
                f"host or path",
                (*ingress.path, "host"),
            )


define(
    "PC110",
    "wiring",
    ERROR,
    "Application in an undeclared namespace",
    why="""Namespaces are created only from `spec.namespaces` (with their quota, mesh and
    network policy); ArgoCD syncs with CreateNamespace=false. An application in a namespace
    the platform does not declare fails its sync.""",
    fix="Declare the namespace under `spec.namespaces` (`{}` for no settings) or fix the name.",
    bad="""
    applications:
      search: {namespace: serach, components: {…}}
    """,
    good="""
    applications:
      search: {namespace: search, components: {…}}
    """,
)

define(
    "PC111",
    "wiring",
    ERROR,
    "Exception namespace undeclared",
    why="""PolicyExceptions are written to `spec.policy.kyverno.exceptionNamespace`. If the
    platform does not declare that namespace it never exists, the exceptions are not created,
    and every workload that needs one is refused by Kyverno.""",
    fix="Declare the namespace under `spec.namespaces`, or point exceptionNamespace at a declared one.",
    bad="""
    policy: {kyverno: {exceptionNamespace: kyverno-exceptions, …}}
    namespaces: {kyverno: {}}
    """,
    good="""
    policy: {kyverno: {exceptionNamespace: kyverno, …}}
    namespaces: {kyverno: {}}
    """,
)


@check("PC110", "PC111")
def declared_namespaces(platform: Platform) -> Iterator[Hit]:
    declared = platform.namespaces
    for name, app in platform.applications.items():
        if app.namespace not in declared:
            yield Hit(
                "PC110",
                f'application {name}: namespace "{app.namespace}" is not declared in spec.namespaces'
                f"{did_you_mean(app.namespace, declared)}; ArgoCD does not create namespaces "
                f"(CreateNamespace=false), so the sync would fail: declare it under spec.namespaces",
                **caused_by(platform, (*app.path, "namespace"), ("spec", "namespaces", app.namespace)),
            )
    target = platform.exception_namespace
    users = [c for c in platform.components() if c.exceptions]
    if users and platform.kyverno is not None and target not in declared:
        yield Hit(
            "PC111",
            f'spec.policy.kyverno.exceptionNamespace "{target}" is not declared in spec.namespaces'
            f"{did_you_mean(target, declared)}; the PolicyExceptions of {names(users)} could "
            f"not be created: declare it under spec.namespaces",
            ("spec", "policy", "kyverno", "exceptionNamespace"),
        )


def service_names(component: Component) -> list[str]:
    """The names this component's objects take in its namespace."""
    if component.kind == "workload":
        return (
            [component.name, f"{component.name}-headless"]
            if component.workload_type == "statefulset"
            else [component.name]
        )
    if component.kind == "external":
        return [component.name]
    override = component.values.get("fullnameOverride")
    if isinstance(override, str):
        return [override]
    named = component.ports or component.ingress is not None or component.exceptions
    return [component.service] if named or component.service_written else []


define(
    "PC112",
    "wiring",
    ERROR,
    "Two components with one name in a namespace",
    why="""Objects are named after their component (Service, Deployment, ConfigMap, …), and two
    applications may share a namespace. Two components with the same name there, or a chart
    whose Service name equals another component's, overwrite each other's objects: the two
    ArgoCD Applications fight over them forever.""",
    fix="Rename one of the components (and its references).",
    bad="""
    storage: {namespace: data, components: {redis: …}}
    cache: {namespace: data, components: {redis: …}}
    """,
    good="""
    cache: {namespace: data, components: {cache-redis: …}}
    """,
)


@check("PC112")
def name_clashes(platform: Platform) -> Iterator[Hit]:
    owners: dict[tuple[str, str], Component] = {}
    for component in platform.components():
        for name in service_names(component):
            first = owners.setdefault((component.namespace, name), component)
            if first is component:
                continue
            yield Hit(
                "PC112",
                f'{component.name}: the name "{name}" is already taken in namespace {component.namespace} by '
                f"{first.id}; their Services and workloads would overwrite each other: rename one",
                component.path,
                prefer_key=True,
            )
            break
