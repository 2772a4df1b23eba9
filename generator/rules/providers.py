"""Wiring to what serves the platform's objects: controllers and CRDs that are off (PC116), the
GitOps control plane's namespace (PC118), external hosts that are platform services (PC119)
and a secret store whose scope misses its items (PC408).

Which application installs a chart is `Platform.installers`, worked out once
for the environment, so a provider turned off by an overlay is seen here.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from generator.findings import Severity
from generator.load.document import YamlPath
from generator.model.conventions import namespace_labels
from generator.model.types import CLUSTER_DOMAIN, Component, Platform
from generator.rules.hostnames import platform_services, services_named
from generator.rules.registry import Hit, check, define
from generator.rules.values.scope import Condition, serves
from generator.rules.wiring import disabled_path

ERROR = Severity.ERROR
ARGOCD_CHART = "argo-cd"
DEFAULT_ARGOCD_NAMESPACE = "argocd"  # where platformc writes Applications when gitops names none


@dataclass(frozen=True)
class Provider:
    what: str  # the objects, as a person says it
    kind: str  # the object kind platformc renders
    charts: tuple[str, ...]  # charts any of which installs the controller or the CRD


_VELERO = Provider("backups", "Velero Schedule", ("velero",))
_EXTERNAL_SECRETS = Provider("secret items", "ExternalSecret", ("external-secrets",))
_PROMETHEUS_RULES = Provider(
    "alerts",
    "PrometheusRule",
    ("prometheus-operator-crds", "kube-prometheus-stack", "prometheus-operator", "kube-prometheus"),
)

define(
    "PC116",
    "wiring",
    ERROR,
    "Objects whose controller is off in this environment",
    why="""Backups render Velero Schedules, secret items ExternalSecrets (and the secret store),
    alerts a PrometheusRule. Each needs its CRD and its controller, which the platform installs
    with a chart: velero, external-secrets, and for PrometheusRules prometheus-operator-crds (or
    kube-prometheus-stack). When the component installing it is disabled in an environment (an
    overlay turning Velero off in dev) while the objects are still declared, the sync fails on
    the missing kind, or the objects sit unread: no backup runs, no Secret is made, no alert
    fires. Reported once per controller, at the overlay that disabled it. Objects whose
    controller no component of the platform installs at all (one already in the cluster, or
    none) are judged by verify's cluster stage (PC820) on the rendered tree.""",
    fix="Enable the controller in that environment, or drop the objects there (`backup: null`, the "
    "items, the alerts) in the same overlay.",
    bad="""
    # overlays/dev.yaml
    applications: {backup: {components: {velero: {enabled: false}}}}
    # while components still declare backup: {schedule: …}
    """,
    good="""
    # overlays/dev.yaml
    applications: {backup: {components: {velero: {enabled: false}}}}
    # and no component declares backup: in dev
    """,
)


def _objects(platform: Platform, provider: Provider) -> list[YamlPath]:
    """Where each object the provider serves is declared, in document order."""
    if provider is _VELERO:
        return [c.backup.path for c in platform.components() if c.kind == "workload" and c.backup is not None]
    if provider is _EXTERNAL_SECRETS:
        return [item.path for item in platform.secrets.items.values()]
    if platform.monitoring.application is None:
        return []  # no PrometheusRule is rendered
    return [alert.path for alert in platform.monitoring.alerts]


def _installed(platform: Platform, provider: Provider) -> bool:
    return any(chart in platform.installers for chart in provider.charts)


def _declared(platform: Platform, provider: Provider) -> Component | None:
    """A component of the platform (enabled or not here) that installs the provider."""
    for component in platform.components(enabled_only=False):
        if component.chart_name in provider.charts:
            return component
    return None


@check("PC116")
def objects_without_controller(platform: Platform) -> Iterator[Hit]:
    for provider in (_VELERO, _EXTERNAL_SECRETS, _PROMETHEUS_RULES):
        objects = _objects(platform, provider)
        owner = _declared(platform, provider) if objects and not _installed(platform, provider) else None
        if owner is None:
            continue  # installed here; or never installed by the platform (verify's PC820 judges those)
        count = (
            f"{len(objects)} {provider.what} render"
            if len(objects) > 1
            else f"1 {provider.what[:-1]} renders"
        )
        yield Hit(
            "PC116",
            f"{owner.id} is disabled in this environment, but {count} {provider.kind} objects it "
            f"serves; the sync fails on the missing kind or nothing reads them: enable it, or drop the "
            f"{provider.what} in this environment",
            disabled_path(platform, owner, objects[0]),
            prefer_key=True,
        )


define(
    "PC118",
    "wiring",
    ERROR,
    "GitOps control-plane namespace is not Argo CD's",
    why="""platformc writes the AppProject and every Application into
    `spec.gitops.argocd.namespace` (`argocd` when left out). Argo CD reads Applications only from
    the namespace it is installed in (unless apps-in-any-namespace is set up), so when the
    platform installs Argo CD (the argo-cd chart) in another application's namespace, no
    Application is ever synced. When the platform does not install Argo CD, the
    namespace is taken as that of an Argo CD already in the cluster, and need not be declared;
    when it does, the installing application's namespace must be declared (PC110), and the GitOps
    namespace must be that one.""",
    fix="Set `spec.gitops.argocd.namespace` to the namespace of the application installing argo-cd.",
    bad="""
    gitops: {argocd: {namespace: gitops}}
    applications: {argocd: {namespace: argocd, components: {argo-cd: {chart: {name: argo-cd}}}}}
    """,
    good="""
    gitops: {argocd: {namespace: argocd}}
    applications: {argocd: {namespace: argocd, components: {argo-cd: {chart: {name: argo-cd}}}}}
    """,
)


