"""Engines: Trino catalog properties that do not exist for the catalog's connector (PC208).

The catalogs are read as generator.rules.engine_config reads them; which
properties exist is data in generator.rules.values.trino, taken from Trino's
documentation.
"""

from __future__ import annotations

from collections.abc import Iterator

from generator.findings import Severity
from generator.model.types import Platform
from generator.rules.engine_config import trino_catalogs
from generator.rules.registry import Hit, check, define
from generator.rules.values.trino import unknown_property

define(
    "PC208",
    "engines",
    Severity.ERROR,
    "Trino catalog property that does not exist for its connector",
    why="""Trino refuses to start when a catalog sets a property nothing reads (`Configuration
    property 'x' was not used`), and the coordinator and every worker crash-loop. Each catalog
    (`*/catalog/*.properties`) is judged against Trino's documented properties for its
    `connector.name`: the native S3 file system's `s3.*` (a misspelt `s3.endpiont`, or
    `s3.access-key` for `s3.aws-access-key`), the Iceberg REST catalog's
    `iceberg.rest-catalog.*`, and properties of another connector's namespace (`delta.*` in an
    Iceberg catalog, `iceberg.*` in a Hive one, file-system properties in a PostgreSQL one). The
    lists are taken from Trino's documentation (object-storage/file-system-s3,
    connector/iceberg); families not listed in full there are not judged key by key. The legacy
    `hive.s3.*` against the native file system is PC202's.""",
    fix="Use the documented property name (the message suggests the closest), or remove it.",
    bad="""
    connector.name=iceberg
    fs.native-s3.enabled=true
    s3.endpiont=http://${ref:storage/minio.api}
    """,
    good="""
    connector.name=iceberg
    fs.native-s3.enabled=true
    s3.endpoint=http://${ref:storage/minio.api}
    """,
)


@check("PC208")
def trino_unknown_properties(platform: Platform) -> Iterator[Hit]:
    for catalog in trino_catalogs(platform):
        connector = catalog.settings.get("connector.name")
        if connector is None:
            continue  # PC204
        for key, setting in catalog.settings.items():
            problem = unknown_property(connector.value, key)
            if problem is not None:
                yield Hit(
                    "PC208",
                    f"{catalog.component.name}: {catalog.name} sets {key}, and Trino refuses to start on "
                    f"a property nothing reads: it {problem}",
                    catalog.path,
                    mark=setting.mark,
                    component=catalog.component,
                )
