"""The audit run: render, run checkov, compare with audit/accepted.yaml, report (or update the file)."""

from __future__ import annotations

import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from generator.audit.accepted import (
    ACCEPTED_FILE,
    Comparison,
    check_order,
    compare,
    dump_accepted,
    load_accepted,
    updated,
)
from generator.audit.argocd import TOOL, run_argocd_lint
from generator.audit.checkov import Failure, Report, run_checkov
from generator.audit.docs import DOCS_FILE, render_docs
from generator.audit.manifests import RENDERED_DIR, RenderedPlatform, render_platform

EXIT_OK = 0
EXIT_FINDINGS = 1
EXIT_UNAVAILABLE = 2

Echo = Callable[[str], None]


@dataclass(frozen=True)
class AuditRun:
    """checkov's report on the rendered objects, and argocd-source-lint's failures on the Applications."""

    rendered: RenderedPlatform
    report: Report
    applications: tuple[Failure, ...] = ()

    @property
    def failures(self) -> tuple[Failure, ...]:
        return (*self.report.failures, *self.applications)


def scan(root: Path) -> AuditRun:
    """Render the platform under `root` to a scratch directory, run checkov on it, lint the Applications."""
    with tempfile.TemporaryDirectory(prefix="platformc-audit-") as scratch:
        rendered = render_platform(root, Path(scratch))
        if rendered.errors:
            return AuditRun(rendered, Report((), 0, 0, ""))
        report = run_checkov(Path(scratch))
    applications: list[Failure] = []
    for gitops_path in sorted(rendered.gitops_paths):
        applications.extend(run_argocd_lint(root / RENDERED_DIR, gitops_path))
    return AuditRun(rendered, report, tuple(applications))


def audit(root: Path, echo: Echo, *, update: bool = False) -> int:
    """`make audit` (and `make audit-update` with `update`); the exit code."""
    accepted_path = root / ACCEPTED_FILE
    entries = load_accepted(accepted_path)
    run = scan(root)
    if run.rendered.errors:
        for finding in run.rendered.errors:
            echo(f"{finding.file}:{finding.line}:{finding.column}: {finding.rule} error: {finding.message}")
        echo("audit refused: the rendered tree does not render (run `make verify`)")
        return EXIT_UNAVAILABLE
    echo(_summary(run))
    if update:
        entries = updated(run.failures, entries)
        accepted_path.parent.mkdir(parents=True, exist_ok=True)
        accepted_path.write_text(dump_accepted(entries), encoding="utf-8")
        (root / DOCS_FILE).write_text(render_docs(load_accepted(accepted_path)), encoding="utf-8")
        todo = sum(1 for entry in entries if not entry.explained)
        echo(f"audit: wrote {ACCEPTED_FILE} and {DOCS_FILE}; {todo} entr(y/ies) need a reason")
        return EXIT_OK
    comparison = compare(run.failures, entries)
    docs_current = _docs_current(root, render_docs(entries))
    for line in problem_table(comparison):
        echo(line)
    if not docs_current:
        echo(f"audit: {DOCS_FILE} does not match {ACCEPTED_FILE}: run `make audit-docs`")
    if comparison.ok and docs_current:
        echo(f"audit: ok ({len(comparison.accepted)} failures accepted by {len(entries)} entries)")
        return EXIT_OK
    return EXIT_FINDINGS


def _summary(run: AuditRun) -> str:
    report, rendered = run.report, run.rendered
    text = (
        f"audit: checkov {report.version}: {rendered.objects} objects, {report.resources} resources, "
        f"{report.passed} checks passed, {len(report.failures)} failed; "
        f"{TOOL}: {len(run.applications)} findings on the Applications"
    )
    if rendered.not_applied:
        text += f"; {rendered.not_applied} object(s) Argo CD never applies (Helm test hooks) left out"
    if rendered.not_vendored:
        text += f"; {len(rendered.not_vendored)} upstream chart(s) not vendored, not audited"
    return text


def _docs_current(root: Path, expected: str) -> bool:
    path = root / DOCS_FILE
    return path.is_file() and path.read_text(encoding="utf-8") == expected


def problem_table(comparison: Comparison) -> list[str]:
    """One row per problem: new failures grouped by check and object, then unexplained, then stale."""
    rows: list[tuple[str, str, str, str]] = []
    for (check_id, resource), group in sorted(
        _grouped(comparison.new).items(), key=lambda item: (check_order(item[0][0]), item[0][1])
    ):
        where = ", ".join(sorted({f.where for f in group}))
        rows.append(("new", check_id, resource, f"{group[0].check_name} [{where}]"))
    for entry in comparison.unexplained:
        rows.append(("unexplained", entry.check_id, f"{ACCEPTED_FILE}:{entry.line}", "write the reason"))
    for stale in comparison.stale:
        what = f"pattern {stale.pattern!r} matches no failure" if stale.pattern else "no longer fails"
        rows.append(("stale", stale.entry.check_id, f"{ACCEPTED_FILE}:{stale.entry.line}", what))
    if not rows:
        return []
    header = ("status", "check", "object or entry", "detail")
    widths = [max(len(row[i]) for row in [header, *rows]) for i in range(3)]
    lines = [f"audit: {len(rows)} problem(s); `make audit-update` records new failures as TODO"]
    for row in [header, *rows]:
        cells = [cell.ljust(width) for cell, width in zip(row, widths, strict=False)]
        lines.append("  ".join([*cells, row[3]]))
    return lines


def _grouped(failures: Sequence[Failure]) -> dict[tuple[str, str], list[Failure]]:
    groups: dict[tuple[str, str], list[Failure]] = {}
    for failure in failures:
        groups.setdefault((failure.check_id, failure.resource), []).append(failure)
    return groups
