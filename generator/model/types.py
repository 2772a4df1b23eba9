"""The resolved platform: what rules check and emitters render."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from typing import Any, Literal

from generator.load.document import Document, YamlPath

ComponentKind = Literal["workload", "chart", "external"]
CLUSTER_DOMAIN = "svc.cluster.local"


@dataclass(frozen=True)
class Reference:
    """One `${ref:…}` or `${host:…}` as written, and what it names."""

    kind: Literal["ref", "host"]
    text: str  # the whole `${…}` token
    app: str | None  # target application as written (None: the referring component's own)
    component: str
    port: str | None
    path: YamlPath  # where the token stands in the document


@dataclass(frozen=True)
class SecretUse:
    """An env value `{secret: item, key: key}`."""

    item: str
    key: str
    env: str  # the environment variable it feeds
    path: YamlPath


@dataclass
class Component:
    app: str
    name: str
    kind: ComponentKind
    namespace: str
    enabled: bool
    spec: dict[str, Any]
    path: YamlPath
    ports: dict[str, int] = field(default_factory=dict)
    service: str = ""
    depends_on: list[str] = field(default_factory=list)  # component ids as written, resolved to app/name
    references: list[Reference] = field(default_factory=list)
    secrets: list[SecretUse] = field(default_factory=list)
    wave: int = 0

    @property
    def id(self) -> str:
        return f"{self.app}/{self.name}"

    @property
    def fqdn(self) -> str:
        return f"{self.service}.{self.namespace}.{CLUSTER_DOMAIN}"

    @property
    def workload_type(self) -> str:
        return str(self.spec.get("type", "deployment"))


@dataclass
class Application:
    name: str
    namespace: str
    enabled: bool
    spec: dict[str, Any]
    path: YamlPath
    components: dict[str, Component] = field(default_factory=dict)
    depends_on: list[str] = field(default_factory=list)  # application names (explicit and implied)
    wave: int = 0

    def enabled_components(self) -> list[Component]:
        return [c for c in self.components.values() if c.enabled]


@dataclass
class Platform:
    env: str
    doc: Document
    spec: dict[str, Any]
    name: str
    applications: dict[str, Application]
    # Applications platformc adds beside the user's: namespaces, policies, secrets.
    system_waves: dict[str, int] = field(default_factory=dict)
    # Upstream chart archives under vendor/charts/, by (chart name, version): `platformc vendor`.
    vendored: dict[tuple[str, str], bytes] = field(default_factory=dict, repr=False)
    # Indexes derived once from the finished model (edges, installers), so that no pass over
    # components looks at every other component: see `derived_index`.
    derived: dict[str, Any] = field(default_factory=dict, repr=False, compare=False)

    @property
    def kubernetes_version(self) -> str:
        return str(self.spec.get("kubernetesVersion", "1.31.0"))

    @property
    def domain(self) -> str:
        return str(self.spec.get("domain", ""))

    @property
    def namespaces(self) -> dict[str, Any]:
        value = self.spec.get("namespaces") or {}
        return value if isinstance(value, dict) else {}

    @property
    def kyverno(self) -> dict[str, Any]:
        return dict((self.spec.get("policy") or {}).get("kyverno") or {})

    @property
    def secret_items(self) -> dict[str, Any]:
        return dict((self.spec.get("secrets") or {}).get("items") or {})

    @property
    def gitops(self) -> dict[str, Any]:
        return dict(self.spec.get("gitops") or {})

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
        return self._installers.get(chart_name)

    @cached_property
    def _installers(self) -> dict[str, Application]:
        """Chart name -> the first application (declaration order) with an enabled component installing it."""
        out: dict[str, Application] = {}
        for app in self.applications.values():
            for component in app.components.values():
                chart = component.spec.get("chart")
                name = chart.get("name") if isinstance(chart, dict) else None
                if component.enabled and isinstance(name, str):
                    out.setdefault(name, app)
        return out
