"""The ArgoCD side: AppProject, one Application per application, and the root app-of-apps.

The AppProject is the boundary of what the platform's Applications may do,
and it is exactly what the platform renders: sources are the GitOps repository
and the chart repositories in use; destinations are the namespaces something
is rendered into, never one the platform does not declare (the directory
Applications point at ArgoCD's own namespace, which `gitops.argocd.namespace`
declares, at Kyverno's for the exceptions and at the monitoring application's
for the dashboards); cluster-scoped kinds are the ones platformc renders itself
(Namespace, the ClusterSecretStore) plus, for upstream charts, an explicit list
of the cluster-scoped kinds charts install: CRDs, cluster RBAC and admission
webhooks for any chart, and per chart the extra kinds it is known to make
(`CHART_CLUSTER_KINDS`). A chart that needs another kind fails to sync with
"not permitted in project": add it to that table rather than widening to `*`.
Roles come from `gitops.argocd.roles`.

Names and destinations: with `gitops.argocd.runs: in-cluster` (the default) Argo CD runs
in the environment's own cluster and the names are the application names; with
`central`, one Argo CD manages every environment, so each Application and the AppProject
carry the environment (`<name>-<env>`; the root's name has it already). The destination
is `gitops.cluster` (`server` or `name`), the in-cluster server by default; the root
always deploys into Argo CD's own cluster, where the Applications live.

Finalizers (data safety, docs/argocd.md): an application's Application has Argo CD's
cascade finalizer, so dropping the application deletes its objects (Namespaces and
PersistentVolumeClaims excepted: they carry `Delete=false`). The root and the namespaces
Applications have none: deleting the root leaves every Application and what it deployed
in place, and deleting the namespaces Application leaves the Namespaces with their quotas
and default-deny policies.
"""

from __future__ import annotations

from generator.emit.argocd_diffing import diff_ignores, ignore_differences, secret_ignores
from generator.emit.argocd_names import (
    IN_CLUSTER,
    argocd_namespace,
    destination,
    project_name,
    qualified,
    rendered_path,
    root_name,
)
from generator.emit.dashboards import DASHBOARDS_DIR
from generator.emit.meta import object_meta
from generator.emit.tree import Output
from generator.model.conventions import dashboards_application
from generator.model.diffing import DiffIgnore
from generator.model.graph import DASHBOARDS_APP, NAMESPACES_APP, POLICIES_APP, SECRETS_APP
from generator.model.types import Application, Platform

FINALIZER = "resources-finalizer.argocd.argoproj.io"
# access -> (resource, action) pairs. Logs are a resource of their own since Argo CD 2.4,
# enforced by default since 3.0.
ACCESS_ACTIONS: dict[str, list[tuple[str, str]]] = {
    "admin": [("applications", "*"), ("logs", "get")],
    "sync": [("applications", "get"), ("applications", "sync"), ("logs", "get")],
    "read": [("applications", "get"), ("logs", "get")],
}
Kind = tuple[str, str]  # (API group, kind)
# What any upstream chart may install cluster-wide: its CRDs, cluster RBAC and admission webhooks.
UPSTREAM_CLUSTER_KINDS: tuple[Kind, ...] = (
    ("admissionregistration.k8s.io", "MutatingWebhookConfiguration"),
    ("admissionregistration.k8s.io", "ValidatingWebhookConfiguration"),
    ("apiextensions.k8s.io", "CustomResourceDefinition"),
    ("rbac.authorization.k8s.io", "ClusterRole"),
    ("rbac.authorization.k8s.io", "ClusterRoleBinding"),
)
# Cluster-scoped kinds particular charts install beyond those, by chart name.
CHART_CLUSTER_KINDS: dict[str, tuple[Kind, ...]] = {
    "ingress-nginx": (("networking.k8s.io", "IngressClass"),),
    "kong": (("networking.k8s.io", "IngressClass"),),
    "kyverno-policies": (("kyverno.io", "ClusterPolicy"),),
    "metrics-server": (("apiregistration.k8s.io", "APIService"),),
    "prometheus-adapter": (("apiregistration.k8s.io", "APIService"),),
    "longhorn": (
        ("scheduling.k8s.io", "PriorityClass"),
        ("storage.k8s.io", "CSIDriver"),
        ("storage.k8s.io", "StorageClass"),
    ),
    "local-path-provisioner": (("storage.k8s.io", "StorageClass"),),
}