@check("PC118")
def gitops_namespace(platform: Platform) -> Iterator[Hit]:
    written = platform.gitops.argocd_namespace
    namespace = written or DEFAULT_ARGOCD_NAMESPACE
    path: YamlPath = ("spec", "gitops", "argocd", "namespace") if written else ("spec", "gitops")
    installer = platform.installer_of(ARGOCD_CHART)
    if installer is not None and installer.namespace != namespace:
        yield Hit(
            "PC118",
            f'the GitOps namespace is "{namespace}", but Argo CD is installed by application '
            f'{installer.name} in "{installer.namespace}"; it reads Applications only from its own '
            f'namespace, so nothing would sync: set spec.gitops.argocd.namespace to "{installer.namespace}"',
            path,
        )


define(
    "PC119",
    "wiring",
    ERROR,
    "External host that is a platform service",
    why="""An `external` component makes an ExternalName Service for something outside the
    platform. When its `host:` is the name of one of the platform's own Services
    (`postgres.data-platform.svc.cluster.local`, `postgres.data-platform`), it is a hand-written
    reference: it does not follow the service when it is renamed, moved or disabled, nothing
    orders it after its target, and its traffic is invisible to the network policies. `target:`
    makes the same Service from the component itself.""",
    fix="Replace `host:` with `target: <application>/<component>`.",
    bad="""
    warehouse-db:
      external: {host: postgres.data-platform.svc.cluster.local}
      ports: {postgres: 5432}
    """,
    good="""
    warehouse-db:
      external: {target: data-platform/postgres}
      ports: {postgres: 5432}
    """,
)


def _host_name(host: str) -> str:
    name = host.strip().lower().rstrip(".")
    name = name.rsplit("@", 1)[-1].split("/", 1)[0]
    return name.rsplit(":", 1)[0] if name.count(":") == 1 else name


@check("PC119")
def external_hosts(platform: Platform) -> Iterator[Hit]:
    services = None
    for component in platform.components():
        external = component.external
        if external is None or not external.host or "${" in external.host:
            continue
        services = services if services is not None else platform_services(platform)
        found = [
            s for s in services_named(services, _host_name(external.host)) if s.component is not component
        ]
        if found:
            target = found[0].component
            yield Hit(
                "PC119",
                f'{component.name}: external host "{external.host}" is the {found[0].form} of the '
                f"platform's own service {target.id} (<service>.<namespace>.{CLUSTER_DOMAIN}); write "
                f"`target: {target.id}` instead of `host:`, so it follows the service",
                (*external.path, "host"),
                component=component,
            )


define(
    "PC408",
    "secrets",
    ERROR,
    "Secret store cannot serve an item's namespace",
    why="""Each secret item becomes an ExternalSecret in the item's namespace that names the store.
    A `SecretStore` is namespaced: platformc creates it in the namespace of the application that
    installs external-secrets, and an ExternalSecret can use a SecretStore only in its own
    namespace. Items in any other namespace stay `SecretSyncedError` (store not found) and their
    Secrets are never made. A `ClusterSecretStore` serves every namespace unless it has
    `conditions`; then it serves a namespace only when one of them matches: `namespaces` names it,
    or `namespaceSelector.matchLabels` matches the labels the namespace is created with (its
    `labels`, `kubernetes.io/metadata.name`, and `istio-injection` in the mesh). A condition with
    `matchExpressions` is taken to match.""",
    fix="Make the store a `ClusterSecretStore` (or add the item's namespace to one of its conditions), "
    "or keep the items in the store's namespace.",
    bad="""
    store: {kind: SecretStore, name: vault-backend, vault: {…}}
    items:
      trino-s3: {namespace: data-platform, keys: [access-key]}
    """,
    good="""
    store: {kind: ClusterSecretStore, name: vault-backend, vault: {…}}
    items:
      trino-s3: {namespace: data-platform, keys: [access-key]}
    """,
)


@check("PC408")
def store_scope(platform: Platform) -> Iterator[Hit]:
    store = platform.secrets.store
    installer = platform.installer_of("external-secrets")
    if store is None or installer is None:
        return  # no installer is PC116's
    if store.kind == "SecretStore":
        yield from _namespaced_store(platform, store.name, installer.namespace)
        return
    conditions = [Condition(c.namespaces, c.match_labels, c.match_expressions) for c in store.conditions]
    for item in platform.secrets.items.values():
        declared = platform.namespace(item.namespace)
        labels = namespace_labels(declared) if declared is not None else {}
        if not serves(conditions, item.namespace, labels):
            yield Hit(
                "PC408",
                f'secret item {item.name} is in namespace "{item.namespace}", which none of the '
                f"ClusterSecretStore {store.name}'s conditions selects (neither its namespaces nor its "
                f"namespaceSelector); its ExternalSecret never syncs: add the namespace to a condition",
                (*item.path, "namespace"),
            )


def _namespaced_store(platform: Platform, store: str, namespace: str) -> Iterator[Hit]:
    for item in platform.secrets.items.values():
        if item.namespace != namespace:
            yield Hit(
                "PC408",
                f'secret item {item.name} is in namespace "{item.namespace}", but the store '
                f'{store} is a SecretStore in "{namespace}", which serves only its own '
                f"namespace; its ExternalSecret never syncs: make the store a ClusterSecretStore",
                (*item.path, "namespace"),
            )
