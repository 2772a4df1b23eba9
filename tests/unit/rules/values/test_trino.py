"""Trino catalog properties judged against the documented lists."""

from __future__ import annotations

import pytest

from generator.rules.values.trino import REST_CATALOG_PROPERTIES, S3_PROPERTIES, unknown_property


@pytest.mark.parametrize(
    ("connector", "key"),
    [
        ("iceberg", "s3.endpoint"),
        ("iceberg", "s3.aws-access-key"),
        ("iceberg", "s3.security-mapping.config-file"),
        ("iceberg", "iceberg.rest-catalog.uri"),
        ("iceberg", "iceberg.rest-catalog.oauth2.token"),
        ("iceberg", "iceberg.catalog.type"),
        ("iceberg", "hive.metastore.uri"),
        ("delta_lake", "hive.metastore.uri"),
        ("hive", "hive.s3.endpoint"),
        ("delta_lake", "delta.enable-non-concurrent-writes"),
        ("postgresql", "connection-url"),
        ("iceberg", "fs.native-s3.enabled"),
    ],
)
def test_documented_properties_are_accepted(connector: str, key: str) -> None:
    assert unknown_property(connector, key) is None


def test_a_misspelt_s3_property_is_unknown_with_a_suggestion() -> None:
    problem = unknown_property("iceberg", "s3.endpiont")
    assert problem is not None and "did you mean s3.endpoint?" in problem
    assert unknown_property("hive", "s3.access-key") is not None


def test_a_misspelt_rest_catalog_property_is_unknown() -> None:
    problem = unknown_property("iceberg", "iceberg.rest-catalog.warehose")
    assert problem is not None and "iceberg.rest-catalog.warehouse" in problem


def test_another_connectors_namespace_is_unused() -> None:
    assert unknown_property("iceberg", "delta.register-table-procedure.enabled") == (
        "belongs to the delta_lake connector, not iceberg"
    )
    assert unknown_property("hive", "iceberg.file-format") == "belongs to the iceberg connector, not hive"
    assert (
        unknown_property("postgresql", "hive.metastore.uri")
        == "belongs to the hive connector, not postgresql"
    )


def test_file_systems_are_unused_by_jdbc_connectors() -> None:
    assert unknown_property("postgresql", "s3.endpoint") is not None
    assert unknown_property("postgresql", "fs.native-s3.enabled") is not None


def test_the_lists_are_namespaced() -> None:
    assert all(key.startswith("s3.") for key in S3_PROPERTIES)
    assert all(key.startswith("iceberg.rest-catalog.") for key in REST_CATALOG_PROPERTIES)
