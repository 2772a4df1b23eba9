"""Render and lint a chart directory the way ArgoCD does.

ArgoCD runs `helm template <release> <dir> --namespace <ns> -f <file>... --kube-version <v>
--include-crds`. With a `helm` binary on PATH that is exactly what runs; without one the
Helm engine from helm-python does the same work in-process. helm-python is imported
inside the functions that need it, so schema validation never pays for loading Helm.
Its native calls go through `ctypes.CDLL`, which releases the GIL, so several charts
can be rendered at once on threads.

An umbrella chart may declare an upstream chart that is not vendored under charts/.
`helm template` refuses such a chart outright, so the rest is rendered from a copy
with those dependencies removed, and the result names them: the caller reports
each as PC805 (not verified).

Every result says whether it is `complete`: False when the verifier itself failed
(a file it could not read, the Helm library, a timeout) rather than the chart, so
that such a result is never kept for the next run.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from generator.errors import VerifyUnavailableError
from generator.findings import Finding, Severity
from generator.helm_values import merge_maps
from generator.verify.api_versions import built_in_api_versions
from generator.verify.dependencies import (
    Dependency,
    missing_dependency_findings,
    prune_missing_dependencies,
)
from generator.verify.manifests import parse_document, read_crds, read_rendered, split_kube

__all__ = [
    "Dependency",
    "RenderResult",
    "check_chart",
    "lint_chart",
    "merge_values",
    "missing_dependency_findings",
    "prune_missing_dependencies",
    "render_chart",
]

HELM = "helm"
TIMEOUT = 300.0
_KUBE_VERSION = re.compile(r"^v?(\d+)\.(\d+)(?:\.(\d+))?")
_SOURCE = re.compile(r"^# Source: (.+)$", re.MULTILINE)
# "b/templates/cm.yaml:6:15" or "(b/charts/sub/templates/x.yaml:3)": the chart's name, then the file in it
_TEMPLATE_LINE = re.compile(
    r"(?:^|[\s(])[^\s():/]+/((?:charts/[^\s():/]+/)*templates/[^\s():]+):(\d+)(?::(\d+))?"
)

Manifests = list[tuple[str, dict[str, Any]]]


@dataclass(frozen=True)
class RenderResult:
    """`manifests` are (template path, object) in render order; `errors` the engine's messages."""

    manifests: tuple[tuple[str, dict[str, Any]], ...]
    errors: tuple[str, ...]
    dropped: tuple[Dependency, ...]
    engine: str  # "helm" (the binary) or "helm-python"
    complete: bool = True


@dataclass(frozen=True)
class ChartCheck:
    """`helm lint` and `helm template` of one chart, from one pruned copy."""

    lint: tuple[Finding, ...]
    render: RenderResult
    complete: bool


def render_chart(
    chart_dir: Path, *, release: str, namespace: str, value_files: Sequence[Path], kube_version: str
) -> RenderResult:
    """`value_files` are the Application's `helm.valueFiles`, in order, as paths to read."""
    with tempfile.TemporaryDirectory(prefix="platformc-verify-") as scratch:
        try:
            chart, dropped = prune_missing_dependencies(chart_dir, Path(scratch))
        except (OSError, ValueError) as e:
            return _unreadable(chart_dir, e)
        return _render(chart, dropped, release, namespace, value_files, kube_version)


def lint_chart(chart_dir: Path, kube_version: str, *, display: str | None = None) -> list[Finding]:
    """`helm lint --with-subcharts`: severity 3 is a PC804 error, 2 a PC804 warning, info is dropped.

    `display` is how findings name the chart directory (default: `chart_dir`).
    Dependencies that are not vendored are left out, as for rendering.
    """
    shown = display or str(chart_dir)
    with tempfile.TemporaryDirectory(prefix="platformc-lint-") as scratch:
        try:
            chart, _ = prune_missing_dependencies(chart_dir, Path(scratch))
        except (OSError, ValueError) as e:
            return _lint_failure(chart_dir, e, shown)
        findings, _ = _lint(chart, kube_version, shown)
    return findings


def check_chart(
    chart_dir: Path,
    *,
    release: str,
    namespace: str,
    value_files: Sequence[Path],
    kube_version: str,
    display: str,
) -> ChartCheck:
    """`lint_chart` and `render_chart` together, pruning the chart once for both."""
    with tempfile.TemporaryDirectory(prefix="platformc-verify-") as scratch:
        try:
            chart, dropped = prune_missing_dependencies(chart_dir, Path(scratch))
        except (OSError, ValueError) as e:
            lint_failure = _lint_failure(chart_dir, e, display)
            return ChartCheck(tuple(lint_failure), _unreadable(chart_dir, e), complete=False)
        lint, linted = _lint(chart, kube_version, display)
        result = _render(chart, dropped, release, namespace, value_files, kube_version)
    return ChartCheck(tuple(lint), result, complete=linted and result.complete)


def merge_values(documents: Sequence[dict[str, Any]]) -> dict[str, Any]:
    """`-f a -f b`: later files win; maps merge key by key, anything else replaces.

    A `null` is kept, as Helm keeps it: coalescing with the chart's defaults then
    deletes that key, so a later file can remove a default.
    """
    merged: dict[str, Any] = {}
    for document in documents:
        merged = merge_maps(merged, document)
    return merged


# ------------------------------------------------------------------ lint


def _lint(chart: Path, kube_version: str, shown: str) -> tuple[list[Finding], bool]:
    import helm_python

    try:
        report = helm_python.lint(chart, kube_version=_v(kube_version), with_subcharts=True)
    except (OSError, ValueError, helm_python.HelmError) as e:
        return _lint_failure(chart, e, shown), _is_chart_problem(e)
    return _lint_findings(report, str(chart), shown), True


