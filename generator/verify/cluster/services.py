"""In-cluster DNS names: each names a Service of the environment, and one of its ports.

`<service>.<namespace>.svc` and `<service>.<namespace>.svc.cluster.local`,
optionally after a pod's hostname (`kafka-0.kafka-headless.kafka.svc`) and
before a port, are looked for in every string of every rendered object (env,
args, ConfigMaps, datasources, remote-write URLs) and in the Applications' chart
values. A name found in chart values is reported at the value in platform.yaml;
one found only in an object, at the component that renders it. CRDs are not
searched: their descriptions hold examples, not addresses.
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
    rf"(?<![-A-Za-z0-9.])(?:{_LABEL}\.)*?({_LABEL})\.({_LABEL})\.svc(?:\.cluster\.local)?"
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


@dataclass(frozen=True)
class Services:
    objects: ObjectSet
    ports: Mapping[tuple[str, str], frozenset[int] | None]


def dns_names(text: str) -> Iterator[DnsUse]:
    if ".svc" not in text:  # nearly every string: a substring test is far cheaper than the pattern
        return
    for match in DNS_NAME.finditer(text):
        port = int(match.group(3)) if match.group(3) else None
        yield DnsUse(match.group(1), match.group(2), port, match.group(0))


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


def service_ports(objects: ObjectSet) -> dict[tuple[str, str], frozenset[int] | None]:
    """(name, namespace) -> the ports a client may use; None: any (ExternalName)."""
    found: dict[tuple[str, str], frozenset[int] | None] = {}
    for service in objects.of_kind("Service"):
        spec = service.data.get("spec") or {}
        if spec.get("type") == "ExternalName":
            found[(service.name, service.namespace)] = None
            continue
        ports: set[int] = set()
        for entry in spec.get("ports") or []:
            if isinstance(entry, dict):
                ports.update(p for p in (entry.get("port"), entry.get("targetPort")) if isinstance(p, int))
        headless = spec.get("clusterIP") == "None"
        known = found.get((service.name, service.namespace), frozenset())
        # a headless Service's pods answer on any port their containers open
        found[(service.name, service.namespace)] = None if headless or known is None else known | ports
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
    ports = services.ports[key]
    if use.port is not None and ports is not None and use.port not in ports:
        listed = ", ".join(str(p) for p in sorted(ports)) or "none"
        return f"{use.text!r}: Service {use.service}.{use.namespace} has no port {use.port} (it has {listed})"
    return None
