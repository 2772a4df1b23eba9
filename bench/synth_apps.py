"""One synthetic application: its components, namespace, secrets and dev overlay.

Components are made in order and only ever refer to components made before
them: earlier in the same application, or in an earlier application. That keeps
the dependency graph acyclic without having to check it.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass, field
from typing import Any

_BITNAMI = "https://charts.bitnami.com/bitnami"
_HTTP_PORTS = ("http",)


@dataclass(frozen=True)
class _Role:
    prefix: str
    type: str
    image: str
    ports: dict[str, int]
    weight: int


# Weights give ~65% deployments, ~20% statefulsets, ~15% cronjobs among workloads.
_ROLES = (
    _Role("api", "deployment", "harbor.254carbon.com/{app}/api:1.{v}.0", {"http": 8080}, 20),
    _Role("web", "deployment", "harbor.254carbon.com/{app}/web:2.{v}.1", {"http": 3000}, 10),
    _Role("worker", "deployment", "harbor.254carbon.com/{app}/worker:1.{v}.0", {"metrics": 9090}, 15),
    _Role("grpc", "deployment", "ghcr.io/254carbon/{app}-grpc:0.{v}.3", {"grpc": 9000, "http": 8080}, 10),
    _Role("proxy", "deployment", "docker.io/library/nginx:1.27.{v}", {"http": 8080}, 10),
    _Role("postgres", "statefulset", "docker.io/bitnami/postgresql:16.4.0", {"postgres": 5432}, 8),
    _Role("redis", "statefulset", "docker.io/bitnami/redis:7.2.5", {"redis": 6379}, 6),
    _Role(
        "search",
        "statefulset",
        "docker.io/elastic/elasticsearch:8.15.2",
        {"http": 9200, "transport": 9300},
        3,
    ),
    _Role("zookeeper", "statefulset", "docker.io/bitnami/zookeeper:3.9.2", {"client": 2181}, 3),
    _Role("batch", "cronjob", "harbor.254carbon.com/{app}/batch:1.{v}.0", {}, 8),
    _Role("report", "cronjob", "quay.io/254carbon/{app}-report:3.{v}.0", {}, 7),
)
_ROLE_WEIGHTS = [role.weight for role in _ROLES]

# (name prefix, repository, chart, version, ports)
_CHARTS = (
    ("rabbitmq", _BITNAMI, "rabbitmq", "14.6.6", {"amqp": 5672}),
    ("memcached", _BITNAMI, "memcached", "7.4.16", {"memcache": 11211}),
    ("mongodb", _BITNAMI, "mongodb", "15.6.26", {"mongodb": 27017}),
    ("nats", "https://nats-io.github.io/k8s/helm/charts", "nats", "1.2.4", {"client": 4222}),
    ("keycloak", _BITNAMI, "keycloak", "22.2.6", {"http": 80}),
)
_CHART_FOOTPRINT = (200, 256)  # what a chart's pods are assumed to request: millicores, MiB
_SMALL = {"requests": {"cpu": "50m", "memory": "64Mi"}, "limits": {"memory": "128Mi"}}
_LARGE = {"requests": {"cpu": "100m", "memory": "256Mi"}, "limits": {"memory": "512Mi"}}


@dataclass(frozen=True)
class Target:
    """A component with ports, which later components may refer to."""

    app: str
    name: str
    ports: tuple[str, ...]


@dataclass
class Capacity:
    """Quota requests summed over the generated namespaces; sizes the cluster."""

    cpu_millis: int = 0
    memory_mi: int = 0


@dataclass
class AppPlan:
    name: str
    application: dict[str, Any]
    namespace: dict[str, Any]
    secrets: dict[str, Any]
    dev: dict[str, Any]
    targets: list[Target]


@dataclass
class _Usage:
    """What the namespace has to hold at the components' largest scale."""

    cpu_millis: int = 0
    memory_mi: int = 0
    limit_mi: int = 0

    def add(self, replicas: int, resources: dict[str, Any]) -> None:
        self.cpu_millis += replicas * int(resources["requests"]["cpu"].removesuffix("m"))
        self.memory_mi += replicas * int(resources["requests"]["memory"].removesuffix("Mi"))
        self.limit_mi += replicas * int(resources["limits"]["memory"].removesuffix("Mi"))


