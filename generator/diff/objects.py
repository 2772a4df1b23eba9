"""A rendered environment as the objects ArgoCD would apply, grouped by Application.

A reviewer cares about objects, not files: a one-line change in values.yaml can
change three Deployments, and a reordered file changes none. Umbrella charts are
rendered with the Helm engine (generator.verify.helm) when it is installed. What
Helm cannot render here — upstream charts that are not vendored, or every chart
when the engine is missing — is shown as what platformc itself emits for it (the
chart reference and the values it passes), labelled as such.
"""

from __future__ import annotations

import re
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from generator.errors import InputError
from generator.load.limits import LoadError
from generator.load.yaml import load_text

HELM = "helm"
PLATFORMC = "platformc"
_SEPARATOR = re.compile(r"^---[ \t]*$", re.MULTILINE)
_LIBRARY_CHART = "platformc-lib"
_OBJECTS_DIR = "objects"  # a chart's objects carried as data, one file each (umbrella and workloads)


@dataclass(frozen=True, order=True)
class ObjectKey:
    kind: str
    namespace: str
    name: str

    def __str__(self) -> str:
        return f"{self.kind} {self.namespace}/{self.name}" if self.namespace else f"{self.kind} {self.name}"


@dataclass(frozen=True)
class DeployedObject:
    application: str
    key: ObjectKey
    data: Any
    source: str  # HELM: rendered by the Helm engine; PLATFORMC: as platformc emits it
    note: str = ""  # why an object is not what Helm rendered


@dataclass
class EnvObjects:
    objects: dict[tuple[str, ObjectKey], DeployedObject] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)

    def add(self, obj: DeployedObject) -> None:
        self.objects[(obj.application, obj.key)] = obj


@dataclass(frozen=True)
class _App:
    name: str
    directory: str  # relative to rendered/<env>/
    namespace: str
    helm: bool


def collect_objects(
    files: Mapping[str, bytes],
    kube_version: str,
    *,
    use_helm: bool = True,
    other: Mapping[str, bytes] | None = None,
) -> EnvObjects:
    """Every object of one environment's rendered tree (`files`: path relative to rendered/<env>/).

    With `other` (the tree it will be compared with), a chart whose files are
    identical in both is skipped on both sides: it cannot differ, and Helm is
    the slow part.
    """
    result = EnvObjects()
    apps = _applications(files)
    root = _manifests(files, "root.yaml")
    root_name = _name(root[0]) if root else "root"
    claimed: set[str] = set()
    for path in ("root.yaml", *sorted(p for p in files if p.startswith("argocd/"))):
        claimed.add(path)
        _add_manifests(result, root_name, path, files)
    for app in apps:
        prefix = f"{app.directory}/"
        members = sorted(p for p in files if p.startswith(prefix) and p not in claimed)
        claimed.update(members)
        if other is not None and app.helm and _same(files, other, prefix):
            continue
        if app.helm:
            _add_chart(result, app, {p[len(prefix) :]: files[p] for p in members}, kube_version, use_helm)
        else:
            for path in members:
                _add_manifests(result, app.name, path, files)
    return result


def _same(files: Mapping[str, bytes], other: Mapping[str, bytes], prefix: str) -> bool:
    ours = {p: c for p, c in files.items() if p.startswith(prefix)}
    return ours == {p: c for p, c in other.items() if p.startswith(prefix)}


def _applications(files: Mapping[str, bytes]) -> list[_App]:
    """Applications from argocd/*.yaml; their source paths say which directory each syncs."""
    root = _manifests(files, "root.yaml")
    root_path = str(_get(root[0], "spec", "source", "path") or "") if root else ""
    # root.yaml syncs `<gitops.path>/<env>/argocd`: what precedes `argocd` is the env prefix.
    prefix = root_path[: -len("argocd")] if root_path.endswith("argocd") else ""
    apps: list[_App] = []
    for path in sorted(p for p in files if p.startswith("argocd/")):
        for obj in _manifests(files, path):
            if obj.get("kind") != "Application":
                continue
            source = _get(obj, "spec", "source") or {}
            directory = str(source.get("path", "")).removeprefix(prefix).strip("/")
            namespace = str(_get(obj, "spec", "destination", "namespace") or "")
            apps.append(_App(_name(obj), directory, namespace, helm="helm" in source))
    # Deepest directories first, so `apps/x` claims its files before a parent could.
    return sorted(apps, key=lambda a: (-a.directory.count("/"), a.directory))


def _add_manifests(result: EnvObjects, application: str, path: str, files: Mapping[str, bytes]) -> None:
    if not path.endswith((".yaml", ".yml")):
        return
    for obj in _manifests(files, path):
        result.add(DeployedObject(application, object_key(obj), obj, PLATFORMC))


def _manifests(files: Mapping[str, bytes], path: str) -> list[dict[str, Any]]:
    try:
        return parse_manifests(files[path].decode("utf-8"), path)
    except (KeyError, UnicodeDecodeError):
        return []


