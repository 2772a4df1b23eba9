"""What the cluster receives: every Application of every environment, rendered to plain YAML.

Each Application's source is read the way `platformc verify` reads it (the Helm
engine for charts, plain manifests for directories), and every object is
written to `<out>/<env>/<application>/<kind>.<namespace>.<name>.yaml`, so that
a linter's report names the environment and Application of each object.
Upstream charts that are not vendored are left out, as verify leaves them out;
the result counts them. So are the objects Argo CD never applies (Helm test
hooks, applied.py), and an object without a namespace is written in the
Application's destination namespace, where Argo CD creates it.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from generator.audit.applied import applied_by_argocd, with_namespace
from generator.emit.yamldump import dump_yaml
from generator.findings import Finding
from generator.pipeline import analyse, discover_envs
from generator.verify.application import verify_source
from generator.verify.sources import application_sources

RENDERED_DIR = "rendered"
_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")


@dataclass
class RenderedPlatform:
    """What was written: objects per environment, chart dependencies left out, and what went wrong."""

    objects: int = 0
    not_applied: int = 0  # Helm test hooks and other objects Argo CD never creates
    gitops_paths: set[str] = field(default_factory=set)
    not_vendored: list[str] = field(default_factory=list)
    errors: list[Finding] = field(default_factory=list)


def render_platform(root: Path, out: Path, envs: Sequence[str] | None = None) -> RenderedPlatform:
    """Render every Application of `envs` (default: every environment) from `root`/rendered into `out`."""
    result = RenderedPlatform()
    chosen = list(envs) if envs is not None else discover_envs(root)
    for analysed in analyse(root, chosen):
        if analysed.platform is None or not analysed.ok:
            result.errors.extend(f for f in analysed.findings if f.is_error)
            continue
        gitops_path = analysed.platform.gitops.path
        result.gitops_paths.add(gitops_path)
        _render_env(root, analysed.env, gitops_path, analysed.platform.kubernetes_version, out, result)
    return result


def _render_env(
    root: Path, env: str, gitops_path: str, kube_version: str, out: Path, result: RenderedPlatform
) -> None:
    def display(path: Path) -> str:
        try:
            return path.resolve().relative_to(root.resolve()).as_posix()
        except ValueError:
            return path.as_posix()

    env_dir = root / RENDERED_DIR / env
    sources, findings = application_sources(env_dir, env, gitops_path, display)
    result.errors.extend(f.with_env(env) for f in findings if f.is_error)
    for source in sources:
        outcome = verify_source(source, kube_version, display, validate=False)
        for finding in outcome.findings:
            if finding.rule == "PC805":
                result.not_vendored.append(f"{env}/{source.application}: {finding.message}")
            elif finding.is_error:
                result.errors.append(finding.with_env(env))
        target = out / env / _safe(source.application)
        for obj in outcome.objects:
            if not applied_by_argocd(obj.data):
                result.not_applied += 1
                continue
            _write_object(target, with_namespace(obj.data, source.namespace))
            result.objects += 1


def _write_object(directory: Path, data: dict[str, Any]) -> None:
    metadata = data.get("metadata") or {}
    parts = (data.get("kind"), metadata.get("namespace") or "-", metadata.get("name"))
    stem = ".".join(_safe(str(part)) for part in parts)
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / f"{stem}.yaml"
    number = 1
    while path.exists():
        number += 1
        path = directory / f"{stem}.{number}.yaml"
    path.write_text(dump_yaml(data), encoding="utf-8")


def _safe(text: str) -> str:
    return _UNSAFE.sub("_", text) or "_"
