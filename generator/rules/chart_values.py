"""The values contract applied to every upstream chart component whose chart is vendored.

The values checked are the ones the umbrella passes (`emit.charts.chart_values`:
the component's values after the overlay, references resolved, plus what
platformc sets itself), so the contract can never disagree with render. A
problem points at the platform.yaml (or overlay) line that set the key; a key
platformc set points at the component's `chart:` line.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from generator.emit.chart_values import chart_values
from generator.findings import Severity
from generator.load.document import YamlPath, format_path
from generator.model.types import Component, Platform
from generator.rules.chart_declaration import ChartDeclaration, ChartUnreadable, declaration_of
from generator.rules.registry import Hit, check, define
from generator.rules.values_contract import Problem, check_values, describe


@dataclass(frozen=True)
class ChartUse:
    """A chart component as the contract sees it: the chart it pins and where it is written."""

    component: Component
    name: str
    version: str
    chart_path: YamlPath  # the component's `chart:` entry
    values_path: YamlPath  # the component's `values:` entry
    written: Any  # the values as written (after the overlay), before platformc adds its own


def chart_uses(platform: Platform) -> Iterator[ChartUse]:
    """Every enabled component that installs an upstream chart."""
    for component in platform.components():
        use = chart_use(component)
        if use is not None:
            yield use


def chart_use(component: Component) -> ChartUse | None:
    """The component as the contract sees it, if it installs an upstream chart (the one place reading it)."""
    chart = component.chart
    if component.kind != "chart" or chart is None:
        return None
    return ChartUse(
        component,
        chart.name,
        chart.version,
        (*component.path, "chart"),
        (*component.path, "values"),
        component.values,
    )


def declaration_for(platform: Platform, use: ChartUse) -> ChartDeclaration | None:
    """The vendored chart's declaration; None when it is not vendored (or unreadable)."""
    archive = platform.vendored.get((use.name, use.version))
    if archive is None:
        return None
    try:
        return declaration_of(archive)
    except ChartUnreadable:
        return None


def unchecked_notes(platform: Platform) -> list[str]:
    """One note per chart that is not vendored: its values were not checked against it."""
    missing = sorted(
        {(u.name, u.version) for u in chart_uses(platform) if (u.name, u.version) not in platform.vendored}
    )
    return [
        f"values contract not checked for chart {name} {version}: it is not vendored (run `platformc vendor`)"
        for name, version in missing
    ]


define(
    "PC306",
    "images",
    Severity.ERROR,
    "Chart value the chart does not declare",
    why="""Helm ignores a values key that no template reads, without a word: a misspelt key
    (`singleBinary.replica` for `singleBinary.replicas`) silently does nothing and the chart
    runs with its default. A key is declared when the vendored chart's values.yaml has it at
    that path, its values.schema.json accepts it, it sits inside a map the chart leaves open
    (a default of `{}` or `null`, a schema object without properties, a map its templates
    write out whole with `toYaml`, directly or through a variable, a `with` block or a
    helper such as `omit .securityContext "enabled" | toYaml`) or inside a list element.
    A key naming one of the chart's dependencies is checked against that dependency;
    `global` against what any chart of the tree declares under it.""",
    fix="Use the key the chart declares (the finding suggests the nearest ones; `helm show "
    "values <chart>` lists them all), or remove the key.",
    bad="""
    chart: {repository: https://grafana.github.io/helm-charts, name: loki, version: 6.16.0}
    values:
      deploymentMod: SingleBinary
    """,
    good="""
    chart: {repository: https://grafana.github.io/helm-charts, name: loki, version: 6.16.0}
    values:
      deploymentMode: SingleBinary
    """,
)
define(
    "PC307",
    "images",
    Severity.ERROR,
    "Chart value of a type the chart does not take",
    why="""A value whose type contradicts the chart's schema or default (a map where the chart
    has a list, a string where it has a boolean) renders into something the chart's templates
    do not expect: `"false"` is a true condition in a template, a map ranged over as a list
    fails or renders garbage. A `null` default accepts anything; integers and floats are one
    type.""",
    fix="Write the value in the type the chart's values.yaml or values.schema.json gives it.",
    bad="""
    chart: {repository: https://helm.releases.hashicorp.com, name: vault, version: 0.28.1}
    values:
      server: {ha: {enabled: "true"}}
    """,
    good="""
    chart: {repository: https://helm.releases.hashicorp.com, name: vault, version: 0.28.1}
    values:
      server: {ha: {enabled: true}}
    """,
)


@check("PC306", "PC307")
def values_contract(platform: Platform) -> Iterator[Hit]:
    for use in chart_uses(platform):
        declaration = declaration_for(platform, use)
        if declaration is None:
            continue
        for problem in check_values(declaration, chart_values(platform, use.component)):
            yield _hit(use, problem)


def _hit(use: ChartUse, problem: Problem) -> Hit:
    name = use.component.name
    shown = format_path(problem.path)
    written = has_path(use.written, problem.path)
    path = (*use.values_path, *problem.path) if written else use.chart_path
    by = "" if written else " (platformc sets it)"
    if problem.kind == "unknown":
        hint = " or ".join(f'"{s}"' for s in problem.suggestions)
        fix = f"did you mean {hint}?" if hint else "`helm show values` lists the values the chart reads"
        message = (
            f'{name}: chart {problem.chart} has no value "{shown}"{by}, so Helm would ignore it without '
            f"a word; {fix}"
        )
        return Hit("PC306", message, path, prefer_key=written, component=use.component)
    default = f" (its default is {_shown(problem.default)})" if problem.default is not None else ""
    message = (
        f'{name}: value "{shown}"{by} is {describe(problem.found)}, but chart {problem.chart} takes '
        f"{describe(problem.expected)} there{default}"
    )
    return Hit("PC307", message, path, component=use.component)


def _shown(value: Any) -> str:
    text = json.dumps(value, ensure_ascii=False, default=str)
    return text if len(text) <= 60 else text[:59] + "…"


def has_path(values: Any, path: YamlPath) -> bool:
    node = values
    for part in path:
        if isinstance(node, dict) and part in node:
            node = node[part]
        elif isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node):
            node = node[int(part)]
        else:
            return False
    return True
