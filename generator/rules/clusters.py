"""Clustered engines: copies above the pods that hold them (PC206), one-pod clusters run several
times (PC207), and parts of one cluster on different releases (PC308).

Engines are recognised by image (generator.rules.values.clustering), as
generator.rules.engine_config recognises DolphinScheduler; their settings are
the env vars each image reads. The judgements are pure functions there.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator

from generator.findings import Severity
from generator.load.document import YamlPath
from generator.model.types import Component, Platform
from generator.rules.registry import Hit, check, define
from generator.rules.support import replica_range
from generator.rules.values.clustering import (
    engine_of,
    kafka_excesses,
    quorum_members,
    release_of,
    single_node,
)

ERROR = Severity.ERROR

define(
    "PC206",
    "engines",
    ERROR,
    "Replication above the engine's replica count",
    why="""An engine cluster cannot keep more copies than it has members. Kafka's
    `default.replication.factor`, `offsets.topic.replication.factor` and
    `transaction.state.log.replication.factor` above the broker count make topic creation fail
    (the consumer offsets topic among them, so no consumer group ever joins); `min.insync.replicas`
    (or `transaction.state.log.min.isr`) above the brokers or above the replication factor
    makes every `acks=all` write fail with NotEnoughReplicas. Elasticsearch's
    `cluster.initial_master_nodes`, OpenSearch's `cluster.initial_cluster_manager_nodes` and
    ZooKeeper's `ZOO_SERVERS` naming more members than the environment runs leave the cluster
    waiting forever for a quorum. Settings are read from env vars as each image takes them
    (`KAFKA_CFG_*` for Bitnami, `KAFKA_*` for Apache and Confluent); the member count is the
    fewest pods the environment runs (`replicas`, or the autoscaler's minimum). An overlay that
    lowers `replicas` and not the settings is the usual cause.""",
    fix="Lower the setting to the member count (or below it), or run more replicas in that environment.",
    bad="""
    kafka:
      replicas: 1
      env: {KAFKA_CFG_OFFSETS_TOPIC_REPLICATION_FACTOR: "3"}
    """,
    good="""
    kafka:
      replicas: 1
      env: {KAFKA_CFG_OFFSETS_TOPIC_REPLICATION_FACTOR: "1"}
    """,
)

define(
    "PC207",
    "engines",
    ERROR,
    "Single-node engine run with several replicas",
    why="""An engine configured to be a cluster of one ignores its peers: Elasticsearch and
    OpenSearch with `discovery.type=single-node`, a ZooKeeper without `ZOO_SERVERS` (or with
    `ZOO_STANDALONE_ENABLED=true` and no servers). Run with several replicas, each pod forms its
    own cluster behind one Service: writes land on one of them at random and reads see a
    different data set each time.""",
    fix="Run one replica in that environment, or configure the cluster (remove `discovery.type` and "
    "set the seed hosts and initial master nodes; list every server in `ZOO_SERVERS`).",
    bad="""
    elasticsearch:
      replicas: 3
      env: {discovery.type: single-node}
    """,
    good="""
    elasticsearch:
      replicas: 1
      env: {discovery.type: single-node}
    """,
)

define(
    "PC308",
    "images",
    ERROR,
    "Parts of one engine cluster on different releases",
    why="""The coordinator and workers of Trino, the masters and workers of Spark, Ray, Doris and
    DolphinScheduler, DataHub's services and Flink's job and task managers speak an internal
    protocol that changes between releases: a Trino worker of another version is refused by the
    coordinator, a Spark executor of another version fails to deserialise its tasks, a
    DolphinScheduler worker of another release misreads the registry. Components of one
    application that run images of one engine must run the same release (read from the tag,
    so Doris's `fe-2.1.7` and `be-2.1.7` agree). An overlay that upgrades one part only is the
    usual cause.""",
    fix="Give every part of the cluster the same release (the message names the one most of them run).",
    bad="""
    trino-coordinator: {image: docker.io/trinodb/trino:457}
    trino-worker: {image: docker.io/trinodb/trino:455}
    """,
    good="""
    trino-coordinator: {image: docker.io/trinodb/trino:457}
    trino-worker: {image: docker.io/trinodb/trino:457}
    """,
)


def _env(component: Component) -> dict[str, object]:
    return {e.name: e.value for e in component.env if e.secret is None}


def _replicas_path(component: Component) -> YamlPath:
    if component.autoscaling is not None:
        return component.autoscaling.path
    return (*component.path, "replicas") if component.replicas is not None else component.path


def _engines(platform: Platform) -> Iterator[tuple[Component, str, int, int]]:
    """(component, engine, fewest pods, most pods) of every clustered engine's workload."""
    for component in platform.components():
        engine = engine_of(component.image) if component.kind == "workload" else None
        if engine is not None:
            low, high = replica_range(component, len(platform.nodes))
            yield component, engine, low, high


@check("PC206")
def replication_above_members(platform: Platform) -> Iterator[Hit]:
    for component, engine, low, _ in _engines(platform):
        env = _env(component)
        if engine == "kafka":
            for excess in kafka_excesses(env, low):
                above = (
                    f"the {excess.available} broker{'s' if excess.available != 1 else ''} of this environment"
                    if excess.of == "brokers"
                    else f"its replication factor ({excess.of}={excess.available})"
                )
                yield Hit(
                    "PC206",
                    f"{component.name}: {excess.env} sets {excess.setting}={excess.wanted}, above {above}; "
                    f"Kafka refuses the writes (topic creation, or acks=all produce with "
                    f"NotEnoughReplicas): lower it to at most {excess.available}",
                    (*component.path, "env", excess.env),
                    component=component,
                )
            continue
        quorum = quorum_members(engine, env)
        if quorum is not None and len(quorum[1]) > low:
            key, members = quorum
            yield Hit(
                "PC206",
                f"{component.name}: {key} names {len(members)} members, but this environment runs "
                f"{low} replica{'s' if low != 1 else ''}; the cluster waits for members that never "
                f"start and never forms: list the pods that run, or run more replicas",
                (*component.path, "env", key),
                component=component,
            )


@check("PC207")
def single_node_with_replicas(platform: Platform) -> Iterator[Hit]:
    for component, engine, _, high in _engines(platform):
        setting = single_node(engine, _env(component)) if high > 1 else None
        if setting is not None:
            yield Hit(
                "PC207",
                f"{component.name}: {engine} is configured as a cluster of one ({setting}) but runs up to "
                f"{high} replicas; each pod forms its own cluster behind one Service: run one replica, "
                f"or configure the cluster",
                _replicas_path(component),
                component=component,
            )


@check("PC308")
def cluster_releases(platform: Platform) -> Iterator[Hit]:
    for app in platform.applications.values():
        parts: dict[str, list[tuple[Component, str]]] = {}
        for component in app.enabled_components():
            found = release_of(component.image) if component.kind == "workload" else None
            if found is not None:
                parts.setdefault(found[0], []).append((component, found[1]))
        for engine, members in parts.items():
            yield from _skew(engine, members)


def _skew(engine: str, members: list[tuple[Component, str]]) -> Iterator[Hit]:
    releases = Counter(release for _, release in members)
    if len(releases) < 2:
        return
    usual = releases.most_common(1)[0][0]  # ties: the release declared first
    peers = [c.name for c, release in members if release == usual]
    for component, release in members:
        if release != usual:
            yield Hit(
                "PC308",
                f"{component.name}: runs {engine} {release}, but {', '.join(peers)} of the same cluster "
                f"run{'s' if len(peers) == 1 else ''} {usual}; parts of one {engine} cluster on "
                f"different releases refuse each other: use {usual} (or upgrade them all)",
                (*component.path, "image"),
                component=component,
            )
