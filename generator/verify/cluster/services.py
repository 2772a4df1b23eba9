"""In-cluster DNS names: each names a Service of the environment, and one of its ports.

`<service>.<namespace>.svc` and `<service>.<namespace>.svc.cluster.local`,
optionally after a pod's hostname (`kafka-0.kafka-headless.kafka.svc`) and
before a port, are looked for in every string of every rendered object (env,
args, ConfigMaps, datasources, remote-write URLs) and in the Applications' chart
values. A name found in chart values is reported at the value in platform.yaml;
one found only in an object, at the component that renders it. CRDs are not
searched: their descriptions hold examples, not addresses.

A Service's address answers on the Service's ports; a pod's own address
(`kafka-0.kafka-headless…`) on the pods' ports, its numeric targetPorts. An
Ingress backend names a Service of its namespace and one of its ports, by number
or by name.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from generator.findings import Finding
from generator.load.document import YamlPath
from generator.verify.cluster.objects import CRD_KIND, ClusterObject, ObjectSet
from generator.verify.cluster.places import ClusterFacts, Place, finding

RULE = "PC822"
_LABEL = r"[a-z0-9](?:[-a-z0-9]{0,61}[a-z0-9])?"
DNS_NAME = re.compile(
    rf"(?<![-A-Za-z0-9.])((?:{_LABEL}\.)*?)({_LABEL})\.({_LABEL})\.svc(?:\.cluster\.local)?"
    r"(?!\.?[-A-Za-z0-9])\.?(?::(\d{1,5})(?!\d))?"
)
# Services every cluster has: the API server and the cluster DNS
BUILT_IN_SERVICES = frozenset({("kubernetes", "default"), ("kube-dns", "kube-system")})


@dataclass(frozen=True)
class DnsUse:
    service: str
    namespace: str
    port: int | None
    text: str
    pod: bool = False  # a pod's own address (`kafka-0.kafka.data.svc`), not the Service's


@dataclass(frozen=True)
class ServicePorts:
    """What a Service answers on; `ports` None: any (ExternalName, headless)."""

    ports: frozenset[int] | None
    pod_ports: frozenset[int]  # numeric targetPorts, what its pods answer on
    names: frozenset[str]


@dataclass(frozen=True)
class Services:
    objects: ObjectSet
    ports: Mapping[tuple[str, str], ServicePorts]


def dns_names(text: str) -> Iterator[DnsUse]:
    if ".svc" not in text:  # nearly every string: a substring test is far cheaper than the pattern
        return
    for match in DNS_NAME.finditer(text):
        port = int(match.group(4)) if match.group(4) else None
        yield DnsUse(match.group(2), match.group(3), port, match.group(0), bool(match.group(1)))


def walk_strings(value: Any, path: YamlPath = ()) -> Iterator[tuple[YamlPath, str]]:
    if isinstance(value, str):
        yield path, value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from walk_strings(item, (*path, str(key)))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from walk_strings(item, (*path, index))


def strings(value: Any) -> Iterator[str]:
    """Every string in `value` in document order, without the paths `walk_strings` builds."""
    pending = [value]
    while pending:
        item = pending.pop()
        if isinstance(item, str):
            yield item
        elif isinstance(item, dict):
            pending.extend(reversed(item.values()))
        elif isinstance(item, list):
            pending.extend(reversed(item))


def service_ports(objects: ObjectSet) -> dict[tuple[str, str], ServicePorts]:
    """(name, namespace) -> the ports a client may use."""
    found: dict[tuple[str, str], ServicePorts] = {}
    for service in objects.of_kind("Service"):
        spec = service.data.get("spec") or {}
        ports: set[int] = set()
        pod_ports: set[int] = set()
        names: set[str] = set()
        for entry in spec.get("ports") or []:
            if isinstance(entry, dict):
                port, target, name = entry.get("port"), entry.get("targetPort"), entry.get("name")
                ports.update([port] if isinstance(port, int) else [])
                pod_ports.update(
                    [target] if isinstance(target, int) else [port] if isinstance(port, int) else []
                )
                names.update([name] if isinstance(name, str) else [])
        # an ExternalName Service forwards any port, and a headless one's pods answer on any they open
        open_any = spec.get("type") == "ExternalName" or spec.get("clusterIP") == "None"
        known = found.get((service.name, service.namespace))
        if known is not None:
            open_any = open_any or known.ports is None
            ports |= known.ports or set()
            pod_ports |= known.pod_ports
            names |= known.names
        found[(service.name, service.namespace)] = ServicePorts(
            None if open_any else frozenset(ports), frozenset(pod_ports), frozenset(names)
        )
    return found


def check_services(
    objects: ObjectSet, values: Mapping[str, Mapping[str, Any]], facts: ClusterFacts
) -> Iterator[Finding]:
    """`values`: application -> its umbrella chart's values (chart name -> that chart's values)."""
    services = Services(objects, service_ports(objects))
    reported: set[tuple[str, str]] = set()
    for application, charts in sorted(values.items()):
        for chart, chart_values in sorted(charts.items()):
            for path, text in walk_strings(chart_values):
                for use in dns_names(text):
                    problem = _problem(use, services)
                    if problem is not None and (application, use.text) not in reported:
                        reported.add((application, use.text))
                        place = facts.value_place(application, chart, path)
                        file = f"values of {application}"
                        yield finding(RULE, f"{problem} (chart values of {chart})", None, place, file=file)
    for obj in objects.objects:
        if obj.kind == CRD_KIND:
            continue
        yield from _object_findings(obj, services, reported, facts)
        if obj.kind == "Ingress":
            yield from _backend_findings(obj, services, facts)


def _backends(spec: Mapping[str, Any]) -> Iterator[Mapping[str, Any]]:
    """Every Service backend of an Ingress: the default one and each path's."""
    backends: list[Any] = [spec.get("defaultBackend")]
    for rule in spec.get("rules") or []:
        paths = ((rule or {}).get("http") or {}).get("paths") if isinstance(rule, dict) else None
        backends += [p.get("backend") for p in paths or [] if isinstance(p, dict)]
    for backend in backends:
        service = backend.get("service") if isinstance(backend, dict) else None
        if isinstance(service, dict) and isinstance(service.get("name"), str):
            yield service


