"""The Applications of one rendered environment, and where ArgoCD would read each from."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from generator.findings import Finding, Severity
from generator.verify.manifests import parse_manifests

Display = Callable[[Path], str]


@dataclass(frozen=True)
class Source:
    application: str
    manifest: str  # the rendered Application file, as findings name it
    kind: str  # "helm" or "directory"
    path: Path
    namespace: str
    release: str = ""
    value_files: tuple[Path, ...] = ()
    recurse: bool = False
    wave: int = 0  # the Application's argocd.argoproj.io/sync-wave
    sync_options: tuple[str, ...] = ()  # spec.syncPolicy.syncOptions


WAVE_ANNOTATION = "argocd.argoproj.io/sync-wave"


def sync_facts(document: dict[str, Any]) -> dict[str, Any]:
    """The Application's sync wave and sync options, as the cluster stage orders objects by them."""
    annotations = (document.get("metadata") or {}).get("annotations") or {}
    try:
        wave = int(str(annotations.get(WAVE_ANNOTATION, "0")).strip())
    except ValueError:
        wave = 0  # ArgoCD reads a wave it cannot parse as 0
    options = ((document.get("spec") or {}).get("syncPolicy") or {}).get("syncOptions") or []
    return {"wave": wave, "sync_options": tuple(str(option).replace(" ", "") for option in options)}


def _error(rule: str, message: str, file: str, path: str) -> Finding:
    return Finding(rule, Severity.ERROR, message, file, 1, 1, path)


def _applications(env_dir: Path, display: Display) -> tuple[list[tuple[str, dict[str, Any]]], list[Finding]]:
    found: list[tuple[str, dict[str, Any]]] = []
    findings: list[Finding] = []
    files = [env_dir / "root.yaml", *sorted((env_dir / "argocd").glob("*.yaml"))]
    for path in files:
        if not path.is_file():
            findings.append(
                _error("PC806", f"{display(path)} is missing; run `platformc render`", display(path), "")
            )
            continue
        for document in parse_manifests(path.read_text(encoding="utf-8")):
            if isinstance(document, dict):
                found.append((display(path), document))
    return found, findings


def application_sources(
    env_dir: Path, env: str, gitops_path: str, display: Display
) -> tuple[list[Source], list[Finding]]:
    """Resolve each Application's source in the tree; report what ArgoCD would trip over."""
    documents, findings = _applications(env_dir, display)
    projects = {
        str((d.get("metadata") or {}).get("name")) for _, d in documents if d.get("kind") == "AppProject"
    } | {"default"}
    prefix = f"{gitops_path.strip('/')}/{env}/"
    sources: list[Source] = []
    for manifest, document in documents:
        if document.get("kind") != "Application":
            continue
        name = str((document.get("metadata") or {}).get("name"))
        spec = document.get("spec") or {}
        if spec.get("project") not in projects:
            findings.append(
                _error(
                    "PC806",
                    f"Application {name} uses project {spec.get('project')!r}, which is not rendered",
                    manifest,
                    "spec.project",
                )
            )
        source = spec.get("source") or {}
        repo_path = str(source.get("path", ""))
        if not repo_path.startswith(prefix):
            findings.append(
                _error(
                    "PC806",
                    f"Application {name} reads {repo_path!r}, outside {prefix!r}",
                    manifest,
                    "spec.source.path",
                )
            )
            continue
        path = env_dir / repo_path[len(prefix) :]
        if not path.is_dir():
            findings.append(
                _error(
                    "PC806",
                    f"Application {name}: source path {repo_path} does not exist",
                    manifest,
                    "spec.source.path",
                )
            )
            continue
        namespace = str((spec.get("destination") or {}).get("namespace", ""))
        if (path / "Chart.yaml").is_file():
            helm = source.get("helm") or {}
            value_files: list[Path] = []
            for value_file in helm.get("valueFiles") or []:
                candidate = path / str(value_file)
                if not candidate.is_file():
                    findings.append(
                        _error(
                            "PC806",
                            f"Application {name}: value file {value_file} does not exist in {repo_path}",
                            manifest,
                            "spec.source.helm.valueFiles",
                        )
                    )
                else:
                    value_files.append(candidate)
            release = str(helm.get("releaseName") or name)
            facts = sync_facts(document)
            sources.append(
                Source(name, manifest, "helm", path, namespace, release, tuple(value_files), **facts)
            )
        else:
            recurse = bool((source.get("directory") or {}).get("recurse"))
            sources.append(
                Source(name, manifest, "directory", path, namespace, recurse=recurse, **sync_facts(document))
            )
    return sources, findings
