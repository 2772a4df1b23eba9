"""Render and lint a chart directory the way ArgoCD does.

ArgoCD runs `helm template <release> <dir> --namespace <ns> -f <file>... --kube-version <v>
--include-crds`. With a `helm` binary on PATH that is exactly what runs; without one the
Helm engine from helm-python does the same work in-process. helm-python is imported
inside the functions that need it, so schema validation never pays for loading Helm.

An umbrella chart may declare an upstream chart that is not vendored under charts/.
`helm template` refuses such a chart outright, so the rest is rendered from a copy
with those dependencies removed, and the result names them: the caller reports
each as PC805 (not verified).
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import tarfile
import tempfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from generator.errors import VerifyUnavailableError
from generator.findings import Finding, Severity
from generator.verify.manifests import parse_manifests

HELM = "helm"
TIMEOUT = 300.0
_KUBE_VERSION = re.compile(r"^v?(\d+)\.(\d+)(?:\.(\d+))?")
_SOURCE = re.compile(r"^# Source: (.+)$", re.MULTILINE)
_SEPARATOR = re.compile(r"^---[ \t]*$", re.MULTILINE)
# "b/templates/cm.yaml:6:15" or "(b/charts/sub/templates/x.yaml:3)": the chart's name, then the file in it
_TEMPLATE_LINE = re.compile(
    r"(?:^|[\s(])[^\s():/]+/((?:charts/[^\s():/]+/)*templates/[^\s():]+):(\d+)(?::(\d+))?"
)


@dataclass(frozen=True)
class Dependency:
    name: str
    version: str
    repository: str


@dataclass(frozen=True)
class RenderResult:
    """`manifests` are (template path, object) in render order; `errors` the engine's messages."""

    manifests: tuple[tuple[str, dict[str, Any]], ...]
    errors: tuple[str, ...]
    dropped: tuple[Dependency, ...]
    engine: str  # "helm" (the binary) or "helm-python"


def render_chart(
    chart_dir: Path, *, release: str, namespace: str, value_files: Sequence[Path], kube_version: str
) -> RenderResult:
    """`value_files` are the Application's `helm.valueFiles`, in order, as paths to read."""
    engine = "helm" if shutil.which(HELM) else "helm-python"
    with tempfile.TemporaryDirectory(prefix="platformc-verify-") as scratch:
        try:
            chart, dropped = prune_missing_dependencies(chart_dir, Path(scratch))
        except (OSError, ValueError) as e:
            return RenderResult((), (f"cannot read the chart in {chart_dir}: {e}",), (), engine)
        render = _render_with_binary if engine == "helm" else _render_with_sdk
        manifests, errors = render(chart, release, namespace, value_files, kube_version)
    return RenderResult(tuple(manifests), tuple(errors), dropped, engine)


def lint_chart(chart_dir: Path, kube_version: str, *, display: str | None = None) -> list[Finding]:
    """`helm lint --with-subcharts`: severity 3 is a PC804 error, 2 a PC804 warning, info is dropped.

    `display` is how findings name the chart directory (default: `chart_dir`).
    Dependencies that are not vendored are left out, as for rendering.
    """
    import helm_python

    shown = display or str(chart_dir)
    with tempfile.TemporaryDirectory(prefix="platformc-lint-") as scratch:
        try:
            chart, _ = prune_missing_dependencies(chart_dir, Path(scratch))
            report = helm_python.lint(chart, kube_version=_v(kube_version), with_subcharts=True)
        except (OSError, ValueError, helm_python.HelmError) as e:
            chart = chart_dir
            report = {"messages": [{"severity": 3, "path": "", "error": f"cannot lint the chart: {e}"}]}
        findings: list[Finding] = []
        for entry in report.get("messages", []):
            severity = {3: Severity.ERROR, 2: Severity.WARNING}.get(int(entry.get("severity", 0)))
            if severity is not None:
                text = " ".join(str(entry.get("error", "")).replace(str(chart), shown).split())
                file, line, column = _lint_position(str(entry.get("path", "")), text, str(chart), shown)
                findings.append(Finding("PC804", severity, f"helm lint: {text}", file, line, column, shown))
    return findings


