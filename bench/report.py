"""The benchmark's tables and `bench/results.md`.

`results.md` is rewritten between its `bench:begin` / `bench:end` markers only,
so notes written around them (profiles, before-and-after) survive a new run.
"""

from __future__ import annotations

from pathlib import Path

from model import Results
from targets import targets

BEGIN = "<!-- bench:begin -->"
END = "<!-- bench:end -->"


def _cell(value: float | None, digits: int) -> str:
    return "–" if value is None else f"{value:.{digits}f}"


def _table(header: list[str], rows: list[list[str]]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join(" --- " for _ in header) + "|"]
    lines += ["| " + " | ".join(cell.replace("|", "\\|") for cell in row) + " |" for row in rows]
    return "\n".join(lines)


def measurements_table(results: Results) -> str:
    rows = [
        [
            m.label,
            m.subject,
            m.status,
            _cell(m.wall if m.ran else None, 3),
            _cell(m.rss_mb, 0),
            str(m.runs),
            m.detail,
        ]
        for m in results.measurements
    ]
    for h in results.helm:
        kind = "one application" if h.single_app else "largest application"
        subject = f"{h.subject}: {kind} `{h.application}` ({h.components} components)"
        note = (
            f"{h.objects} objects; {h.dropped} unvendored dependencies dropped"
            if h.seconds
            else h.measurement.detail
        )
        rows.append(
            [
                "helm load+render",
                subject,
                h.measurement.status,
                _cell(h.seconds, 3),
                _cell(h.measurement.rss_mb, 0),
                str(h.measurement.runs),
                note,
            ]
        )
    if v := results.validation:
        wall = v.command.wall if v.command.status in ("ok", "exit 1") else None
        rows.append(
            [
                "kubernetes-validate command",
                f"{v.objects} objects",
                v.command.status,
                _cell(wall, 3),
                _cell(v.command.rss_mb, 0),
                str(v.command.runs),
                v.command.detail,
            ]
        )
        note = f"warm call {_cell(v.embedded_warm_seconds, 3)} s" if v.embedded_seconds else v.embedded_detail
        rows.append(
            [
                "embedded validate_objects",
                f"{v.objects} objects",
                v.embedded_status,
                _cell(v.embedded_seconds, 3),
                _cell(v.embedded.rss_mb, 0),
                str(v.embedded.runs),
                note,
            ]
        )
    return _table(["benchmark", "input", "status", "wall (s, median)", "peak RSS (MB)", "runs", "note"], rows)


def inputs_table(results: Results) -> str:
    rows = [
        [
            i.subject,
            str(i.components),
            str(i.applications),
            f"`{i.largest}` ({i.largest_components})",
            f"{i.platform_bytes / 1024:,.0f} KiB",
        ]
        for i in results.inputs
    ]
    header = ["platform", "components", "applications (4 base)", "largest application", "platform.yaml"]
    return _table(header, rows)


def targets_table(results: Results) -> str:
    rows = [[t.name, f"#{t.issue}", t.measured, t.ratio, t.limit, t.result] for t in targets(results)]
    return _table(["target", "issue", "measured", "ratio", "limit", "result"], rows)


def render_markdown(results: Results) -> str:
    machine = results.machine
    helm_note = (
        "Helm's scaling target uses platforms whose single application holds all N components: the "
        "generated platforms keep applications at 10-50 components, so their largest chart is about "
        "the same size at every N and says nothing about linearity (its time is shown for reference)."
    )
    gnu = results.method == "gnu-time"
    rss_source = "from `/usr/bin/time -v`" if gnu else "from getrusage(RUSAGE_CHILDREN)"
    return "\n".join(
        [
            f"Measured by `make bench` (`bench/run.py`) on {results.date}.",
            "",
            f"Machine: {machine['nproc']} CPUs ({machine['cpu']}), {machine['memory']} memory, "
            f"Python {machine['python']}, {machine['platform']}; platformc at {machine['revision']}. "
            f"Load average (1 min) {machine.get('load', '?')} at the start, {machine.get('load_end', '?')} "
            "at the end: other work on the machine shows up in every number.",
            "",
            "Method: every command is a fresh subprocess; wall time is the parent's monotonic clock, "
            f"peak RSS {rss_source}; shown is the median of up to {machine.get('repeat', '?')} runs "
            f"(fewer once a measurement's runs have taken {machine.get('budget', '?')} s; see runs). "
            "Ratios compare numbers from this one run. "
            'The import floor is `python -c "import click, jinja2, ruamel.yaml, jsonschema"`. ' + helm_note,
            "",
            "## Inputs",
            "",
            inputs_table(results),
            "",
            "## Measurements",
            "",
            measurements_table(results),
            "",
            "## Targets",
            "",
            targets_table(results),
            "",
        ]
    )


def write_results(path: Path, body: str) -> None:
    """Replace the text between the markers (or write a new file) and keep the rest."""
    block = f"{BEGIN}\n{body}\n{END}"
    if path.exists():
        text = path.read_text(encoding="utf-8")
        if BEGIN in text and END in text:
            head, rest = text.split(BEGIN, 1)
            tail = rest.split(END, 1)[1]
            path.write_text(head + block + tail, encoding="utf-8")
            return
    path.write_text(f"# Benchmarks\n\n{block}\n", encoding="utf-8")