@dataclass
class _Builder:
    app: str
    earlier: list[AppPlan]
    rng: random.Random
    components: dict[str, Any] = field(default_factory=dict)
    targets: list[Target] = field(default_factory=list)
    secrets: dict[str, Any] = field(default_factory=dict)
    dev: dict[str, Any] = field(default_factory=dict)
    app_deps: set[str] = field(default_factory=set)
    usage: _Usage = field(default_factory=_Usage)
    ingress_done: bool = False

    def secret(self, suffix: str, keys: list[str], key: str) -> dict[str, str]:
        """An env value reading `key` of this application's secret `<app>-<suffix>`, declared on use."""
        item = f"{self.app}-{suffix}"
        self.secrets.setdefault(
            item, {"namespace": self.app, "path": f"synthetic/{self.app}/{suffix}", "keys": keys}
        )
        return {"secret": item, "key": key}

    def pick_refs(self) -> list[tuple[str, str]]:
        """(reference name, port) pairs: earlier components of this app, sometimes of an earlier app."""
        picked: list[tuple[str, str]] = []
        local = self.rng.sample(self.targets, min(len(self.targets), self.rng.choice((0, 1, 1, 2, 2, 3))))
        picked += [(target.name, self.rng.choice(target.ports)) for target in local]
        recent = [plan for plan in self.earlier[-10:] if plan.targets]
        if recent and self.rng.random() < 0.3:
            plan = self.rng.choice(recent)
            target = self.rng.choice(plan.targets)
            picked.append((f"{plan.name}/{target.name}", self.rng.choice(target.ports)))
            self.app_deps.add(plan.name)
        return picked

    def ref_env(self, refs: list[tuple[str, str]]) -> dict[str, str]:
        env: dict[str, str] = {}
        for ref, port in refs:
            key = f"{ref.replace('/', '_').replace('-', '_').upper()}_{port.upper().replace('-', '_')}_ADDR"
            scheme = "http://" if port in _HTTP_PORTS else ""
            env[key] = f"{scheme}${{ref:{ref}.{port}}}"
        return env

    def depends_on(self, refs: list[tuple[str, str]]) -> list[str]:
        deps = [ref for ref, _ in refs]
        if self.targets and self.rng.random() < 0.2:
            deps.append(self.rng.choice(self.targets).name)
        return list(dict.fromkeys(deps))


def build_application(
    name: str, size: int, earlier: list[AppPlan], rng: random.Random, capacity: Capacity, chart_share: float
) -> AppPlan:
    """An application of `size` components named `name`, in a namespace of the same name."""
    builder = _Builder(name, earlier, rng)
    charts = set(rng.sample(range(size), min(size, round(size * chart_share))))
    for index in range(size):
        if index in charts:
            _add_chart(builder, index + 1)
        else:
            _add_workload(builder, index + 1)
    application: dict[str, Any] = {"namespace": name}
    app_deps = sorted(builder.app_deps, key=[plan.name for plan in earlier].index)
    if builder.secrets:
        app_deps.append("external-secrets")
    if app_deps:
        application["dependsOn"] = app_deps
    application["components"] = builder.components
    # The namespace's flags come from its name alone, not from how many components were drawn
    # before: an application of one name has the same shape at every N (Helm's scaling compares them).
    namespace = _namespace(builder.usage, random.Random(name), capacity)
    return AppPlan(name, application, namespace, builder.secrets, builder.dev, builder.targets)


def _namespace(usage: _Usage, rng: random.Random, capacity: Capacity) -> dict[str, Any]:
    cpu = math.ceil((2 * usage.cpu_millis + 1000) / 1000)
    memory = math.ceil((2 * usage.memory_mi + 1024) / 1024)
    limit = math.ceil((2 * usage.limit_mi + 2048) / 1024)
    capacity.cpu_millis += cpu * 1000
    capacity.memory_mi += memory * 1024
    namespace: dict[str, Any] = {}
    if rng.random() < 0.2:
        namespace["mesh"] = True
    if rng.random() < 0.3:
        namespace["networkPolicy"] = "enforce"
    namespace["quota"] = {
        "requests": {"cpu": str(cpu), "memory": f"{memory}Gi"},
        "limits": {"cpu": str(2 * cpu), "memory": f"{limit}Gi"},
    }
    return namespace


