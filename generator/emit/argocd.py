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
"""

from __future__ import annotations

from generator.emit.dashboards import DASHBOARDS_DIR
from generator.emit.meta import object_meta
from generator.emit.tree import Output
from generator.model.conventions import dashboards_application
from generator.model.graph import DASHBOARDS_APP, NAMESPACES_APP, POLICIES_APP, SECRETS_APP
from generator.model.types import Application, Platform

IN_CLUSTER = "https://kubernetes.default.svc"
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


def argocd_namespace(platform: Platform) -> str:
    return platform.gitops.argocd_namespace or "argocd"


def project_name(platform: Platform) -> str:
    return platform.gitops.project or "default"


def rendered_path(platform: Platform, *parts: str) -> str:
    base = platform.gitops.path.strip("/")
    return "/".join([base, platform.env, *parts])


def _sync_policy(*, prune: bool = True) -> Output:
    return {
        "automated": {"prune": prune, "selfHeal": True},
        "syncOptions": ["CreateNamespace=false", "SkipDryRunOnMissingResource=true"],
        "retry": {"limit": 5, "backoff": {"duration": "10s", "factor": 2, "maxDuration": "3m"}},
    }


def _application(
    platform: Platform,
    name: str,
    wave: int,
    source: Output,
    namespace: str,
    *,
    project: str | None = None,
) -> Output:
    meta = object_meta(name, argocd_namespace(platform), wave=wave)
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
            "destination": {"server": IN_CLUSTER, "namespace": namespace},
            "syncPolicy": _sync_policy(),
        },
    }


def chart_application(platform: Platform, app: Application) -> Output:
    source = {
        "path": rendered_path(platform, "apps", app.name),
        "helm": {"releaseName": app.name, "valueFiles": ["values.yaml"]},
    }
    application = _application(platform, app.name, app.wave, source, app.namespace)
    if app.server_side_apply:
        # objects too large for the last-applied annotation of client-side apply (PC821)
        application["spec"]["syncPolicy"]["syncOptions"].append("ServerSideApply=true")
    return application


def system_applications(platform: Platform) -> list[Output]:
    """Directory Applications for what platformc renders beside the charts; none points at nothing."""
    kyverno_ns = platform.exception_namespace
    apps = [
        _application(
            platform,
            NAMESPACES_APP,
            platform.system_waves[NAMESPACES_APP],
            {"path": rendered_path(platform, "namespaces")},
            argocd_namespace(platform),
        )
    ]
    declared = platform.kyverno is not None and platform.kyverno.declared
    if declared or any(c.exceptions for c in platform.components()):
        apps.append(
            _application(
                platform,
                POLICIES_APP,
                platform.system_waves[POLICIES_APP],
                {"path": rendered_path(platform, "policies")},
                kyverno_ns,
            )
        )
    if platform.secrets.items:
        apps.append(
            _application(
                platform,
                SECRETS_APP,
                platform.system_waves[SECRETS_APP],
                {"path": rendered_path(platform, "secrets"), "directory": {"recurse": True}},
                argocd_namespace(platform),
            )
        )
    monitoring = dashboards_application(platform)
    if monitoring is not None:  # Grafana's sidecar reads ConfigMaps in its own namespace
        apps.append(
            _application(
                platform,
                DASHBOARDS_APP,
                platform.system_waves[DASHBOARDS_APP],
                {"path": rendered_path(platform, DASHBOARDS_DIR)},
                monitoring.namespace,
            )
        )
    return apps


def root_application(platform: Platform) -> Output:
    """Bootstraps the environment; lives in `default` because it creates the project."""
    return _application(
        platform,
        f"{platform.name}-{platform.env}",
        0,
        {"path": rendered_path(platform, "argocd")},
        argocd_namespace(platform),
        project="default",
    )


def app_project(platform: Platform) -> Output:
    enabled = [app for app in platform.applications.values() if app.enabled]
    charts = [c.chart for app in enabled for c in app.enabled_components() if c.chart is not None]
    repos = sorted({platform.gitops.repo_url or ""} | {chart.repository for chart in charts})
    spec: Output = {
        "description": f"The {platform.name} platform ({platform.env}), generated by platformc",
        "sourceRepos": repos,
        "destinations": [{"server": IN_CLUSTER, "namespace": ns} for ns in rendered_namespaces(platform)],
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
    enabled = {name for name, app in platform.applications.items() if app.enabled}
    roles = []
    for role in sorted(platform.gitops.roles, key=lambda r: r.name):
        name, access, written = role.name, role.access or "read", role.applications
        # Only applications this environment renders; PC101 reports names that do not exist.
        apps = ["*"] if written is None else sorted(set(written) & enabled)
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
