"""Reading the platform-wide settings of the schema-valid document into frozen dataclasses."""

from __future__ import annotations

from typing import Any, cast

from generator.model.parts import Quantity, Resources
from generator.model.read_component import Raw, mapping, optional_str, read_amounts, read_resources, sequence
from generator.model.settings import (
    DEFAULT_GITOPS_PATH,
    Alert,
    ArgoRole,
    DeclaredPolicy,
    GitOps,
    Kyverno,
    Monitoring,
    Namespace,
    Node,
    Quota,
    SecretItem,
    Secrets,
    SecretStore,
    StoreCondition,
    Taint,
)


def read_gitops(spec: Raw) -> GitOps:
    gitops = mapping(spec.get("gitops"))
    argocd = mapping(gitops.get("argocd"))
    roles = tuple(
        ArgoRole(
            name=str(name),
            groups=tuple(str(g) for g in sequence(role.get("groups"))),
            access=optional_str(role.get("access")),
            applications=None
            if role.get("applications") is None
            else tuple(str(a) for a in sequence(role.get("applications"))),
            path=("spec", "gitops", "argocd", "roles", name),
        )
        for name, role in ((n, mapping(r)) for n, r in mapping(argocd.get("roles")).items())
    )
    return GitOps(
        repo_url=optional_str(gitops.get("repoURL")),
        target_revision=optional_str(gitops.get("targetRevision")),
        path=str(gitops.get("path", DEFAULT_GITOPS_PATH)),
        argocd_namespace=optional_str(argocd.get("namespace")),
        project=optional_str(argocd.get("project")),
        roles=roles,
        central=argocd.get("runs") == "central",
        cluster_server=optional_str(mapping(gitops.get("cluster")).get("server")),
        cluster_name=optional_str(mapping(gitops.get("cluster")).get("name")),
    )


def read_load_balancer(spec: Raw) -> str | None:
    """The load-balancer provider the cluster declares; `none` (or nothing) is None."""
    provider = mapping(mapping(spec.get("cluster")).get("loadBalancer")).get("provider")
    return provider if isinstance(provider, str) and provider != "none" else None


def read_nodes(spec: Raw) -> tuple[Node, ...]:
    nodes: list[Node] = []
    for index, node in enumerate(sequence(mapping(spec.get("cluster")).get("nodes"))):
        if not isinstance(node, dict) or not node.get("name"):
            continue
        gpu = node.get("gpu")
        taints = tuple(
            Taint(
                str(t.get("key")),
                optional_str(t.get("value")) if "value" in t else None,
                str(t.get("effect")),
                ("spec", "cluster", "nodes", index, "taints", position),
            )
            for position, t in enumerate(sequence(node.get("taints")))
            if isinstance(t, dict)
        )
        nodes.append(
            Node(
                name=str(node["name"]),
                cpu=cast(Quantity, node.get("cpu", 0)),
                memory=cast(Quantity, node.get("memory", 0)),
                gpu=gpu if isinstance(gpu, int) and not isinstance(gpu, bool) else 0,
                labels={str(k): str(v) for k, v in mapping(node.get("labels")).items()},
                taints=taints,
                path=("spec", "cluster", "nodes", index),
            )
        )
    return tuple(nodes)


def read_kyverno(spec: Raw) -> Kyverno | None:
    kyverno = mapping(mapping(spec.get("policy")).get("kyverno"))
    if not kyverno:
        return None
    return Kyverno(
        version=str(kyverno.get("version", "")),
        exception_namespace=str(kyverno.get("exceptionNamespace", "kyverno")),
        policies={
            str(p): tuple(str(r) for r in sequence(rules))
            for p, rules in mapping(kyverno.get("policies")).items()
        },
        declared=tuple(
            DeclaredPolicy(
                name=str(name),
                annotations={str(k): str(v) for k, v in mapping(mapping(written).get("annotations")).items()},
                spec=mapping(mapping(written).get("spec")),
                path=("spec", "policy", "kyverno", "clusterPolicies", str(name)),
            )
            for name, written in sorted(mapping(kyverno.get("clusterPolicies")).items())
        ),
    )