def _sync_policy(*, server_side: bool = True) -> Output:
    """Automated sync with pruning and self-heal; retried with exponential backoff.

    ServerSideApply: objects too large for client-side apply's last-applied annotation
    (PC821) apply, and fields other managers own are left to them. PruneLast: what is
    removed goes only after everything else of the sync is applied and healthy.
    RespectIgnoreDifferences: the fields `ignoreDifferences` names are not overwritten on
    sync either, so a controller's value (an injected caBundle) stays.
    """
    options = ["CreateNamespace=false", "SkipDryRunOnMissingResource=true", "PruneLast=true"]
    if server_side:
        options.append("ServerSideApply=true")
    return {
        "automated": {"prune": True, "selfHeal": True},
        "syncOptions": options,
        "retry": {"limit": 5, "backoff": {"duration": "10s", "factor": 2, "maxDuration": "3m"}},
    }


def _application(
    platform: Platform,
    name: str,
    wave: int,
    source: Output,
    dest: Output,
    *,
    project: str | None = None,
    finalizer: bool = True,
) -> Output:
    meta = object_meta(name, argocd_namespace(platform), wave=wave)
    if finalizer:
        meta["finalizers"] = [FINALIZER]
    return {
        "apiVersion": "argoproj.io/v1alpha1",
        "kind": "Application",
        "metadata": meta,
        "spec": {
            "project": project or project_name(platform),
            "source": {
                "repoURL": platform.gitops.repo_url or "",
                "targetRevision": platform.gitops.target_revision or "HEAD",
                **source,
            },
            "destination": dest,
            "syncPolicy": _sync_policy(),
        },
    }


def chart_application(platform: Platform, app: Application) -> Output:
    source = {
        "path": rendered_path(platform, "apps", app.name),
        "helm": {"releaseName": app.name, "valueFiles": ["values.yaml"]},
    }
    name = qualified(platform, app.name)
    application = _application(platform, name, app.wave, source, destination(platform, app.namespace))
    application["spec"]["syncPolicy"] = _sync_policy(server_side=app.server_side_apply)
    _ignore(application, diff_ignores(platform, app))
    return application


def _ignore(application: Output, ignores: list[DiffIgnore]) -> None:
    """`ignoreDifferences`, and RespectIgnoreDifferences so a sync leaves those fields alone too."""
    if ignores:
        application["spec"]["ignoreDifferences"] = ignore_differences(ignores)
        application["spec"]["syncPolicy"]["syncOptions"].append("RespectIgnoreDifferences=true")


def system_applications(platform: Platform) -> list[Output]:
    """Directory Applications for what platformc renders beside the charts; none points at nothing."""
    kyverno_ns = platform.exception_namespace
    apps = [
        _application(
            platform,
            qualified(platform, NAMESPACES_APP),
            platform.system_waves[NAMESPACES_APP],
            {"path": rendered_path(platform, "namespaces")},
            destination(platform, argocd_namespace(platform)),
            finalizer=False,  # deleting it leaves the Namespaces, their quotas and default-deny
        )
    ]
    declared = platform.kyverno is not None and platform.kyverno.declared
    if declared or any(c.exceptions for c in platform.components()):
        apps.append(
            _application(
                platform,
                qualified(platform, POLICIES_APP),
                platform.system_waves[POLICIES_APP],
                {"path": rendered_path(platform, "policies")},
                destination(platform, kyverno_ns),
            )
        )
    if platform.secrets.items:
        apps.append(
            _application(
                platform,
                qualified(platform, SECRETS_APP),
                platform.system_waves[SECRETS_APP],
                {"path": rendered_path(platform, "secrets"), "directory": {"recurse": True}},
                destination(platform, argocd_namespace(platform)),
            )
        )
        _ignore(apps[-1], secret_ignores(platform))
    monitoring = dashboards_application(platform)
    if monitoring is not None:  # Grafana's sidecar reads ConfigMaps in its own namespace
        apps.append(
            _application(
                platform,
                qualified(platform, DASHBOARDS_APP),
                platform.system_waves[DASHBOARDS_APP],
                {"path": rendered_path(platform, DASHBOARDS_DIR)},
                destination(platform, monitoring.namespace),
            )
        )
    return apps


