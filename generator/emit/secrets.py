"""ExternalSecrets: every declared secret, read from the store; no value is ever rendered."""

from __future__ import annotations

from generator.emit.chart_objects import EXTERNAL_SECRETS_API
from generator.emit.meta import object_meta
from generator.emit.tree import Output
from generator.model.settings import SecretItem
from generator.model.types import Platform


def external_secret(platform: Platform, item: SecretItem) -> Output:
    secrets = platform.secrets
    store = secrets.store
    return {
        "apiVersion": EXTERNAL_SECRETS_API,
        "kind": "ExternalSecret",
        "metadata": object_meta(item.name, item.namespace),
        "spec": {
            "refreshInterval": secrets.refresh_interval or "1h",
            "secretStoreRef": {
                "kind": store.kind if store is not None else "ClusterSecretStore",
                "name": store.name if store is not None else "",
            },
            "target": {"name": item.name, "creationPolicy": "Owner"},
            "data": [
                {"secretKey": key, "remoteRef": {"key": item.remote_path, "property": key}}
                for key in item.keys
            ],
        },
    }
