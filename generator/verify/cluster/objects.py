"""An environment's complete object set, as the cluster will receive it.

Every object of every Application, each tagged with the Application that
applies it, the Application's sync wave and sync options, and the object's own
wave inside it. Indexes by kind and by name are built once, so that every check
of the stage looks objects up instead of comparing them pairwise.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from generator.verify.objects import RenderedObject
from generator.verify.sources import WAVE_ANNOTATION, Source

SYNC_OPTIONS_ANNOTATION = "argocd.argoproj.io/sync-options"
CRD_KIND = "CustomResourceDefinition"


@dataclass(frozen=True)
class ClusterObject:
    """One object of the environment and where it comes from.

    `application`, `wave` and `sync_options` are those of the Application that
    applies it; `namespace` is the object's own or, for a namespaced object that
    names none, the Application's destination.
    """

    data: dict[str, Any]
    file: str
    application: str
    wave: int
    namespace: str
    sync_options: tuple[str, ...] = ()
    origin: str | None = None

    @property
    def api_version(self) -> str:
        return str(self.data.get("apiVersion") or "")

    @property
    def group(self) -> str:
        group, _, _ = self.api_version.rpartition("/")
        return group

    @property
    def kind(self) -> str:
        return str(self.data.get("kind") or "")

    @property
    def name(self) -> str:
        return str(self.metadata.get("name") or "?")

    @property
    def metadata(self) -> dict[str, Any]:
        metadata = self.data.get("metadata")
        return metadata if isinstance(metadata, dict) else {}

    @property
    def annotations(self) -> dict[str, Any]:
        annotations = self.metadata.get("annotations")
        return annotations if isinstance(annotations, dict) else {}

    @property
    def labels(self) -> dict[str, Any]:
        labels = self.metadata.get("labels")
        return labels if isinstance(labels, dict) else {}

    @property
    def label(self) -> str:
        return f"{self.kind}/{self.name}"

    @property
    def object_wave(self) -> int:
        """The object's own sync wave inside its Application."""
        try:
            return int(str(self.annotations.get(WAVE_ANNOTATION, "0")).strip())
        except ValueError:
            return 0

    def has_sync_option(self, option: str) -> bool:
        """Whether the object or its Application sets `option` (`ServerSideApply=true`)."""
        own = str(self.annotations.get(SYNC_OPTIONS_ANNOTATION, ""))
        options = {part.strip() for part in own.split(",")} | set(self.sync_options)
        return option in options


@dataclass
class ObjectSet:
    """The objects of one environment, indexed by kind and by (kind, namespace, name).

    `partial` are the Applications some of whose objects are unknown (an upstream
    chart not vendored): what they would create can be neither found nor ruled out.
    """

    objects: list[ClusterObject] = field(default_factory=list)
    by_kind: dict[str, list[ClusterObject]] = field(default_factory=dict)
    by_name: dict[tuple[str, str, str], ClusterObject] = field(default_factory=dict)
    partial: dict[str, Source] = field(default_factory=dict)

    def add(self, obj: ClusterObject) -> None:
        self.objects.append(obj)
        self.by_kind.setdefault(obj.kind, []).append(obj)
        self.by_name.setdefault((obj.kind, obj.namespace, obj.name), obj)

    def of_kind(self, *kinds: str) -> Iterator[ClusterObject]:
        for kind in kinds:
            yield from self.by_kind.get(kind, ())

    def find(self, kind: str, namespace: str, name: str) -> ClusterObject | None:
        return self.by_name.get((kind, namespace, name))

    def may_hide(
        self, *, namespace: str | None = None, before: int | None = None, application: str = ""
    ) -> bool:
        """Whether an unrendered chart might create what was not found: in `namespace`, or in a
        wave before `before` (or in `application` itself)."""
        if not self.partial:
            return False
        if namespace is not None and namespace in self._partial_namespaces:
            return True
        return before is not None and (self._partial_first_wave < before or application in self.partial)

    @functools.cached_property
    def _partial_namespaces(self) -> frozenset[str]:
        return frozenset(source.namespace for source in self.partial.values())

    @functools.cached_property
    def _partial_first_wave(self) -> int:
        return min(source.wave for source in self.partial.values())


# Kinds that live outside any namespace; anything else without one lands in the destination.
CLUSTER_SCOPED = frozenset(
    {
        "Namespace",
        "Node",
        "PersistentVolume",
        "ClusterRole",
        "ClusterRoleBinding",
        "CustomResourceDefinition",
        "StorageClass",
        "PriorityClass",
        "IngressClass",
        "RuntimeClass",
        "CSIDriver",
        "MutatingWebhookConfiguration",
        "ValidatingWebhookConfiguration",
        "ValidatingAdmissionPolicy",
        "ValidatingAdmissionPolicyBinding",
        "APIService",
        "ClusterPolicy",
        "ClusterSecretStore",
        "ClusterIssuer",
        "ClusterCleanupPolicy",
        "PodSecurityPolicy",
        "FlowSchema",
        "PriorityLevelConfiguration",
        "VolumeSnapshotClass",
    }
)


def collect_objects(
    sources: Sequence[Source], rendered: Iterable[Sequence[RenderedObject]], partial: Iterable[str] = ()
) -> ObjectSet:
    """The environment's object set: `rendered[i]` are the objects of `sources[i]`; `partial` names
    the Applications rendered without some of their charts."""
    found = ObjectSet()
    incomplete = set(partial)
    found.partial = {source.application: source for source in sources if source.application in incomplete}
    for source, objects in zip(sources, rendered, strict=True):
        for obj in objects:
            if not obj.data.get("kind"):
                continue
            namespace = (obj.data.get("metadata") or {}).get("namespace")
            if not isinstance(namespace, str) or not namespace:
                namespace = "" if obj.data.get("kind") in CLUSTER_SCOPED else source.namespace
            found.add(
                ClusterObject(
                    obj.data,
                    obj.file,
                    source.application,
                    source.wave,
                    namespace,
                    source.sync_options,
                    obj.origin,
                )
            )
    return found
