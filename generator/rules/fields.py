"""Kubernetes field values: capabilities (PC509), Ingress paths (PC113), schedules that never fire
(PC023), file paths (PC706) and mount points used twice (PC707).

The judgement is generator.rules.values (kube, cron); this module finds the values
in the platform and says where they are.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from generator.findings import Severity
from generator.load.document import YamlPath, format_path
from generator.model.conventions import config_key
from generator.model.types import Component, Platform
from generator.rules.registry import Hit, check, define
from generator.rules.values.cron import never_fires
from generator.rules.values.kube import (
    capability_problem,
    file_path_problem,
    ingress_path_problem,
    repeated_mounts,
)

ERROR = Severity.ERROR

define(
    "PC509",
    "policy",
    ERROR,
    "Capability name Kubernetes does not accept",
    why="""Capabilities are written as Linux names them without the `CAP_` prefix (`NET_RAW`,
    `SYS_ADMIN`), or `ALL`. `CAP_NET_RAW` is refused by the container runtime
    (or passed through unrecognised, so Kyverno's capability policies judge a name they do
    not know), and a name that is not one of Linux's 41 capabilities (`NET_PING`) makes the
    container fail to start. Checked in `security.capabilities` and in chart values'
    `capabilities.add` and `capabilities.drop`.""",
    fix="Write the name from the Linux capability list without `CAP_` (the message suggests the closest).",
    bad="""
    security: {capabilities: [CAP_NET_RAW]}
    """,
    good="""
    security: {capabilities: [NET_RAW]}
    """,
)
define(
    "PC113",
    "wiring",
    ERROR,
    "Ingress path invalid for its pathType",
    why="""The Ingress platformc renders uses pathType Prefix; a chart's own `path` and `pathType`
    are judged the same way. Under Exact and Prefix, Kubernetes refuses a path that does not
    start with `/` or holds `//`, `/./`, `/../`, `%2F` or ends in `/.` or `/..`, and
    regular-expression syntax (`(`, `)`, `[`, `*`, `+`, `?`, `|`, `^`, `$`, `{`, `\\`) is matched
    literally, so `/api(/|$)(.*)` matches no request; ingress-nginx's admission webhook
    refuses it outright.""",
    fix="Write the plain prefix (`/api`); a chart that needs a regular expression takes pathType "
    "ImplementationSpecific.",
    bad="""
    ingress: {host: api, port: http, path: "/api(/|$)(.*)"}
    """,
    good="""
    ingress: {host: api, port: http, path: /api}
    """,
)
define(
    "PC023",
    "structure",
    ERROR,
    "Schedule that never fires",
    why="""A cron schedule can be well formed and still name only dates that do not exist: 30 or
    31 February, 31 April, June, September or November. With the day of week `*` or `?`,
    Kubernetes' and Velero's cron (robfig/cron) fires only on those dates, so the CronJob or
    backup never runs and nothing reports it. (With both the day of month and the day of week
    restricted, either one matches, and the schedule fires.) 29 February fires in leap years.""",
    fix="Pick a day every chosen month has: at most 28 for February, 30 for April, June, September "
    "and November.",
    bad="""
    schedule: "0 2 30 2 *"
    """,
    good="""
    schedule: "0 2 28 2 *"
    """,
)
define(
    "PC706",
    "rendering",
    ERROR,
    "File path Kubernetes refuses",
    why="""Each `files` entry is a ConfigMap key mounted at its path with `subPath`. A bare `/` would
    mount a file over the container's root; a `..` segment steps out of the directory it
    names; a path whose key starts with `..` (`/..data`) is refused as a ConfigMap key, since
    Kubernetes keeps such names for the files it writes itself.""",
    fix="Write the absolute path of the file itself, without `..` segments or a leading `..` name.",
    bad="""
    files:
      /etc/app/../app.conf: "…"
    """,
    good="""
    files:
      /etc/app.conf: "…"
    """,
)
define(
    "PC707",
    "rendering",
    ERROR,
    "Two mounts at one path",
    why="""A container's mount paths must be unique: two volumes, two files or a volume and a
    file at the same path (`/data` and `/data/` are one) make the API server refuse the pod
    with `must be unique`.""",
    fix="Mount one of them elsewhere, or drop the file the volume already provides.",
    bad="""
    volumes:
      data: {mount: /var/lib/app, size: 10Gi}
      cache: {mount: /var/lib/app/, emptyDir: true}
    """,
    good="""
    volumes:
      data: {mount: /var/lib/app, size: 10Gi}
      cache: {mount: /var/cache/app, emptyDir: true}
    """,
)


def _mappings(value: Any, path: YamlPath) -> Iterator[tuple[YamlPath, dict[str, Any]]]:
    """Every mapping in a value tree (chart values), with its path."""
    if isinstance(value, dict):
        yield path, value
        for key, item in value.items():
            yield from _mappings(item, (*path, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _mappings(item, (*path, index))


def _capabilities(component: Component) -> Iterator[tuple[YamlPath, Any]]:
    for index, name in enumerate(component.security.capabilities):
        yield (*component.security.path, "capabilities", index), name
    for path, mapping in _mappings(component.values, (*component.path, "values")):
        found = mapping.get("capabilities")
        lists: dict[str, Any] = found if isinstance(found, dict) else {}
        for which in ("add", "drop"):
            names = lists.get(which)
            for index, name in enumerate(names if isinstance(names, list) else []):
                yield (*path, "capabilities", which, index), name


@check("PC509")
def capability_names(platform: Platform) -> Iterator[Hit]:
    for component in platform.components():
        for path, name in _capabilities(component):
            problem = capability_problem(name) if isinstance(name, str) else None
            if problem is not None:
                yield Hit(
                    "PC509",
                    f"{component.name}: capability {name!r} {problem}; the container runtime refuses "
                    f"it (or Kyverno's capability policies do not recognise it)",
                    path,
                    component=component,
                )


def _ingress_paths(component: Component) -> Iterator[tuple[YamlPath, Any, Any]]:
    ingress = component.ingress
    if ingress is not None and ingress.url_path is not None:
        yield (*ingress.path, "path"), ingress.url_path, "Prefix"  # the library's pathType
    for path, mapping in _mappings(component.values, (*component.path, "values")):
        if "path" in mapping and "pathType" in mapping:
            yield (*path, "path"), mapping["path"], mapping["pathType"]


@check("PC113")
def ingress_paths(platform: Platform) -> Iterator[Hit]:
    for component in platform.components():
        for path, written, path_type in _ingress_paths(component):
            if not isinstance(written, str) or not isinstance(path_type, str):
                continue
            problem = ingress_path_problem(written, path_type)
            if problem is not None:
                yield Hit(
                    "PC113",
                    f"{component.name}: Ingress path {written!r} {problem}; write the plain prefix "
                    f"(`/api`), or a chart's pathType ImplementationSpecific for a regular expression",
                    path,
                    component=component,
                )


def _schedules(component: Component) -> Iterator[tuple[tuple[str, ...], str]]:
    """(where, schedule) of a CronJob's own schedule and a backup's."""
    if component.schedule is not None and component.workload_type == "cronjob":
        yield ("schedule",), component.schedule
    if component.backup is not None:
        yield ("backup", "schedule"), component.backup.schedule


@check("PC023")
def schedules_that_never_fire(platform: Platform) -> Iterator[Hit]:
    for component in platform.components():
        for where, schedule in _schedules(component):
            dates = never_fires(schedule)
            if dates is not None:
                yield Hit(
                    "PC023",
                    f'{component.name}: {" ".join(where[:-1] + ("schedule",))} "{schedule}" only fires on '
                    f"{dates}, a date that does not exist, so it never runs; pick a day every chosen "
                    f"month has (at most 28 for February, 30 for April, June, September and November)",
                    (*component.path, *where),
                    component=component,
                )


def _mounts(component: Component) -> list[tuple[YamlPath, str]]:
    """(path in the document, mount path) for the container's volumes and files, in that order."""
    mounts: list[tuple[YamlPath, str]] = [((*v.path, "mount"), v.mount) for v in component.volumes]
    mounts.extend((f.path, f.mount) for f in component.files)
    return mounts


@check("PC706", "PC707")
def mount_paths(platform: Platform) -> Iterator[Hit]:
    for component in platform.components():
        if component.kind != "workload":
            continue
        mounts = _mounts(component)
        for path, mount in mounts:
            problem = file_path_problem(mount, config_key(mount)) if path[-2] == "files" else None
            if problem is not None:
                yield Hit(
                    "PC706",
                    f"{component.name}: file {mount!r} {problem}",
                    path,
                    prefer_key=True,
                    component=component,
                )
        for index, earlier in repeated_mounts([mount for _, mount in mounts]):
            path, mount = mounts[index]
            yield Hit(
                "PC707",
                f"{component.name}: {mount!r} is mounted twice in one container (also by "
                f"{format_path(mounts[earlier][0][len(component.path) :])}); Kubernetes refuses the pod: "
                f"mount one of them elsewhere",
                path,
                prefer_key=path[-2] == "files",
                component=component,
            )
