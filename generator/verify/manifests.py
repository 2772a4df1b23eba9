"""Reading rendered manifests the way the API server reads them.

Kubernetes turns YAML into JSON with sigs.k8s.io/yaml: YAML 1.1 (`on`, `yes` are
booleans), but no timestamps (`2024-01-31` stays a string) and every mapping key a
string. PyYAML, which kubernetes-validate brings, reads YAML 1.1 and is fast with
libyaml; the loader below drops its timestamp resolver and the keys are made strings.
"""

from __future__ import annotations

import functools
from typing import Any


def parse_manifests(text: str) -> list[Any]:
    """Every document of a YAML stream, empty ones as None. Raises ValueError when it is not YAML."""
    yaml = _yaml()
    try:
        return [_string_keys(document) for document in yaml.load_all(text, Loader=_kube_loader())]
    except yaml.YAMLError as e:
        raise ValueError(str(e)) from e


def _yaml() -> Any:
    import yaml  # type: ignore[import-untyped]

    return yaml


@functools.cache
def _kube_loader() -> Any:
    yaml = _yaml()
    base = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    resolvers = {
        first: [(tag, regexp) for tag, regexp in entries if tag != "tag:yaml.org,2002:timestamp"]
        for first, entries in base.yaml_implicit_resolvers.items()
    }
    return type("KubeLoader", (base,), {"yaml_implicit_resolvers": resolvers})


def _string_keys(node: Any) -> Any:
    if isinstance(node, dict):
        return {str(key): _string_keys(value) for key, value in node.items()}
    if isinstance(node, list):
        return [_string_keys(item) for item in node]
    return node
