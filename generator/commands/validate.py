"""`platformc validate`: schema and rules for every selected environment."""

from __future__ import annotations

from generator.commands.common import all_findings, analyse_selected, print_report
from generator.options import EXIT_FINDINGS, EXIT_OK, Options
from generator.pipeline import analysis_notes
from generator.report.progress import Progress


def validate(options: Options) -> int:
    with Progress(options.progress) as progress:
        results = analyse_selected(options, progress)
    findings = all_findings(results)
    print_report(options, findings, analysis_notes(results))
    return EXIT_FINDINGS if any(f.is_error for f in findings) else EXIT_OK
