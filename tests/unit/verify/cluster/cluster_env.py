"""Environments for the cluster stage, built from plain objects: one Application per `app()`."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from generator.findings import Finding
from generator.verify.cluster import ClusterFacts, ClusterVerdict, verify_cluster
from generator.verify.objects import RenderedObject
from generator.verify.sources import Source


class Env:
    """Applications and their objects; `verify()` runs the cluster stage over them."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.sources: list[Source] = []
        self.objects: list[list[RenderedObject]] = []

    def app(
        self,
        name: str,
        objects: Sequence[dict[str, Any]],
        *,
        wave: int = 0,
        namespace: str = "web",
        options: Sequence[str] = (),
        values: str | None = None,
        files: Sequence[str] = (),
    ) -> Env:
        value_files: tuple[Path, ...] = ()
        if values is not None:
            path = self.root / name / "values.yaml"
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(values, encoding="utf-8")
            value_files = (path,)
        kind = "helm" if values is not None else "directory"
        source = Source(
            name,
            f"argocd/{name}.yaml",
            kind,
            self.root / name,
            namespace,
            name,
            value_files,
            wave=wave,
            sync_options=tuple(options),
        )
        self.sources.append(source)
        rendered = [
            RenderedObject(files[i] if i < len(files) else f"rendered/dev/apps/{name}/o{i}.yaml", 0, data)
            for i, data in enumerate(objects)
        ]
        self.objects.append(rendered)
        return self

    def verify(self, facts: ClusterFacts | None = None) -> ClusterVerdict:
        return verify_cluster(self.sources, self.objects, facts or ClusterFacts())

    def rules(self, facts: ClusterFacts | None = None) -> list[str]:
        return [f.rule for f in self.verify(facts).findings]

    def findings(self, rule: str, facts: ClusterFacts | None = None) -> list[Finding]:
        return [f for f in self.verify(facts).findings if f.rule == rule]


def obj(
    kind: str, name: str, api_version: str = "v1", namespace: str | None = "web", **body: Any
) -> dict[str, Any]:
    metadata: dict[str, Any] = {"name": name}
    if namespace is not None:
        metadata["namespace"] = namespace
    if "annotations" in body:
        metadata["annotations"] = body.pop("annotations")
    if "labels" in body:
        metadata["labels"] = body.pop("labels")
    return {"apiVersion": api_version, "kind": kind, "metadata": metadata, **body}


def crd(
    group: str, kind: str, schema: dict[str, Any] | None = None, version: str = "v1", **extra: Any
) -> dict[str, Any]:
    plural = kind.lower() + "s"
    openapi = schema or {"type": "object", "x-kubernetes-preserve-unknown-fields": True}
    return obj(
        "CustomResourceDefinition",
        f"{plural}.{group}",
        "apiextensions.k8s.io/v1",
        None,
        spec={
            "group": group,
            "names": {"kind": kind, "plural": plural},
            "scope": "Namespaced",
            "versions": [
                {"name": version, "served": True, "storage": True, "schema": {"openAPIV3Schema": openapi}}
            ],
        },
        **extra,
    )


def deployment(name: str, pod: dict[str, Any], namespace: str = "web", **extra: Any) -> dict[str, Any]:
    return obj(
        "Deployment",
        name,
        "apps/v1",
        namespace,
        spec={"selector": {"matchLabels": {"app": name}}, "template": {"metadata": {}, "spec": pod}},
        **extra,
    )


def container(name: str = "main", **extra: Any) -> dict[str, Any]:
    return {"name": name, "image": "docker.io/library/nginx:1.27", **extra}
