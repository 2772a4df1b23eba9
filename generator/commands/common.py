"""What several commands share: choosing environments, analysing them, printing reports."""

from __future__ import annotations

import contextlib
import gc
import sys
from collections.abc import Iterator
from pathlib import Path

from generator.commands.output import write_stdout
from generator.errors import InputError
from generator.findings import Finding, dedupe
from generator.options import EXIT_FINDINGS, Options
from generator.pipeline import (
    PLATFORM_FILE,
    EnvResult,
    LazyTrees,
    analyse,
    discover_envs,
    emit,
    unread_overlays,
)
from generator.report import Report, render_report
from generator.report.progress import Progress
from generator.write import default_jobs

RENDERED_DIR = "rendered"


def known_envs(root: Path) -> list[str]:
    if not root.is_dir():
        raise InputError(f"--root {root} is not a directory")
    if not (root / PLATFORM_FILE).is_file():
        raise InputError(f"no {PLATFORM_FILE} in {root}; `platformc init` starts a new platform")
    known = discover_envs(root)
    if not known:
        unread = "".join(f"; {finding.message}" for finding in unread_overlays(root))
        raise InputError(f"no environments: {root / 'overlays'} holds no <env>.yaml{unread}")
    return known


def checked_envs(root: Path, wanted: tuple[str, ...] | list[str]) -> list[str]:
    known = known_envs(root)
    if not wanted:
        return known
    unknown = [e for e in wanted if e not in known]
    if unknown:
        raise InputError(f"unknown environment {unknown[0]!r}; known: {', '.join(known)}")
    return list(dict.fromkeys(wanted))


def selected_envs(options: Options) -> list[str]:
    return checked_envs(options.root, options.envs)


def rendered_dir(options: Options) -> Path:
    return options.out if options.out is not None else options.root / RENDERED_DIR


def print_report(
    options: Options, findings: list[Finding], notes: list[str] | None = None, done: str = ""
) -> None:
    text = render_report(Report(dedupe(findings), tuple(notes or ())), options.fmt, color=options.color)
    write_stdout(text, done=done)


def all_findings(results: list[EnvResult]) -> list[Finding]:
    return [f for r in results for f in r.findings]


def analyse_selected(options: Options, progress: Progress) -> list[EnvResult]:
    envs = selected_envs(options)

    def step(index: int, env: str) -> None:
        progress.step(f"checking {env} ({index}/{len(envs)})")

    return analyse(options.root, envs, step)


def refuse(fmt: str, findings: list[Finding], note: str) -> int:
    """The findings that stop a command whose own output is not a report (diff, graph, explain)."""
    report_format = "json" if fmt == "json" else "text"
    write_stdout(render_report(Report(dedupe(findings), (note,)), report_format))
    return EXIT_FINDINGS


def one_platform(root: Path, env: str | None) -> EnvResult:
    chosen = checked_envs(root, [env] if env else [])[0]
    return analyse(root, [chosen])[0]


def mention_errors(result: EnvResult) -> None:
    errors = sum(1 for f in result.findings if f.is_error)
    if errors:
        sys.stderr.write(
            f"platformc: note: {result.env} has {errors} error(s); `platformc validate` lists them\n"
        )


def analysed_trees(options: Options, progress: Progress) -> tuple[list[EnvResult], LazyTrees | None]:
    """The analysis, and the trees to emit when no environment has an error."""
    results = analyse_selected(options, progress)
    if not all(r.ok for r in results):
        return results, None
    return results, emit(results)


@contextlib.contextmanager
def analysis_frozen() -> Iterator[None]:
    """While the trees are emitted and written or compared, the collector leaves the analysed
    platforms alone: they live through the stage, rescanning them is most of a large platform's
    collection time, and forked workers then keep their pages shared instead of touching each
    one. Unfrozen after, so an in-process caller (the tests) can still collect them."""
    gc.freeze()
    try:
        yield
    finally:
        gc.unfreeze()


def jobs_for(options: Options, tasks: int) -> int:
    return min(tasks, options.jobs or default_jobs())


def removal_findings_of(options: Options, results: list[EnvResult]) -> list[Finding]:
    """PC710: what the render would remove from the committed tree that holds data."""
    from generator.write.removals import removal_findings

    target = rendered_dir(options)
    return [
        finding
        for result in results
        if result.platform is not None
        for finding in removal_findings(result.platform, target / result.env, f"{target.name}/{result.env}")
    ]
