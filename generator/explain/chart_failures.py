"""An upstream chart that fails to render, reported where its values are written.

Helm renders an application's umbrella chart as a whole, so when one upstream
chart refuses its values (a `fail` in its templates, a nil it dereferences) the
error names the umbrella (`rendered/<env>/apps/<app>`) and a template path inside
it: `<app>/charts/<component>/templates/…`. The component is the one whose
values caused it, so the finding moves to its `chart:` line in platform.yaml,
carrying Helm's message; `helm lint`'s copy of the same failure is folded into it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from generator.findings import Finding, Severity, make_finding
from generator.load.document import format_path
from generator.model.types import Platform
from generator.rules.chart_values import ChartUse, chart_uses

RENDER_FAILED = "helm template failed for "
LINT = "helm lint: "
# `metrics/charts/loki/templates/…` in Helm's message; `…/apps/metrics/charts/loki/…` in a file
_IN_MESSAGE = re.compile(r"(?:^|[\s(\"<])([A-Za-z0-9][A-Za-z0-9._-]*)/charts/([A-Za-z0-9][A-Za-z0-9._-]*)/")
_IN_FILE = re.compile(r"(?:^|/)apps/([^/]+)/charts/([^/]+)/")
# `tpl` errors quote the whole template they ran; the position after it says where it failed
_TPL_SOURCE = re.compile(r'(error during tpl function execution) for "(?:[^"\\]|\\.)*"')
_MAX_MESSAGE = 2000
NOT_VENDORED = "PC805"
# verify names an umbrella's missing dependency on `…/apps/<app>/Chart.yaml`, path `dependencies.<chart>`
_UMBRELLA = re.compile(r"(?:^|/)apps/([^/]+)/Chart\.yaml$")


def place_chart_failures(findings: Iterable[Finding], platform: Platform) -> list[Finding]:
    """`findings` with each upstream chart's render failure at its component's `chart:` line."""
    charts = {(use.component.app, use.component.name): use for use in chart_uses(platform)}
    kept: list[Finding] = []
    placed: dict[tuple[str, str], Finding] = {}
    lint: list[tuple[tuple[str, str], Finding]] = []
    for finding in findings:
        key = _failed_chart(finding, charts)
        if key is None:
            kept.append(finding)
        elif finding.message.startswith(RENDER_FAILED):
            placed.setdefault(key, _placed(finding, charts[key], platform))
        else:
            lint.append((key, finding))
    # lint's report of a failure already placed is the same root cause; any other stays
    kept.extend(finding for key, finding in lint if key not in placed)
    return kept + list(placed.values())


def short_message(message: str) -> str:
    """Helm's message without the template source a `tpl` error repeats, cut to a readable length."""
    text = _TPL_SOURCE.sub(r"\1", message)
    return text if len(text) <= _MAX_MESSAGE else text[: _MAX_MESSAGE - 1] + "…"


def _failed_chart(finding: Finding, charts: dict[tuple[str, str], ChartUse]) -> tuple[str, str] | None:
    if finding.rule != "PC804" or finding.severity is not Severity.ERROR:
        return None
    if finding.message.startswith(RENDER_FAILED):
        candidates = [m.groups() for m in _IN_MESSAGE.finditer(finding.message)]
    elif finding.message.startswith(LINT):
        candidates = [m.groups() for m in _IN_FILE.finditer(finding.file)]
    else:
        return None
    return next(((app, name) for app, name in candidates if (app, name) in charts), None)


def _placed(finding: Finding, use: ChartUse, platform: Platform) -> Finding:
    helm = short_message(finding.message.removeprefix(RENDER_FAILED).split(": ", 1)[-1])
    message = (
        f"{use.component.name}: chart {use.name} {use.version} fails to render with the values the "
        f"platform gives it: {helm}"
    )
    return _at_chart(platform, use, "PC804", Severity.ERROR, message, finding.env)


def place_unvendored_charts(findings: Iterable[Finding], platform: Platform) -> list[Finding]:
    """`findings` with each PC805 (a chart not vendored, so not verified) moved from the rendered
    umbrella's Chart.yaml to the component's `chart:` line: one finding per chart, which the report
    folds across environments, instead of one per rendered file."""
    kept: list[Finding] = []
    for finding in findings:
        use = _unvendored(finding, platform)
        if use is None:
            kept.append(finding)
            continue
        message = (
            f"{use.component.name}: chart {use.name} {use.version} is not vendored, so verify could not "
            "render it; run `platformc vendor` and render again"
        )
        kept.append(_at_chart(platform, use, NOT_VENDORED, finding.severity, message, finding.env))
    return kept


def _at_chart(
    platform: Platform, use: ChartUse, rule: str, severity: Severity, message: str, env: str | None
) -> Finding:
    """A finding at the component's `chart:` line."""
    mark = platform.doc.mark(use.chart_path, prefer_key=True)
    return make_finding(rule, severity, message, mark, format_path(use.chart_path), env)


def _unvendored(finding: Finding, platform: Platform) -> ChartUse | None:
    if finding.rule != NOT_VENDORED or not finding.path.startswith("dependencies."):
        return None
    umbrella = _UMBRELLA.search(finding.file)
    if umbrella is None:
        return None
    chart = finding.path.removeprefix("dependencies.")
    return next(
        (u for u in chart_uses(platform) if u.component.app == umbrella.group(1) and u.name == chart), None
    )