def _add_chart(builder: _Builder, index: int) -> None:
    rng = builder.rng
    prefix, repository, chart, version, ports = rng.choice(_CHARTS)
    name = f"{prefix}-{index}"
    component: dict[str, Any] = {"chart": {"repository": repository, "name": chart, "version": version}}
    component["ports"] = dict(ports)
    values: dict[str, Any] = {"fullnameOverride": name, "replicaCount": 1}
    databases = [target for target in builder.targets if "postgres" in target.ports]
    deps: list[str] = []
    if prefix == "keycloak" and databases:
        database = rng.choice(databases)
        values["externalDatabase"] = {"host": f"${{host:{database.name}}}", "port": 5432}
        deps.append(database.name)
    component["values"] = values
    if rng.random() < 0.1:
        component["exceptions"] = [
            {
                "policy": "require-run-as-nonroot",
                "reason": f"The {chart} chart's init jobs run as the image's user.",
            }
        ]
    if deps:
        component["dependsOn"] = deps
    builder.components[name] = component
    builder.targets.append(Target(builder.app, name, tuple(ports)))
    builder.usage.cpu_millis += _CHART_FOOTPRINT[0]
    builder.usage.memory_mi += _CHART_FOOTPRINT[1]
    builder.usage.limit_mi += 2 * _CHART_FOOTPRINT[1]


def _ensemble(role: _Role, name: str, replicas: int, component: dict[str, Any], dev: dict[str, Any]) -> None:
    """A ZooKeeper ensemble lists its servers (without them each pod is a standalone server: PC207);
    dev runs one server."""
    if role.prefix == "zookeeper" and replicas > 1:
        component["env"]["ZOO_SERVERS"] = ",".join(f"{name}-{i}.{name}:2888:3888" for i in range(replicas))
        dev["env"] = {"ZOO_SERVERS": None}


def _add_workload(builder: _Builder, index: int) -> None:
    rng = builder.rng
    role = rng.choices(_ROLES, weights=_ROLE_WEIGHTS)[0]
    name = f"{role.prefix}-{index}"
    component: dict[str, Any] = {}
    if role.type != "deployment":
        component["type"] = role.type
    if role.type == "cronjob":
        component["schedule"] = f"{rng.randrange(60)} {rng.randrange(24)} * * *"
        if rng.random() < 0.2:
            component["suspend"] = True
    component["image"] = role.image.format(app=builder.app, v=rng.randrange(20))
    if role.prefix in ("worker", "batch", "report"):
        component["command"] = [f"/app/{role.prefix}", "--queue", "default"]
    replicas, autoscaled = _scale(role, rng)
    if replicas > 1:
        component["replicas"] = replicas
    if role.ports:
        component["ports"] = dict(role.ports)
    refs = builder.pick_refs()
    component["env"] = {"LOG_LEVEL": rng.choice(("info", "warn", "debug")), **builder.ref_env(refs)}
    _add_secrets(builder, role, component["env"])
    if role.prefix == "api" and refs and rng.random() < 0.1:
        upstreams = "".join(f"  - {value}\n" for value in builder.ref_env(refs).values())
        component["files"] = {"/etc/app/config.yaml": f"upstreams:\n{upstreams}"}
    deps = builder.depends_on(refs)
    if deps:
        component["dependsOn"] = deps
    if role.type == "statefulset":
        component["volumes"] = {"data": {"mount": "/data", "size": f"{rng.choice((1, 2, 5, 10))}Gi"}}
    elif rng.random() < 0.25:
        component["volumes"] = {"tmp": {"mount": "/tmp", "emptyDir": True}}
    resources = _LARGE if role.prefix in ("postgres", "search") else _SMALL
    if resources is _LARGE:
        component["resources"] = {key: dict(value) for key, value in resources.items()}
    builder.usage.add(4 if autoscaled else replicas, resources)
    if role.ports:
        component["probes"] = _probes(role, rng)
    _add_security(component, role, rng)
    dev: dict[str, Any] = {}
    if autoscaled:
        component["autoscaling"] = {"minReplicas": 2, "maxReplicas": 4, "targetCPU": 70}
        dev["autoscaling"] = {"minReplicas": 1, "maxReplicas": 2}
    if replicas > 1:
        dev["replicas"] = 1
    _ensemble(role, name, replicas, component, dev)
    if autoscaled or replicas > 1:
        component["pdb"] = {"maxUnavailable": 1}
        dev["pdb"] = None
    if replicas >= 3:
        component["spread"] = True
        dev["spread"] = None
    if role.prefix in ("api", "web", "proxy") and not builder.ingress_done and rng.random() < 0.6:
        component["ingress"] = {"host": f"{builder.app}-{name}", "port": "http"}
        builder.ingress_done = True
    if role.prefix == "worker":
        component["metrics"] = {"port": "metrics", "path": "/metrics"}
    elif "http" in role.ports and rng.random() < 0.4:
        component["metrics"] = {"port": "http", "path": "/metrics"}
    if role.type == "cronjob" and rng.random() < 0.5:
        dev["enabled"] = False
    builder.components[name] = component
    if dev:
        builder.dev[name] = dev
    if role.ports:
        builder.targets.append(Target(builder.app, name, tuple(role.ports)))


