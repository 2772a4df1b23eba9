"""Secrets: every secret a component reads is declared, in its namespace, and never written inline."""

from __future__ import annotations

from collections.abc import Iterator

from generator.findings import Severity
from generator.load.document import YamlPath
from generator.model.types import Component, Platform
from generator.rules.credentials import literal_value
from generator.rules.registry import Hit, check, define, did_you_mean
from generator.rules.support import caused_by, walk_strings

ERROR, WARNING = Severity.ERROR, Severity.WARNING
_EXISTING = frozenset({"existingsecret", "existingsecretname", "secretname"})
_SECRET_REFS = frozenset({"secretKeyRef", "secretRef"})


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


@check("PC401", "PC402", "PC403")
def secret_references(platform: Platform) -> Iterator[Hit]:
    items = platform.secrets.items
    for component in platform.components():
        for use in component.secrets:
            item = items.get(use.item)
            if item is None:
                # an item this environment's overlay removes with `null`: the finding is the overlay's
                removal = platform.doc.removed.get(("spec", "secrets", "items", use.item))
                yield Hit(
                    "PC401",
                    f'{component.name}: {use.env} reads the secret item "{use.item}", which '
                    f"spec.secrets.items does not declare{did_you_mean(use.item, items)}; "
                    + (
                        "this environment's overlay removes it: keep it, or stop reading it here"
                        if removal is not None
                        else "declare it or fix the name"
                    ),
                    (*use.path, "secret"),
                    mark=removal,
                )
                continue
            keys = item.keys
            if use.key not in keys:
                yield Hit(
                    "PC402",
                    f'{component.name}: {use.env} reads key "{use.key}" of secret item {use.item}, '
                    f"which declares only {', '.join(keys) or 'no keys'}{did_you_mean(use.key, keys)}",
                    **caused_by(platform, (*use.path, "key"), (*item.path, "keys")),
                )
            namespace = item.namespace
            # An item in an undeclared namespace is PC406's one finding.
            if namespace != component.namespace and namespace in platform.namespaces:
                yield Hit(
                    "PC403",
                    f"{component.name}: {use.env} reads secret item {use.item}, which lives in "
                    f"namespace {namespace}, but {component.name} runs in {component.namespace}; a pod can "
                    f"only read Secrets of its own namespace: declare an item in {component.namespace}",
                    **caused_by(platform, (*use.path, "secret"), (*item.path, "namespace")),
                )


def _existing_secrets(component: Component) -> Iterator[tuple[YamlPath, str]]:
    """Secret names in chart values: `existingSecret`-like keys, and the `name` of a `secretKeyRef`
    (an env var's `valueFrom`) or `secretRef` (`envFrom`) the chart passes to its pods."""
    for path, key, text in walk_strings(component.values, (*component.path, "values")):
        lowered = key.lower()
        named = lowered in _EXISTING or lowered.endswith("existingsecret") or _secret_ref_name(path)
        if named and literal_value(text):
            yield path, text.strip()


def _secret_ref_name(path: YamlPath) -> bool:
    return len(path) >= 2 and path[-1] == "name" and str(path[-2]) in _SECRET_REFS


def _what(path: YamlPath) -> str:
    return f"{path[-2]}.name" if _secret_ref_name(path) else str(path[-1])


define(
    "PC405",
    "secrets",
    WARNING,
    "Chart names a Secret the platform does not declare",
    why="""A chart value such as `existingSecret`, or the `name` of a `secretKeyRef` (an env var's
    `valueFrom`) or `secretRef` (`envFrom`) the chart passes to its pods, names a Secret the
    chart expects to exist in its namespace. If no secret item of that name is declared there,
    nothing platformc renders creates it, and the chart's pods wait for it; a `secretKeyRef`
    to a declared item's key the item does not list fails the same way.""",
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


@check("PC405", "PC406")
def chart_secrets(platform: Platform) -> Iterator[Hit]:
    items = platform.secrets.items
    by_namespace: dict[str, list[str]] = {}  # one pass: items and charts both grow with the platform
    for item in items.values():
        by_namespace.setdefault(item.namespace, []).append(item.name)
    for component in platform.components():
        if component.kind != "chart":
            continue
        local = by_namespace.get(component.namespace, [])
        for path, name in _existing_secrets(component):
            if name in local:
                yield from _undeclared_key(component, path, items[name].keys)
                continue
            found = items.get(name)
            where = (
                f"declared for namespace {found.namespace}"
                if found is not None
                else f"not declared in spec.secrets.items{did_you_mean(name, local)}"
            )
            yield Hit(
                "PC405",
                f'{component.name}: {_what(path)} names the Secret "{name}", {where}; unless something '
                f"else creates it in {component.namespace}, the chart's pods will not start",
                path,
            )
    declared = platform.namespaces
    for item in items.values():
        if item.namespace not in declared:
            yield Hit(
                "PC406",
                f'secret item {item.name}: namespace "{item.namespace}" is not declared in spec.namespaces'
                f"{did_you_mean(item.namespace, declared)}; its ExternalSecret could not be created",
                **caused_by(platform, (*item.path, "namespace"), ("spec", "namespaces", item.namespace)),
            )


def _undeclared_key(component: Component, path: YamlPath, keys: tuple[str, ...]) -> Iterator[Hit]:
    """A `secretKeyRef` to a key its declared item does not have: the chart's pods never start."""
    if not _secret_ref_name(path) or path[-2] != "secretKeyRef":
        return
    ref: object = component.values
    for part in path[len(component.path) + 1 : -1]:  # from `values` down to the secretKeyRef
        if isinstance(ref, list) and isinstance(part, int):
            ref = ref[part]
        else:
            ref = ref.get(part) if isinstance(ref, dict) else None
    key = ref.get("key") if isinstance(ref, dict) else None
    if isinstance(ref, dict) and isinstance(key, str) and key not in keys:
        yield Hit(
            "PC405",
            f'{component.name}: secretKeyRef.key reads "{key}" of the Secret "{ref.get("name")}", which '
            f"declares only {', '.join(keys)}{did_you_mean(key, list(keys))}; the chart's pods will not "
            "start",
            (*path[:-1], "key"),
        )
