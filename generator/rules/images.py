"""Images and charts: where every image comes from, and that every version is fixed."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from generator.model.types import Platform
from generator.rules.engine import Hit, check, did_you_mean

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
                path,
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
