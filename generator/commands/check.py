"""`platformc check`: validate, fail when rendered/ is stale, and verify the committed tree."""

from __future__ import annotations

from generator.commands.common import (
    all_findings,
    analysed_trees,
    analysis_frozen,
    jobs_for,
    print_report,
    removal_findings_of,
    rendered_dir,
)
from generator.commands.verify import verify_results
from generator.findings import Finding
from generator.options import EXIT_FINDINGS, EXIT_OK, Options
from generator.pipeline import EnvResult, analysis_notes
from generator.report.progress import Progress
from generator.write import Drift, compare_trees_alongside

# The verify extra (`pip install 'platformc[verify]'`): without it check still judges the tree.
# Any other module that fails to import is a broken installation, reported as such (exit 3).
VERIFY_ENGINES = ("helm_python", "kubernetes_validate")


def check(options: Options) -> int:
    with Progress(options.progress) as progress:
        results, trees = analysed_trees(options, progress)
        findings = all_findings(results)
        findings.extend(removal_findings_of(options, results))
        if trees is None:
            progress.done()
            print_report(options, findings, analysis_notes(results))
            return EXIT_FINDINGS
        target = rendered_dir(options)

        def verify_committed() -> tuple[list[Finding], list[str]]:
            return _verify_if_installed(options, results)

        progress.step("comparing and verifying" if options.verify else "comparing")
        jobs = jobs_for(options, len(trees) + (1 if options.verify else 0))  # verify is one more task
        with analysis_frozen():
            drifts, verified = compare_trees_alongside(
                trees, target, jobs, verify_committed if options.verify else None
            )
        notes = _drift_notes(target.name, drifts)
        verify_findings, verify_notes = verified or ([], [])
        findings.extend(verify_findings)
    if notes:
        notes.append("rendered/ is out of date: run `make render` and commit the result")
    print_report(options, findings, analysis_notes(results) + notes + verify_notes)
    failed = bool(notes) or any(f.is_error for f in findings)
    return EXIT_FINDINGS if failed else EXIT_OK


def _verify_if_installed(options: Options, results: list[EnvResult]) -> tuple[list[Finding], list[str]]:
    try:
        return verify_results(options, results, Progress(False))  # in a worker: no status line
    except ImportError as e:
        missing = (e.name or "").split(".")[0]
        if missing not in VERIFY_ENGINES:
            raise
        return [], [f"verify skipped: {missing} is not installed (pip install 'platformc[verify]')"]


def _drift_notes(base: str, drifts: dict[str, Drift]) -> list[str]:
    notes: list[str] = []
    for env, drift in drifts.items():
        where = f"{base}/{env}"
        notes += [f"{where}/{p}: stale (differs from what platform.yaml renders)" for p in drift.stale]
        notes += [f"{where}/{p}: missing (render would create it)" for p in drift.missing]
        notes += [f"{where}/{p}: extra (platform.yaml no longer produces it)" for p in drift.extra]
    return notes