def _scale(role: _Role, rng: random.Random) -> tuple[int, bool]:
    """(replicas, autoscaled); autoscaled components carry no replicas."""
    draw = rng.random()
    if role.type == "cronjob":
        return 1, False
    if role.type == "statefulset":
        return (3, False) if draw < 0.3 else (1, False)
    if draw < 0.45:
        return 1, False
    if draw < 0.7:
        return 2, False
    if draw < 0.8:
        return 3, False
    return 1, True


def _add_secrets(builder: _Builder, role: _Role, env: dict[str, Any]) -> None:
    rng = builder.rng
    db_keys = ["username", "password"]
    if role.prefix == "postgres":
        env["POSTGRESQL_DATABASE"] = builder.app.replace("-", "_")
        env["POSTGRESQL_USERNAME"] = builder.secret("db", db_keys, "username")
        env["POSTGRESQL_PASSWORD"] = builder.secret("db", db_keys, "password")
    elif role.prefix == "redis":
        env["REDIS_PASSWORD"] = builder.secret("redis", ["password"], "password")
    elif role.prefix in ("api", "worker", "grpc", "batch"):
        if f"{builder.app}-db" in builder.secrets and rng.random() < 0.5:
            env["DB_USERNAME"] = builder.secret("db", db_keys, "username")
            env["DB_PASSWORD"] = builder.secret("db", db_keys, "password")
        if rng.random() < 0.2:
            env["API_TOKEN"] = builder.secret("api", ["token"], "token")


def _probes(role: _Role, rng: random.Random) -> dict[str, Any]:
    port = next(iter(role.ports))
    if port in _HTTP_PORTS:
        probes: dict[str, Any] = {"readiness": {"http": "/healthz", "port": port}}
        if rng.random() < 0.5:
            probes["liveness"] = {"http": "/livez", "port": port}
        return probes
    probes = {"readiness": {"tcp": port}}
    if rng.random() < 0.5:
        probes["liveness"] = {"tcp": port}
    return probes


def _add_security(component: dict[str, Any], role: _Role, rng: random.Random) -> None:
    draw = rng.random()
    if role.prefix == "search" or draw < 0.15:
        component["security"] = {"runAsUser": 1000, "readOnlyRootFilesystem": False}
        component["exceptions"] = [
            {
                "policy": "require-ro-rootfs",
                "reason": f"The {role.prefix} image writes caches under its home.",
            }
        ]
    elif draw < 0.55:
        component["security"] = {"runAsUser": rng.choice((1000, 1001, 65532))}