def _conditions(written: object) -> tuple[StoreCondition, ...]:
    out: list[StoreCondition] = []
    for index, condition in enumerate(sequence(written)):
        if not isinstance(condition, dict):
            continue
        selector = mapping(condition.get("namespaceSelector"))
        labels = selector.get("matchLabels")
        out.append(
            StoreCondition(
                namespaces=tuple(str(n) for n in sequence(condition.get("namespaces"))),
                match_labels=_labels(labels) if "namespaceSelector" in condition else None,
                match_expressions=bool(selector.get("matchExpressions")),
                path=("spec", "secrets", "store", "conditions", index),
            )
        )
    return tuple(out)


def _labels(written: object) -> dict[str, str]:
    """`matchLabels`; a selector without them selects every namespace, as an empty selector does."""
    return {str(k): str(v) for k, v in written.items()} if isinstance(written, dict) else {}


def read_secrets(spec: Raw) -> Secrets:
    secrets = mapping(spec.get("secrets"))
    store_spec = secrets.get("store")
    store = None
    if isinstance(store_spec, dict):
        store = SecretStore(
            kind=str(store_spec.get("kind", "ClusterSecretStore")),
            name=str(store_spec.get("name", "platform")),
            written=store_spec,
            path=("spec", "secrets", "store"),
            conditions=_conditions(store_spec.get("conditions")),
        )
    items = {
        str(name): SecretItem(
            name=str(name),
            namespace=str(item.get("namespace")),
            store_path=optional_str(item.get("path")),
            keys=tuple(str(k) for k in sequence(item.get("keys"))),
            path=("spec", "secrets", "items", name),
        )
        for name, item in mapping(secrets.get("items")).items()
        if isinstance(item, dict)
    }
    return Secrets(store, optional_str(secrets.get("refreshInterval")), items)


def read_monitoring(spec: Raw) -> Monitoring:
    monitoring = mapping(spec.get("monitoring"))
    alerts = tuple(
        Alert(
            name=str(alert.get("name")),
            expr=str(alert.get("expr")),
            for_=optional_str(alert.get("for")) if alert.get("for") else None,
            severity=str(alert.get("severity", "warning")),
            summary=optional_str(alert.get("summary")) if alert.get("summary") else None,
            path=("spec", "monitoring", "alerts", index),
        )
        for index, alert in enumerate(sequence(monitoring.get("alerts")))
        if isinstance(alert, dict)
    )
    owner, metrics, logs = (monitoring.get(k) for k in ("application", "metricsBackend", "logsBackend"))
    return Monitoring(
        application=owner if isinstance(owner, str) else None,
        metrics_backend=metrics if isinstance(metrics, str) else None,
        logs_backend=logs if isinstance(logs, str) else None,
        dashboards=bool(monitoring.get("dashboards")),
        alerts=alerts,
    )


def read_namespaces(spec: Raw) -> dict[str, Namespace]:
    out: dict[str, Namespace] = {}
    written: Any = spec.get("namespaces")
    for name, namespace in mapping(written).items():
        body = mapping(namespace)
        quota = body.get("quota")
        out[str(name)] = Namespace(
            name=str(name),
            quota=Quota(read_amounts(quota.get("requests")), read_amounts(quota.get("limits")))
            if isinstance(quota, dict)
            else None,
            mesh=bool(body.get("mesh")),
            network_policy=optional_str(body.get("networkPolicy")),
            labels={str(k): str(v) for k, v in mapping(body.get("labels")).items()},
            path=("spec", "namespaces", name),
        )
    return out


def read_defaults(spec: Raw) -> Resources | None:
    return read_resources(mapping(spec.get("defaults")).get("resources"), ("spec", "defaults", "resources"))
