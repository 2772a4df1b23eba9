"""`platformc diff` output: a terminal, a pull-request comment, or a machine."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from generator.diff.changes import EnvDiff, ObjectChange
from generator.diff.markdown import MARK as _MARK
from generator.diff.markdown import render_markdown
from generator.diff.objects import PLATFORMC

_RESET = "\x1b[0m"
_STYLE = {"+": "\x1b[32m", "-": "\x1b[31m", "@": "\x1b[36m", "head": "\x1b[1m", "note": "\x1b[2m"}


def render_diff(diffs: Sequence[EnvDiff], fmt: str, *, color: bool = False, summary: bool = False) -> str:
    """`summary`: the counts per environment and application, without the objects' diffs."""
    if fmt == "json":
        return render_json(diffs, summary=summary)
    if fmt == "markdown":
        return render_markdown(diffs, summary=summary)
    return render_text(diffs, color=color, summary=summary)


def _summary(diff: EnvDiff) -> str:
    counts = diff.counts()
    total = sum(counts.values())
    if not total:
        return "no changes"
    apps = len(diff.by_application())
    parts = ", ".join(f"{n} {status}" for status, n in counts.items() if n)
    return (
        f"{total} object{'s' if total != 1 else ''} in {apps} application{'s' if apps != 1 else ''}: {parts}"
    )


def _caveat(change: ObjectChange) -> str:
    return f" [{change.note}]" if change.source == PLATFORMC and change.note else ""


# ---------------------------------------------------------------------------- text


def _app_counts(changes: Sequence[ObjectChange]) -> dict[str, int]:
    counts = {"added": 0, "changed": 0, "removed": 0}
    for change in changes:
        counts[change.status] += 1
    return counts


def render_text(diffs: Sequence[EnvDiff], *, color: bool = False, summary: bool = False) -> str:
    def paint(style: str, text: str) -> str:
        return f"{_STYLE[style]}{text}{_RESET}" if color else text

    lines: list[str] = []
    for diff in diffs:
        lines.append(paint("head", f"diff {diff.title}: {diff.before} → {diff.after}: {_summary(diff)}"))
        for application, changes in diff.by_application().items():
            if summary:
                counts = ", ".join(f"{n} {s}" for s, n in _app_counts(changes).items() if n)
                lines.append(f"  {application}: {counts}")
                continue
            lines.append(paint("head", f"  {application}"))
            for change in changes:
                lines.append(f"    {_MARK[change.status]} {change.key} ({change.status}){_caveat(change)}")
                for line in change.diff:
                    style = line[:1] if line[:1] in "+-@" and not line.startswith(("+++", "---")) else ""
                    lines.append(f"      {paint(style, line) if style else line}")
        lines.extend(paint("note", f"  note: {n}") for n in diff.notes)
    return "\n".join(lines) + "\n"


# ---------------------------------------------------------------------------- json


def _json_change(change: ObjectChange) -> dict[str, Any]:
    out: dict[str, Any] = {
        "application": change.application,
        "kind": change.key.kind,
        "namespace": change.key.namespace,
        "name": change.key.name,
        "status": change.status,
        "source": change.source,
        "diff": "\n".join(change.diff) + "\n",
    }
    if change.note:
        out["note"] = change.note
    return out


def _json_env(diff: EnvDiff, summary: bool) -> dict[str, Any]:
    out: dict[str, Any] = {
        "environment": diff.title,
        "before": diff.before,
        "after": diff.after,
        "summary": diff.counts(),
        "applications": {app: _app_counts(changes) for app, changes in diff.by_application().items()},
    }
    if not summary:
        out["changes"] = [_json_change(c) for c in diff.changes]
    out["notes"] = diff.notes
    return out


def render_json(diffs: Sequence[EnvDiff], *, summary: bool = False) -> str:
    """`summary`: every environment's counts, per application too, without `changes`."""
    payload = {
        "changed": any(d.changes for d in diffs),
        "environments": [_json_env(d, summary) for d in diffs],
    }
    return json.dumps(payload, indent=2, ensure_ascii=False) + "\n"
