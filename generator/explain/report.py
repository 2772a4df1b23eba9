"""`platformc explain` output: aligned text for a person, JSON for tools."""

from __future__ import annotations

import json
from typing import Any

from generator.explain.chart_values import ChartValues
from generator.explain.explanation import MAX_SHOWN, Explanation, Link
from generator.findings import Mark
from generator.report.formats import finding_dict


def render_explanation(explanation: Explanation, fmt: str) -> str:
    if fmt == "json":
        return json.dumps(explanation_dict(explanation), indent=2, ensure_ascii=False) + "\n"
    return render_text(explanation)


def _where(mark: Mark | None) -> str:
    return f"{mark.file}:{mark.line}:{mark.column}" if mark else ""


def _show(value: Any) -> str:
    if isinstance(value, str):
        if "\n" in value.rstrip("\n"):
            first = value.splitlines()[0]
            return f"{json.dumps(first)}… ({len(value.splitlines())} lines)"
        text = json.dumps(value, ensure_ascii=False)
    else:
        text = json.dumps(value, ensure_ascii=False, default=str)
    return text if len(text) <= MAX_SHOWN else text[: MAX_SHOWN - 1] + "…"


def _table(rows: list[tuple[str, str, str]], indent: str = "  ") -> list[str]:
    if not rows:
        return [f"{indent}(none)"]
    first = min(max(len(r[0]) for r in rows), 40)
    second = min(max(len(r[1]) for r in rows), 60)
    return [f"{indent}{a:<{first}}  {b:<{second}}  {c}".rstrip() for a, b, c in rows]


def _link(link: Link) -> str:
    if link.wave < 0:
        return f"{link.component}: {link.why}"
    return f"{link.component} (application wave {link.app_wave}, wave {link.wave}): {link.why}"


def render_text(e: Explanation) -> str:
    c = e.component
    kind = f"workload ({c.workload_type})" if c.kind == "workload" else c.kind
    state = "" if c.enabled else " — DISABLED in this environment"
    lines = [
        f"{c.id} [{e.env}]: {kind} in namespace {c.namespace}{state}",
        f"  defined at {_where(e.defined_at)}",
        f"  sync wave {c.wave} inside application {c.app}, which syncs in wave {e.app_wave}"
        + (f" after {', '.join(e.app_after)}" if e.app_after else ""),
    ]
    if c.ports:
        ports = ", ".join(f"{name} {number}" for name, number in c.ports.items())
        lines.append(f"  service {c.fqdn} ({ports})")
    lines += ["", "values (where each was set):"]
    rows: list[tuple[str, str, str]] = []
    for value in e.values:
        rows.append((value.path, _show(value.value), _where(value.origin)))
        if value.resolved is not None:
            rows.append(("", f"→ {_show(value.resolved)}", ""))
    lines += _table(rows)
    lines += chart_values_text(e.chart_values)
    lines += ["", "decided by platformc:"]
    lines += _table([(d.what, d.why, _where(d.origin)) for d in e.decisions])
    lines += ["", "references:"]
    lines += _table([(r.value, f"→ {r.resolved} ({r.path})", _where(r.origin)) for r in e.references])
    lines += ["", "secrets:"]
    lines += _table(
        [
            # A file that reads a secret names its absolute path where a variable names itself.
            (
                f"{'file' if s.env.startswith('/') else 'env'} {s.env}",
                f"← {s.item}.{s.key} (store path {s.store_path})",
                _where(s.origin),
            )
            for s in e.secrets
        ]
    )
    lines += ["", "depends on:"]
    lines += [f"  {_link(link)}" for link in e.dependencies] or ["  (none)"]
    lines += ["", "depended on by:"]
    lines += [f"  {_link(link)}" for link in e.dependents] or ["  (none)"]
    lines += ["", "exceptions:"]
    lines += [
        f"  {x.get('policy')} {x.get('rules') or '(all rules)'}: {x.get('reason')}"
        + (f" (expires {x['expires']})" if x.get("expires") else "")
        for x in e.exceptions
    ] or ["  (none)"]
    lines += ["", "rendered files:"]
    lines += [f"  {path}" for path in e.files] or ["  (none: disabled)"]
    if e.findings:
        lines += ["", "findings:"]
        lines += [f"  {f.file}:{f.line}:{f.column}: {f.rule} {f.severity}: {f.message}" for f in e.findings]
    return "\n".join(lines) + "\n"


def _mark(mark: Mark | None) -> dict[str, Any] | None:
    return {"file": mark.file, "line": mark.line, "column": mark.column} if mark else None


def explanation_dict(e: Explanation) -> dict[str, Any]:
    c = e.component
    return {
        "component": c.id,
        "environment": e.env,
        "kind": c.kind,
        "type": c.workload_type if c.kind == "workload" else None,
        "namespace": c.namespace,
        "enabled": c.enabled,
        "definedAt": _mark(e.defined_at),
        "wave": c.wave,
        "application": {"name": c.app, "wave": e.app_wave, "after": e.app_after},
        "service": {"host": c.fqdn, "ports": c.ports} if c.ports else None,
        "values": [
            {"path": v.path, "value": v.value, "origin": _mark(v.origin)}
            | ({"resolved": v.resolved} if v.resolved is not None else {})
            for v in e.values
        ],
        "chartValues": chart_values_dict(e.chart_values),
        "decisions": [{"what": d.what, "why": d.why, "origin": _mark(d.origin)} for d in e.decisions],
        "references": [
            {"text": r.value, "target": r.path, "resolved": r.resolved, "origin": _mark(r.origin)}
            for r in e.references
        ],
        "secrets": [
            {"env": s.env, "item": s.item, "key": s.key, "storePath": s.store_path, "origin": _mark(s.origin)}
            for s in e.secrets
        ],
        "dependencies": [_link_dict(link) for link in e.dependencies],
        "dependents": [_link_dict(link) for link in e.dependents],
        "exceptions": e.exceptions,
        "files": e.files,
        "findings": [finding_dict(f) for f in e.findings],
    }


def _link_dict(link: Link) -> dict[str, Any]:
    return {"component": link.component, "wave": link.wave, "applicationWave": link.app_wave, "why": link.why}


def chart_values_text(chart: ChartValues | None) -> list[str]:
    """Each value passed to the chart, where it was set, and the chart's default beside it."""
    if chart is None:
        return []
    known = "" if chart.vendored else "; not vendored, so its defaults are unknown (`platformc vendor`)"
    lines = ["", f"chart values (passed to {chart.chart}, the chart's default beside each{known}):"]
    rows: list[tuple[str, str, str]] = []
    for value in chart.values:
        where = _where(value.origin) + (" (set by platformc)" if value.by_platformc else "")
        default = f"default {_show(value.default)}" if value.has_default else "no default"
        rows.append((value.path, _show(value.value), f"{default:<24}  {where}" if chart.vendored else where))
    return lines + _table(rows)


def chart_values_dict(chart: ChartValues | None) -> dict[str, Any] | None:
    if chart is None:
        return None
    return {
        "chart": chart.chart,
        "vendored": chart.vendored,
        "values": [
            {"path": v.path, "value": v.value, "origin": _mark(v.origin), "setByPlatformc": v.by_platformc}
            | ({"default": v.default} if v.has_default else {})
            for v in chart.values
        ],
    }
