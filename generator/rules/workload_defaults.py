"""The workload defaults a reviewer expects, and the order jobs run in.

Probes on long-running workloads behind a Service (PC615), a numeric user and
group wherever the pod runs as non-root (PC516), and hook jobs that run before
or after what needs them (PC130). Each default is turned off in platform.yaml
with its reason beside it (`probes: {none: true, reason: …}`), or the warning
is accepted with `ignore:`; see docs/language.md.
"""

from __future__ import annotations

from collections.abc import Iterator

from generator.findings import Severity
from generator.load.document import YamlPath
from generator.model.graph import component_dependencies
from generator.model.types import Component, Platform
from generator.rules.registry import Hit, check, define
from generator.rules.support import workloads

ERROR, WARNING = Severity.ERROR, Severity.WARNING
# Workload types whose pods run until stopped; jobs and cronjobs run to completion.
LONG_RUNNING = frozenset({"deployment", "statefulset", "daemonset"})


define(
    "PC615",
    "availability",
    WARNING,
    "Long-running workload behind a Service without probes",
    why="""A workload that serves ports gets a Service, and the Service sends traffic to every
    pod that is running unless a readiness probe says it is not ready yet: requests reach a pod
    that is still starting. Without a liveness probe a pod that hangs keeps its place for ever.
    Jobs and cronjobs run to completion and need neither.""",
    fix="""Add `probes: {readiness: …, liveness: …}` on the product's health endpoint (HTTP where it
    has one, `{tcp: <port>}` where it has none), or write `probes: {none: true, reason: "…"}`
    when the workload has no way to say it is healthy.""",
    bad="""
    ports: {http: 8088}
    probes:
      readiness: {http: /health, port: http}
    """,
    good="""
    ports: {http: 8088}
    probes:
      readiness: {http: /health, port: http}
      liveness: {http: /health, port: http}
    """,
)


@check("PC615")
def probes_on_served_workloads(platform: Platform) -> Iterator[Hit]:
    for component in workloads(platform):
        if component.workload_type not in LONG_RUNNING or not component.ports or component.no_probes:
            continue
        missing = [which for which in ("readiness", "liveness") if component.probe(which) is None]
        if not missing:
            continue
        written = "probes" in component.source
        yield Hit(
            "PC615",
            f"{component.name}: serves {', '.join(component.ports)} behind a Service but has no "
            f"{' or '.join(missing)} probe; add probes.{missing[0]} on its health endpoint "
            '(or `probes: {none: true, reason: "…"}` when it has none)',
            (*component.path, "probes") if written else component.path,
            prefer_key=True,
            component=component,
        )


define(
    "PC516",
    "policy",
    WARNING,
    "Non-root pod without a numeric user and group",
    why="""platformc sets `runAsNonRoot: true` on every pod that does not run as root. The kubelet
    then checks the image's USER before it starts the container, and it can only check a number:
    an image whose Dockerfile says `USER superset` never starts ("container has runAsNonRoot and
    image has non-numeric user"). An explicit `runAsUser` and `runAsGroup` decide the ids in the
    manifest instead of in the image, and make the volumes' group (fsGroup) the image's own.""",
    fix="""Set `security: {runAsUser: <uid>, runAsGroup: <gid>}` to the ids the image's Dockerfile
    creates its user with (`id` inside the image shows them).""",
    bad="""
    image: docker.io/apache/superset:4.0.2
    """,
    good="""
    image: docker.io/apache/superset:4.0.2
    security: {runAsUser: 1000, runAsGroup: 1000}
    """,
)


@check("PC516")
def numeric_user_and_group(platform: Platform) -> Iterator[Hit]:
    for component in workloads(platform):
        security = component.security
        if security.runs_as_root:
            continue
        missing = [
            key
            for key, value in (("runAsUser", security.run_as_user), ("runAsGroup", security.run_as_group))
            if value is None
        ]
        if not missing:
            continue
        written = "security" in component.source
        yield Hit(
            "PC516",
            f"{component.name}: runs as non-root without a numeric {' or '.join(missing)}; the kubelet "
            f"cannot verify an image's named USER: set security.{missing[0]} to the image's own id",
            security.path if written else component.path,
            prefer_key=True,
            component=component,
        )


define(
    "PC130",
    "wiring",
    ERROR,
    "Job hook runs in the wrong order for its dependencies",
    why="""Argo CD runs an application's PreSync hooks before anything else of that application
    exists, the Sync phase in sync-wave order, and PostSync hooks only once everything else is
    healthy. A PreSync job that needs a component of its own application runs before that
    component is created (the first install fails); a component that needs a PostSync job of its
    own application can never come after it. A hook job deletes its objects before its next run,
    so a persistent volume on it would lose its data on every sync.""",
    fix="""Make a migration that needs a database of its own application a `Sync` hook (it then runs
    in the wave after the database and before what depends on it), move what it needs to an
    application synced earlier, or make the dependent job PreSync or Sync; give a hook job
    `emptyDir` volumes only.""",
    bad="""
    superset-init:
      type: job
      job: {hook: PreSync}
      dependsOn: [postgres]      # postgres is in the same application
    """,
    good="""
    superset-init:
      type: job
      job: {hook: Sync}
      dependsOn: [postgres]
    """,
)


@check("PC130")
def hook_order(platform: Platform) -> Iterator[Hit]:
    for component in workloads(platform):
        yield from _needs_later_hook(platform, component)
        if component.hook == "PreSync":
            yield from _presync_needs_own_application(platform, component)
        if component.hook is not None:
            for volume in component.volumes:
                if not volume.empty_dir:
                    yield Hit(
                        "PC130",
                        f"{component.name}: a {component.hook} hook's objects are deleted before each "
                        f"run, so volume {volume.name} would lose its data; use emptyDir, or a "
                        f"component that keeps the volume",
                        volume.path,
                        prefer_key=True,
                        component=component,
                    )


def _needs_later_hook(platform: Platform, component: Component) -> Iterator[Hit]:
    """A component of the same application that needs a PostSync job, and is not a PostSync hook itself."""
    if component.hook == "PostSync":
        return
    for target_id in component_dependencies(component):
        target = platform.find(target_id)
        if target is None or target.app != component.app or target.hook != "PostSync":
            continue
        yield Hit(
            "PC130",
            f"{component.name}: needs {target.name}, a PostSync job, which runs only after everything "
            f"else of application {component.app} is healthy; make {target.name} a Sync hook "
            f"(it then runs in the wave before {component.name})",
            _dependency_path(component, target),
            prefer_key=True,
            component=component,
        )


def _presync_needs_own_application(platform: Platform, component: Component) -> Iterator[Hit]:
    for target_id in component_dependencies(component):
        target = platform.find(target_id)
        if target is None or target.app != component.app or target.hook == "PreSync" or not target.enabled:
            continue
        yield Hit(
            "PC130",
            f"{component.name}: a PreSync job runs before anything else of application "
            f"{component.app} exists, but it needs {target.name}; make it a Sync hook (it then runs "
            f"in the wave after {target.name}), or move {target.name} to an application synced earlier",
            _dependency_path(component, target),
            prefer_key=True,
            component=component,
        )


def _dependency_path(component: Component, target: Component) -> YamlPath:
    """Where `component` names `target`: its dependsOn entry, else its `job:` (a reference in text)."""
    for dependency in component.dependencies:
        if dependency.target == target.id:
            return dependency.path
    if component.job is not None:
        return component.job.path
    return component.path
