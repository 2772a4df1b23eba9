"""PC710: what a render would remove that holds data, found against the committed tree.

A namespace, or a component with volumes (a StatefulSet's volumeClaimTemplates, a
Deployment's PersistentVolumeClaims), that `rendered/<env>` still has but platform.yaml
no longer renders. Argo CD keeps Namespaces and PersistentVolumeClaims (Prune=false,
Delete=false), but the workloads go, a StatefulSet's claims are left orphaned (Argo CD
never owned them: the StatefulSet controller made them), and deleting such a Namespace
by hand later takes every volume in it.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from generator.errors import PlatformcError
from generator.findings import Finding, Severity
from generator.load.limits import LoadError
from generator.load.yaml import load_document
from generator.model.types import Platform

RULE = "PC710"


def _values(path: Path) -> dict[str, Any]:
    try:
        data = load_document(path, path.name).data
    except (OSError, PlatformcError, LoadError):
        return {}
    return data if isinstance(data, dict) else {}


def _claims(values: dict[str, Any]) -> list[str]:
    claims = [*(values.get("volumeClaimTemplates") or []), *(values.get("persistentVolumeClaims") or [])]
    return [f"{c.get('name')}: {c.get('size')}" for c in claims if isinstance(c, dict)]


def _finding(message: str, file: str, env: str) -> Finding:
    return Finding(RULE, Severity.WARNING, message, file, 1, 1, "", env)


def _rendered_components(platform: Platform) -> set[tuple[str, str]]:
    return {
        (app.name, component.name)
        for app in platform.applications.values()
        if app.enabled
        for component in app.enabled_components()
    }


def removal_findings(platform: Platform, env_dir: Path, shown: str) -> list[Finding]:
    """PC710 for each namespace and stateful component the committed tree has and the platform drops."""
    env = platform.env
    findings: list[Finding] = []
    for path in sorted((env_dir / "namespaces").glob("*.yaml")):
        name = path.stem
        if name not in platform.namespaces:
            findings.append(
                _finding(
                    f"namespace {name} is in the committed tree but no longer in spec.namespaces: rendering "
                    "removes it from Git; Argo CD keeps the Namespace (Prune=false), but its quota, "
                    "limits and default-deny policy go, and deleting it by hand deletes every volume in it",
                    f"{shown}/namespaces/{path.name}",
                    env,
                )
            )
    present = _rendered_components(platform)
    for path in sorted((env_dir / "apps").glob("*/charts/*/values.yaml")):
        app, component = path.parent.parent.parent.name, path.parent.name
        if (app, component) in present:
            continue
        values = _values(path)
        claims = _claims(values)
        if values.get("kind") != "StatefulSet" and not claims:
            continue
        kind = str(values.get("kind") or "workload")
        lost = ", ".join(claims) or "its volumes"
        findings.append(
            _finding(
                f"{kind} {app}/{component} is in the committed tree but platform.yaml no longer renders it: "
                f"syncing removes it and leaves its volume claims ({lost}, namespace "
                f"{values.get('namespace')}) orphaned with their data; back it up before you commit the "
                "render, or restore the component",
                f"{shown}/apps/{app}/charts/{component}/values.yaml",
                env,
            )
        )
    return findings
