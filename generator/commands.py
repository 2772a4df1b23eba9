"""Every command as a plain function: options in, exit code out."""

from __future__ import annotations

import contextlib
import gc
import sys
from collections.abc import Iterator
from pathlib import Path

from generator.errors import InputError
from generator.experience.progress import Progress
from generator.findings import Finding, dedupe
from generator.options import (
    EXIT_FINDINGS,
    EXIT_OK,
    EXIT_UNEXPECTED,
    DiffOptions,
    ExplainOptions,
    GraphOptions,
    InitOptions,
    Options,
)
from generator.pipeline import (
    PLATFORM_FILE,
    EnvResult,
    LazyTrees,
    analyse,
    analysis_notes,
    discover_envs,
    emit,
    unread_overlays,
)
from generator.report import Report, render_report
from generator.write import compare_trees_alongside, default_jobs, render_lock, write_environments
from generator.write.removals import removal_findings

# generator/commands/ holds the commands moved into modules of their own (vendor.py): until this
# module becomes that package's __init__.py, it lends the folder its import path.
__path__ = [str(Path(__file__).with_suffix(""))]

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


def _checked(root: Path, wanted: tuple[str, ...] | list[str]) -> list[str]:
    known = known_envs(root)
    if not wanted:
        return known
    unknown = [e for e in wanted if e not in known]
    if unknown:
        raise InputError(f"unknown environment {unknown[0]!r}; known: {', '.join(known)}")
    return list(dict.fromkeys(wanted))


def selected_envs(options: Options) -> list[str]:
    return _checked(options.root, options.envs)


def _emit_report(options: Options, findings: list[Finding], notes: list[str] | None = None) -> None:
    text = render_report(Report(dedupe(findings), tuple(notes or ())), options.fmt, color=options.color)
    sys.stdout.write(text)


def _findings(results: list[EnvResult]) -> list[Finding]:
    return [f for r in results for f in r.findings]


def _analyse(options: Options, progress: Progress) -> list[EnvResult]:
    envs = selected_envs(options)

    def step(index: int, env: str) -> None:
        progress.step(f"checking {env} ({index}/{len(envs)})")

    return analyse(options.root, envs, step)


def validate(options: Options) -> int:
    with Progress(options.progress) as progress:
        results = _analyse(options, progress)
    findings = _findings(results)
    _emit_report(options, findings, analysis_notes(results))
    return EXIT_FINDINGS if any(f.is_error for f in findings) else EXIT_OK


def rendered_dir(options: Options) -> Path:
    return options.out if options.out is not None else options.root / RENDERED_DIR


def _trees(options: Options, progress: Progress) -> tuple[list[EnvResult], LazyTrees | None]:
    results = _analyse(options, progress)
    if not all(r.ok for r in results):
        return results, None
    return results, emit(results)


@contextlib.contextmanager
def _analysis_frozen() -> Iterator[None]:
    """While the trees are emitted and written or compared, the collector leaves the analysed
    platforms alone: they live through the stage, rescanning them is most of a large platform's
    collection time, and forked workers then keep their pages shared instead of touching each
    one. Unfrozen after, so an in-process caller (the tests) can still collect them."""
    gc.freeze()
    try:
        yield
    finally:
        gc.unfreeze()


def _jobs(options: Options, envs: int) -> int:
    return min(envs, options.jobs or default_jobs())


def _removals(options: Options, results: list[EnvResult]) -> list[Finding]:
    """PC710: what the render would remove from the committed tree that holds data."""
    target = rendered_dir(options)
    return [
        finding
        for result in results
        if result.platform is not None
        for finding in removal_findings(result.platform, target / result.env, f"{target.name}/{result.env}")
    ]


def render(options: Options) -> int:
    with Progress(options.progress) as progress:
        results, trees = _trees(options, progress)
        findings = _findings(results)
        findings.extend(_removals(options, results))
        if trees is None:
            progress.done()
            _emit_report(
                options, findings, ["render refused: fix the errors above; rendered/ was not touched"]
            )
            return EXIT_FINDINGS
        target = rendered_dir(options)
        with render_lock(target), _analysis_frozen():
            # All or none: every environment is staged before any is swapped in.
            counts = write_environments(
                target,
                trees,
                on_stage=lambda env: progress.step(f"writing {target.name}/{env}"),
                jobs=_jobs(options, len(trees)),
            )
    notes = [f"rendered {env}: {count} files in {target / env}" for env, count in counts.items()]
    _emit_report(options, findings, notes)
    return EXIT_OK


