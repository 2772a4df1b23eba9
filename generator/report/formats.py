"""text, json, github and sarif renderings of one list of findings."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from generator import __version__
from generator.findings import Finding, count

FORMATS = ("text", "json", "github", "sarif")


@dataclass(frozen=True)
class Report:
    findings: Sequence[Finding]
    notes: Sequence[str] = field(default_factory=tuple)  # e.g. drift lines for check


def _summary(findings: Sequence[Finding]) -> str:
    errors, warnings = count(findings)
    suppressed = sum(1 for f in findings if f.suppressed)
    tail = f", {suppressed} suppressed" if suppressed else ""
    return (
        f"{errors} error{'s' if errors != 1 else ''}, {warnings} warning{'s' if warnings != 1 else ''}{tail}"
    )


# Control characters (terminal escapes, line breaks that would start a forged `::error`
# workflow command), Unicode line separators and bidirectional overrides in text that came
# from the input: written as escapes, the way the json and github formats already do.
_UNPRINTABLE = {
    code: f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"
    for code in (
        *range(0x20),
        *range(0x7F, 0xA0),
        0x2028,
        0x2029,
        *range(0x202A, 0x202F),
        *range(0x2066, 0x206A),
    )
}
_UNPRINTABLE.update({0x09: "\\t", 0x0A: "\\n", 0x0D: "\\r"})


def printable(text: str) -> str:
    """`text` with every control character written as an escape (`\\x1b`, `\\n`, `\\u2028`)."""
    return text.translate(_UNPRINTABLE)


def _env_suffix(finding: Finding) -> str:
    return f" [{finding.env}]" if finding.env else ""


def render_text(report: Report, *, color: bool = False) -> str:
    lines = []
    for f in report.findings:
        severity = "suppressed" if f.suppressed else str(f.severity)
        if color:
            shade = {"error": "31", "warning": "33"}.get(severity, "2")
            severity = f"\x1b[1;{shade}m{severity}\x1b[0m"
        where = f"{printable(f.file)}:{f.line}:{f.column}"
        lines.append(f"{where}: {f.rule} {severity}: {printable(f.message + _env_suffix(f))}")
    lines.extend(printable(note) for note in report.notes)
    lines.append(_summary(report.findings))
    return "\n".join(lines) + "\n"


def finding_dict(f: Finding) -> dict[str, Any]:
    out: dict[str, Any] = {
        "rule": f.rule,
        "severity": str(f.severity),
        "message": f.message,
        "file": f.file,
        "line": f.line,
        "column": f.column,
        "path": f.path,
        "env": f.envs,
    }
    if f.suppressed:
        out["suppressed"] = True
        out["reason"] = f.reason
    return out


def render_json(report: Report) -> str:
    errors, warnings = count(report.findings)
    payload = {
        "findings": [finding_dict(f) for f in report.findings],
        "summary": {"errors": errors, "warnings": warnings},
    }
    if report.notes:
        payload["notes"] = list(report.notes)
    return json.dumps(payload, indent=2) + "\n"


def _escape_github(text: str, *, prop: bool = False) -> str:
    text = text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    if prop:
        text = text.replace(":", "%3A").replace(",", "%2C")
    return text


def render_github(report: Report) -> str:
    lines = []
    for f in report.findings:
        if f.suppressed:
            continue
        level = "error" if f.is_error else "warning"
        props = f"file={_escape_github(f.file, prop=True)},line={f.line},col={f.column},title={f.rule}"
        lines.append(f"::{level} {props}::{_escape_github(f.message + _env_suffix(f))}")
    lines.extend(printable(note) for note in report.notes)
    lines.append(_summary(report.findings))
    return "\n".join(lines) + "\n"


def render_sarif(report: Report) -> str:
    from generator.report.sarif import sarif_log

    return json.dumps(sarif_log(report.findings, __version__), indent=2) + "\n"


def render_report(report: Report, fmt: str, *, color: bool = False) -> str:
    if fmt == "json":
        return render_json(report)
    if fmt == "github":
        return render_github(report)
    if fmt == "sarif":
        return render_sarif(report)
    return render_text(report, color=color)
