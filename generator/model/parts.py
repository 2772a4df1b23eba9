"""The parts of a component and of the platform, as frozen dataclasses read from the schema-valid document.

Each part keeps `path`, where it stands in the merged document, so a rule can
point a finding at it. Fields are what platform.yaml wrote, typed; `None`
where the key was left out (the consumer decides the default when the
default is not one fact of the platform). Mappings named `UserData` are
free-form data platformc passes on without reading (a chart's `values:`, a
secret store's provider block): rules may walk them as text, never as settings.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Literal

from generator.load.document import YamlPath

# Free-form data as written (mappings, lists, scalars), passed on without a schema of its own.
UserData = Mapping[str, object]
# A Kubernetes quantity as written: `2`, `0.5`, `"500m"`, `4Gi`.
Quantity = str | int | float
# An environment variable's plain value as written.
EnvScalar = str | int | float | bool


@dataclass(frozen=True)
class Reference:
    """One `${ref:…}` or `${host:…}` as written, and what it names."""

    kind: Literal["ref", "host"]
    text: str  # the whole `${…}` token
    app: str | None  # target application as written (None: the referring component's own)
    component: str
    port: str | None
    path: YamlPath  # where the token stands in the document


class MalformedReference(ValueError):
    """`${ref:…}` or `${host:…}` whose target cannot be read (PC104)."""

    def __init__(self, text: str, path: YamlPath) -> None:
        super().__init__(text)
        self.text = text
        self.path = path


@dataclass(frozen=True)
class SecretUse:
    """An env value `{secret: item, key: key}`."""

    item: str
    key: str
    env: str  # the environment variable it feeds
    path: YamlPath


@dataclass(frozen=True)
class EnvVar:
    """One `env:` entry: a plain value, or a secret it reads (then `value` is None).

    A value with `${secret:<item>.<key>}` reads `$(VAR)` of a generated entry placed
    before it (`generated_for` names the entry it serves); `written` keeps such a
    value as platform.yaml wrote it (generator.model.secret_strings).
    """

    name: str
    value: EnvScalar | None
    secret: SecretUse | None
    path: YamlPath
    generated_for: str | None = None
    written: EnvScalar | None = None

    @property
    def as_written(self) -> EnvScalar | None:
        return self.written if self.written is not None else self.value


@dataclass(frozen=True)
class MountedFile:
    """One `files:` entry: content mounted at `mount` from the component's ConfigMap, or, when it
    reads `${secret:<item>.<key>}` (`secrets`), from a Secret an ExternalSecret renders."""

    mount: str
    content: str
    path: YamlPath
    secrets: tuple[SecretUse, ...] = ()


@dataclass(frozen=True)
class Volume:
    """A persistent volume (`size`, `storageClass`) or, with `emptyDir: true`, a scratch one."""

    name: str
    mount: str
    size: Quantity | None
    storage_class: str | None
    empty_dir: bool
    path: YamlPath


@dataclass(frozen=True)
class Amounts:
    """`cpu` and `memory` as written, in the order written."""

    values: Mapping[str, Quantity] = field(default_factory=dict)

    def __bool__(self) -> bool:
        return bool(self.values)


@dataclass(frozen=True)
class Resources:
    requests: Amounts
    limits: Amounts
    gpu: int | None
    path: YamlPath


@dataclass(frozen=True)
class Probe:
    """`{http: <path>, port: <port>}` or `{tcp: <port>}`."""

    which: str  # readiness or liveness
    http: str | None  # the URL path of an HTTP probe; None for a TCP probe
    port: str  # the port name it probes
    path: YamlPath

    @property
    def port_key(self) -> str:
        """The key that names the port: `port` for HTTP, `tcp` for TCP."""
        return "port" if self.http is not None else "tcp"


@dataclass(frozen=True)
class Security:
    """`security:` as written; an empty one (the default) keeps every secure setting."""

    run_as_user: int | None = None
    run_as_group: int | None = None
    read_only_root_filesystem: bool | None = None
    capabilities: tuple[str, ...] = ()
    path: YamlPath = ()

    @property
    def read_only_root(self) -> bool:
        """The root filesystem is read-only unless the component says `readOnlyRootFilesystem: false`."""
        return self.read_only_root_filesystem is not False

    @property
    def runs_as_root(self) -> bool:
        return self.run_as_user == 0


@dataclass(frozen=True)
class Waiver:
    """A workload default turned off (`probes: {none: true, …}`) or on (`serviceAccount: {api: true, …}`),
    with the reason written beside it."""

    reason: str
    path: YamlPath


# The Argo CD hook phases a job may run in; None is a plain Job, synced like any other object.
HOOKS = ("PreSync", "Sync", "PostSync")


@dataclass(frozen=True)
class JobRun:
    """`job:` of a job or cronjob: its Argo CD hook and how its pods run to completion."""

    hook: str | None  # PreSync, Sync or PostSync; None for a plain Job
    delete_policy: str | None  # HookSucceeded, BeforeHookCreation or HookFailed, as written
    backoff_limit: int | None
    active_deadline_seconds: int | None
    ttl_seconds_after_finished: int | None
    path: YamlPath

    @property
    def hook_delete_policy(self) -> str:
        """BeforeHookCreation unless written: Argo CD's own default, and a re-sync runs the hook again."""
        return self.delete_policy or "BeforeHookCreation"


