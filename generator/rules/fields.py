"""Kubernetes field values: capabilities (PC509), Ingress paths (PC113), schedules that never fire
(PC023), file paths (PC706) and mount points used twice (PC707).

The judgement is generator.rules.values (kube, cron); this module finds the values
in the platform and says where they are.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from generator.load.document import YamlPath, format_path
from generator.model.conventions import config_key
from generator.model.types import Component, Platform
from generator.rules.engine import Hit, check
from generator.rules.values.cron import never_fires
from generator.rules.values.kube import (
    capability_problem,
    file_path_problem,
    ingress_path_problem,
    repeated_mounts,
)


def _get(platform: Platform, component: Component, *path: str | int) -> Any:
    return platform.doc.get((*component.path, *path))


def _mappings(value: Any, path: YamlPath) -> Iterator[tuple[YamlPath, dict[str, Any]]]:
    """Every mapping in a value tree (chart values), with its path."""
    if isinstance(value, dict):
        yield path, value
        for key, item in value.items():
            yield from _mappings(item, (*path, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _mappings(item, (*path, index))


def _capabilities(platform: Platform, component: Component) -> Iterator[tuple[YamlPath, Any]]:
    added = _get(platform, component, "security", "capabilities")
    for index, name in enumerate(added if isinstance(added, list) else []):
        yield (*component.path, "security", "capabilities", index), name
    values = _get(platform, component, "values")
    for path, mapping in _mappings(values, (*component.path, "values")):
        found = mapping.get("capabilities")
        lists: dict[str, Any] = found if isinstance(found, dict) else {}
        for which in ("add", "drop"):
            names = lists.get(which)
            for index, name in enumerate(names if isinstance(names, list) else []):
                yield (*path, "capabilities", which, index), name


@check("PC509")
def capability_names(platform: Platform) -> Iterator[Hit]:
    for component in platform.components():
        for path, name in _capabilities(platform, component):
            problem = capability_problem(name) if isinstance(name, str) else None
            if problem is not None:
                yield Hit(
                    "PC509",
                    f"{component.name}: capability {name!r} {problem}; the container runtime refuses "
                    f"it (or Kyverno's capability policies do not recognise it)",
                    path,
                    component=component,
                )


def _ingress_paths(platform: Platform, component: Component) -> Iterator[tuple[YamlPath, Any, Any]]:
    ingress = _get(platform, component, "ingress")
    if isinstance(ingress, dict) and "path" in ingress:
        yield (*component.path, "ingress", "path"), ingress["path"], "Prefix"  # the library's pathType
    for path, mapping in _mappings(_get(platform, component, "values"), (*component.path, "values")):
        if "path" in mapping and "pathType" in mapping:
            yield (*path, "path"), mapping["path"], mapping["pathType"]


@check("PC113")
def ingress_paths(platform: Platform) -> Iterator[Hit]:
    for component in platform.components():
        for path, written, path_type in _ingress_paths(platform, component):
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


@check("PC023")
def schedules_that_never_fire(platform: Platform) -> Iterator[Hit]:
    for component in platform.components():
        for where in (("schedule",), ("backup", "schedule")):
            schedule = _get(platform, component, *where)
            dates = never_fires(schedule) if isinstance(schedule, str) else None
            if dates is not None and (where != ("schedule",) or component.workload_type == "cronjob"):
                yield Hit(
                    "PC023",
                    f'{component.name}: {" ".join(where[:-1] + ("schedule",))} "{schedule}" only fires on '
                    f"{dates}, a date that does not exist, so it never runs; pick a day every chosen "
                    f"month has (at most 28 for February, 30 for April, June, September and November)",
                    (*component.path, *where),
                    component=component,
                )


def _mounts(platform: Platform, component: Component) -> list[tuple[YamlPath, str]]:
    """(path in the document, mount path) for the container's volumes and files, in that order."""
    mounts: list[tuple[YamlPath, str]] = []
    volumes = _get(platform, component, "volumes")
    for name, volume in (volumes or {}).items() if isinstance(volumes, dict) else ():
        if isinstance(volume, dict) and isinstance(volume.get("mount"), str):
            mounts.append(((*component.path, "volumes", name, "mount"), volume["mount"]))
    files = _get(platform, component, "files")
    for file in (files or {}) if isinstance(files, dict) else ():
        mounts.append(((*component.path, "files", file), str(file)))
    return mounts


@check("PC706", "PC707")
def mount_paths(platform: Platform) -> Iterator[Hit]:
    for component in platform.components():
        if component.kind != "workload":
            continue
        mounts = _mounts(platform, component)
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
