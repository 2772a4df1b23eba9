"""`platformc render`: write rendered/<env>/ for every selected environment, all or none."""

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
from generator.options import EXIT_FINDINGS, EXIT_OK, Options
from generator.report.progress import Progress
from generator.write import refuse_foreign_trees, render_lock, write_environments


def render(options: Options) -> int:
    """Refuses while there are errors; never replaces a directory that platformc did not write."""
    with Progress(options.progress) as progress:
        results, trees = analysed_trees(options, progress)
        findings = all_findings(results)
        findings.extend(removal_findings_of(options, results))
        if trees is None:
            progress.done()
            note = "render refused: fix the errors above; rendered/ was not touched"
            print_report(options, findings, [note])
            return EXIT_FINDINGS
        target = rendered_dir(options)
        refuse_foreign_trees(target, list(trees))
        with render_lock(target), analysis_frozen():
            # All or none: every environment is staged before any is swapped in.
            counts = write_environments(
                target,
                trees,
                on_stage=lambda env: progress.step(f"writing {target.name}/{env}"),
                jobs=jobs_for(options, len(trees)),
            )
    notes = [f"rendered {env}: {count} files in {target / env}" for env, count in counts.items()]
    print_report(options, findings, notes, done=f"{target} was written")
    return EXIT_OK