def root_application(platform: Platform) -> Output:
    """Bootstraps the environment; lives in `default` because it creates the project.

    It deploys Applications, so into Argo CD's own cluster whatever `gitops.cluster` says,
    and has no finalizer: deleting it deletes nothing else.
    """
    return _application(
        platform,
        root_name(platform),
        0,
        {"path": rendered_path(platform, "argocd")},
        {"server": IN_CLUSTER, "namespace": argocd_namespace(platform)},
        project="default",
        finalizer=False,
    )


def app_project(platform: Platform) -> Output:
    enabled = [app for app in platform.applications.values() if app.enabled]
    charts = [c.chart for app in enabled for c in app.enabled_components() if c.chart is not None]
    repos = sorted({platform.gitops.repo_url or ""} | {chart.repository for chart in charts})
    spec: Output = {
        "description": f"The {platform.name} platform ({platform.env}), generated by platformc",
        "sourceRepos": repos,
        "destinations": [destination(platform, ns) for ns in rendered_namespaces(platform)],
        "clusterResourceWhitelist": [{"group": g, "kind": k} for g, k in cluster_kinds(platform)],
        "namespaceResourceWhitelist": [{"group": "*", "kind": "*"}],
    }
    roles = _roles(platform)
    if roles:
        spec["roles"] = roles
    return {
        "apiVersion": "argoproj.io/v1alpha1",
        "kind": "AppProject",
        "metadata": object_meta(project_name(platform), argocd_namespace(platform), wave=-1),
        "spec": spec,
    }


def rendered_namespaces(platform: Platform) -> list[str]:
    """Every namespace an Application of the project writes into, if the platform declares it."""
    found = {argocd_namespace(platform), platform.exception_namespace}
    found |= {app.namespace for app in platform.applications.values() if app.enabled}
    for name, namespace in platform.namespaces.items():
        if namespace.quota or namespace.enforced:
            found.add(name)  # ResourceQuota, LimitRange, default-deny
    found |= {item.namespace for item in platform.secrets.items.values()}
    velero = platform.installer_of("velero")
    if velero is not None:
        found.add(velero.namespace)  # every component's backup Schedule
    declared = set(platform.namespaces) | {argocd_namespace(platform)}
    return sorted(found & declared)


def cluster_kinds(platform: Platform) -> list[Kind]:
    """The cluster-scoped kinds the project's Applications render, platformc's own and upstream charts'."""
    kinds: set[Kind] = {("", "Namespace")}
    store = platform.secrets.store
    if store is not None and store.kind == "ClusterSecretStore" and platform.installer_of("external-secrets"):
        kinds.add(("external-secrets.io", "ClusterSecretStore"))
    if platform.kyverno is not None and platform.kyverno.declared:
        kinds.add(("kyverno.io", "ClusterPolicy"))  # the platform's own, in the policies application
    for app in platform.applications.values():
        for component in app.enabled_components() if app.enabled else []:
            if component.chart is not None:
                kinds.update(UPSTREAM_CLUSTER_KINDS)
                kinds.update(CHART_CLUSTER_KINDS.get(component.chart.name, ()))
    return sorted(kinds)


def _roles(platform: Platform) -> list[Output]:
    project = project_name(platform)
    enabled = {qualified(platform, name) for name, app in platform.applications.items() if app.enabled}
    roles = []
    for role in sorted(platform.gitops.roles, key=lambda r: r.name):
        name, access, written = role.name, role.access or "read", role.applications
        # Only applications this environment renders; PC101 reports names that do not exist.
        apps = ["*"] if written is None else sorted({qualified(platform, a) for a in written} & enabled)
        policies = [
            f"p, proj:{project}:{name}, {resource}, {action}, {project}/{app}, allow"
            for app in apps
            for resource, action in ACCESS_ACTIONS.get(access, ACCESS_ACTIONS["read"])
        ]
        groups = list(role.groups)
        scope = (
            "all applications" if written is None else ", ".join(apps) or "no application in this environment"
        )
        roles.append(
            {
                "name": name,
                "description": f"{access} access to {scope}, for {', '.join(groups)}",
                "groups": groups,
                "policies": policies,
            }
        )
    return roles
