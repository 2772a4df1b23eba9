"""Secret rules (PC401–PC499): declared, in the right namespace, never inline."""

from __future__ import annotations

from generator.findings import Severity
from generator.rules.engine import define

ERROR, WARNING = Severity.ERROR, Severity.WARNING

define(
    "PC401",
    "secrets",
    ERROR,
    "Secret item not declared",
    why="""`{secret: <item>, key: <key>}` reads a Secret that an ExternalSecret makes from
    `spec.secrets.items`. An item that is not declared (`superset-secrets` for
    `superset-secret`) is never created, and the pod stays in CreateContainerConfigError.""",
    fix="Use a declared item (the message suggests the closest) or declare it.",
    bad="""
    SUPERSET_SECRET_KEY: {secret: superset-secrets, key: secret-key}
    """,
    good="""
    SUPERSET_SECRET_KEY: {secret: superset-secret, key: secret-key}
    """,
)
define(
    "PC402",
    "secrets",
    ERROR,
    "Secret key not declared",
    why="""The ExternalSecret copies exactly the item's `keys`. A key the item does not list is
    missing from the Secret, and the pod cannot start.""",
    fix="Use one of the item's keys, or add the key to the item (and to the store).",
    bad="""
    MINIO_ROOT_PASSWORD: {secret: minio-root, key: password}
    """,
    good="""
    MINIO_ROOT_PASSWORD: {secret: minio-root, key: root-password}
    """,
)
define(
    "PC403",
    "secrets",
    ERROR,
    "Secret read from another namespace",
    why="""A pod can only read Secrets in its own namespace. An item declared for another
    namespace is created there, and the consumer's `secretKeyRef` finds nothing.""",
    fix="Declare an item in the consumer's namespace (same store path is fine).",
    bad="""
    mlflow-db: {namespace: data-platform, …}   # read by mlflow in ml-platform
    """,
    good="""
    mlflow-db: {namespace: ml-platform, …}
    """,
)
define(
    "PC404",
    "secrets",
    ERROR,
    "Literal credential in platform.yaml",
    why="""A password, token or key written as a plain value (an env var, a chart value or a
    file line whose name says password, secret, token, api-key, access-key, private-key or
    credential, or a password inside a URL) is committed to Git and rendered into manifests
    for everyone who can read them. Nothing secret is ever rendered. The message shows only
    the first two characters. A number is a password too (`ADMIN_PASSWORD: 80412993`,
    quoted or not) when the name ends in the credential and it has at least four digits;
    `MYSQL_RANDOM_ROOT_PASSWORD: 1` or `PASSWORD_MAX_AGE: 90` are settings. References, `${…}`
    text, file paths and empty values are not credentials. Suppressible: the detection reads
    names, not meaning.""",
    fix="Store the value in the secret store, declare it under `spec.secrets.items`, and read it "
    "with `{secret: <item>, key: <key>}` (or a chart's `existingSecret`).",
    bad="""
    env:
      POSTGRESQL_PASSWORD: hunter2
    """,
    good="""
    env:
      POSTGRESQL_PASSWORD: {secret: kong-db, key: password}
    """,
    suppressible=True,
)
define(
    "PC405",
    "secrets",
    WARNING,
    "Chart names a Secret the platform does not declare",
    why="""A chart value such as `existingSecret` names a Secret the chart expects to exist in its
    namespace. If no secret item of that name is declared there, nothing platformc renders
    creates it, and the chart's pods wait for it.""",
    fix="Declare the item in the chart's namespace, or fix the name.",
    bad="""
    values:
      admin: {existingSecret: grafana-admin-creds}
    """,
    good="""
    values:
      admin: {existingSecret: grafana-admin}   # declared in spec.secrets.items for monitoring
    """,
)
define(
    "PC406",
    "secrets",
    ERROR,
    "Secret item in an undeclared namespace",
    why="""Each secret item becomes an ExternalSecret in its namespace. A namespace the platform
    does not declare never exists, so the ExternalSecret (and its Secret) cannot be created.""",
    fix="Declare the namespace under `spec.namespaces` or fix the item's namespace.",
    bad="""
    items:
      kong-db: {namespace: kongg, path: platform/kong/db, keys: [password]}
    """,
    good="""
    items:
      kong-db: {namespace: kong, path: platform/kong/db, keys: [password]}
    """,
)
