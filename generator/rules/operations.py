"""Operations (PC901–PC999): what the generated network policies and dashboards cannot do for you.

Their documentation lives in generator/rules/catalog/operations.py. Placement problems are
the capacity family's: a placement naming an undeclared node is PC609, a GPU
workload no node admits is PC606; both read generator.model.placement, which
the emitter renders affinity and tolerations from.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping

from generator.load.document import YamlPath
from generator.model.conventions import dashboards_enabled, grafana_component, is_enforced, sidecar
from generator.model.traffic import Ports, destinations, reaches_pods
from generator.model.types import Component, Platform
from generator.rules import hostnames
from generator.rules.engine import Hit, check, ignore_entry
from generator.rules.support import text_mark, walk_strings


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
            for service in services.get(token, []):
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
