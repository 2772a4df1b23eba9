"""Trino catalog properties: which exist for a connector and its file system.

Trino refuses to start on a catalog property nothing uses. The property lists
here are data taken from Trino's documentation and the configuration classes
behind it: the native S3 file system (trino.io/docs/current/object-storage/
file-system-s3.html; `S3FileSystemConfig`) and the Iceberg REST catalog
(trino.io/docs/current/connector/iceberg.html#rest-catalog;
`IcebergRestCatalogConfig`), read from the current documentation (newer than
the Trino 457 the platform runs): properties added since 457 are accepted too,
so the lists never refuse a property 457 reads. Only families listed in full
are judged key by key; besides those, a property in another connector's
namespace (`delta.*` in an Iceberg catalog) is unused wherever it stands. The
`hive.*` namespace is shared: every file-system connector reads the metastore
(`hive.metastore.*`) and the legacy file systems (`hive.s3.*`) from it.
"""

from __future__ import annotations

import difflib

# Native S3 file system: `fs.native-s3.enabled=true`.
S3_PROPERTIES = frozenset(
    {
        "s3.aws-access-key",
        "s3.aws-secret-key",
        "s3.endpoint",
        "s3.region",
        "s3.path-style-access",
        "s3.cross-region-access",
        "s3.storage-class",
        "s3.signer-type",
        "s3.exclusive-create",
        "s3.iam-role",
        "s3.role-session-name",
        "s3.external-id",
        "s3.sts.endpoint",
        "s3.sts.region",
        "s3.canned-acl",
        "s3.retry-mode",
        "s3.max-error-retries",
        "s3.sse.type",
        "s3.sse.kms-key-id",
        "s3.sse.customer-key",
        "s3.use-web-identity-token-credentials-provider",
        "s3.streaming.part-size",
        "s3.requester-pays",
        "s3.max-connections",
        "s3.connection-ttl",
        "s3.connection-max-idle-time",
        "s3.socket-connect-timeout",
        "s3.socket-read-timeout",
        "s3.tcp-keep-alive",
        "s3.http-proxy",
        "s3.http-proxy.secure",
        "s3.http-proxy.username",
        "s3.http-proxy.password",
        "s3.http-proxy.preemptive-basic-auth",
        "s3.http-proxy.non-proxy-hosts",
        "s3.security-mapping.enabled",
        "s3.security-mapping.config-file",
        "s3.security-mapping.json-pointer",
        "s3.security-mapping.iam-role-credential-name",
        "s3.security-mapping.kms-key-id-credential-name",
        "s3.security-mapping.sse-customer-key-credential-name",
        "s3.security-mapping.refresh-period",
        "s3.security-mapping.colon-replacement",
    }
)
_S3_OPEN = ("s3.security-mapping.",)  # documented families not judged key by key

# Iceberg REST catalog: `iceberg.catalog.type=rest`.
REST_CATALOG_PROPERTIES = frozenset(
    {
        "iceberg.rest-catalog.uri",
        "iceberg.rest-catalog.prefix",
        "iceberg.rest-catalog.warehouse",
        "iceberg.rest-catalog.nested-namespace-enabled",
        "iceberg.rest-catalog.security",
        "iceberg.rest-catalog.session",
        "iceberg.rest-catalog.session-timeout",
        "iceberg.rest-catalog.connection-timeout",
        "iceberg.rest-catalog.socket-timeout",
        "iceberg.rest-catalog.max-retries",
        "iceberg.rest-catalog.vended-credentials-enabled",
        "iceberg.rest-catalog.view-endpoints-enabled",
        "iceberg.rest-catalog.server-assigned-table-location-enabled",
        "iceberg.rest-catalog.metrics-reporting-enabled",
        "iceberg.rest-catalog.case-insensitive-name-matching",
        "iceberg.rest-catalog.case-insensitive-name-matching.cache-ttl",
        "iceberg.rest-catalog.case-insensitive-name-matching.cache-max-size",
        "iceberg.rest-catalog.case-insensitive-name-matching.namespace-cache.enabled",
        "iceberg.rest-catalog.case-insensitive-name-matching.namespace-cache.max-size",
        "iceberg.rest-catalog.http-headers",
    }
)
_REST_OPEN = tuple(
    f"iceberg.rest-catalog.{family}" for family in ("oauth2.", "sigv4", "google", "s3.", "token-exchange.")
)

# The namespace each connector reads its own properties from.
_NAMESPACES = {"iceberg": "iceberg.", "delta_lake": "delta.", "hudi": "hudi.", "hive": "hive."}
FILE_SYSTEM_CONNECTORS = frozenset({"iceberg", "hive", "delta_lake", "hudi"})


def _suggest(key: str, known: frozenset[str]) -> str:
    close = difflib.get_close_matches(key, sorted(known), n=1, cutoff=0.75)
    return f"; did you mean {close[0]}?" if close else ""


def unknown_property(connector: str, key: str) -> str | None:
    """Why `key` is a property nothing reads in a catalog of `connector`, or None when it may be read."""
    if key.startswith("s3.") and connector in FILE_SYSTEM_CONNECTORS:
        if key not in S3_PROPERTIES and not key.startswith(_S3_OPEN):
            return f"is not a property of Trino's native S3 file system{_suggest(key, S3_PROPERTIES)}"
        return None
    if connector == "iceberg" and key.startswith("iceberg.rest-catalog."):
        if key not in REST_CATALOG_PROPERTIES and not key.startswith(_REST_OPEN):
            return f"is not a property of the Iceberg REST catalog{_suggest(key, REST_CATALOG_PROPERTIES)}"
        return None
    for other, namespace in _NAMESPACES.items():
        shared = other == "hive" and connector in FILE_SYSTEM_CONNECTORS
        if other != connector and key.startswith(namespace) and not shared:
            return f"belongs to the {other} connector, not {connector}"
    if connector not in FILE_SYSTEM_CONNECTORS and key.startswith(("s3.", "fs.", "hive.s3.")):
        return f"configures a file system the {connector} connector does not use"
    return None
