"""`platformc explain APP/COMPONENT --env all`: one component side by side in every environment.

One row per value any environment sets, one column per environment; a cell set
by that environment's overlay is marked, and a row whose environments disagree
is flagged, so "why is prod different?" is one look.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from generator.explain.explanation import MAX_SHOWN, Explanation

UNSET = "—"
OVERLAY_MARK = "*"
_CELL = 48  # characters of one cell; the JSON has every value whole


def _facts(e: Explanation) -> dict[str, tuple[Any, str]]:
    """Row name -> (value, where it was set) for one environment; computed facts have no origin."""
    c = e.component
    out: dict[str, tuple[Any, str]] = {
        "(enabled)": (c.enabled, ""),
        "(application wave)": (e.app_wave, ""),
        "(wave)": (c.wave, ""),
    }
    for value in e.values:
        out[value.path] = (value.value, value.origin.file)
    return out


def _rows(explanations: Sequence[Explanation]) -> list[str]:
    paths: dict[str, None] = {}
    for e in explanations:
        paths.update(dict.fromkeys(_facts(e)))
    return list(paths)


def _cell(fact: tuple[Any, str] | None) -> str:
    if fact is None:
        return UNSET
    value, origin = fact
    text = value if isinstance(value, str) and "\n" not in value else json.dumps(value, default=str)
    text = text if len(text) <= _CELL else text[: _CELL - 1] + "…"
    return f"{text} {OVERLAY_MARK}" if origin.startswith("overlays/") else text


def render_across_text(explanations: Sequence[Explanation]) -> str:
    first = explanations[0].component
    envs = [e.env for e in explanations]
    facts = [_facts(e) for e in explanations]
    table = [["", *envs]]
    for path in _rows(explanations):
        cells = [_cell(f.get(path)) for f in facts]
        differs = len({json.dumps(f.get(path, (None,))[0], default=str) for f in facts}) > 1
        table.append([f"{'≠ ' if differs else '  '}{path}", *cells])
    widths = [min(max(len(row[i]) for row in table), MAX_SHOWN) for i in range(len(table[0]))]
    lines = [f"{first.id} across {', '.join(envs)}:"]
    lines += [
        "  " + "  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)).rstrip() for row in table
    ]
    lines += [
        "",
        f"≠ the environments differ; {OVERLAY_MARK} set by that environment's overlay; {UNSET} not set.",
        f"`platformc explain {first.id} --env ENV` shows where each value came from.",
    ]
    return "\n".join(lines) + "\n"


def render_across_json(explanations: Sequence[Explanation]) -> str:
    facts = [_facts(e) for e in explanations]
    values: dict[str, dict[str, Any]] = {}
    for path in _rows(explanations):
        values[path] = {
            e.env: ({"value": f[path][0], "origin": _origin(e, path)} if path in f else None)
            for e, f in zip(explanations, facts, strict=True)
        }
    payload = {
        "component": explanations[0].component.id,
        "environments": [e.env for e in explanations],
        "values": values,
    }
    return json.dumps(payload, indent=2, ensure_ascii=False, default=str) + "\n"


def _origin(e: Explanation, path: str) -> dict[str, Any] | None:
    for value in e.values:
        if value.path == path:
            return {"file": value.origin.file, "line": value.origin.line, "column": value.origin.column}
    return None
