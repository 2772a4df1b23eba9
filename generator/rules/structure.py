"""Structure: names that break once platformc derives object names from them, ports, cron schedules.

The schema already holds every name to a DNS label; what it cannot see is the
name each one turns into (`<name>-headless`, `<namespace>-<component>`, a Helm
release) and the limits Kubernetes, Helm and Velero put on those.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from generator.findings import Severity
from generator.load.document import YamlPath
from generator.model.conventions import LIBRARY_CHART_NAME, config_key
from generator.model.graph import SYSTEM_APPS
from generator.model.types import Component, Platform
from generator.rules.registry import Hit, check, define
from generator.rules.support import replica_range

ERROR = Severity.ERROR

HELM_RELEASE_MAX = 53  # Helm refuses longer release names
LABEL_MAX = 63  # label values and DNS labels (Service names, pod hostnames)
SUBDOMAIN_MAX = 253  # object names that are DNS subdomains
# The controller-revision-hash label is `<statefulset>-<10-char hash>`; a CronJob's
# Jobs are `<cronjob>-<11-digit time>` and carry it as a label: both leave 52.
REVISION_NAME_MAX = 52
_DNS1035 = re.compile(r"^[a-z]([-a-z0-9]*[a-z0-9])?$")


def _too_long(component: Component, name: str, limit: int, what: str) -> Hit | None:
    if len(name) <= limit:
        return None
    shown = "the name" if name == component.name else f'its {what.split(" (")[0]} "{name}"'
    return Hit(
        "PC011",
        f"{component.name}: {shown} has {len(name)} characters, over the {limit} a {what} may have; "
        f"shorten the name",
        component.path,
        prefer_key=True,
    )


def _derived(component: Component, nodes: int) -> Iterator[tuple[str, int, str]]:
    """(derived name, its limit, what it is) for every object name built from this component's name."""
    name, kind = component.name, component.workload_type
    yield f"{component.namespace}-{name}", SUBDOMAIN_MAX, "PolicyException name"
    if component.kind != "workload":
        return
    if kind == "statefulset":
        yield name, REVISION_NAME_MAX, "StatefulSet name (its pods' controller-revision-hash label adds 11)"
        yield f"{name}-headless", LABEL_MAX, "headless Service name"
        last = max(replica_range(component, nodes)[1] - 1, 0)
        yield f"{name}-{last}", LABEL_MAX, "pod name and hostname"
        for volume in component.volumes:
            yield f"{volume.name}-{name}-{last}", SUBDOMAIN_MAX, "PersistentVolumeClaim name"
    elif kind == "cronjob":
        yield name, REVISION_NAME_MAX, "CronJob name (its Jobs add 11 characters)"
    else:
        for volume in component.volumes:
            yield f"{name}-{volume.name}", SUBDOMAIN_MAX, "PersistentVolumeClaim name"
    if component.files:
        yield f"{name}-files", SUBDOMAIN_MAX, "ConfigMap name"


define(
    "PC011",
    "structure",
    ERROR,
    "Name too long or invalid once prefixes are added",
    why="""Every name becomes part of other names: a StatefulSet's pods carry a
    `controller-revision-hash` label `<name>-<hash>` (so a StatefulSet name over 52
    characters is refused), a CronJob's Jobs add 11 characters, the headless Service is
    `<name>-headless`, pods are `<name>-<ordinal>`, volume claims `<claim>-<name>-<ordinal>`,
    the PolicyException `<namespace>-<component>`, the ConfigMap `<name>-files`, and an
    application is a Helm release (at most 53 characters). Service names must also start
    with a letter. A name that passes the schema can still produce an object the API server
    refuses, mid-sync.""",
    fix="Shorten or rename the component or application (and every reference to it).",
    bad="""
    data:
      type: statefulset
      image: docker.io/bitnami/postgresql:16.4.0
    # named: analytics-warehouse-postgresql-primary-replica-set-a (53 characters)
    """,
    good="""
    # named: warehouse-postgres
    """,
)


@check("PC011")
def derived_names(platform: Platform) -> Iterator[Hit]:
    nodes = len(platform.nodes)
    for name, app in platform.applications.items():
        if len(name) > HELM_RELEASE_MAX:
            yield Hit(
                "PC011",
                f"application {name}: the name is its Helm release name and has {len(name)} characters; "
                f"Helm allows at most {HELM_RELEASE_MAX}: shorten it",
                app.path,
                prefer_key=True,
            )
    for component in platform.components():
        found = next(
            (h for n, lim, what in _derived(component, nodes) if (h := _too_long(component, n, lim, what))),
            None,
        )
        if found is not None:
            yield found
            continue
        has_service = component.kind != "workload" or bool(component.ports)
        if has_service and not _DNS1035.match(component.service):
            yield Hit(
                "PC011",
                f'{component.name}: names a Service "{component.service}", and Service names must '
                f"start with a letter (DNS-1035); rename it",
                component.path,
                prefer_key=True,
            )
            continue
        for file in component.files:
            if len(config_key(file.mount)) > SUBDOMAIN_MAX:
                yield Hit(
                    "PC011",
                    f"{component.name}: the file path {file.mount[:40]}… becomes a ConfigMap key longer "
                    f"than {SUBDOMAIN_MAX} characters; mount it at a shorter path",
                    file.path,
                    prefer_key=True,
                )


