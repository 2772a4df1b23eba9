"""Platform-wide settings (`spec.*` beside the applications), as frozen dataclasses with their positions."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from generator.load.document import YamlPath
from generator.model.parts import Amounts, Quantity, UserData

DEFAULT_KUBERNETES_VERSION = "1.31.0"
DEFAULT_GITOPS_PATH = "rendered"
DEFAULT_EXCEPTION_NAMESPACE = "kyverno"


@dataclass(frozen=True)
class ArgoRole:
    """An AppProject role: `{groups, access, applications?}`."""

    name: str
    groups: tuple[str, ...]
    access: str | None
    applications: tuple[str, ...] | None  # None: every application
    path: YamlPath


@dataclass(frozen=True)
class GitOps:
    repo_url: str | None = None
    target_revision: str | None = None
    path: str = DEFAULT_GITOPS_PATH  # where the rendered tree lives in the repository
    argocd_namespace: str | None = None
    project: str | None = None
    roles: tuple[ArgoRole, ...] = ()
    # `argocd.runs`: `in-cluster` (Argo CD in the environment's own cluster) or `central`
    # (one Argo CD for many environments: its object names are qualified by environment).
    central: bool = False
    # `cluster`: the destination, by API server URL or by the name Argo CD knows the cluster under.
    cluster_server: str | None = None
    cluster_name: str | None = None


@dataclass(frozen=True)
class Taint:
    key: str
    value: str | None
    effect: str
    path: YamlPath

    @property
    def repels(self) -> bool:
        """NoSchedule and NoExecute keep pods off; PreferNoSchedule only discourages them."""
        return self.effect in ("NoSchedule", "NoExecute")


@dataclass(frozen=True)
class Node:
    """A declared node of `spec.cluster.nodes`: its capacity, labels and taints."""

    name: str
    cpu: Quantity
    memory: Quantity
    gpu: int
    labels: Mapping[str, str]
    taints: tuple[Taint, ...]
    path: YamlPath


@dataclass(frozen=True)
class DeclaredPolicy:
    """A ClusterPolicy platform.yaml declares itself (spec.policy.kyverno.clusterPolicies)."""

    name: str
    annotations: Mapping[str, str]
    spec: UserData  # the ClusterPolicy's spec, passed on as written
    path: YamlPath

    @property
    def rules(self) -> tuple[str, ...]:
        rules = self.spec.get("rules")
        named = [r.get("name") for r in rules if isinstance(r, dict)] if isinstance(rules, list) else []
        return tuple(str(n) for n in named if n)


@dataclass(frozen=True)
class Kyverno:
    version: str
    exception_namespace: str
    policies: Mapping[str, tuple[str, ...]]  # enforced policy -> its rule names, as listed
    declared: tuple[DeclaredPolicy, ...] = ()  # the platform's own ClusterPolicies


@dataclass(frozen=True)
class StoreCondition:
    """One of a ClusterSecretStore's `conditions`: the namespaces it serves (any condition will do)."""

    namespaces: tuple[str, ...] = ()
    match_labels: Mapping[str, str] | None = None  # `namespaceSelector.matchLabels`
    match_expressions: bool = False  # the selector has `matchExpressions`, which platformc does not judge
    path: YamlPath = ()


@dataclass(frozen=True)
class SecretStore:
    """The ExternalSecrets store: `kind`, `name`, its `conditions` and a free-form provider block."""

    kind: str
    name: str
    written: UserData  # the whole mapping as written (kind and name included): walked for references
    path: YamlPath
    conditions: tuple[StoreCondition, ...] = ()

    @property
    def provider(self) -> dict[str, object]:
        return {k: v for k, v in self.written.items() if k not in ("kind", "name", "conditions")}

    @property
    def conditions_written(self) -> object:
        """`conditions` as written, for the rendered store's `spec.conditions`; None when there are none."""
        return self.written.get("conditions")


@dataclass(frozen=True)
class SecretItem:
    name: str
    namespace: str
    store_path: str | None  # `path:`, the item's path in the secret store, as written
    keys: tuple[str, ...]
    path: YamlPath

    @property
    def remote_path(self) -> str:
        """Where the store keeps the item: `path:`, else the item's name."""
        return self.store_path if self.store_path is not None else self.name


@dataclass(frozen=True)
class Secrets:
    store: SecretStore | None = None
    refresh_interval: str | None = None
    items: Mapping[str, SecretItem] = field(default_factory=dict)


@dataclass(frozen=True)
class Alert:
    name: str
    expr: str
    for_: str | None
    severity: str
    summary: str | None
    path: YamlPath


@dataclass(frozen=True)
class Monitoring:
    application: str | None = None
    metrics_backend: str | None = None
    logs_backend: str | None = None
    dashboards: bool = False
    alerts: tuple[Alert, ...] = ()

    def backend(self, key: str) -> str | None:
        """`metricsBackend` or `logsBackend` as written."""
        return {"metricsBackend": self.metrics_backend, "logsBackend": self.logs_backend}.get(key)


@dataclass(frozen=True)
class Quota:
    requests: Amounts = field(default_factory=Amounts)
    limits: Amounts = field(default_factory=Amounts)

    def __bool__(self) -> bool:
        return bool(self.requests) or bool(self.limits)


@dataclass(frozen=True)
class Namespace:
    name: str
    quota: Quota | None
    mesh: bool
    network_policy: str | None  # enforce or off
    labels: Mapping[str, str]
    path: YamlPath

    @property
    def enforced(self) -> bool:
        """Does the namespace run default-deny network policies?"""
        return self.network_policy == "enforce"
