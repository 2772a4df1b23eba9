"""`platformc verify`: every Application of one environment, read as ArgoCD reads it.

Helm sources are rendered with the Helm engine (release name, destination
namespace, value files in order, Kubernetes version) and linted; directory
sources are read as plain manifests. Every resulting object is validated against
the Kubernetes schemas of the target version and the CRD schemas platformc ships
— through kubeconform when it is on PATH, otherwise with the embedded validator.
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path, PurePosixPath
from typing import Any

from generator.findings import Finding, Severity
from generator.verify import kubeconform
from generator.verify.helm import lint_chart, missing_dependency_findings, render_chart
from generator.verify.manifests import parse_manifests
from generator.verify.objects import RenderedObject, validate_objects
from generator.verify.sources import Source, application_sources

SCHEMA_DIR = Path(__file__).parent / "schemas"
COMPONENT_LABEL = "platform.254carbon.com/component"
APPLICATION_LABEL = "platform.254carbon.com/application"


@dataclass(frozen=True)
class Target:
    """What verify needs to know about the platform beside the rendered tree."""

    env: str
    kubernetes_version: str
    gitops_path: str
    namespaces: frozenset[str]


def _finding(
    rule: str, message: str, file: str, path: str = "", severity: Severity = Severity.ERROR
) -> Finding:
    return Finding(rule, severity, message, file, 1, 1, path)


def verify_environment(rendered: Path, target: Target, *, display_root: Path | None = None) -> list[Finding]:
    env_dir = rendered / target.env
    shown = (display_root or rendered.parent).resolve()

    def display(path: Path) -> str:
        try:
            return path.resolve().relative_to(shown).as_posix()
        except ValueError:
            return path.as_posix()

    if not env_dir.is_dir():
        return [
            _finding("PC806", f"{display(env_dir)} does not exist; run `platformc render`", display(env_dir))
        ]
    findings: list[Finding] = []
    sources, source_findings = application_sources(env_dir, target.env, target.gitops_path, display)
    findings.extend(source_findings)
    objects: list[RenderedObject] = []
    for source in sources:
        findings.extend(_check_destination(source, target))
        if source.kind == "helm":
            objects.extend(_render_helm(source, target, display, findings))
        else:
            objects.extend(_read_directory(source, display, findings))
    findings.extend(_check_object_namespaces(objects, target))
    findings.extend(_validate(objects, target, rendered.parent))
    return [f.with_env(target.env) for f in findings]


def _check_destination(source: Source, target: Target) -> Iterable[Finding]:
    if source.namespace and source.namespace not in target.namespaces:
        yield _finding(
            "PC807",
            f"Application {source.application} deploys into namespace {source.namespace!r}, "
            "which the platform does not declare under spec.namespaces",
            source.manifest,
            "spec.destination.namespace",
        )


def _origin(data: dict[str, Any], fallback: str) -> str:
    labels = (data.get("metadata") or {}).get("labels") or {}
    component = labels.get(COMPONENT_LABEL)
    app = labels.get(APPLICATION_LABEL, fallback)
    return f"{app}/{component}" if component else fallback


def _render_helm(
    source: Source, target: Target, display: Any, findings: list[Finding]
) -> list[RenderedObject]:
    chart_display = display(source.path)
    findings.extend(lint_chart(source.path, target.kubernetes_version, display=chart_display))
    result = render_chart(
        source.path,
        release=source.release,
        namespace=source.namespace,
        value_files=source.value_files,
        kube_version=target.kubernetes_version,
    )
    findings.extend(missing_dependency_findings(f"{chart_display}/Chart.yaml", result.dropped))
    for error in result.errors:
        findings.append(
            _finding("PC804", f"helm template failed for {source.application}: {error}", chart_display)
        )
    objects: list[RenderedObject] = []
    for index, (template, data) in enumerate(result.manifests):
        file = f"{chart_display}/{PurePosixPath(template).relative_to(PurePosixPath(template).parts[0])}"
        objects.append(RenderedObject(file, index, data, _origin(data, source.application)))
    return objects


def _read_directory(source: Source, display: Any, findings: list[Finding]) -> list[RenderedObject]:
    pattern = "**/*" if source.recurse else "*"
    objects: list[RenderedObject] = []
    for path in sorted(source.path.glob(pattern)):
        if path.suffix not in (".yaml", ".yml", ".json") or not path.is_file():
            continue
        try:
            documents = parse_manifests(path.read_text(encoding="utf-8"))
        except (ValueError, OSError) as e:
            findings.append(
                _finding("PC804", f"{display(path)} cannot be read as manifests: {e}", display(path))
            )
            continue
        for index, data in enumerate(d for d in documents if isinstance(d, dict)):
            objects.append(RenderedObject(display(path), index, data, _origin(data, source.application)))
    return objects


def _check_object_namespaces(objects: Sequence[RenderedObject], target: Target) -> Iterable[Finding]:
    for obj in objects:
        namespace = (obj.data.get("metadata") or {}).get("namespace")
        if isinstance(namespace, str) and namespace not in target.namespaces:
            kind, name = obj.data.get("kind"), (obj.data.get("metadata") or {}).get("name")
            yield _finding(
                "PC807",
                f"{kind} {name} lands in namespace {namespace!r}, which the platform does not declare",
                obj.file,
                f"{kind}/{name}.metadata.namespace",
            )


def _validate(objects: Sequence[RenderedObject], target: Target, cwd: Path) -> list[Finding]:
    if not kubeconform.available():
        return validate_objects(objects, target.kubernetes_version)
    from generator.load.dump import dump_yaml

    with tempfile.TemporaryDirectory(prefix="platformc-kubeconform-") as scratch:
        origin: dict[str, str] = {}
        for number, obj in enumerate(objects):
            path = Path(scratch) / f"{number:05d}.yaml"
            path.write_text(dump_yaml(obj.data), encoding="utf-8")
            origin[str(path)] = obj.file
        found = kubeconform.run_kubeconform(target.kubernetes_version, SCHEMA_DIR, sorted(origin), cwd=cwd)
    # Findings name the rendered file the object came from, not the scratch copy.
    return [replace(f, file=origin.get(f.file, f.file)) for f in found]