def _backend_findings(obj: ClusterObject, services: Services, facts: ClusterFacts) -> Iterator[Finding]:
    seen: set[str] = set()
    for backend in _backends(obj.data.get("spec") or {}):
        given = backend.get("port")
        port: Mapping[str, Any] = given if isinstance(given, dict) else {}
        number, name = port.get("number"), port.get("name")
        written = f"{backend['name']}:{number if number is not None else name}"
        if written in seen:
            continue
        seen.add(written)
        problem = _backend_problem(str(backend["name"]), obj.namespace, number, name, services)
        if problem is not None:
            yield finding(RULE, f"{obj.label}: backend {written}: {problem}", obj, facts.object_place(obj))


def _backend_problem(service: str, namespace: str, number: Any, name: Any, services: Services) -> str | None:
    known = services.ports.get((service, namespace))
    if known is None:
        if services.objects.may_hide(namespace=namespace):
            return None
        return f"Service {service} does not exist in namespace {namespace}; requests would fail with 503"
    listed = ", ".join(str(p) for p in sorted(known.ports or ())) or "none"
    if isinstance(number, int) and known.ports is not None and number not in known.ports:
        return (
            f"Service {service}.{namespace} has no port {number} (it has {listed}); a chart component's "
            "`ports:` are the ports its Service exposes, not its containers'"
        )
    if isinstance(name, str) and known.ports is not None and name not in known.names:
        names = ", ".join(sorted(known.names)) or "none"
        return f"Service {service}.{namespace} has no port named {name} (it has {names})"
    return None


def _object_findings(
    obj: ClusterObject,
    services: Services,
    reported: set[tuple[str, str]],
    facts: ClusterFacts,
) -> Iterator[Finding]:
    body = [value for key, value in obj.data.items() if key != "metadata"]
    if ".svc" not in repr(body):  # most objects name no Service: one C-level pass skips their walk
        return
    for text in strings(body):
        for use in dns_names(text):
            problem = _problem(use, services)
            if problem is None or (obj.application, use.text) in reported:
                continue
            reported.add((obj.application, use.text))
            place: Place | None = facts.object_place(obj)
            yield finding(RULE, f"{problem} (in {obj.label})", obj, place)


def _problem(use: DnsUse, services: Services) -> str | None:
    key = (use.service, use.namespace)
    if key in BUILT_IN_SERVICES:
        return None
    if key not in services.ports:
        if services.objects.may_hide(namespace=use.namespace):
            return None  # a chart that is not vendored may create it
        return (
            f"{use.text!r} names Service {use.service} in namespace {use.namespace}, which this environment "
            "does not create; use `${ref:<app>/<component>.<port>}` or the chart's own Service name"
        )
    known = services.ports[key]
    if use.port is None or known.ports is None:
        return None
    ports = known.pod_ports if use.pod else known.ports
    if use.port not in ports:
        listed = ", ".join(str(p) for p in sorted(ports)) or "none"
        whose = "its pods have" if use.pod else "it has"
        return (
            f"{use.text!r}: Service {use.service}.{use.namespace} has no port {use.port} ({whose} {listed})"
        )
    return None