def check(options: Options) -> int:
    with Progress(options.progress) as progress:
        results, trees = _trees(options, progress)
        findings = _findings(results)
        findings.extend(_removals(options, results))
        if trees is None:
            progress.done()
            _emit_report(options, findings, analysis_notes(results))
            return EXIT_FINDINGS
        target = rendered_dir(options)
        notes: list[str] = []

        def verify_committed() -> tuple[list[Finding], list[str]]:
            try:
                return _verify(options, results, Progress(False))  # in a worker: no status line
            except ImportError as e:
                missing = e.name or e
                return [], [f"verify skipped: {missing} is not installed (pip install 'platformc[verify]')"]

        progress.step("comparing and verifying" if options.verify else "comparing")
        jobs = _jobs(options, len(trees) + (1 if options.verify else 0))  # verify is one more task
        with _analysis_frozen():
            drifts, verified = compare_trees_alongside(
                trees, target, jobs, verify_committed if options.verify else None
            )
        for env, drift in drifts.items():
            base = f"{target.name}/{env}"
            notes += [f"{base}/{p}: stale (differs from what platform.yaml renders)" for p in drift.stale]
            notes += [f"{base}/{p}: missing (render would create it)" for p in drift.missing]
            notes += [f"{base}/{p}: extra (platform.yaml no longer produces it)" for p in drift.extra]
        verify_findings, verify_notes = verified or ([], [])
        findings.extend(verify_findings)
    if notes:
        notes.append("rendered/ is out of date: run `make render` and commit the result")
    _emit_report(options, findings, analysis_notes(results) + notes + verify_notes)
    failed = bool(notes) or any(f.is_error for f in findings)
    return EXIT_FINDINGS if failed else EXIT_OK


def _verify(
    options: Options, results: list[EnvResult], progress: Progress
) -> tuple[list[Finding], list[str]]:
    """Findings of every environment, and a note on how many sources the cache answered for."""
    from generator.experience.chart_failures import place_chart_failures
    from generator.verify.cluster import cluster_facts
    from generator.verify.tree import Target, default_workers, open_cache, verify_environment

    cache = open_cache(options.verify_cache)
    findings: list[Finding] = []
    charts = directories = from_cache = 0
    for index, result in enumerate(results, 1):
        if result.platform is None:
            continue
        progress.step(f"verifying {result.env} ({index}/{len(results)})")
        platform = result.platform
        target = Target(
            env=result.env,
            kubernetes_version=platform.kubernetes_version,
            gitops_path=platform.gitops.path,
            namespaces=frozenset(platform.namespaces),
            cluster=cluster_facts(platform),
        )
        verified = verify_environment(
            rendered_dir(options), target, display_root=options.root, cache=cache, workers=default_workers()
        )
        findings.extend(place_chart_failures(verified.findings, platform))
        charts, directories = charts + verified.charts, directories + verified.directories
        from_cache += verified.from_cache
    from generator.verify.argocd_setup import name_collisions

    central = [r.env for r in results if r.platform is not None and r.platform.gitops.central]
    findings.extend(name_collisions(rendered_dir(options), central))
    note = f"verify: {charts} charts and {directories} manifest directories"
    if cache is None:
        notes = [f"{note}, cache off"]
    else:
        notes = [f"{note}, {from_cache} from cache"]
        if cache.write_error:
            notes.append(f"verify: {cache.write_error}")
        if cache.stored:
            cache.prune()
    return findings, notes


def verify(options: Options) -> int:
    """The rendered tree as ArgoCD reads it; the platform supplies the versions and namespaces."""
    with Progress(options.progress) as progress:
        results = _analyse(options, progress)
        if not all(r.ok for r in results):
            progress.done()
            _emit_report(options, _findings(results), ["verify refused: fix the errors above"])
            return EXIT_FINDINGS
        findings, notes = _verify(options, results, progress)
    _emit_report(options, findings, notes)
    return EXIT_FINDINGS if any(f.is_error for f in findings) else EXIT_OK


