"""Engine rules (PC201–PC299): configuration a known engine refuses at startup."""

from __future__ import annotations

from generator.findings import Severity
from generator.rules.engine import define

ERROR = Severity.ERROR

define(
    "PC201",
    "engines",
    ERROR,
    "Trino catalog sets s3.* without the native S3 file system",
    why="""Trino fails at startup on any catalog property nothing uses. The `s3.*` properties belong
    to the native S3 file system; on an Iceberg, Hive, Delta Lake or Hudi catalog
    (`*/catalog/*.properties`) that does not set `fs.native-s3.enabled=true` they are unused,
    and the coordinator and every worker crash-loop.""",
    fix="Add `fs.native-s3.enabled=true` to the catalog.",
    bad="""
    /etc/trino/catalog/iceberg.properties: |
      connector.name=iceberg
      s3.endpoint=http://${ref:storage/minio.api}
    """,
    good="""
    /etc/trino/catalog/iceberg.properties: |
      connector.name=iceberg
      fs.native-s3.enabled=true
      s3.endpoint=http://${ref:storage/minio.api}
    """,
)
define(
    "PC202",
    "engines",
    ERROR,
    "Trino catalog mixes legacy hive.s3.* with native S3",
    why="""`hive.s3.*` properties configure the legacy Hadoop file system. With
    `fs.native-s3.enabled=true` (and the legacy one not enabled) they are unused, and Trino
    refuses to start.""",
    fix="Rename them to the native `s3.*` properties (`hive.s3.endpoint` → `s3.endpoint`, "
    "`hive.s3.aws-access-key` → `s3.aws-access-key`, `hive.s3.path-style-access` → `s3.path-style-access`).",
    bad="""
    fs.native-s3.enabled=true
    hive.s3.endpoint=http://${ref:storage/minio.api}
    """,
    good="""
    fs.native-s3.enabled=true
    s3.endpoint=http://${ref:storage/minio.api}
    """,
)
define(
    "PC203",
    "engines",
    ERROR,
    "Trino catalog reads s3:// with no file system enabled",
    why="""A catalog whose warehouse or location is an `s3://` URL needs a file system to read it.
    With neither `fs.native-s3.enabled` nor `fs.hadoop.enabled` set, queries fail (recent Trino
    versions enable no file system by default). Values such as Trino's own `${ENV:NAME}` are
    left alone.""",
    fix="Add `fs.native-s3.enabled=true` and the `s3.*` settings (endpoint, region, credentials).",
    bad="""
    connector.name=iceberg
    iceberg.rest-catalog.warehouse=s3://warehouse/
    """,
    good="""
    connector.name=iceberg
    iceberg.rest-catalog.warehouse=s3://warehouse/
    fs.native-s3.enabled=true
    s3.endpoint=http://${ref:storage/minio.api}
    """,
)
define(
    "PC204",
    "engines",
    ERROR,
    "Trino catalog without connector.name",
    why="""Every file in Trino's `catalog/` directory is loaded as a catalog, and one without
    `connector.name` stops the server at startup.""",
    fix="Add `connector.name=<connector>` or move the file out of `catalog/`.",
    bad="""
    /etc/trino/catalog/lake.properties: |
      iceberg.catalog.type=rest
    """,
    good="""
    /etc/trino/catalog/lake.properties: |
      connector.name=iceberg
      iceberg.catalog.type=rest
    """,
)
define(
    "PC205",
    "engines",
    ERROR,
    "DolphinScheduler registry incomplete",
    why="""Every DolphinScheduler server (api, master, worker, alert) registers itself in its
    registry on startup. `REGISTRY_TYPE` (zookeeper by default) needs its connection setting
    (`REGISTRY_ZOOKEEPER_CONNECT_STRING`, `SPRING_DATASOURCE_URL` for jdbc,
    `REGISTRY_ETCD_ENDPOINTS` for etcd); without it the server exits and the scheduler never
    forms.""",
    fix="Set the registry's connection variable, with a reference.",
    bad="""
    env:
      REGISTRY_TYPE: zookeeper
    """,
    good="""
    env:
      REGISTRY_TYPE: zookeeper
      REGISTRY_ZOOKEEPER_CONNECT_STRING: "${ref:zookeeper.client}"
    """,
)
