"""ExternalSecrets: every declared secret, read from the store; no value is ever rendered."""

from __future__ import annotations

from typing import Any

from generator.emit.extras import EXTERNAL_SECRETS_API
from generator.emit.meta import object_meta
from generator.model.types import Platform


def external_secret(platform: Platform, name: str, item: dict[str, Any]) -> dict[str, Any]:
    secrets = platform.spec.get("secrets") or {}
    store = secrets.get("store") or {}
    path = str(item.get("path", name))
    return {
        "apiVersion": EXTERNAL_SECRETS_API,
        "kind": "ExternalSecret",
        "metadata": object_meta(name, str(item.get("namespace"))),
        "spec": {
            "refreshInterval": str(secrets.get("refreshInterval", "1h")),
            "secretStoreRef": {
                "kind": str(store.get("kind", "ClusterSecretStore")),
                "name": str(store.get("name", "")),
            },
            "target": {"name": name, "creationPolicy": "Owner"},
            "data": [
                {"secretKey": str(key), "remoteRef": {"key": path, "property": str(key)}}
                for key in item.get("keys") or []
            ],
        },
    }