def missing_dependency_findings(chart_file: str, dropped: Sequence[Dependency]) -> list[Finding]:
    """PC805 for each upstream chart left out of rendering; `chart_file` is the umbrella's Chart.yaml."""
    return [
        Finding(
            "PC805",
            Severity.WARNING,
            f"not verified: chart {dep.name} {dep.version} is not vendored"
            f"{f' (from {dep.repository})' if dep.repository else ''}; "
            "vendor it with `platformc vendor` and render again, and verify renders it fully",
            chart_file,
            1,
            1,
            f"dependencies.{dep.name}",
        )
        for dep in dropped
    ]


def merge_values(documents: Sequence[dict[str, Any]]) -> dict[str, Any]:
    """`-f a -f b`: later files win; maps merge key by key, anything else replaces.

    A `null` is kept, as Helm keeps it: coalescing with the chart's defaults then
    deletes that key, so a later file can remove a default.
    """
    merged: dict[str, Any] = {}
    for document in documents:
        merged = _merge_maps(merged, document)
    return merged


def _merge_maps(base: dict[str, Any], over: dict[str, Any]) -> dict[str, Any]:
    out = dict(base)
    for key, value in over.items():
        if isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = _merge_maps(out[key], value)
        else:
            out[key] = value
    return out


# ------------------------------------------------------------------ dependencies


def prune_missing_dependencies(chart_dir: Path, scratch: Path) -> tuple[Path, tuple[Dependency, ...]]:
    """The chart to render (a copy under `scratch` if any dependency had to go) and the ones dropped."""
    metadata = _chart_metadata(chart_dir / "Chart.yaml")
    if not isinstance(metadata.get("dependencies"), list):
        return chart_dir, ()
    declared: list[Any] = metadata["dependencies"]
    vendored = _vendored_chart_names(chart_dir / "charts")
    missing = [dep for dep in declared if isinstance(dep, dict) and str(dep.get("name")) not in vendored]
    if not missing:
        return chart_dir, ()
    copy = scratch / chart_dir.name
    shutil.copytree(chart_dir, copy, symlinks=True)
    metadata["dependencies"] = [dep for dep in declared if dep not in missing]
    if not metadata["dependencies"]:
        del metadata["dependencies"]
    # JSON is YAML, and needs no dumper
    (copy / "Chart.yaml").write_text(json.dumps(metadata, indent=2) + "\n", encoding="utf-8")
    (copy / "Chart.lock").unlink(missing_ok=True)
    dropped = tuple(
        Dependency(str(dep.get("name")), str(dep.get("version", "")), str(dep.get("repository", "")))
        for dep in missing
    )
    return copy, dropped


def _vendored_chart_names(charts: Path) -> set[str]:
    # Helm matches a dependency to the *chart name* of what is under charts/, dirs and archives alike
    names: set[str] = set()
    if not charts.is_dir():
        return names
    for entry in charts.iterdir():
        if entry.is_dir() and (entry / "Chart.yaml").is_file():
            names.add(str(_chart_metadata(entry / "Chart.yaml").get("name", entry.name)))
        elif entry.name.endswith(".tgz"):
            names.update(_archived_chart_names(entry))
    return names


def _archived_chart_names(archive: Path) -> Iterator[str]:
    try:
        with tarfile.open(archive, "r:gz") as tar:
            for member in tar.getmembers():
                parts = member.name.split("/")
                if len(parts) == 2 and parts[1] == "Chart.yaml" and (stream := tar.extractfile(member)):
                    yield str(_chart_metadata(stream.read().decode("utf-8")).get("name"))
    except (OSError, tarfile.TarError, UnicodeDecodeError, ValueError):
        return


def _chart_metadata(source: Path | str) -> dict[str, Any]:
    text = source.read_text(encoding="utf-8") if isinstance(source, Path) else source
    documents = parse_manifests(text)
    return documents[0] if documents and isinstance(documents[0], dict) else {}


