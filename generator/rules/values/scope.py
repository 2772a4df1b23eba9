"""Which namespaces a ClusterSecretStore's conditions let it serve, as external-secrets decides.

external-secrets serves an ExternalSecret from a ClusterSecretStore when the
store has no conditions, or when any one condition matches the namespace: its
`namespaceSelector` selects the namespace's labels, or its `namespaces` list
names it (the controller's `shouldProcessSecret`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class Condition:
    namespaces: Sequence[str] = ()
    match_labels: Mapping[str, str] | None = None
    match_expressions: bool = False  # not judged: such a condition may match any namespace


def serves(conditions: Sequence[Condition], namespace: str, labels: Mapping[str, str]) -> bool:
    """Whether a store with these conditions serves ExternalSecrets in `namespace` (with `labels`)."""
    if not conditions:
        return True
    return any(_matches(condition, namespace, labels) for condition in conditions)


def _matches(condition: Condition, namespace: str, labels: Mapping[str, str]) -> bool:
    if namespace in condition.namespaces or condition.match_expressions:
        return True
    selector = condition.match_labels
    return selector is not None and all(labels.get(key) == value for key, value in selector.items())
