"""`platformc verify`: the rendered tree as ArgoCD reads it, through the Helm engine and schemas."""

from __future__ import annotations

from generator.commands.common import (
    all_findings,
    analyse_selected,
    print_report,
    rendered_dir,
)
from generator.findings import Finding
from generator.options import EXIT_FINDINGS, EXIT_OK, Options
from generator.pipeline import EnvResult
from generator.report.progress import Progress


def verify(options: Options) -> int:
    """The platform supplies the versions and namespaces the tree is verified against."""
    with Progress(options.progress) as progress:
        results = analyse_selected(options, progress)
        if not all(r.ok for r in results):
            progress.done()
            print_report(options, all_findings(results), ["verify refused: fix the errors above"])
            return EXIT_FINDINGS
        findings, notes = verify_results(options, results, progress)
    print_report(options, findings, notes)
    return EXIT_FINDINGS if any(f.is_error for f in findings) else EXIT_OK


def verify_results(
    options: Options, results: list[EnvResult], progress: Progress
) -> tuple[list[Finding], list[str]]:
    """Findings of every environment, and a note on how many sources the cache answered for."""
    from generator.explain.chart_failures import place_chart_failures, place_unvendored_charts
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
        placed = place_chart_failures(verified.findings, platform)
        findings.extend(place_unvendored_charts(placed, platform))
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
