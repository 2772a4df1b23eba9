"""`platformc diff`: what a change does to the rendered objects, like `git diff --exit-code`."""

from __future__ import annotations

from generator.commands.common import RENDERED_DIR, checked_envs, refuse
from generator.commands.output import write_stdout
from generator.errors import InputError
from generator.options import EXIT_FINDINGS, EXIT_OK, DiffOptions
from generator.report.progress import Progress


def diff(options: DiffOptions) -> int:
    """Exit 0: no changes; 1: changes (or errors that stop rendering)."""
    from generator.diff import compare
    from generator.diff.report import render_diff

    if options.promote is not None:
        wanted = list(options.promote)
        if wanted[0] == wanted[1]:
            raise InputError(f"--envs {wanted[0]} {wanted[1]}: name two different environments")
    else:
        wanted = list(options.envs)
    envs = checked_envs(options.root, wanted)
    with Progress(options.progress) as progress:
        head = compare.render_fresh(options.root, envs, progress)
        if head.failed:
            progress.done()
            return refuse(options.fmt, head.findings, "diff refused: platform.yaml does not render")
        if options.promote is not None:
            diffs = [compare.promotion(*options.promote, head, progress)]
        elif options.base is not None:
            diffs, base_findings = compare.against_revision(
                options.root, options.base, envs, head, progress, all_envs=not options.envs
            )
            if base_findings:
                progress.done()
                return refuse(options.fmt, base_findings, f"diff refused: {options.base} does not render")
        else:
            diffs = compare.against_disk(options.root, options.root / RENDERED_DIR, head, progress)
    write_stdout(render_diff(diffs, options.fmt, color=options.color))
    return EXIT_FINDINGS if any(d.changes for d in diffs) else EXIT_OK