# ------------------------------------------------------------------ rendering


def _render_with_binary(
    chart: Path, release: str, namespace: str, value_files: Sequence[Path], kube_version: str
) -> tuple[list[tuple[str, dict[str, Any]]], list[str]]:
    command = [HELM, "template", release, str(chart), "--namespace", namespace]
    for file in value_files:
        command += ["-f", str(file)]
    command += ["--kube-version", _v(kube_version), "--include-crds"]
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=TIMEOUT, check=False)
    except subprocess.TimeoutExpired:
        return [], [f"helm template did not finish within {TIMEOUT:g} s"]
    except OSError as e:
        raise VerifyUnavailableError(f"cannot run helm: {e}") from e
    if done.returncode != 0:
        return [], [done.stderr.strip() or f"helm template exited with status {done.returncode}"]
    manifests: list[tuple[str, dict[str, Any]]] = []
    errors: list[str] = []
    for chunk in _SEPARATOR.split(done.stdout):
        source = _SOURCE.search(chunk)
        manifests.extend(_objects(source.group(1) if source else str(chart), chunk, errors))
    return manifests, errors


def _render_with_sdk(
    chart_dir: Path, release: str, namespace: str, value_files: Sequence[Path], kube_version: str
) -> tuple[list[tuple[str, dict[str, Any]]], list[str]]:
    import helm_python

    try:
        values = merge_values(
            [helm_python.values_from_yaml(f.read_text(encoding="utf-8")) for f in value_files]
        )
        with helm_python.Chart.load(chart_dir) as chart:
            options = {"name": release, "namespace": namespace, "kube_version": _v(kube_version)}
            rendered = _sdk_render(chart, values, options)
            crds = [
                (str(crd.get("filename") or crd.get("name")), str(crd.get("data", ""))) for crd in chart.crds
            ]
    except (OSError, helm_python.HelmError) as e:
        return [], [str(e)]
    manifests: list[tuple[str, dict[str, Any]]] = []
    errors: list[str] = []
    for path, text in [*crds, *sorted(rendered.items())]:
        name = path.rsplit("/", 1)[-1]
        if name.startswith("_") or name == "NOTES.txt":
            continue
        manifests.extend(_objects(path, text, errors))
    return manifests, errors


def _sdk_render(chart: Any, values: dict[str, Any], options: dict[str, str]) -> dict[str, str]:
    import helm_python

    # Chart.render() does not pass kube_version on, though libhelm_c's render options take it
    raw = helm_python._native.call_string(
        "helm_render", chart._raw(), json.dumps(values), json.dumps(options)
    )
    rendered: dict[str, str] = json.loads(raw)
    return rendered


def _objects(path: str, text: str, errors: list[str]) -> list[tuple[str, dict[str, Any]]]:
    try:
        documents = parse_manifests(text)
    except ValueError as e:
        errors.append(f"{path}: the rendered output is not YAML: {e}")
        return []
    return [(path, document) for document in documents if isinstance(document, dict) and document]


# ------------------------------------------------------------------ helpers


def _v(kube_version: str) -> str:
    """`1.29` -> `v1.29.0`, the form Helm gives `.Capabilities.KubeVersion.Version`."""
    match = _KUBE_VERSION.match(kube_version.strip())
    if match is None:
        raise ValueError(f"{kube_version!r} is not a Kubernetes version; write it as 1.31 or 1.31.4")
    major, minor, patch = match.groups()
    return f"v{major}.{minor}.{patch or 0}"


def _lint_position(path: str, text: str, chart: str, shown: str) -> tuple[str, int, int]:
    match = _TEMPLATE_LINE.search(text)
    if match:
        return f"{shown}/{match.group(1)}", int(match.group(2)), int(match.group(3) or 1)
    if not path or path == chart:
        return f"{shown}/Chart.yaml", 1, 1
    return f"{shown}/{path.removeprefix(chart).lstrip('/')}", 1, 1
