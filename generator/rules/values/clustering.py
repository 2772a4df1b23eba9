"""Clustered engines: which engine an image is, what its settings say about the cluster's size.

Each engine reads its cluster settings from env vars under its own naming
scheme; these functions take the image and the env as written and return plain
answers, so a rule needs no engine knowledge and a test needs no platform.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

# The last segment of an image's repository -> the engine it runs.
_ENGINES = (
    (re.compile(r"^(cp-)?kafka$"), "kafka"),
    (re.compile(r"^elasticsearch$"), "elasticsearch"),
    (re.compile(r"^opensearch$"), "opensearch"),
    (re.compile(r"^(cp-)?zookeeper$"), "zookeeper"),
)
# Kafka broker settings that count copies of a partition: none may exceed the brokers.
KAFKA_REPLICATION = (
    "default.replication.factor",
    "offsets.topic.replication.factor",
    "transaction.state.log.replication.factor",
    "min.insync.replicas",
    "transaction.state.log.min.isr",
)
# Each minimum in-sync setting and the replication factor it must not exceed.
_KAFKA_ISR = {
    "min.insync.replicas": "default.replication.factor",
    "transaction.state.log.min.isr": "transaction.state.log.replication.factor",
}


def repository(image: str) -> tuple[str, str]:
    """`docker.io/bitnami/kafka:3.7.0` -> (`kafka`, `3.7.0`); a digest-only image has no tag."""
    name = image.split("@", 1)[0]
    last = name.rsplit("/", 1)[-1]
    base, _, tag = last.partition(":")
    return base, tag


def engine_of(image: str | None) -> str | None:
    """The clustered engine an image runs (kafka, elasticsearch, opensearch, zookeeper), if any."""
    if not image:
        return None
    base, _ = repository(image)
    return next((engine for pattern, engine in _ENGINES if pattern.match(base)), None)


def kafka_setting(env_name: str) -> str | None:
    """`KAFKA_CFG_MIN_INSYNC_REPLICAS` (Bitnami) or `KAFKA_MIN_INSYNC_REPLICAS` (Apache, Confluent)
    -> `min.insync.replicas`, when it is a replication setting."""
    for prefix in ("KAFKA_CFG_", "KAFKA_"):
        if env_name.startswith(prefix):
            setting = env_name[len(prefix) :].lower().replace("_", ".")
            return setting if setting in KAFKA_REPLICATION else None
    return None


def count(value: object) -> int | None:
    """A whole number as an env var writes it (`"3"`, 3), or None."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, str) and value.strip().isdigit():
        return int(value.strip())
    return None


@dataclass(frozen=True)
class Excess:
    """A setting that asks for more copies than there are: `setting` = `wanted` > `available` (`of`)."""

    env: str
    setting: str
    wanted: int
    available: int
    of: str  # what `available` counts: "brokers" or another setting's name


def kafka_excesses(env: Mapping[str, object], brokers: int) -> list[Excess]:
    """Kafka replication settings above the brokers, and minimum in-sync replicas above their factor."""
    found: dict[str, tuple[str, int]] = {}
    for name, value in env.items():
        setting, number = kafka_setting(name), count(value)
        if setting is not None and number is not None:
            found.setdefault(setting, (name, number))
    out: list[Excess] = []
    for setting, (name, number) in found.items():
        factor = found.get(_KAFKA_ISR.get(setting, ""))
        if number > brokers:
            out.append(Excess(name, setting, number, brokers, "brokers"))
        elif factor is not None and number > factor[1]:
            out.append(Excess(name, setting, number, factor[1], factor[0]))
    return out


def listed(value: object) -> list[str]:
    """`a,b c` or a YAML list -> the names in it (ES's initial master nodes, ZooKeeper's servers)."""
    if isinstance(value, list):
        return [str(v) for v in value if str(v).strip()]
    if isinstance(value, str):
        return [part for part in re.split(r"[,\s]+", value) if part]
    return []


def single_node(engine: str, env: Mapping[str, object]) -> str | None:
    """The setting that makes one pod a whole cluster on its own, as `name=value`, or None.

    Elasticsearch and OpenSearch with `discovery.type=single-node` never look for other
    nodes; a ZooKeeper without `ZOO_SERVERS` runs standalone (Bitnami's and the official
    image alike), and `ZOO_STANDALONE_ENABLED=true` with no servers keeps it so.
    """
    if engine in ("elasticsearch", "opensearch"):
        value = env.get("discovery.type", env.get("DISCOVERY_TYPE"))
        return f"discovery.type={value}" if str(value).lower() == "single-node" else None
    if engine == "zookeeper" and not listed(env.get("ZOO_SERVERS")):
        standalone = env.get("ZOO_STANDALONE_ENABLED")
        return "ZOO_STANDALONE_ENABLED=true" if str(standalone).lower() == "true" else "no ZOO_SERVERS"
    return None


def quorum_members(engine: str, env: Mapping[str, object]) -> tuple[str, list[str]] | None:
    """(env var, members) of the nodes an engine waits for to form its cluster, where it names them."""
    keys = {
        "elasticsearch": ("cluster.initial_master_nodes", "CLUSTER_INITIAL_MASTER_NODES"),
        "opensearch": ("cluster.initial_cluster_manager_nodes", "cluster.initial_master_nodes"),
        "zookeeper": ("ZOO_SERVERS",),
    }.get(engine, ())
    for key in keys:
        members = listed(env.get(key))
        if members:
            return key, members
    return None


# ---------------------------------------------------------------------------- versions of one cluster

# The last segment of a repository -> the engine cluster its pods belong to (parts built from one release).
_FAMILIES = (
    (re.compile(r"^dolphinscheduler-(api|master|worker|alert-server|tools)$"), "dolphinscheduler"),
    (re.compile(r"^trino$"), "trino"),
    (re.compile(r"^spark(-py|-r)?$"), "spark"),
    (re.compile(r"^ray(-ml)?$"), "ray"),
    (re.compile(r"^doris([.-](fe|be|broker)(-ubuntu)?)?$"), "doris"),
    (re.compile(r"^datahub-(gms|frontend-react|mce-consumer|mae-consumer|upgrade)$"), "datahub"),
    (re.compile(r"^flink$"), "flink"),
)
_VERSION = re.compile(r"(?<![0-9.])v?([0-9]+(?:\.[0-9]+)+|[0-9]{2,})(?![0-9])")


def release_of(image: str | None) -> tuple[str, str] | None:
    """(engine cluster, release) of an image: `apache/dolphinscheduler-master:3.2.2` ->
    (`dolphinscheduler`, `3.2.2`); Doris's `fe-2.1.7` and `be-2.1.7` are both `2.1.7`."""
    if not image:
        return None
    base, tag = repository(image)
    family = next((name for pattern, name in _FAMILIES if pattern.match(base)), None)
    version = _VERSION.search(tag)
    if family is None or version is None:
        return None
    return family, version.group(1)
