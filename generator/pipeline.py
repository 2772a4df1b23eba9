"""The stages strung together: load -> merge -> validate -> model -> rules -> emit."""

from __future__ import annotations

import datetime
import os
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from generator.emit import RenderedTree, emit_platform
from generator.errors import InputError
from generator.findings import Finding, Severity, make_finding
from generator.load import Document, LoadError, load_document
from generator.merge import expand_templates, merge_overlay
from generator.model import Platform, build_platform
from generator.rules import run_rules
from generator.rules.chart_values import unchecked_notes
from generator.upstream.store import load_vendored
from generator.validate import validate_document
from generator.validate.environment import OVERLAY_SUFFIX, OVERLAYS_DIR, env_of, unread_overlay_findings
from generator.validate.numbers import number_findings
from generator.validate.overlays import overlay_findings

PLATFORM_FILE = "platform.yaml"
TODAY_VARIABLE = "PLATFORMC_TODAY"


@dataclass
class EnvResult:
    env: str
    findings: list[Finding] = field(default_factory=list)
    platform: Platform | None = None
    notes: list[str] = field(default_factory=list)  # what was not checked, and why

    @property
    def ok(self) -> bool:
        return self.platform is not None and not any(f.is_error for f in self.findings)


def _overlay_names(root: Path) -> list[str]:
    """Every entry of overlays/, whatever its type; InputError when the folder cannot be listed."""
    overlays = root / OVERLAYS_DIR
    if not overlays.is_dir():
        return []
    try:
        return sorted(entry.name for entry in overlays.iterdir())
    except OSError as e:
        raise InputError(f"cannot list {overlays}: {e.strerror or e}") from e


def discover_envs(root: Path) -> list[str]:
    """One environment per overlays/*.yaml, odd names included: validate reports them (PC018).

    Whatever the entry is (a directory, a FIFO, a dangling symbolic link), it names an
    environment: loading it then says why it cannot be read, instead of the environment
    silently not existing."""
    return sorted(env_of(name) for name in _overlay_names(root) if name.endswith(OVERLAY_SUFFIX))


def _load(root: Path, relative: str) -> Document | Finding:
    try:
        return load_document(root / relative, relative)
    except LoadError as e:
        return make_finding(e.rule, Severity.ERROR, e.message, e.mark, "")


def analysis_notes(results: list[EnvResult]) -> list[str]:
    """Each note once, however many environments make it."""
    return sorted({note for result in results for note in result.notes})


def unread_overlays(root: Path) -> list[Finding]:
    """Files in overlays/ that look meant as overlays but are not read (PC018)."""
    overlays = root / OVERLAYS_DIR
    return unread_overlay_findings([name for name in _overlay_names(root) if (overlays / name).is_file()])


def today_from(environ: Mapping[str, str]) -> datetime.date:
    """The date expiries are judged against: PLATFORMC_TODAY (YYYY-MM-DD) when set, so tests and
    reproducible CI runs can fix it, else the clock's. Read here, at the edge, and passed to the model."""
    fixed = environ.get(TODAY_VARIABLE)
    return datetime.date.fromisoformat(fixed) if fixed else datetime.date.today()


def analyse(
    root: Path,
    envs: list[str],
    on_env: Callable[[int, str], None] | None = None,
    *,
    today: datetime.date | None = None,
) -> list[EnvResult]:
    """Every requested environment through validate, model and rules; the base file is read once.

    `today` is the date exception expiries are judged against (default: `today_from(os.environ)`).
    """
    date = today if today is not None else today_from(os.environ)
    base = _load(root, PLATFORM_FILE)
    unread = unread_overlays(root)
    vendored = load_vendored(root) if not isinstance(base, Finding) else {}
    # what an overlay's `null` may remove: platform.yaml with its templates merged in (the same for
    # every environment; PC030/PC031 are reported on each environment's merged document below)
    expanded_base = expand_templates(base, None)[0] if not isinstance(base, Finding) else None
    results: list[EnvResult] = []
    for index, env in enumerate(envs, 1):
        if on_env is not None:
            on_env(index, env)
        result = EnvResult(env, [finding.with_env(env) for finding in unread])
        results.append(result)
        if isinstance(base, Finding):
            result.findings.append(base.with_env(env))
            continue
        overlay = _load(root, f"{OVERLAYS_DIR}/{env}.yaml")
        if isinstance(overlay, Finding):
            result.findings.append(overlay.with_env(env))
            continue
        merged, template_findings = expand_templates(merge_overlay(base, overlay), env)
        result.findings.extend(template_findings)
        if template_findings:
            continue  # a component whose templates cannot be read is not the component meant
        schema_findings = [
            *validate_document(merged, env),
            *overlay_findings(expanded_base or base, overlay, env),
            *number_findings(merged, env),
        ]
        result.findings.extend(schema_findings)
        if any(f.severity is Severity.ERROR for f in schema_findings):
            continue  # one root cause, one error: no rule runs on a shape it cannot trust
        platform = build_platform(merged, env, today=date, vendored=vendored)
        result.platform = platform
        result.findings.extend(f.with_env(env) for f in run_rules(platform))
        result.notes = unchecked_notes(platform)
    return results


class LazyTrees(Mapping[str, RenderedTree]):
    """Each analysed environment's rendered tree, emitted when it is looked up and not kept.

    Whoever walks the environments holds one tree at a time (memory stays flat
    as environments are added), and a forked worker that looks one up does the
    emitting itself (generator.write.fork). Look each environment up once.
    """

    def __init__(self, results: list[EnvResult]) -> None:
        self._platforms = {r.env: r.platform for r in results if r.platform is not None}

    def __getitem__(self, env: str) -> RenderedTree:
        return emit_platform(self._platforms[env])

    def __iter__(self) -> Iterator[str]:
        return iter(self._platforms)

    def __len__(self) -> int:
        return len(self._platforms)


def emit(results: list[EnvResult]) -> LazyTrees:
    return LazyTrees(results)
