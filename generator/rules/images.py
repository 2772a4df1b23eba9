"""Images and charts: where every image comes from, and that every version is fixed."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from generator.findings import Severity
from generator.model.types import Platform
from generator.rules.registry import Hit, check, define, did_you_mean
from generator.rules.support import caused_by

ERROR = Severity.ERROR

_DIGEST = re.compile(r"^[a-z0-9]+(?:[+._-][a-z0-9]+)*:[a-fA-F0-9]{32,}$")
_EXACT_VERSION = re.compile(r"^v?[0-9]+\.[0-9]+\.[0-9]+(?:-[0-9A-Za-z.-]+)?(?:\+[0-9A-Za-z.-]+)?$")


@dataclass(frozen=True)
class ImageName:
    registry: str | None  # None: the first segment is not a registry host
    repository: str  # everything before the tag
    tag: str | None
    digest: str | None


def parse_image(image: str) -> ImageName:
    """`docker.io/bitnami/redis:7.2.5@sha256:…` split the way container runtimes read it."""
    rest, _, digest = image.partition("@")
    slash = rest.rfind("/")
    colon = rest.rfind(":")
    tag = rest[colon + 1 :] if colon > slash else None
    repository = rest[:colon] if tag is not None else rest
    first, sep, _ = repository.partition("/")
    # Docker's rule: a first segment is a registry only with a dot, a port, or as localhost.
    registry = first if sep and ("." in first or ":" in first or first == "localhost") else None
    return ImageName(registry, repository, tag, digest or None)


def _allowed(image: str, registries: list[str]) -> bool:
    return any(image.startswith(registry.rstrip("/") + "/") for registry in registries)


define(
    "PC301",
    "images",
    ERROR,
    "Image not fully qualified",
    why="""An image without a registry (`bitnami/redis:7.2.5`) is pulled from whatever registry
    the node's runtime defaults to, usually Docker Hub: rate limits, mirrors and policies
    disagree between nodes, and the allow-list of registries cannot be checked.""",
    fix="Write the registry as the first segment: `docker.io/bitnami/redis:7.2.5` "
    "(`docker.io/library/<name>` for official images).",
    bad="""
    image: bitnami/redis:7.2.5
    """,
    good="""
    image: docker.io/bitnami/redis:7.2.5
    """,
)

define(
    "PC302",
    "images",
    ERROR,
    "Image from a registry the platform does not allow",
    why="""`spec.registries` lists the only registries images may come from (mirrored, scanned,
    reachable from the cluster). An image from elsewhere may be unreachable from the nodes, or
    bypass the scanning the list stands for.""",
    fix="Use a copy in an allowed registry, or add the registry to `spec.registries` after review.",
    bad="""
    image: registry.example.com/team/api:1.4.0
    """,
    good="""
    image: harbor.254carbon.com/team/api:1.4.0
    """,
)

define(
    "PC303",
    "images",
    ERROR,
    "Image uses :latest",
    why="""`latest` moves: each node pulls whatever it is at pull time, so replicas run different
    builds, a restart changes the code, and rollback has nothing to return to. ArgoCD also
    cannot see the change.""",
    fix="Pin a version tag (or a digest).",
    bad="""
    image: docker.io/trinodb/trino:latest
    """,
    good="""
    image: docker.io/trinodb/trino:457
    """,
)

define(
    "PC304",
    "images",
    ERROR,
    "Image without tag or digest",
    why="""An image with neither a tag nor a digest means `:latest`, with all its problems; a
    malformed digest is refused by the runtime.""",
    fix="Add a version tag or a `@sha256:<64 hex digits>` digest.",
    bad="""
    image: docker.io/apache/superset
    """,
    good="""
    image: docker.io/apache/superset:4.0.2
    """,
)


@check("PC301", "PC302", "PC303", "PC304")
def images(platform: Platform) -> Iterator[Hit]:
    registries = list(platform.registries)
    for component in platform.components():
        image = component.image
        if component.kind != "workload" or image is None:
            continue
        path = (*component.path, "image")
        name = parse_image(image)
        if name.registry is None:
            pinned = (
                image if name.digest or name.tag not in (None, "latest") else f"{name.repository}:<version>"
            )
            implied = f"docker.io/{pinned}" if "/" in name.repository else f"docker.io/library/{pinned}"
            yield Hit(
                "PC301",
                f'{component.name}: image "{image}" does not name its registry, so the runtime picks '
                f'one (Docker Hub); write it fully qualified, e.g. "{implied}"',
                path,
            )
            continue
        if not _allowed(image, registries):
            hosts = [r.split("/")[0] for r in registries]
            yield Hit(
                "PC302",
                f'{component.name}: image "{image}" comes from {name.registry}, which is not in '
                f"spec.registries{did_you_mean(name.registry, hosts)} "
                f"(allowed: {', '.join(registries) or 'none'}); use a mirror in an allowed registry or add "
                f"the registry",
                **caused_by(platform, path, ("spec", "registries")),
            )
            continue
        if name.digest is not None and not _DIGEST.match(name.digest):
            yield Hit(
                "PC304",
                f'{component.name}: image "{image}" has a malformed digest; write @sha256:<64 hex digits>',
                path,
            )
        elif name.tag == "latest" and name.digest is None:
            yield Hit(
                "PC303",
                f'{component.name}: image "{image}" uses the tag "latest", which moves: every node may '
                f"run a different build; pin a version tag or a digest",
                path,
            )
        elif name.tag is None and name.digest is None:
            yield Hit(
                "PC304",
                f'{component.name}: image "{image}" has no tag or digest, so it means :latest; pin a '
                f"version, e.g. {image}:<version>",
                path,
            )


define(
    "PC305",
    "images",
    ERROR,
    "Upstream chart version not pinned",
    why="""A chart version range (`^1.2`, `~1`, `>=3.0`, `*`, `1.x`) or a partial version (`1.2`)
    lets every render fetch a different chart: environments drift apart and a chart release
    can change production without a commit.""",
    fix="Write one exact version, `MAJOR.MINOR.PATCH` (a `v` prefix is fine if the chart uses it).",
    bad="""
    chart: {repository: https://kyverno.github.io/kyverno, name: kyverno, version: ^3.2}
    """,
    good="""
    chart: {repository: https://kyverno.github.io/kyverno, name: kyverno, version: 3.2.7}
    """,
)


@check("PC305")
def chart_versions(platform: Platform) -> Iterator[Hit]:
    for component in platform.components():
        chart = component.chart
        if component.kind != "chart" or chart is None:
            continue
        version = chart.version.strip()
        if _EXACT_VERSION.match(version):
            continue
        if not version:
            why = "is empty"
        elif re.search(r"[\^~<>=*|, ]|(^|\.)[xX](\.|$)", version):
            why = "is a range, so each render may fetch a different chart"
        else:
            why = "is not a full MAJOR.MINOR.PATCH version, so Helm reads it as a range"
        yield Hit(
            "PC305",
            f'{component.name}: chart version "{version}" {why}; pin an exact version such as "1.2.3"',
            (*chart.path, "version"),
        )
