"""Files that read `${secret:<item>.<key>}`: a Secret an ExternalSecret renders from a template.

Such a file never goes into the component's ConfigMap: its content becomes the
ExternalSecret's `spec.target.template` (external-secrets' v2 Go templates), each
secret key it reads is fetched under `spec.data`, and the workload mounts the
Secret where the file goes. The value itself is never rendered; only the store
path and key are. Braces the file writes itself are escaped, so the operator's
template engine leaves them as written.
"""

from __future__ import annotations

from generator.emit.chart_objects import EXTERNAL_SECRETS_API
from generator.emit.meta import object_meta
from generator.emit.tree import Output
from generator.model.conventions import config_key
from generator.model.resolve import resolve_value
from generator.model.secret_strings import SECRET_TOKEN, template_key
from generator.model.types import Component, Platform


def secret_files_name(component: Component) -> str:
    return f"{component.name}-secret-files"


def has_secret_files(component: Component) -> bool:
    return any(file.secrets for file in component.files)


def template_text(content: str) -> str:
    """`content` as a Go template: tokens read their key, every other `{{` stays literal."""
    out: list[str] = []
    last = 0
    for match in SECRET_TOKEN.finditer(content):
        out.append(_literal(content[last : match.start()]))
        key = template_key(match.group(1), match.group(2))
        out.append("{{ index . " + f'"{key}"' + " }}")
        last = match.end()
    out.append(_literal(content[last:]))
    return "".join(out)


def _literal(text: str) -> str:
    return text.replace("{{", '{{ "{{" }}')


def secret_files(platform: Platform, component: Component) -> Output:
    """The ExternalSecret that renders the component's secret-reading files into one Secret."""
    secrets = platform.secrets
    store = secrets.store
    files = [file for file in component.files if file.secrets]
    fetched: dict[str, Output] = {}
    for file in files:
        for use in file.secrets:
            item = secrets.items.get(use.item)
            remote = item.remote_path if item is not None else use.item
            key = template_key(use.item, use.key)
            fetched.setdefault(key, {"secretKey": key, "remoteRef": {"key": remote, "property": use.key}})
    name = secret_files_name(component)
    return {
        "apiVersion": EXTERNAL_SECRETS_API,
        "kind": "ExternalSecret",
        "metadata": object_meta(name, component.namespace),
        "spec": {
            "refreshInterval": secrets.refresh_interval or "1h",
            "secretStoreRef": {
                "kind": store.kind if store is not None else "ClusterSecretStore",
                "name": store.name if store is not None else "",
            },
            "target": {
                "name": name,
                "creationPolicy": "Owner",
                "template": {
                    "engineVersion": "v2",
                    "data": {
                        config_key(file.mount): template_text(
                            str(resolve_value(platform, component.app, file.content))
                        )
                        for file in files
                    },
                },
            },
            "data": [fetched[key] for key in sorted(fetched)],
        },
    }
