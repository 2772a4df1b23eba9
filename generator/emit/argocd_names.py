"""The names and destinations of Argo CD objects (see generator.emit.argocd)."""

from __future__ import annotations

from generator.emit.tree import Output
from generator.model.types import Platform

IN_CLUSTER = "https://kubernetes.default.svc"
# Where the tree has the root Application and the AppProject (bootstrap applies these files).
ROOT_FILE = "root.yaml"
PROJECT_FILE = "argocd/project.yaml"


def argocd_namespace(platform: Platform) -> str:
    return platform.gitops.argocd_namespace or "argocd"


def qualified(platform: Platform, name: str) -> str:
    """An Argo CD object's name: as is for an in-cluster Argo CD, `<name>-<env>` for a central one."""
    return f"{name}-{platform.env}" if platform.gitops.central else name


def project_name(platform: Platform) -> str:
    return qualified(platform, platform.gitops.project or "default")


def root_name(platform: Platform) -> str:
    return f"{platform.name}-{platform.env}"


def destination(platform: Platform, namespace: str) -> Output:
    """Where an Application deploys: `gitops.cluster`, by name or server; the in-cluster server by default."""
    if platform.gitops.cluster_name is not None:
        return {"name": platform.gitops.cluster_name, "namespace": namespace}
    return {"server": platform.gitops.cluster_server or IN_CLUSTER, "namespace": namespace}


def rendered_path(platform: Platform, *parts: str) -> str:
    base = platform.gitops.path.strip("/")
    return "/".join([base, platform.env, *parts])
