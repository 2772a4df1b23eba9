"""`platformc diff --format markdown`: one pull-request comment, within GitHub's size limit.

A table of counts first (environment × application: added, changed, removed),
then one collapsed `<details>` section per Application with a ```diff block per
object. A change identical in several environments is shown once, naming them.
Past the budget, the remaining objects are left out and a note says how many.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from generator.diff.changes import EnvDiff, ObjectChange, Status
from generator.diff.objects import PLATFORMC

# GitHub refuses an issue or pull-request comment over 65,536 characters.
COMMENT_LIMIT = 65_536
# Room kept for the closing tags and the note that says what was left out.
_RESERVE = 600
# Long diffs are cut per object, so one huge object cannot crowd out the others.
LINES_PER_OBJECT = 300
MARK = {"added": "+", "removed": "-", "changed": "~"}
_STATUSES: tuple[Status, ...] = ("added", "changed", "removed")


@dataclass
class _Shown:
    """One change as shown: the same object, status and diff in several environments at once."""

    change: ObjectChange
    envs: list[str] = field(default_factory=list)


def _fence(lines: Sequence[str]) -> str:
    """A fence longer than any backtick run inside, so a diff can never close it early."""
    ticks = 3
    for line in lines:
        run = 0
        for char in line:
            run = run + 1 if char == "`" else 0
            ticks = max(ticks, run + 1)
    return "`" * ticks


def _block(shown: _Shown, several_envs: bool) -> str:
    change = shown.change
    body = list(change.diff)
    if len(body) > LINES_PER_OBJECT:
        cut = len(body) - LINES_PER_OBJECT
        body = [*body[:LINES_PER_OBJECT], f"… {cut} more lines: run `platformc diff` locally"]
    fence = _fence(body)
    caveat = f"<br><sub>{change.note}</sub>" if change.source == PLATFORMC and change.note else ""
    where = f" in {', '.join(shown.envs)}" if several_envs else ""
    lines = [f"**{MARK[change.status]} `{change.key}`** {change.status}{where}{caveat}", "", f"{fence}diff"]
    return "\n".join([*lines, *body, fence, "", ""])


def _grouped(diffs: Sequence[EnvDiff]) -> dict[str, list[_Shown]]:
    """Application -> its changes, each identical change once with every environment it is in."""
    out: dict[str, dict[tuple[object, ...], _Shown]] = {}
    for diff in diffs:
        for change in diff.changes:
            same = (change.key, change.status, change.diff, change.source, change.note)
            shown = out.setdefault(change.application, {}).setdefault(same, _Shown(change))
            shown.envs.append(diff.title)
    return {app: list(shown.values()) for app, shown in sorted(out.items())}


def _counts(changes: Sequence[ObjectChange]) -> dict[Status, int]:
    counts: dict[Status, int] = {s: 0 for s in _STATUSES}
    for change in changes:
        counts[change.status] += 1
    return counts


def summary_table(diffs: Sequence[EnvDiff]) -> list[str]:
    lines = [
        "| Environment | Application | Added | Changed | Removed |",
        "| --- | --- | ---: | ---: | ---: |",
    ]
    for diff in diffs:
        grouped = diff.by_application()
        if not grouped:
            lines.append(f"| {diff.title} | *no changes* | 0 | 0 | 0 |")
        for application, changes in grouped.items():
            counts = _counts(changes)
            lines.append(
                f"| {diff.title} | {application} | " + " | ".join(str(counts[s]) for s in _STATUSES) + " |"
            )
    return lines


def _fitted(table: list[str], room: int) -> list[str]:
    """The table cut to `room` characters (thousands of applications), saying how many rows are left."""
    if sum(len(line) + 1 for line in table) <= room:
        return table
    kept, size = table[:2], 0
    for line in table[2:]:
        if size + len(line) + 1 > room - 200:
            break
        kept.append(line)
        size += len(line) + 1
    return [*kept, f"| … | *{len(table) - len(kept)} more rows: run `platformc diff --summary`* | | | |"]


def _head(diffs: Sequence[EnvDiff], limit: int) -> str:
    total = sum(len(d.changes) for d in diffs)
    title = f"{total} object change{'s' if total != 1 else ''}" if total else "no changes"
    lines = [f"### platformc diff: {title}", ""]
    lines += [f"- **{d.title}**: {d.before} → {d.after}" for d in diffs]
    lines += ["", *_fitted(summary_table(diffs), limit // 2), ""]
    notes: dict[str, list[str]] = {}
    for diff in diffs:
        for note in diff.notes:
            notes.setdefault(note, []).append(diff.title)
    lines += [f"> {note} ({', '.join(envs)})" for note, envs in notes.items()]
    return "\n".join(lines).rstrip("\n") + "\n"


def _section(application: str, shown: list[_Shown], budget: int, several_envs: bool) -> tuple[str, int]:
    """The `<details>` of one application within `budget` characters, and how many objects it left out."""
    envs = list(dict.fromkeys(env for item in shown for env in item.envs))
    per_env = []
    for env in envs:
        counts = _counts([s.change for s in shown if env in s.envs])
        parts = ", ".join(f"{n} {status}" for status, n in counts.items() if n)
        per_env.append(f"{parts} in {env}" if several_envs else parts)
    parts = "; ".join(per_env)
    opening = f"<details>\n<summary><b>{application}</b>: {parts}</summary>\n\n"
    closing = "</details>\n\n"
    text = opening
    for index, item in enumerate(shown):
        block = _block(item, several_envs)
        if len(text) + len(block) + len(closing) > budget:
            if index == 0:
                return "", len(shown)
            return text + closing, len(shown) - index
        text += block
    return text + closing, 0


def render_markdown(diffs: Sequence[EnvDiff], *, summary: bool = False, limit: int = COMMENT_LIMIT) -> str:
    head = _head(diffs, limit)
    if summary:
        return head
    grouped = _grouped(diffs)
    several_envs = len(diffs) > 1
    budget = limit - _RESERVE - len(head) - 1
    sections: list[str] = []
    left_out = 0
    for application, shown in grouped.items():
        if left_out:
            left_out += len(shown)
            continue
        text, missing = _section(application, shown, budget, several_envs)
        budget -= len(text)
        sections.append(text)
        left_out += missing
    out = head + "\n" + "".join(sections)
    if left_out:
        shown_total = sum(len(s) for s in grouped.values())
        out += (
            f"> **{left_out} of {shown_total} object diffs are not shown**: the comment would pass "
            f"GitHub's {COMMENT_LIMIT:,}-character limit. The table above counts them all; "
            "`platformc diff` (or `--format json`) prints every one.\n"
        )
    return out.rstrip("\n") + "\n"
