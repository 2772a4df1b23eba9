"""Operations (PC901–PC999): what the generated network policies and dashboards cannot do for you.

Each rule is defined beside its check. Placement problems are the capacity
family's: a placement naming an undeclared node is PC610, a GPU workload no
node admits is PC606; both read generator.model.placement, which the emitter
renders affinity and tolerations from.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping

from generator.findings import Severity
from generator.load.document import YamlPath
from generator.model.conventions import dashboards_enabled, grafana_component, is_enforced, sidecar
from generator.model.traffic import Ports, destinations, reaches_pods
from generator.model.types import Component, Platform
from generator.rules import hostnames
from generator.rules.registry import Hit, check, define
from generator.rules.runner import ignore_entry
from generator.rules.support import text_mark, walk_strings

WARNING = Severity.WARNING


def _refused(
    platform: Platform,
    edges: Mapping[tuple[str, str], Ports],
    source: Component,
    service: hostnames.Service,
    port: str | None,
) -> Iterator[Component]:
    """The pods in enforced namespaces that a hand-written name reaches and no declared edge admits."""
    named = service.component
    if not named.enabled or (service.form == "short name" and named.namespace != source.namespace):
        return  # a short name only resolves in the client's own namespace
    for target in destinations(platform, named):
        if target.id != source.id and is_enforced(platform, target.namespace):
            ports = edges.get((source.id, target.id), frozenset())
            if not (ports is None or (port is not None and int(port) in ports) or (port is None and ports)):
                yield target


def _host_uses(source: Component) -> Iterator[tuple[YamlPath, str, int, str, str | None]]:
    """(path, text, offset, host, port) for every hand-written hostname in a component's settings."""
    for key, value in source.settings():
        for path, setting, text in walk_strings(value, (*source.path, key)):
            for start, token, port in hostnames.host_tokens(text, "" if key == "files" else setting):
                yield path, text, start, token, port


define(
    "PC901",
    "operations",
    Severity.WARNING,
    "Edge the network policy cannot allow",
    why="""A component that knowingly suppressed PC105 reaches a service in a namespace with
    `networkPolicy: enforce` by a hostname written by hand, and nothing declares that edge (no
    `${ref:…}`, `${host:…}` or `dependsOn`). Network policies admit exactly the declared edges,
    so the connection is refused and the component fails at runtime while every manifest
    looks right.""",
    fix="Write the host as a reference (the message names it), or add the target to `dependsOn`.",
    bad="""
    ignore: [{rule: PC105, reason: the URL is assembled by the client library}]
    env:
      CACHE_URL: "redis://redis:6379"      # data-platform enforces network policies
    """,
    good="""
    env:
      CACHE_URL: "redis://${ref:redis.redis}"
    """,
)


@check("PC901")
def unallowed_edges(platform: Platform) -> Iterator[Hit]:
    """PC901: a hand-written host that names a service in an enforced namespace, on no declared edge.

    A hand-written host is already the error PC105; this warning speaks only where a
    component suppressed PC105 knowingly, to say what the network policy will do to it.
    """
    if not any(is_enforced(platform, ns) for ns in platform.namespaces):
        return
    services = hostnames.platform_services(platform)
    edges = platform.edges
    seen: set[tuple[YamlPath, str]] = set()  # one finding per setting and target
    accepted = (c for c in platform.components() if ignore_entry(c, "PC105") is not None)
    for source in (c for c in accepted if reaches_pods(c)):
        for path, text, start, token, port in _host_uses(source):
            for service in hostnames.services_named(services, token):
                for target in _refused(platform, edges, source, service, port):
                    if (path, target.id) in seen:
                        continue
                    seen.add((path, target.id))
                    written = f"{token}:{port}" if port else token
                    use = hostnames.suggestion(service.component, source, port)
                    dep = target.name if target.app == source.app else target.id
                    yield Hit(
                        "PC901",
                        f"{source.name}: {hostnames.where(path, source)} reaches {target.id} by the "
                        f'hand-written host "{written}", an edge nothing declares: the network policy of '
                        f'namespace {target.namespace} refuses it; use "{use}" (or add {dep} to dependsOn)',
                        path,
                        mark=text_mark(platform, path, text, start),
                        component=source,
                    )


define(
    "PC902",
    "operations",
    Severity.WARNING,
    "Generated dashboards that Grafana never loads",
    why="""`spec.monitoring.dashboards` is true, so platformc renders datasources and dashboards
    as ConfigMaps in the monitoring application, but that application has no grafana chart, or
    its sidecar for dashboards or datasources is not enabled: Grafana never reads them.""",
    fix="Enable `sidecar.dashboards` and `sidecar.datasources` in the grafana chart's values "
    "(in the monitoring application), or set `dashboards: false`.",
    bad="""
    grafana:
      chart: {repository: https://grafana.github.io/helm-charts, name: grafana, version: 8.5.2}
    """,
    good="""
    grafana:
      chart: {repository: https://grafana.github.io/helm-charts, name: grafana, version: 8.5.2}
      values:
        sidecar:
          dashboards: {enabled: true, label: grafana_dashboard}
          datasources: {enabled: true, label: grafana_datasource}
    """,
)


@check("PC902")
def dashboards_without_grafana(platform: Platform) -> Iterator[Hit]:
    """PC902: generated dashboards and datasources that no Grafana sidecar picks up."""
    if not dashboards_enabled(platform):
        return
    owner = platform.monitoring.application or ""
    app = platform.applications.get(owner)
    if app is None or not app.enabled:
        return  # PC101/PC102 report the monitoring application itself
    grafana = grafana_component(platform, app)
    if grafana is None:
        yield Hit(
            "PC902",
            f"spec.monitoring.dashboards is true, but the monitoring application {owner} installs no grafana "
            f"chart: nothing loads the generated dashboards; add the grafana chart to {owner} or set "
            f"`dashboards: false`",
            ("spec", "monitoring", "dashboards"),
        )
        return
    for which in ("dashboards", "datasources"):
        if sidecar(platform, app, which).get("enabled") is not True:
            yield Hit(
                "PC902",
                f"{grafana.name}: sidecar.{which}.enabled is not true, so Grafana ignores the {which} "
                f"platformc generates (spec.monitoring.dashboards); set "
                f"`sidecar: {{{which}: {{enabled: true}}}}` in its values",
                (*grafana.path, "values", "sidecar", which),
                component=grafana,
            )
