"""What the cluster stage knows of platform.yaml: its facts and where to point a finding.

The stage reads the rendered tree; these are the few things it cannot read
there: the load-balancer provider of the cluster, and for each rendered object
the place in platform.yaml that decides it (the component, a chart value, the
component's exception). A finding with no such place points at the rendered
file.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from generator.findings import Finding, Mark, Severity
from generator.load.document import Document, YamlPath, format_path
from generator.verify.cluster.objects import ClusterObject

if TYPE_CHECKING:
    from generator.model.types import Platform

COMPONENT_LABEL = "platform.254carbon.com/component"
# API group -> the chart of the controller serving it, for the kinds platformc renders for a
# controller the platform may leave to the cluster (PolicyExceptions, ExternalSecrets, Schedules)
CONTROLLERS = {"kyverno.io": "kyverno", "external-secrets.io": "external-secrets", "velero.io": "velero"}
APPLICATION_LABEL = "platform.254carbon.com/application"


@dataclass(frozen=True)
class Place:
    """A position in platform.yaml (or an overlay) and the YAML path it stands for."""

    mark: Mark
    path: str


@dataclass(frozen=True)
class ClusterFacts:
    """The platform's side of the cluster stage; `document` is the environment's merged platform.yaml."""

    load_balancer: str | None = None  # cluster.loadBalancer.provider; None: not declared
    document: Document | None = None
    # (application, component) -> the component's YAML path
    components: Mapping[tuple[str, str], YamlPath] = field(default_factory=dict)
    # (application, upstream chart name or the component's alias for it) -> the component installing it
    charts: Mapping[tuple[str, str], str] = field(default_factory=dict)
    # API groups the cluster serves before the platform syncs: those of the controllers platformc
    # writes objects for (Kyverno, External Secrets, Velero) when no application installs them
    preinstalled: frozenset[str] = frozenset()
    # spec.policy.kyverno.policies as written: policy -> its rules
    policies: Mapping[str, tuple[str, ...]] = field(default_factory=dict)

    def application_place(self, application: str) -> Place | None:
        path = ("spec", "applications", application)
        if self.document is None or self.document.get(path) is None:
            return None
        return Place(self.document.mark(path, prefer_key=True), format_path(path))

    def component_place(self, application: str, component: str) -> Place | None:
        path = self.components.get((application, component))
        if path is None or self.document is None:
            return None
        return Place(self.document.mark(path, prefer_key=True), format_path(path))

    def value_place(self, application: str, chart: str, value_path: YamlPath) -> Place | None:
        """Where the chart value `value_path` of `chart` in `application` is written, if it is."""
        component = self.charts.get((application, chart))
        path = self.components.get((application, component or ""))
        if path is None or self.document is None:
            return None
        full = (*path, "values", *value_path)
        if self.document.get(full) is None:
            return self.component_place(application, component or "")
        return Place(self.document.mark(full), format_path(full))

    def setting_place(self, application: str, chart: str, key: str, value: object) -> Place | None:
        """Where a chart value `key: value` is written at any depth (`proxy.type: LoadBalancer`),
        the first found; None when the component's values hold none."""
        for at, data in self._value_maps(application, chart):
            if data.get(key) == value:
                return self._place((*at, key))
        return None

    def switch_place(self, application: str, chart: str, key: str) -> Place | None:
        """Where a chart's values turn on what `key` names (`serviceMonitor: {enabled: true}`): its
        `enabled`, or the key itself; None when the component's values do not name it."""
        for at, data in self._value_maps(application, chart):
            if key in data:
                found = data[key]
                inner = (
                    (*at, key, "enabled") if isinstance(found, dict) and "enabled" in found else (*at, key)
                )
                return self._place(inner)
        return None

    def _value_maps(self, application: str, chart: str) -> Iterator[tuple[YamlPath, dict[str, object]]]:
        """Every mapping in the values of the component installing `chart`, with its path, depth first."""
        component = self.charts.get((application, chart))
        path = self.components.get((application, component or ""))
        if path is None or self.document is None:
            return
        pending: list[tuple[YamlPath, object]] = [((*path, "values"), self.document.get((*path, "values")))]
        while pending:
            at, data = pending.pop()
            if isinstance(data, dict):
                yield at, data
                items: list[tuple[str | int, object]] = list(data.items())
            elif isinstance(data, list):
                items = list(enumerate(data))
            else:
                continue
            pending.extend(((*at, k), v) for k, v in reversed(items))

    def _place(self, path: YamlPath) -> Place | None:
        return Place(self.document.mark(path), format_path(path)) if self.document is not None else None

    def object_place(self, obj: ClusterObject) -> Place | None:
        """Where platform.yaml decides an object: the setting platformc renders it from, the component
        its labels name, else the component of the upstream chart it was rendered from."""
        declared = self._declared_place(obj)
        if declared is not None:
            return declared
        component = obj.labels.get(COMPONENT_LABEL)
        if isinstance(component, str):
            application = str(obj.labels.get(APPLICATION_LABEL) or obj.application)
            place = self.component_place(application, component)
            if place is not None:
                return place
        chart = chart_of(obj.file)
        if chart is not None:
            owner = self.charts.get((obj.application, chart))
            if owner is not None:
                return self.component_place(obj.application, owner)
        return None

    def _declared_place(self, obj: ClusterObject) -> Place | None:
        """Objects platformc renders from one setting: a namespace, a secret item, an exception."""
        path: YamlPath | None = None
        if obj.kind == "Namespace":
            path = ("spec", "namespaces", obj.name)
        elif obj.kind == "ExternalSecret":
            path = ("spec", "secrets", "items", obj.name)
        elif obj.kind == "PolicyException" and isinstance(obj.labels.get(COMPONENT_LABEL), str):
            application = str(obj.labels.get(APPLICATION_LABEL) or "")
            component = self.components.get((application, str(obj.labels[COMPONENT_LABEL])))
            path = (*component, "exceptions") if component is not None else None
        if path is None or self.document is None or self.document.get(path) is None:
            return None
        return Place(self.document.mark(path, prefer_key=True), format_path(path))


