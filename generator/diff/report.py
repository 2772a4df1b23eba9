"""`platformc diff` output: a terminal, a pull-request comment, or a machine."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from generator.diff.changes import EnvDiff, ObjectChange
from generator.diff.objects import PLATFORMC

# GitHub refuses comments over 65,536 characters; long diffs are cut per object.
MARKDOWN_LINES_PER_OBJECT = 300
_MARK = {"added": "+", "removed": "-", "changed": "~"}
_RESET = "\x1b[0m"
_STYLE = {"+": "\x1b[32m", "-": "\x1b[31m", "@": "\x1b[36m", "head": "\x1b[1m", "note": "\x1b[2m"}


def render_diff(diffs: Sequence[EnvDiff], fmt: str, *, color: bool = False) -> str:
    if fmt == "json":
        return render_json(diffs)
    if fmt == "markdown":
        return render_markdown(diffs)
    return render_text(diffs, color=color)


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


def render_text(diffs: Sequence[EnvDiff], *, color: bool = False) -> str:
    def paint(style: str, text: str) -> str:
        return f"{_STYLE[style]}{text}{_RESET}" if color else text

    lines: list[str] = []
    for diff in diffs:
        lines.append(paint("head", f"diff {diff.title}: {diff.before} → {diff.after}: {_summary(diff)}"))
        for application, changes in diff.by_application().items():
            lines.append(paint("head", f"  {application}"))
            for change in changes:
                lines.append(f"    {_MARK[change.status]} {change.key} ({change.status}){_caveat(change)}")
                for line in change.diff:
                    style = line[:1] if line[:1] in "+-@" and not line.startswith(("+++", "---")) else ""
                    lines.append(f"      {paint(style, line) if style else line}")
        lines.extend(paint("note", f"  note: {n}") for n in diff.notes)
    return "\n".join(lines) + "\n"


# ---------------------------------------------------------------------------- markdown


def _fence(lines: Sequence[str]) -> str:
    """A fence longer than any backtick run inside, so a diff can never close it early."""
    ticks = 3
    for line in lines:
        run = 0
        for char in line:
            run = run + 1 if char == "`" else 0
            ticks = max(ticks, run + 1)
    return "`" * ticks


def _markdown_change(change: ObjectChange) -> list[str]:
    body = list(change.diff)
    if len(body) > MARKDOWN_LINES_PER_OBJECT:
        cut = len(body) - MARKDOWN_LINES_PER_OBJECT
        body = [*body[:MARKDOWN_LINES_PER_OBJECT], f"… {cut} more lines: run `platformc diff` locally"]
    fence = _fence(body)
    caveat = f"<br><sub>{change.note}</sub>" if _caveat(change) else ""
    return [
        f"**{_MARK[change.status]} `{change.key}`** {change.status}{caveat}",
        "",
        f"{fence}diff",
        *body,
        fence,
        "",
    ]


def render_markdown(diffs: Sequence[EnvDiff]) -> str:
    lines: list[str] = []
    for diff in diffs:
        lines += [
            f"### platformc diff: {diff.title}",
            "",
            f"{diff.before} → {diff.after}: **{_summary(diff)}**",
            "",
        ]
        for application, changes in diff.by_application().items():
            counts = ", ".join(
                f"{sum(1 for c in changes if c.status == s)} {s}"
                for s in ("added", "removed", "changed")
                if any(c.status == s for c in changes)
            )
            lines += ["<details>", f"<summary><b>{application}</b>: {counts}</summary>", ""]
            for change in changes:
                lines += _markdown_change(change)
            lines += ["</details>", ""]
        lines.extend(f"> {note}" for note in diff.notes)
        if diff.notes:
            lines.append("")
    return "\n".join(lines).rstrip("\n") + "\n"


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


def render_json(diffs: Sequence[EnvDiff]) -> str:
    payload = {
        "changed": any(d.changes for d in diffs),
        "environments": [
            {
                "environment": d.title,
                "before": d.before,
                "after": d.after,
                "summary": d.counts(),
                "changes": [_json_change(c) for c in d.changes],
                "notes": d.notes,
            }
            for d in diffs
        ],
    }
    return json.dumps(payload, indent=2, ensure_ascii=False) + "\n"
