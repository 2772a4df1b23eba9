"""Every emitter, in one place, for one environment."""

from __future__ import annotations

from generator.emit.argocd import app_project, chart_application, root_application, system_applications
from generator.emit.argocd_bootstrap import emit_bootstrap
from generator.emit.argocd_names import PROJECT_FILE, ROOT_FILE
from generator.emit.charts import emit_application
from generator.emit.dashboards import DASHBOARDS_DIR, dashboard_objects
from generator.emit.kyverno import cluster_policy, cluster_policy_file, exception_name, policy_exception
from generator.emit.namespaces import namespace_objects
from generator.emit.readme import readme
from generator.emit.secret_files import has_secret_files, secret_files, secret_files_name
from generator.emit.secrets import external_secret
from generator.emit.tree import RenderedTree
from generator.model.types import Platform


def emit_platform(platform: Platform) -> RenderedTree:
    tree = RenderedTree()
    tree.add_text("README.md", readme(platform))
    tree.add_yaml(ROOT_FILE, root_application(platform))
    tree.add_yaml(PROJECT_FILE, app_project(platform))
    emit_bootstrap(platform, tree)
    for application in system_applications(platform):
        tree.add_yaml(f"argocd/{application['metadata']['name']}.yaml", application)
    for name, app in sorted(platform.applications.items()):
        if not app.enabled:
            continue
        tree.add_yaml(f"argocd/{name}.yaml", chart_application(platform, app))
        emit_application(platform, app, tree)
    for name, namespace in sorted(platform.namespaces.items()):
        tree.add_manifests(f"namespaces/{name}.yaml", namespace_objects(platform, namespace))
    for component in sorted(platform.components(), key=lambda c: (c.namespace, c.name)):
        exception = policy_exception(platform, component)
        if exception is not None:
            tree.add_yaml(f"policies/{exception_name(component)}.yaml", exception)
    for policy in platform.kyverno.declared if platform.kyverno is not None else ():
        tree.add_yaml(cluster_policy_file(policy), cluster_policy(policy))
    for name, item in sorted(platform.secrets.items.items()):
        tree.add_yaml(f"secrets/{item.namespace}/{name}.yaml", external_secret(platform, item))
    for component in platform.components():
        if has_secret_files(component) and platform.applications[component.app].enabled:
            name = secret_files_name(component)
            tree.add_yaml(f"secrets/{component.namespace}/{name}.yaml", secret_files(platform, component))
    for config_map in dashboard_objects(platform):
        tree.add_yaml(f"{DASHBOARDS_DIR}/{config_map['metadata']['name']}.yaml", config_map)
    return tree
