"""Clustered engines: recognising them by image, and judging their cluster settings."""

from __future__ import annotations

import pytest

from generator.rules.values.clustering import (
    Excess,
    engine_of,
    kafka_excesses,
    kafka_setting,
    quorum_members,
    release_of,
    single_node,
)


@pytest.mark.parametrize(
    ("image", "engine"),
    [
        ("docker.io/bitnami/kafka:3.7.0", "kafka"),
        ("docker.io/confluentinc/cp-kafka:7.7.1", "kafka"),
        ("docker.io/elastic/elasticsearch:8.15.2", "elasticsearch"),
        ("docker.io/opensearchproject/opensearch:2.17.1", "opensearch"),
        ("docker.io/bitnami/zookeeper:3.9.2@sha256:" + "a" * 64, "zookeeper"),
        ("docker.io/provectuslabs/kafka-ui:v0.7.2", None),
        ("docker.io/danielqsj/kafka-exporter:v1.8.0", None),
        (None, None),
    ],
)
def test_engines_are_recognised_by_the_last_segment_of_the_repository(
    image: str | None, engine: str | None
) -> None:
    assert engine_of(image) == engine


def test_kafka_settings_are_read_under_bitnami_and_apache_names() -> None:
    assert kafka_setting("KAFKA_CFG_MIN_INSYNC_REPLICAS") == "min.insync.replicas"
    assert kafka_setting("KAFKA_OFFSETS_TOPIC_REPLICATION_FACTOR") == "offsets.topic.replication.factor"
    assert kafka_setting("KAFKA_CFG_NUM_PARTITIONS") is None
    assert kafka_setting("JAVA_OPTS") is None


def test_replication_above_the_brokers_is_an_excess_and_equal_is_not() -> None:
    env = {"KAFKA_CFG_DEFAULT_REPLICATION_FACTOR": "3", "KAFKA_CFG_OFFSETS_TOPIC_REPLICATION_FACTOR": 3}
    assert kafka_excesses(env, 3) == []
    assert kafka_excesses(env, 2) == [
        Excess("KAFKA_CFG_DEFAULT_REPLICATION_FACTOR", "default.replication.factor", 3, 2, "brokers"),
        Excess(
            "KAFKA_CFG_OFFSETS_TOPIC_REPLICATION_FACTOR", "offsets.topic.replication.factor", 3, 2, "brokers"
        ),
    ]


def test_min_insync_above_its_replication_factor_is_an_excess() -> None:
    env = {"KAFKA_DEFAULT_REPLICATION_FACTOR": "2", "KAFKA_MIN_INSYNC_REPLICAS": "3"}
    [excess] = kafka_excesses(env, 5)
    assert (excess.setting, excess.wanted, excess.available) == ("min.insync.replicas", 3, 2)
    assert kafka_excesses({**env, "KAFKA_MIN_INSYNC_REPLICAS": "2"}, 5) == []


def test_values_that_are_not_counts_are_not_judged() -> None:
    assert kafka_excesses({"KAFKA_CFG_DEFAULT_REPLICATION_FACTOR": "${ref:x}"}, 1) == []
    assert kafka_excesses({"KAFKA_CFG_DEFAULT_REPLICATION_FACTOR": True}, 0) == []


def test_single_node_settings() -> None:
    assert single_node("elasticsearch", {"discovery.type": "single-node"}) == "discovery.type=single-node"
    assert single_node("elasticsearch", {"discovery.seed_hosts": "es-0,es-1"}) is None
    assert single_node("zookeeper", {}) == "no ZOO_SERVERS"
    assert single_node("zookeeper", {"ZOO_STANDALONE_ENABLED": "true"}) == "ZOO_STANDALONE_ENABLED=true"
    assert single_node("zookeeper", {"ZOO_SERVERS": "zk-0:2888:3888 zk-1:2888:3888"}) is None
    assert single_node("kafka", {}) is None


def test_quorum_members_are_listed_by_comma_or_space() -> None:
    assert quorum_members("elasticsearch", {"cluster.initial_master_nodes": "es-0, es-1,es-2"}) == (
        "cluster.initial_master_nodes",
        ["es-0", "es-1", "es-2"],
    )
    assert quorum_members("zookeeper", {"ZOO_SERVERS": ""}) is None


@pytest.mark.parametrize(
    ("image", "release"),
    [
        ("docker.io/apache/dolphinscheduler-master:3.2.2", ("dolphinscheduler", "3.2.2")),
        ("docker.io/trinodb/trino:457", ("trino", "457")),
        ("docker.io/apache/doris:fe-2.1.7", ("doris", "2.1.7")),
        ("docker.io/apache/doris:be-2.1.7", ("doris", "2.1.7")),
        ("docker.io/rayproject/ray:2.37.0-py311", ("ray", "2.37.0")),
        ("docker.io/acryldata/datahub-gms:v0.14.1", ("datahub", "0.14.1")),
        ("docker.io/acryldata/datahub-ingestion:v0.14.1", None),
        ("docker.io/trinodb/trino@sha256:" + "b" * 64, None),
        ("docker.io/bitnami/postgresql:16.4.0", None),
    ],
)
def test_releases_of_engine_parts(image: str, release: tuple[str, str] | None) -> None:
    assert release_of(image) == release