@dataclass(frozen=True)
class PolicyException:
    """One `exceptions:` entry: a Kyverno policy (and rules) the component is exempt from."""

    index: int
    policy: str
    rules: tuple[str, ...]
    reason: str
    expires: str | None
    path: YamlPath


@dataclass(frozen=True)
class IgnoreEntry:
    """One `ignore:` entry: a rule whose findings the component accepts, and why."""

    index: int
    rule: str
    reason: str
    path: YamlPath


@dataclass(frozen=True)
class Dependency:
    """One `dependsOn` entry as written, and the component id it names."""

    index: int
    written: str
    target: str  # `<application>/<component>`
    path: YamlPath


@dataclass(frozen=True)
class DisruptionBudget:
    """`pdb:`: exactly one of minAvailable or maxUnavailable."""

    which: str  # minAvailable or maxUnavailable
    amount: int | str  # a count or a percentage (`"50%"`)
    path: YamlPath


@dataclass(frozen=True)
class Autoscaling:
    min_replicas: int | None
    max_replicas: int
    target_cpu: int | None
    path: YamlPath
    written_order: tuple[str, ...] = ("minReplicas", "maxReplicas", "targetCPU")  # the keys, as written

    def as_written(self) -> dict[str, int]:
        """The settings under their platform.yaml keys, in the order written."""
        found = {
            "minReplicas": self.min_replicas,
            "maxReplicas": self.max_replicas,
            "targetCPU": self.target_cpu,
        }
        return {key: value for key in self.written_order if (value := found.get(key)) is not None}

    @property
    def floor(self) -> int:
        """The fewest replicas: minReplicas, 1 when left out."""
        return 1 if self.min_replicas is None else self.min_replicas


@dataclass(frozen=True)
class Ingress:
    host: str  # as written: without a dot, a subdomain of spec.domain
    port: str | None
    url_path: str | None
    path: YamlPath


@dataclass(frozen=True)
class Metrics:
    port: str
    url_path: str | None
    path: YamlPath


@dataclass(frozen=True)
class Backup:
    schedule: str
    ttl: str | None
    path: YamlPath


@dataclass(frozen=True)
class ChartPin:
    """`chart: {repository, name, version}` of an upstream chart component."""

    repository: str
    name: str
    version: str
    path: YamlPath


@dataclass(frozen=True)
class ExternalTarget:
    """`external:` exactly one of `target` (a component) or `host` (a DNS name)."""

    target: str | None
    host: str | None
    path: YamlPath


@dataclass(frozen=True)
class Toleration:
    """One `placement.tolerations` entry, in Kubernetes' terms: `Equal` with a value, else `Exists`."""

    key: str
    operator: str
    value: str | None
    effect: str | None  # None tolerates every effect
    path: YamlPath

    def tolerates(self, key: str, value: str | None, effect: str) -> bool:
        """Does it tolerate a taint `key=value:effect` (Kubernetes' matching)?"""
        if self.effect is not None and self.effect != effect:
            return False
        if self.key and self.key != key:
            return False
        return self.operator == "Exists" or self.value == (value or "")

    def as_kubernetes(self) -> dict[str, str]:
        out = {"key": self.key, "operator": self.operator} if self.key else {"operator": self.operator}
        if self.value is not None:
            out["value"] = self.value
        if self.effect is not None:
            out["effect"] = self.effect
        return out


@dataclass(frozen=True)
class Avoidance:
    """One `placement.avoid` entry: a component whose pods this one's never share a node with."""

    index: int
    written: str
    target: str  # `<application>/<component>`
    path: YamlPath