define(
    "PC012",
    "structure",
    ERROR,
    "Reserved name",
    why="""Some names are taken by what platformc generates: an umbrella chart's values hold
    one key per component beside Helm's `global`; every chart
    carries the library chart `platformc-lib`; and ArgoCD Applications named
    `platform-namespaces`, `platform-policies`, `platform-secrets` and `<platform>-<env>`
    exist in every environment, `platform-dashboards` in those with generated dashboards.
    A component or application with one of these names would
    silently merge with, or overwrite, the generated one.""",
    fix="Rename the component or application.",
    bad="""
    components:
      global:
        image: docker.io/library/nginx:1.27.2
    """,
    good="""
    components:
      edge-proxy:
        image: docker.io/library/nginx:1.27.2
    """,
)


@check("PC012")
def reserved_names(platform: Platform) -> Iterator[Hit]:
    root_app = f"{platform.name}-{platform.env}"
    for name, app in platform.applications.items():
        if name in SYSTEM_APPS or name == root_app:
            yield Hit(
                "PC012",
                f'application {name}: the name "{name}" is taken by an ArgoCD Application platformc '
                f"generates ({', '.join(SYSTEM_APPS)}, {root_app}); rename the application",
                app.path,
                prefer_key=True,
            )
    for component in platform.components():
        if component.name == "global":
            yield Hit(
                "PC012",
                f'{component.name}: "global" is a reserved key in the values of the umbrella chart '
                f"(Helm shares it with every subchart); rename the component",
                component.path,
                prefer_key=True,
            )
        elif component.name == LIBRARY_CHART_NAME:
            yield Hit(
                "PC012",
                f'{component.name}: "{LIBRARY_CHART_NAME}" is the name of the library chart every '
                f"umbrella chart carries; rename the component",
                component.path,
                prefer_key=True,
            )


def _claims(platform: Platform) -> Iterator[tuple[str, str, str, Component, YamlPath]]:
    """(namespace, object kind, name, owner, where) for names platformc builds from two parts."""
    exceptions_ns = platform.exception_namespace
    velero = platform.installer_of("velero")
    for component in platform.components():
        if component.exceptions:
            yield (
                exceptions_ns,
                "PolicyException",
                f"{component.namespace}-{component.name}",
                component,
                component.path,
            )
        if component.kind == "workload" and component.backup is not None:
            namespace = velero.namespace if velero else "velero"
            yield (
                namespace,
                "Velero Schedule",
                f"{component.namespace}-{component.name}",
                component,
                component.path,
            )
        if component.kind == "workload" and component.workload_type != "statefulset":
            for volume in component.volumes:
                if not volume.empty_dir:
                    yield (
                        component.namespace,
                        "PersistentVolumeClaim",
                        f"{component.name}-{volume.name}",
                        component,
                        volume.path,
                    )


define(
    "PC013",
    "structure",
    ERROR,
    "Generated object names collide",
    why="""platformc joins two names into one for some objects: PolicyExceptions and Velero
    Schedules are `<namespace>-<component>` in one shared namespace, a Deployment's volume
    claim is `<component>-<volume>`. Two different pairs can join into the same name
    (`data` + `platform-api` and `data-platform` + `api`), and the second object replaces
    the first: an exception or a backup disappears without a word.""",
    fix="Rename one of the two components (or the volume).",
    bad="""
    # namespace data, component platform-api  -> PolicyException data-platform-api
    # namespace data-platform, component api  -> PolicyException data-platform-api
    """,
    good="""
    # rename one: namespace data, component ingest-api -> data-ingest-api
    """,
)


@check("PC013")
def derived_collisions(platform: Platform) -> Iterator[Hit]:
    owners: dict[tuple[str, str, str], Component] = {}
    for namespace, kind, name, component, path in _claims(platform):
        first = owners.setdefault((namespace, kind, name), component)
        if first is component or (first.name == component.name and first.namespace == component.namespace):
            continue  # the same name twice in one namespace is PC112's one finding
        yield Hit(
            "PC013",
            f'{component.name}: its {kind} would be named "{name}" in namespace {namespace}, the same '
            f"as that of {first.id}; one would overwrite the other: rename one of them",
            path,
            prefer_key=True,
        )


define(
    "PC014",
    "structure",
    ERROR,
    "Duplicate port number",
    why="""A component's ports become the ports of its container and its Service. Two port
    names with the same number are refused by the API server (`Duplicate value`), and a
    probe or reference could name either one.""",
    fix="Keep one name per port number; point probes and references at it.",
    bad="""
    ports: {http: 8080, web: 8080}
    """,
    good="""
    ports: {http: 8080}
    """,
)


@check("PC014")
def duplicate_ports(platform: Platform) -> Iterator[Hit]:
    for component in platform.components():
        seen: dict[int, str] = {}
        for name, number in component.declared_ports.items():
            if number in seen:
                yield Hit(
                    "PC014",
                    f"{component.name}: ports {seen[number]} and {name} are both {number}; a Service "
                    f"cannot expose one port number twice: remove or renumber {name}",
                    (*component.path, "ports", name),
                )
            seen.setdefault(number, name)
