"""`platformc diff`: what a change does to the rendered objects, with Helmfile's detailed exit code.

Exit 0: no changes; 2: changes; 1: an error (a platform that does not render, a
usage or input error). Errors are never mistaken for "changes", nor the reverse.
"""

from __future__ import annotations

from generator.commands.common import RENDERED_DIR, checked_envs, refuse
from generator.commands.output import write_stdout
from generator.errors import InputError
from generator.options import DIFF_EXIT_CHANGES, DIFF_EXIT_ERROR, DIFF_EXIT_NO_CHANGES, DiffOptions
from generator.report.progress import Progress


def diff(options: DiffOptions) -> int:
    """Exit 0: no changes; 2: changes; 1: errors (`refuse` prints the findings that stop rendering)."""
    from generator.diff import compare
    from generator.diff.changes import only_applications
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
            refuse(options.fmt, head.findings, "diff refused: platform.yaml does not render")
            return DIFF_EXIT_ERROR
        if options.promote is not None:
            diffs = [compare.promotion(*options.promote, head, progress)]
        elif options.base is not None:
            diffs, base_findings = compare.against_revision(
                options.root, options.base, envs, head, progress, all_envs=not options.envs
            )
            if base_findings:
                progress.done()
                refuse(options.fmt, base_findings, f"diff refused: {options.base} does not render")
                return DIFF_EXIT_ERROR
        else:
            diffs = compare.against_disk(options.root, options.root / RENDERED_DIR, head, progress)
    # Known: the platform's applications and those platformc adds (namespaces, policies, secrets, root).
    _check_apps(options.apps, {*head.application_names(), *(c.application for d in diffs for c in d.changes)})
    diffs = only_applications(diffs, options.apps)
    write_stdout(render_diff(diffs, options.fmt, color=options.color, summary=options.summary))
    return DIFF_EXIT_CHANGES if any(d.changes for d in diffs) else DIFF_EXIT_NO_CHANGES


def _check_apps(wanted: tuple[str, ...], known: set[str]) -> None:
    unknown = [a for a in wanted if a not in known]
    if unknown:
        raise InputError(f"--app {unknown[0]}: no such application; known: {', '.join(sorted(known))}")
