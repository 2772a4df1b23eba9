"""Image and chart rules (PC301–PC399): where images come from, and fixed versions."""

from __future__ import annotations

from generator.findings import Severity
from generator.rules.engine import define

ERROR = Severity.ERROR

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
