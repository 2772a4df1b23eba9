"""`platformc explain` for a chart component: each value passed to the chart, its origin, the chart's default.

The values are the ones the umbrella passes (`emit.charts.chart_values`), so
explain shows what render writes; defaults come from the vendored chart (a key
naming a dependency from that dependency, `global` from any chart of the tree).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from generator.emit.chart_values import chart_values
from generator.findings import Mark
from generator.load.document import YamlPath, format_path
from generator.model.types import Component, Platform
from generator.rules.chart_declaration import ChartDeclaration
from generator.rules.chart_values import ChartUse, chart_use, declaration_for, has_path
from generator.rules.values_contract import default_at


@dataclass(frozen=True)
class ChartValue:
    path: str  # below the chart's values: `loki.storage.type`
    value: Any
    origin: Mark
    by_platformc: bool  # set by platformc itself, not written in platform.yaml
    has_default: bool
    default: Any = None


@dataclass(frozen=True)
class ChartValues:
    chart: str  # `loki 6.16.0`
    vendored: bool  # False: the chart's defaults are unknown (`platformc vendor`)
    values: tuple[ChartValue, ...]


def explain_chart_values(platform: Platform, component: Component) -> ChartValues | None:
    """None for a component that installs no upstream chart."""
    use = chart_use(component)
    if use is None:
        return None
    declaration = declaration_for(platform, use)
    found: list[ChartValue] = []
    _collect(platform, use, declaration, chart_values(platform, component), (), found)
    return ChartValues(f"{use.name} {use.version}", declaration is not None, tuple(found))


def _collect(
    platform: Platform,
    use: ChartUse,
    declaration: ChartDeclaration | None,
    value: Any,
    sub: YamlPath,
    out: list[ChartValue],
) -> None:
    if isinstance(value, dict) and value:
        for key, item in value.items():
            _collect(platform, use, declaration, item, (*sub, key), out)
        return
    if isinstance(value, list) and any(isinstance(v, dict | list) for v in value):
        for index, item in enumerate(value):
            _collect(platform, use, declaration, item, (*sub, index), out)
        return
    written = has_path(use.written, sub)
    origin = platform.doc.mark((*use.values_path, *sub) if written else use.chart_path)
    known, default = default_at(declaration, sub) if declaration is not None else (False, None)
    out.append(ChartValue(format_path(sub), value, origin, not written, known, default))
