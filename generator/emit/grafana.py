"""Grafana dashboard JSON, built as data: panels flowed over the 24-column grid, fixed ids, no timestamps.

Only the shapes dashboards.py needs: rows, time series, stats, bar gauges,
text and logs panels, each bound to a provisioned datasource by its fixed uid.
Serialized with sorted keys, so the same model always gives the same bytes.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass

from generator.emit.jsontext import pretty_json
from generator.emit.tree import Output

SCHEMA_VERSION = 39
GRID_WIDTH = 24


@dataclass(frozen=True)
class Query:
    expr: str
    legend: str = ""


def datasource(kind: str, uid: str) -> dict[str, str]:
    return {"type": kind, "uid": uid}


def row(title: str, *, collapsed: bool = False) -> Output:
    """A row; the panels after it, up to the next row, belong to it (inside it when collapsed)."""
    return {
        "type": "row",
        "title": title,
        "collapsed": collapsed,
        "panels": [],
        "gridPos": {"w": GRID_WIDTH, "h": 1},
    }


def text(title: str, markdown: str, *, width: int = GRID_WIDTH, height: int = 8) -> Output:
    return {
        "type": "text",
        "title": title,
        "options": {"mode": "markdown", "content": markdown},
        "gridPos": {"w": width, "h": height},
    }


def metrics_panel(
    kind: str,
    title: str,
    source: dict[str, str],
    queries: list[Query],
    *,
    unit: str = "short",
    width: int = 12,
    height: int = 8,
    maximum: float | None = None,
) -> Output:
    """A `timeseries`, `stat` or `bargauge` panel over PromQL queries."""
    defaults: Output = {"unit": unit}
    if maximum is not None:
        defaults.update({"min": 0, "max": maximum})
    return {
        "type": kind,
        "title": title,
        "datasource": source,
        "targets": [
            {"refId": _ref_id(i), "expr": q.expr, "legendFormat": q.legend or "__auto"}
            for i, q in enumerate(queries)
        ],
        "fieldConfig": {"defaults": defaults, "overrides": []},
        "options": copy.deepcopy(_OPTIONS[kind]),
        "gridPos": {"w": width, "h": height},
    }


def logs_panel(title: str, source: dict[str, str], selector: str, *, height: int = 8) -> Output:
    return {
        "type": "logs",
        "title": title,
        "datasource": source,
        "targets": [{"refId": "A", "expr": selector, "queryType": "range"}],
        "options": {
            "dedupStrategy": "none",
            "enableLogDetails": True,
            "prettifyLogMessage": False,
            "showCommonLabels": False,
            "showLabels": False,
            "showTime": True,
            "sortOrder": "Descending",
            "wrapLogMessage": True,
        },
        "gridPos": {"w": GRID_WIDTH, "h": height},
    }


def link(title: str, url: str) -> Output:
    """A link in the dashboard's header, e.g. to another page of the same dashboard."""
    return {
        "asDropdown": False,
        "icon": "dashboard",
        "includeVars": False,
        "keepTime": True,
        "tags": [],
        "targetBlank": False,
        "title": title,
        "tooltip": "",
        "type": "link",
        "url": url,
    }


def dashboard(
    uid: str,
    title: str,
    tags: list[str],
    panels: list[Output],
    *,
    links: list[Output] | None = None,
) -> Output:
    """A complete dashboard; panels get ids 1, 2, … and positions in order, left to right, top to bottom."""
    return {
        "annotations": {"list": []},
        "editable": False,
        "fiscalYearStartMonth": 0,
        "graphTooltip": 1,
        "id": None,
        "links": list(links or []),
        "liveNow": False,
        "panels": _layout(panels),
        "refresh": "1m",
        "schemaVersion": SCHEMA_VERSION,
        "tags": sorted(tags),
        "templating": {"list": []},
        "time": {"from": "now-6h", "to": "now"},
        "timepicker": {},
        "timezone": "browser",
        "title": title,
        "uid": uid,
        "version": 1,
        "weekStart": "",
    }


def to_json(value: Output) -> str:
    return pretty_json(value) + "\n"


def _ref_id(index: int) -> str:
    letters = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
    return letters[index] if index < len(letters) else f"Q{index}"


def _layout(panels: list[Output]) -> list[Output]:
    """Ids in order; positions flowed left to right, top to bottom; a collapsed row holds its panels."""
    numbered = [{**panel, "id": number} for number, panel in enumerate(panels, start=1)]
    sections: list[tuple[Output | None, list[Output]]] = [(None, [])]
    for panel in numbered:
        if panel["type"] == "row":
            sections.append((panel, []))
        else:
            sections[-1][1].append(panel)
    placed: list[Output] = []
    y = 0
    for header, children in sections:
        if header is not None:
            placed.append({**header, "gridPos": {"x": 0, "y": y, "w": GRID_WIDTH, "h": 1}, "panels": []})
            y += 1
        flowed, bottom = _flow(children, y)
        if header is not None and header["collapsed"]:
            placed[-1]["panels"] = flowed  # shown in place when the row is expanded
        else:
            placed.extend(flowed)
            y = bottom
    return placed


def _flow(panels: list[Output], top: int) -> tuple[list[Output], int]:
    placed: list[Output] = []
    x, y, line_height = 0, top, 0
    for panel in panels:
        width, height = panel["gridPos"]["w"], panel["gridPos"]["h"]
        if x + width > GRID_WIDTH:
            x, y, line_height = 0, y + line_height, 0
        placed.append({**panel, "gridPos": {"x": x, "y": y, "w": width, "h": height}})
        x += width
        line_height = max(line_height, height)
    return placed, y + line_height


_LEGEND = {"displayMode": "list", "placement": "bottom", "showLegend": True, "calcs": []}
_REDUCE = {"calcs": ["lastNotNull"], "fields": "", "values": False}
_OPTIONS: dict[str, Output] = {
    "timeseries": {"legend": _LEGEND, "tooltip": {"mode": "multi", "sort": "desc"}},
    "stat": {
        "colorMode": "value",
        "graphMode": "none",
        "justifyMode": "auto",
        "orientation": "auto",
        "reduceOptions": _REDUCE,
        "textMode": "value_and_name",
    },
    "bargauge": {
        "displayMode": "gradient",
        "orientation": "horizontal",
        "reduceOptions": _REDUCE,
        "showUnfilled": True,
    },
}
