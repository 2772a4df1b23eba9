"""One Application's source, verified: what verify runs in parallel and keeps between runs.

A Helm source is linted and rendered; a directory source is read as plain
manifests. With the embedded validator, every resulting object is validated
here too, so the Python work of one chart overlaps the Helm work of another.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any

from generator.findings import Finding, Severity
from generator.verify.helm import check_chart, missing_dependency_findings
from generator.verify.manifests import parse_manifests
from generator.verify.objects import RenderedObject, validate_objects
from generator.verify.sources import Source

Display = Callable[[Path], str]
COMPONENT_LABEL = "platform.254carbon.com/component"
APPLICATION_LABEL = "platform.254carbon.com/application"
MANIFEST_SUFFIXES = (".yaml", ".yml", ".json")


@dataclass(frozen=True)
class Placement:
    """An object that names its namespace: what the namespace check needs of it."""

    file: str
    kind: str
    name: str
    namespace: str


@dataclass(frozen=True)
class SourceVerdict:
    """What verifying one source found, and where its objects land; what the cache keeps."""

    findings: tuple[Finding, ...]
    placements: tuple[Placement, ...]
    objects: tuple[RenderedObject, ...] = ()  # what the cluster stage reads of the environment


@dataclass
class SourceOutcome:
    """`complete` is False when the verifier itself failed (I/O, the Helm library, a timeout)."""

    findings: list[Finding]
    objects: list[RenderedObject]
    complete: bool = True

    def verdict(self) -> SourceVerdict:
        return SourceVerdict(tuple(self.findings), placements(self.objects), tuple(self.objects))


def verify_source(source: Source, kube_version: str, display: Display, *, validate: bool) -> SourceOutcome:
    """Render or read `source`; with `validate`, also validate its objects with the embedded validator."""
    if source.kind == "helm":
        outcome = _render_helm(source, kube_version, display)
    else:
        outcome = _read_directory(source, display)
    if validate:
        outcome.findings.extend(validate_objects(outcome.objects, kube_version))
    return outcome


def directory_files(source: Source) -> list[Path]:
    """The files a directory source is read from, in the order they are read."""
    pattern = "**/*" if source.recurse else "*"
    return [
        path
        for path in sorted(source.path.glob(pattern))
        if path.suffix in MANIFEST_SUFFIXES and path.is_file()
    ]


def placements(objects: Sequence[RenderedObject]) -> tuple[Placement, ...]:
    found: list[Placement] = []
    for obj in objects:
        metadata = obj.data.get("metadata") or {}
        namespace = metadata.get("namespace")
        if isinstance(namespace, str):
            found.append(Placement(obj.file, f"{obj.data.get('kind')}", f"{metadata.get('name')}", namespace))
    return tuple(found)


def _finding(rule: str, message: str, file: str) -> Finding:
    return Finding(rule, Severity.ERROR, message, file, 1, 1, "")


def _origin(data: dict[str, Any], fallback: str) -> str:
    labels = (data.get("metadata") or {}).get("labels") or {}
    component = labels.get(COMPONENT_LABEL)
    app = labels.get(APPLICATION_LABEL, fallback)
    return f"{app}/{component}" if component else fallback


def _render_helm(source: Source, kube_version: str, display: Display) -> SourceOutcome:
    chart_display = display(source.path)
    checked = check_chart(
        source.path,
        release=source.release,
        namespace=source.namespace,
        value_files=source.value_files,
        kube_version=kube_version,
        display=chart_display,
    )
    result = checked.render
    findings = list(checked.lint)
    findings.extend(missing_dependency_findings(f"{chart_display}/Chart.yaml", result.dropped))
    for error in result.errors:
        findings.append(
            _finding("PC804", f"helm template failed for {source.application}: {error}", chart_display)
        )
    objects: list[RenderedObject] = []
    for index, (template, data) in enumerate(result.manifests):
        file = f"{chart_display}/{PurePosixPath(template).relative_to(PurePosixPath(template).parts[0])}"
        objects.append(RenderedObject(file, index, data, _origin(data, source.application)))
    return SourceOutcome(findings, objects, checked.complete)


def _read_directory(source: Source, display: Display) -> SourceOutcome:
    outcome = SourceOutcome([], [])
    for path in directory_files(source):
        try:
            documents = parse_manifests(path.read_text(encoding="utf-8"))
        except (ValueError, OSError) as e:
            outcome.findings.append(
                _finding("PC804", f"{display(path)} cannot be read as manifests: {e}", display(path))
            )
            outcome.complete = outcome.complete and not isinstance(e, OSError)
            continue
        for index, data in enumerate(d for d in documents if isinstance(d, dict)):
            outcome.objects.append(
                RenderedObject(display(path), index, data, _origin(data, source.application))
            )
    return outcome
