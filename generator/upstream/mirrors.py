"""Chart repository mirrors: which mirror `platformc vendor` fetches an upstream repository through.

A mirror maps an upstream repository URL (or `*`, every repository: the one
virtual repository air-gapped sites proxy everything through) to where its charts
can be had: an HTTP chart repository (`http(s)://`, Artifactory, Harbor's
ChartMuseum, a static server), an OCI registry (`oci://`, charts pulled as
`<mirror>/<name>`), or a directory holding a chart repository (`index.yaml` and
the archives).

Mirrors come from three places, consulted in this order; the first that maps a
repository (exactly, else through `*`) wins:

1. `platformc vendor --mirror UPSTREAM=MIRROR` (repeatable);
2. the environment: `PLATFORMC_CHART_MIRRORS`, `UPSTREAM=MIRROR` pairs separated by blanks;
3. `spec.charts.mirrors` in platform.yaml.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

ENV_VAR = "PLATFORMC_CHART_MIRRORS"
EVERY_REPOSITORY = "*"
OPTION = "--mirror"

Kind = Literal["http", "oci", "directory"]


class MirrorError(ValueError):
    """A mirror given on the command line or in the environment that cannot be used."""


@dataclass(frozen=True)
class Mirror:
    """Where one upstream repository is fetched from instead; `origin` says who said so."""

    location: str  # the URL, or the directory made absolute
    kind: Kind
    origin: str  # "platform.yaml", "--mirror" or ENV_VAR
    written: str = ""  # as it was written, for messages (a relative directory stays relative)

    @property
    def recorded(self) -> str:
        """What the lock records: the mirror as platform.yaml writes it, or only where it was given.

        A mirror given on the command line or in the environment belongs to the
        machine that ran `platformc vendor`; recording its address would make the
        lock differ with whoever vendored.
        """
        return str(self) if self.origin == "platform.yaml" else f"given with {self.origin}"

    def __str__(self) -> str:
        return self.written or self.location


@dataclass(frozen=True)
class MirrorSource:
    """The mirrors of one origin, upstream (normalised) -> mirror."""

    origin: str
    mirrors: Mapping[str, Mirror]

    def find(self, repository: str) -> Mirror | None:
        return self.mirrors.get(normalise(repository)) or self.mirrors.get(EVERY_REPOSITORY)


@dataclass(frozen=True)
class Mirrors:
    """Every origin's mirrors, first one first."""

    sources: tuple[MirrorSource, ...] = ()

    def find(self, repository: str) -> Mirror | None:
        """The mirror to fetch `repository` through; None: fetch it from the repository itself."""
        for source in self.sources:
            mirror = source.find(repository)
            if mirror is not None:
                return mirror
        return None

    def with_declared(self, declared: MirrorSource) -> Mirrors:
        return Mirrors((*self.sources, declared))


def normalise(repository: str) -> str:
    return repository if repository == EVERY_REPOSITORY else repository.strip().rstrip("/")


def mirror(location: str, origin: str, base: Path) -> Mirror:
    """A mirror from how it is written: a URL, or a directory relative to `base`."""
    text = location.strip()
    if text.startswith(("http://", "https://")):
        return Mirror(text.rstrip("/"), "http", origin)
    if text.startswith("oci://"):
        return Mirror(text.rstrip("/"), "oci", origin)
    path = Path(text.removeprefix("file://"))
    return Mirror(str(base / path if not path.is_absolute() else path), "directory", origin, text)


def parse_pairs(pairs: Iterable[str], origin: str, base: Path) -> MirrorSource:
    """`UPSTREAM=MIRROR` pairs (command line or environment); MirrorError for one that is not."""
    mirrors: dict[str, Mirror] = {}
    for pair in pairs:
        upstream, equals, location = pair.partition("=")
        upstream = upstream.strip()
        if not equals or not location.strip():
            raise MirrorError(f"{origin} {pair!r}: write UPSTREAM=MIRROR, or *=MIRROR for every repository")
        if upstream != EVERY_REPOSITORY and not upstream.startswith(("http://", "https://", "oci://")):
            raise MirrorError(
                f"{origin} {pair!r}: the upstream is a repository URL (https://…, oci://…) or *"
            )
        mirrors[normalise(upstream)] = mirror(location, origin, base)
    return MirrorSource(origin, mirrors)


def declared(spec_mirrors: object, root: Path) -> MirrorSource:
    """`spec.charts.mirrors` of a schema-valid platform; a directory is relative to the platform's root."""
    mirrors: dict[str, Mirror] = {}
    if isinstance(spec_mirrors, Mapping):
        for upstream, location in spec_mirrors.items():
            mirrors[normalise(str(upstream))] = mirror(str(location), "platform.yaml", root)
    return MirrorSource("platform.yaml", mirrors)


def overrides(options: Sequence[str], environment: Mapping[str, str], cwd: Path) -> Mirrors:
    """The mirrors given on the command line, then in the environment (directories relative to `cwd`)."""
    given = parse_pairs(options, OPTION, cwd)
    from_env = parse_pairs(environment.get(ENV_VAR, "").split(), ENV_VAR, cwd)
    return Mirrors(tuple(source for source in (given, from_env) if source.mirrors))