def parse_manifests(text: str, display: str) -> list[dict[str, Any]]:
    """The objects of a `---`-separated stream; anything that is not YAML is an InputError.

    Read as the API server reads them (verify's reader, libyaml-fast) when the
    verify extra is installed; with the loader of platform.yaml otherwise.
    """
    try:
        documents = _parse_fast(text)
    except ImportError:
        documents = _parse_slowly(text, display)
    except ValueError as e:
        raise InputError(f"{display}: not YAML: {e}") from e
    objects: list[dict[str, Any]] = []
    for data in documents:
        if isinstance(data, dict) and data:
            objects.append(data)
        elif isinstance(data, list):  # a `List` written as a bare sequence
            objects.extend(d for d in data if isinstance(d, dict) and d)
    return objects


def _parse_fast(text: str) -> list[Any]:
    from generator.verify.manifests import parse_manifests as kube_parse

    return kube_parse(text)


def _parse_slowly(text: str, display: str) -> list[Any]:
    documents = []
    for chunk in _SEPARATOR.split(text):
        try:
            documents.append(load_text(chunk.encode("utf-8"), display).data)
        except LoadError as e:
            raise InputError(f"{display}: {e.message}") from e
    return documents


def object_key(obj: dict[str, Any]) -> ObjectKey:
    meta = obj.get("metadata") if isinstance(obj.get("metadata"), dict) else {}
    assert isinstance(meta, dict)
    return ObjectKey(str(obj.get("kind", "?")), str(meta.get("namespace") or ""), str(meta.get("name", "?")))


def _name(obj: dict[str, Any]) -> str:
    return object_key(obj).name


def _get(data: Any, *path: str) -> Any:
    for part in path:
        if not isinstance(data, dict):
            return None
        data = data.get(part)
    return data


# ---------------------------------------------------------------------------- umbrella charts


def _add_chart(
    result: EnvObjects, app: _App, chart: dict[str, bytes], kube_version: str, use_helm: bool
) -> None:
    metadata = _first(chart, "Chart.yaml")
    values = _first(chart, "values.yaml")
    dependencies = [d for d in metadata.get("dependencies") or [] if isinstance(d, dict)]
    rendered = _render(app, chart, kube_version) if use_helm else None
    if isinstance(rendered, str):
        result.notes.append(f"{app.name}: Helm could not render the chart ({rendered}); showing values")
        rendered = None
    if rendered is None:
        # No engine: every component is shown as platformc's own values for it.
        skipped = [d for d in dependencies if d.get("name") != _LIBRARY_CHART]
        note = "Helm engine not available: the values platformc passes this chart, not rendered objects"
        # The umbrella carries the application's objects, a workload's subchart that workload's own.
        carriers = ["", *(f"charts/{d.get('name')}/" for d in skipped)]
        for carrier in carriers:
            for obj in _carried(chart, carrier):
                result.add(DeployedObject(app.name, object_key(obj), obj, PLATFORMC, note))
    else:
        objects, dropped = rendered
        for obj in objects:
            result.add(DeployedObject(app.name, object_key(obj), obj, HELM))
        skipped = [d for d in dependencies if str(d.get("name")) in dropped]
        note = "upstream chart not vendored: its reference and values as platformc emits them, not rendered"
    for dependency in skipped:
        key = str(dependency.get("alias") or dependency.get("name"))
        data: dict[str, Any] = {"values": _dependency_values(chart, values, key)}
        if dependency.get("repository"):
            data = {
                "chart": {k: dependency[k] for k in ("repository", "name", "version") if k in dependency},
                **data,
            }
        result.add(DeployedObject(app.name, ObjectKey("Values", app.namespace, key), data, PLATFORMC, note))


def _dependency_values(chart: dict[str, bytes], umbrella: dict[str, Any], key: str) -> dict[str, Any]:
    """A subchart's own values.yaml (where a workload's values live) with the umbrella's over it."""
    own = _first(chart, f"charts/{key}/values.yaml")
    return {**own, **(umbrella.get(key) or {})}


def _carried(chart: dict[str, bytes], prefix: str) -> list[dict[str, Any]]:
    """The objects a chart (`prefix`: "" for the umbrella, `charts/<name>/`) carries, in path order."""
    directory = f"{prefix}{_OBJECTS_DIR}/"
    found: list[dict[str, Any]] = []
    for path in sorted(p for p in chart if p.startswith(directory) and p.endswith(".yaml")):
        if "/" not in path[len(directory) :]:  # what the library chart's `objects/*.yaml` takes
            found += parse_manifests(chart[path].decode("utf-8"), path)
    return found


def _first(chart: dict[str, bytes], path: str) -> dict[str, Any]:
    if path not in chart:
        return {}
    documents = parse_manifests(chart[path].decode("utf-8"), path)
    return documents[0] if documents else {}


def _render(
    app: _App, chart: dict[str, bytes], kube_version: str
) -> tuple[list[dict[str, Any]], set[str]] | str | None:
    """(objects, names of dependencies Helm left out), an error message, or None without an engine."""
    try:
        from generator.errors import VerifyUnavailableError
        from generator.verify.helm import render_chart
    except ImportError:
        return None
    with tempfile.TemporaryDirectory(prefix="platformc-diff-") as scratch:
        directory = Path(scratch) / app.name
        for path, content in chart.items():
            target = directory / path
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(content)
        try:
            done = render_chart(
                directory,
                release=app.name,
                namespace=app.namespace,
                value_files=[directory / "values.yaml"],
                kube_version=kube_version,
            )
        except (ImportError, VerifyUnavailableError):
            return None
    if done.errors:
        return "; ".join(done.errors)[:300]
    return [obj for _, obj in done.manifests], {d.name for d in done.dropped}
