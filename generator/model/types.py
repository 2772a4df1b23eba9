"""The resolved platform: what rules check and emitters render.

Every object here is frozen and built once, by generator.model.build, from the
schema-valid document of one environment. Derived facts (waves, traffic edges,
chart installers, eligible nodes) are fields filled at build time too: nothing
is computed lazily on the object, and nothing here changes after the build.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field, replace
from typing import Literal

from generator.load.document import Document, YamlPath
from generator.model.diffing import DiffIgnore
from generator.model.parts import (
    Autoscaling,
    Avoidance,
    Backup,
    ChartPin,
    Dependency,
    DisruptionBudget,
    EnvVar,
    ExternalTarget,
    IgnoreEntry,
    Ingress,
    JobRun,
    MalformedReference,
    Metrics,
    MountedFile,
    PolicyException,
    Probe,
    Reference,
    Resources,
    SecretUse,
    Security,
    Toleration,
    UserData,
    Volume,
    Waiver,
)
from generator.model.settings import (
    DEFAULT_EXCEPTION_NAMESPACE,
    DEFAULT_KUBERNETES_VERSION,
    GitOps,
    Kyverno,
    Monitoring,
    Namespace,
    Node,
    Secrets,
)

ComponentKind = Literal["workload", "chart", "external"]
CLUSTER_DOMAIN = "svc.cluster.local"
# Traffic between components: the ports an edge admits, None for every port.
Ports = frozenset[int] | None
EdgeKey = tuple[str, str]  # (source component id, target component id)
# All that decides a component's eligible nodes: the names it is placed on, whether it wants GPUs,
# the node labels it selects and the tolerations it declares.
PlacementKey = tuple[frozenset[str], bool, frozenset[tuple[str, str]], tuple[Toleration, ...]]

__all__ = ["MalformedReference", "Reference", "SecretUse"]


@dataclass(frozen=True, eq=False)  # identity: one object per component, hashable
class Component:
    app: str
    name: str
    kind: ComponentKind
    namespace: str
    enabled: bool
    path: YamlPath
    workload_type: str = "deployment"
    image: str | None = None
    command: tuple[str, ...] | None = None
    args: tuple[str, ...] | None = None
    replicas: int | None = None
    ports: Mapping[str, int] = field(default_factory=dict)  # an external with `target:` has its target's
    declared_ports: Mapping[str, int] = field(default_factory=dict)  # `ports:` as written
    env: tuple[EnvVar, ...] = ()
    files: tuple[MountedFile, ...] = ()
    volumes: tuple[Volume, ...] = ()
    resources: Resources | None = None
    probes: tuple[Probe, ...] = ()
    no_probes: Waiver | None = None  # `probes: {none: true, reason: …}`
    security: Security = field(default_factory=Security)
    api_access: Waiver | None = None  # `serviceAccount: {api: true, reason: …}`: its token is mounted
    exceptions: tuple[PolicyException, ...] = ()
    dependencies: tuple[Dependency, ...] = ()  # `dependsOn` as written
    pdb: DisruptionBudget | None = None
    autoscaling: Autoscaling | None = None
    ingress: Ingress | None = None
    metrics: Metrics | None = None
    backup: Backup | None = None
    spread: bool = False
    placement: tuple[str, ...] = ()  # `placement.nodes` as written (may name undeclared nodes)
    node_selector: Mapping[str, str] = field(default_factory=dict)  # `placement.nodeSelector`
    tolerations: tuple[Toleration, ...] = ()  # `placement.tolerations`
    spread_across: str | None = None  # `placement.spreadAcross`: hostname or zone
    avoid: tuple[Avoidance, ...] = ()  # `placement.avoid`
    schedule: str | None = None
    suspend: bool | None = None
    job: JobRun | None = None  # `job:` as written (a job or cronjob)
    ignore: tuple[IgnoreEntry, ...] = ()
    ignore_differences: tuple[DiffIgnore, ...] = ()  # `ignoreDifferences:` of the component
    chart: ChartPin | None = None
    values: UserData = field(default_factory=dict)  # a chart's values: opaque, passed to the chart
    external: ExternalTarget | None = None
    service: str = ""
    service_written: bool = False  # whether `service:` names the chart's Service explicitly
    # Component ids it comes after: dependsOn (qualified) and an external's target.
    depends_on: tuple[str, ...] = ()
    references: tuple[Reference, ...] = ()  # well-formed `${ref:…}`/`${host:…}`, in document order
    malformed: tuple[MalformedReference, ...] = ()  # `${ref:…}`/`${host:…}` that name nothing readable
    secrets: tuple[SecretUse, ...] = ()
    wave: int = 0
    # The mapping as platform.yaml wrote it, for tools that show the document itself
    # (`platformc explain`); rules and emitters read the typed fields above.
    source: UserData = field(default_factory=dict, repr=False, compare=False)

    @property
    def id(self) -> str:
        return f"{self.app}/{self.name}"

    @property
    def fqdn(self) -> str:
        return f"{self.service}.{self.namespace}.{CLUSTER_DOMAIN}"

    @property
    def chart_name(self) -> str | None:
        return self.chart.name if self.chart is not None else None

    @property
    def gpus(self) -> int:
        """The GPUs one pod asks for (`resources.gpu`)."""
        return (self.resources.gpu or 0) if self.resources is not None else 0

    @property
    def placement_key(self) -> PlacementKey:
        tolerations = tuple(replace(t, path=()) for t in self.tolerations)
        return frozenset(self.placement), self.gpus > 0, frozenset(self.node_selector.items()), tolerations

    @property
    def hook(self) -> str | None:
        """The Argo CD hook phase a job runs in (PreSync, Sync, PostSync); None for everything else."""
        if self.workload_type != "job" or self.job is None:
            return None
        return self.job.hook

    def probe(self, which: str) -> Probe | None:
        return next((p for p in self.probes if p.which == which), None)

    def settings(self) -> Iterator[tuple[str, object]]:
        """(key, value as written) of the free text platformc passes to the program: env, files, values,
        args and command, in that order; rules scan them for references, hostnames and credentials."""
        if self.env:
            yield "env", {e.name: _env_written(e) for e in self.env if e.generated_for is None}
        if self.files:
            yield "files", {f.mount: f.content for f in self.files}
        if self.values:
            yield "values", self.values
        if self.args:
            yield "args", list(self.args)
        if self.command:
            yield "command", list(self.command)


def _env_written(entry: EnvVar) -> object:
    if entry.secret is not None:
        return {"secret": entry.secret.item, "key": entry.secret.key}
    return entry.as_written


@dataclass(frozen=True, eq=False)
class Application:
    name: str
    namespace: str
    enabled: bool
    path: YamlPath
    components: Mapping[str, Component] = field(default_factory=dict)
    dependencies: tuple[Dependency, ...] = ()  # `dependsOn` as written (application names)
    depends_on: tuple[str, ...] = ()  # application names it comes after: explicit and implied
    wave: int = 0
    server_side_apply: bool = True  # ServerSideApply; `serverSideApply: false` turns it off
    ignore_differences: tuple[DiffIgnore, ...] = ()  # `ignoreDifferences:` of the application

    def enabled_components(self) -> list[Component]:
        return [c for c in self.components.values() if c.enabled]


@dataclass(frozen=True, eq=False)
class Platform:
    env: str
    doc: Document
    name: str
    applications: Mapping[str, Application]
    today: datetime.date  # the date expiries are judged against, passed in by the caller
    kubernetes_version: str = DEFAULT_KUBERNETES_VERSION
    domain: str = ""
    registries: tuple[str, ...] = ()
    gitops: GitOps = field(default_factory=GitOps)
    nodes: tuple[Node, ...] = ()
    load_balancer: str | None = None  # `cluster.loadBalancer.provider`; None when there is none
    kyverno: Kyverno | None = None
    secrets: Secrets = field(default_factory=Secrets)
    defaults: Resources | None = None
    monitoring: Monitoring = field(default_factory=Monitoring)
    namespaces: Mapping[str, Namespace] = field(default_factory=dict)
    # Upstream chart archives under vendor/charts/, by (chart name, version): `platformc vendor`.
    vendored: Mapping[tuple[str, str], bytes] = field(default_factory=dict, repr=False)
    # ---- derived at build time (generator.model.build), never changed afterwards
    # Applications platformc adds beside the user's (namespaces, policies, secrets, dashboards) -> wave.
    system_waves: Mapping[str, int] = field(default_factory=dict)
    # Application (system ones included) -> the applications it comes after: explicit and implied edges.
    application_graph: Mapping[str, tuple[str, ...]] = field(default_factory=dict, repr=False)
    # Chart name -> the first application (declaration order) with an enabled component installing it.
    installers: Mapping[str, str] = field(default_factory=dict)
    # (source id, target id) -> ports, for every edge between components with pods (generator.model.traffic).
    edges: Mapping[EdgeKey, Ports] = field(default_factory=dict, repr=False)
    # target id -> [(source id, ports)], in the order of `edges`.
    edges_into: Mapping[str, tuple[tuple[str, Ports], ...]] = field(default_factory=dict, repr=False)
    # Placement key -> the declared nodes a component with that key may run on (generator.model.placement).
    eligible: Mapping[PlacementKey, tuple[Node, ...]] = field(default_factory=dict, repr=False)

    @property
    def exception_namespace(self) -> str:
        """Where PolicyExceptions go: spec.policy.kyverno.exceptionNamespace."""
        return self.kyverno.exception_namespace if self.kyverno is not None else DEFAULT_EXCEPTION_NAMESPACE

    @property
    def enforced_policies(self) -> Mapping[str, tuple[str, ...]]:
        """The policies exceptions may name: those listed, and the platform's own ClusterPolicies."""
        if self.kyverno is None:
            return {}
        if not self.kyverno.declared:
            return self.kyverno.policies
        return {**{p.name: p.rules for p in self.kyverno.declared}, **self.kyverno.policies}

    def namespace(self, name: str) -> Namespace | None:
        return self.namespaces.get(name)

    def in_mesh(self, namespace: str) -> bool:
        found = self.namespaces.get(namespace)
        return found is not None and found.mesh

    def components(self, *, enabled_only: bool = True) -> list[Component]:
        out: list[Component] = []
        for app in self.applications.values():
            for component in app.components.values():
                if component.enabled or not enabled_only:
                    out.append(component)
        return out

    def find(self, component_id: str) -> Component | None:
        app, _, name = component_id.partition("/")
        application = self.applications.get(app)
        return application.components.get(name) if application else None

    def target_of(self, ref: Reference, from_app: str) -> Component | None:
        return self.find(f"{ref.app or from_app}/{ref.component}")

    def installer_of(self, chart_name: str) -> Application | None:
        """The application that installs an upstream chart (kyverno, external-secrets, istiod…)."""
        name = self.installers.get(chart_name)
        return self.applications[name] if name is not None else None

    def eligible_nodes(self, component: Component) -> list[Node]:
        """The declared nodes this component's pods may be scheduled on, in declaration order."""
        return list(self.eligible.get(component.placement_key, ()))