def chart_of(file: str) -> str | None:
    """The upstream chart a rendered template belongs to: `apps/<app>/charts/<chart>/...`."""
    parts = file.split("/")
    for index in range(len(parts) - 2):
        if parts[index] == "apps" and parts[index + 2] == "charts" and index + 3 < len(parts):
            return parts[index + 3]
    return None


def cluster_facts(platform: Platform) -> ClusterFacts:
    """The facts of a built `Platform` (generator.model.Platform)."""
    components: dict[tuple[str, str], YamlPath] = {}
    charts: dict[tuple[str, str], str] = {}
    for component in platform.components():
        components[(component.app, component.name)] = tuple(component.path)
        if component.chart is not None:
            charts.setdefault((component.app, component.chart.name), component.name)
            charts[(component.app, component.name)] = component.name  # the umbrella's alias for it
    return ClusterFacts(
        load_balancer=platform.load_balancer,
        document=platform.doc,
        components=components,
        charts=charts,
        preinstalled=frozenset(g for g, chart in CONTROLLERS.items() if platform.installer_of(chart) is None),
        policies=dict(platform.kyverno.policies) if platform.kyverno is not None else {},
    )


def finding(
    rule: str,
    message: str,
    obj: ClusterObject | None,
    place: Place | None,
    *,
    file: str = "",
    severity: Severity = Severity.ERROR,
) -> Finding:
    """A finding at `place` in platform.yaml when there is one, else at the object's rendered file."""
    if place is not None:
        mark = place.mark
        return Finding(rule, severity, message, mark.file, mark.line, mark.column, place.path)
    where = obj.file if obj is not None else file
    return Finding(rule, severity, message, where, 1, 1, obj.label if obj is not None else "")
