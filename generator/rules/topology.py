"""Wiring: ports that probes, ingresses and metrics name; ingress hosts; namespaces; Service names."""

from __future__ import annotations

from collections.abc import Iterator

from generator.load.document import YamlPath
from generator.model.conventions import ingress_host
from generator.model.parts import Ingress
from generator.model.types import Component, Platform
from generator.rules.engine import Hit, check, did_you_mean
from generator.rules.support import names


def _port_problem(component: Component, port: str | None, what: str, path: YamlPath) -> Hit | None:
    if port in component.ports:
        return None
    if not component.ports:
        detail = f'{what} names port "{port}", but {component.name} declares no ports; add `ports:`'
    else:
        known = ", ".join(component.ports)
        hint = did_you_mean(str(port), component.ports)
        detail = f'{what} names port "{port}", which it lacks{hint} (ports: {known})'
    return Hit("PC108", f"{component.name}: {detail}", path)


@check("PC108")
def named_ports(platform: Platform) -> Iterator[Hit]:
    for component in platform.components():
        for probe in component.probes:
            hit = _port_problem(
                component, probe.port, f"the {probe.which} probe", (*probe.path, probe.port_key)
            )
            if hit is not None:
                yield hit
        metrics = component.metrics
        if metrics is not None:
            hit = _port_problem(component, metrics.port, "metrics", (*metrics.path, "port"))
            if hit is not None:
                yield hit
        if component.ingress is not None:
            yield from _ingress_port(component, component.ingress)


def _ingress_port(component: Component, ingress: Ingress) -> Iterator[Hit]:
    path = ingress.path
    if ingress.port is not None:
        hit = _port_problem(component, ingress.port, "ingress", (*path, "port"))
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
                (*app.path, "namespace"),
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
