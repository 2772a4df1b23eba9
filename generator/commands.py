"""validate, render and check as plain functions: options in, exit code out."""

from __future__ import annotations

import sys
from pathlib import Path

from generator.emit import RenderedTree
from generator.errors import InputError
from generator.findings import Finding, dedupe
from generator.options import EXIT_FINDINGS, EXIT_OK, Options
from generator.pipeline import PLATFORM_FILE, EnvResult, analyse, discover_envs, emit
from generator.report import Report, render_report
from generator.write import compare_tree, render_lock, write_environment

RENDERED_DIR = "rendered"


def selected_envs(options: Options) -> list[str]:
    root = options.root
    if not root.is_dir():
        raise InputError(f"--root {root} is not a directory")
    if not (root / PLATFORM_FILE).is_file():
        raise InputError(f"no {PLATFORM_FILE} in {root}")
    known = discover_envs(root)
    if not options.envs:
        if not known:
            raise InputError(f"no environments: {root / 'overlays'} holds no <env>.yaml")
        return known
    unknown = [e for e in options.envs if e not in known]
    if unknown:
        raise InputError(f"unknown environment {unknown[0]!r}; known: {', '.join(known) or 'none'}")
    return list(dict.fromkeys(options.envs))


def _emit_report(options: Options, findings: list[Finding], notes: list[str] | None = None) -> None:
    text = render_report(Report(dedupe(findings), tuple(notes or ())), options.fmt, color=options.color)
    sys.stdout.write(text)


def _findings(results: list[EnvResult]) -> list[Finding]:
    return [f for r in results for f in r.findings]


def validate(options: Options) -> int:
    results = analyse(options.root, selected_envs(options))
    findings = _findings(results)
    _emit_report(options, findings)
    return EXIT_FINDINGS if any(f.is_error for f in findings) else EXIT_OK


def rendered_dir(options: Options) -> Path:
    return options.out if options.out is not None else options.root / RENDERED_DIR


def _trees(options: Options) -> tuple[list[EnvResult], dict[str, RenderedTree] | None]:
    results = analyse(options.root, selected_envs(options))
    if not all(r.ok for r in results):
        return results, None
    return results, emit(results)


def render(options: Options) -> int:
    results, trees = _trees(options)
    findings = _findings(results)
    if trees is None:
        _emit_report(options, findings, ["render refused: fix the errors above; rendered/ was not touched"])
        return EXIT_FINDINGS
    target = rendered_dir(options)
    with render_lock(target):
        for env, tree in trees.items():
            write_environment(target, env, tree)
    notes = [f"rendered {env}: {len(tree)} files in {target / env}" for env, tree in trees.items()]
    _emit_report(options, findings, notes)
    return EXIT_OK


def check(options: Options) -> int:
    results, trees = _trees(options)
    findings = _findings(results)
    if trees is None:
        _emit_report(options, findings)
        return EXIT_FINDINGS
    target = rendered_dir(options)
    notes: list[str] = []
    for env, tree in trees.items():
        drift = compare_tree(tree, target / env)
        base = f"{target.name}/{env}"
        notes += [f"{base}/{p}: stale (differs from what platform.yaml renders)" for p in drift.stale]
        notes += [f"{base}/{p}: missing (render would create it)" for p in drift.missing]
        notes += [f"{base}/{p}: extra (platform.yaml no longer produces it)" for p in drift.extra]
    if options.verify and not notes:
        findings.extend(_verify(options, results))
    if notes:
        notes.append("rendered/ is out of date: run `make render` and commit the result")
    _emit_report(options, findings, notes)
    failed = bool(notes) or any(f.is_error for f in findings)
    return EXIT_FINDINGS if failed else EXIT_OK


def _verify(options: Options, results: list[EnvResult]) -> list[Finding]:
    from generator.verify.tree import Target, verify_environment

    findings: list[Finding] = []
    for result in results:
        platform = result.platform
        if platform is None:
            continue
        target = Target(
            env=result.env,
            kubernetes_version=platform.kubernetes_version,
            gitops_path=str(platform.gitops.get("path", RENDERED_DIR)),
            namespaces=frozenset(platform.namespaces),
        )
        findings.extend(verify_environment(rendered_dir(options), target, display_root=options.root))
    return findings


def verify(options: Options) -> int:
    """Verify the rendered tree as it is on disk (it may be stale: `check` says so)."""
    results = analyse(options.root, selected_envs(options))
    findings = [f for r in results for f in r.findings if f.is_error]
    findings.extend(_verify(options, results))
    _emit_report(options, findings)
    return EXIT_FINDINGS if any(f.is_error for f in findings) else EXIT_OK