def _lint_failure(chart: Path, error: Exception, shown: str) -> list[Finding]:
    report = {"messages": [{"severity": 3, "path": "", "error": f"cannot lint the chart: {error}"}]}
    return _lint_findings(report, str(chart), shown)


def _lint_findings(report: dict[str, Any], chart: str, shown: str) -> list[Finding]:
    findings: list[Finding] = []
    for entry in report.get("messages", []):
        severity = {3: Severity.ERROR, 2: Severity.WARNING}.get(int(entry.get("severity", 0)))
        if severity is not None:
            text = " ".join(str(entry.get("error", "")).replace(chart, shown).split())
            file, line, column = _lint_position(str(entry.get("path", "")), text, chart, shown)
            findings.append(Finding("PC804", severity, f"helm lint: {text}", file, line, column, shown))
    return findings


def _is_chart_problem(error: Exception) -> bool:
    """Whether helm-python failed because of the chart (kept) rather than itself or the machine (not)."""
    import helm_python.errors as errors

    chart_errors = (
        errors.HelmChartLoadError,
        errors.HelmChartInvalidError,
        errors.HelmValuesError,
        errors.HelmRenderError,
    )
    return isinstance(error, chart_errors) and not isinstance(error, OSError)


# ------------------------------------------------------------------ rendering


def _engine() -> str:
    return "helm" if shutil.which(HELM) else "helm-python"


def _unreadable(chart_dir: Path, error: Exception) -> RenderResult:
    message = f"cannot read the chart in {chart_dir}: {error}"
    return RenderResult((), (message,), (), _engine(), complete=False)


def _render(
    chart: Path,
    dropped: tuple[Dependency, ...],
    release: str,
    namespace: str,
    value_files: Sequence[Path],
    kube_version: str,
) -> RenderResult:
    engine = _engine()
    render = _render_with_binary if engine == "helm" else _render_with_sdk
    manifests, errors, complete = render(chart, release, namespace, value_files, kube_version)
    return RenderResult(tuple(manifests), tuple(errors), dropped, engine, complete)


def _render_with_binary(
    chart: Path, release: str, namespace: str, value_files: Sequence[Path], kube_version: str
) -> tuple[Manifests, list[str], bool]:
    command = [HELM, "template", release, str(chart), "--namespace", namespace]
    for file in value_files:
        command += ["-f", str(file)]
    command += ["--kube-version", _v(kube_version), "--include-crds"]
    for api_version in built_in_api_versions(kube_version):
        command += ["--api-versions", api_version]
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=TIMEOUT, check=False)
    except subprocess.TimeoutExpired:
        return [], [f"helm template did not finish within {TIMEOUT:g} s"], False
    except OSError as e:
        raise VerifyUnavailableError(f"cannot run helm: {e}") from e
    if done.returncode != 0:
        # the binary does not say whether the chart or helm failed: never kept
        return [], [done.stderr.strip() or f"helm template exited with status {done.returncode}"], False
    manifests: Manifests = []
    errors: list[str] = []
    try:
        chunks = split_kube(done.stdout)
    except ValueError as e:
        return [], [f"the output of helm template is not YAML: {e}"], True
    for chunk in chunks:
        source = _SOURCE.search(chunk)
        manifests.extend(_objects(source.group(1) if source else str(chart), chunk, errors, _one_document))
    return manifests, errors, True


def _render_with_sdk(
    chart_dir: Path, release: str, namespace: str, value_files: Sequence[Path], kube_version: str
) -> tuple[Manifests, list[str], bool]:
    import helm_python

    try:
        values = merge_values(
            [helm_python.values_from_yaml(f.read_text(encoding="utf-8")) for f in value_files]
        )
        with helm_python.Chart.load(chart_dir) as chart:
            options: dict[str, Any] = {
                "name": release,
                "namespace": namespace,
                "kube_version": _v(kube_version),
                "api_versions": list(built_in_api_versions(kube_version)),
            }
            rendered = _sdk_render(chart, values, options)
            crds = [
                (str(crd.get("filename") or crd.get("name")), str(crd.get("data", ""))) for crd in chart.crds
            ]
    except (OSError, helm_python.HelmError) as e:
        return [], [str(e)], _is_chart_problem(e)
    manifests: Manifests = []
    errors: list[str] = []
    for path, text in crds:  # Helm hands CRD files to the Kubernetes client as they are
        manifests.extend(_objects(path, text, errors, read_crds))
    for path, text in sorted(rendered.items()):
        name = path.rsplit("/", 1)[-1]
        if name.startswith("_") or name == "NOTES.txt":
            continue
        manifests.extend(_objects(path, text, errors, read_rendered))
    return manifests, errors, True


def _sdk_render(chart: Any, values: dict[str, Any], options: dict[str, Any]) -> dict[str, str]:
    import helm_python

    # Chart.render() does not pass kube_version on, though libhelm_c's render options take it
    raw = helm_python._native.call_string(
        "helm_render", chart._raw(), json.dumps(values), json.dumps(options)
    )
    rendered: dict[str, str] = json.loads(raw)
    return rendered


def _objects(path: str, text: str, errors: list[str], parse: Callable[[str], Sequence[Any]]) -> Manifests:
    try:
        documents = parse(text)
    except ValueError as e:
        errors.append(f"{path}: the rendered output is not YAML: {e}")
        return []
    return [(path, document) for document in documents if isinstance(document, dict) and document]


def _one_document(text: str) -> list[Any]:
    return [parse_document(text)]


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