# ---------------------------------------------------------------------------- experience


def diff(options: DiffOptions) -> int:
    """Exit like `git diff --exit-code`: 0 no changes, 1 changes (or errors that stop rendering)."""
    from generator.experience import compare
    from generator.experience.diff_report import render_diff

    if options.promote is not None:
        wanted = list(options.promote)
        if wanted[0] == wanted[1]:
            raise InputError(f"--envs {wanted[0]} {wanted[1]}: name two different environments")
    else:
        wanted = list(options.envs)
    envs = _checked(options.root, wanted)
    with Progress(options.progress) as progress:
        head = compare.render_fresh(options.root, envs, progress)
        if head.failed:
            progress.done()
            return _refuse(options.fmt, head.findings, "diff refused: platform.yaml does not render")
        if options.promote is not None:
            diffs = [compare.promotion(*options.promote, head, progress)]
        elif options.base is not None:
            diffs, base_findings = compare.against_revision(
                options.root, options.base, envs, head, progress, all_envs=not options.envs
            )
            if base_findings:
                progress.done()
                return _refuse(options.fmt, base_findings, f"diff refused: {options.base} does not render")
        else:
            diffs = compare.against_disk(options.root, options.root / RENDERED_DIR, head, progress)
    sys.stdout.write(render_diff(diffs, options.fmt, color=options.color))
    return EXIT_FINDINGS if any(d.changes for d in diffs) else EXIT_OK


def _refuse(fmt: str, findings: list[Finding], note: str) -> int:
    report_format = "json" if fmt == "json" else "text"
    sys.stdout.write(render_report(Report(dedupe(findings), (note,)), report_format))
    return EXIT_FINDINGS


def _one_platform(root: Path, env: str | None) -> EnvResult:
    chosen = _checked(root, [env] if env else [])[0]
    return analyse(root, [chosen])[0]


def graph(options: GraphOptions) -> int:
    from generator.experience.graph import render_graph

    result = _one_platform(options.root, options.env)
    if result.platform is None:
        return _refuse("text", result.findings, "graph refused: the environment does not build")
    # A graph of a platform with errors (a dependency cycle, say) is how one finds them.
    _mention_errors(result)
    sys.stdout.write(render_graph(result.platform, options.fmt))
    return EXIT_OK


def _mention_errors(result: EnvResult) -> None:
    errors = sum(1 for f in result.findings if f.is_error)
    if errors:
        sys.stderr.write(
            f"platformc: note: {result.env} has {errors} error(s); `platformc validate` lists them\n"
        )


def explain(options: ExplainOptions) -> int:
    from generator.experience.explain import explain_component
    from generator.experience.explain_report import render_explanation

    result = _one_platform(options.root, options.env)
    if result.platform is None:
        return _refuse(options.fmt, result.findings, "explain refused: the environment does not build")
    _mention_errors(result)
    explanation = explain_component(result.platform, options.target, result.findings)
    sys.stdout.write(render_explanation(explanation, options.fmt))
    return EXIT_OK


def init(options: InitOptions) -> int:
    from generator.experience.scaffold import scaffold

    written = scaffold(options.directory, options.name)
    sys.stdout.write(f"created a new platform in {options.directory}: {', '.join(written)}\n")
    sys.stdout.write(
        f"next: cd {options.directory} && make render   # validate and render every environment\n"
    )
    return EXIT_OK


def schema() -> int:
    from importlib.resources import files

    sys.stdout.write(
        files("generator").joinpath("schema", "platform.schema.json").read_text(encoding="utf-8")
    )
    return EXIT_OK


def rules(rule_id: str | None) -> int:
    try:
        from generator.rules.docs import rules_command
    except ImportError as e:
        sys.stderr.write(f"platformc: error: rule documentation is not part of this installation ({e})\n")
        return EXIT_UNEXPECTED
    code, text = rules_command(rule_id)
    (sys.stdout if code == EXIT_OK else sys.stderr).write(text if text.endswith("\n") else text + "\n")
    return code
