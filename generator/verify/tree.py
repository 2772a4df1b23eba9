"""`platformc verify`: every Application of one environment, read as ArgoCD reads it.

Helm sources are rendered with the Helm engine (release name, destination
namespace, value files in order, Kubernetes version) and linted; directory
sources are read as plain manifests. Every resulting object is validated against
the Kubernetes schemas of the target version and the CRD schemas platformc ships
— through kubeconform when it is on PATH, otherwise with the embedded validator.

Sources are verified on a few threads (Helm's native calls release the GIL) and
their results gathered in the order of the sources, so the findings are the same
as one at a time. With a cache, a source whose files and toolchain are unchanged
is not verified again (`cache.py`).

Then the cluster stage (`cluster/`) looks at every object of the environment
together, each tagged with its Application and sync wave: CRDs before the kinds
they define, apply limits, Services, Secrets, load balancers and Pod Security
Admission. The cache keeps each source's objects for it.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, TypeVar

from generator.findings import Finding, Severity
from generator.verify import kubeconform, toolchain
from generator.verify.application import (
    Display,
    Placement,
    SourceOutcome,
    SourceVerdict,
    directory_files,
    verify_source,
)
from generator.verify.argocd_setup import health_check_findings
from generator.verify.cache import VerifyCache, files_digest, tree_files
from generator.verify.cluster import ClusterFacts, verify_cluster
from generator.verify.sources import Source, application_sources

SCHEMA_DIR = Path(__file__).parent / "schemas"
MAX_WORKERS = 4  # past this the GIL-bound half (YAML, schemas) is the bottleneck
T = TypeVar("T")
R = TypeVar("R")


@dataclass(frozen=True)
class Target:
    """What verify needs to know about the platform beside the rendered tree."""

    env: str
    kubernetes_version: str
    gitops_path: str
    namespaces: frozenset[str]
    cluster: ClusterFacts | None = None  # the platform's side of the cluster stage


@dataclass(frozen=True)
class EnvVerification:
    """The findings of one environment, and how many sources were verified or taken from the cache."""

    findings: list[Finding]
    charts: int = 0
    directories: int = 0
    from_cache: int = 0


def open_cache(directory: Path | None) -> VerifyCache | None:
    """The cache in `directory` for the toolchain installed now; None when off or an engine is unnamed."""
    if directory is None:
        return None
    try:
        return VerifyCache(directory, toolchain.fingerprint())
    except OSError:
        return None  # an engine that does not say its version: its results cannot be told apart


def default_workers() -> int:
    try:
        cpus = len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        cpus = os.cpu_count() or 1
    return max(1, min(MAX_WORKERS, cpus))


def _finding(
    rule: str, message: str, file: str, path: str = "", severity: Severity = Severity.ERROR
) -> Finding:
    return Finding(rule, severity, message, file, 1, 1, path)


def verify_environment(
    rendered: Path,
    target: Target,
    *,
    display_root: Path | None = None,
    cache: VerifyCache | None = None,
    workers: int = 1,
) -> EnvVerification:
    env_dir = rendered / target.env
    shown = (display_root or rendered.parent).resolve()

    def display(path: Path) -> str:
        try:
            return path.resolve().relative_to(shown).as_posix()
        except ValueError:
            return path.as_posix()

    if not env_dir.is_dir():
        message = f"{display(env_dir)} does not exist; run `platformc render`"
        return EnvVerification([_finding("PC806", message, display(env_dir)).with_env(target.env)])
    sources, source_findings = application_sources(env_dir, target.env, target.gitops_path, display)
    findings: list[Finding] = list(source_findings)
    findings.extend(health_check_findings(env_dir, display))
    for source in sources:
        findings.extend(_check_destination(source, target))

    keys = [_cache_key(cache, source, target, display) for source in sources]
    verdicts: list[SourceVerdict | None] = [
        cache.load(key) if cache is not None and key is not None else None for key in keys
    ]
    missed = [index for index, verdict in enumerate(verdicts) if verdict is None]
    embedded = not kubeconform.available()

    def run(index: int) -> SourceOutcome:
        return verify_source(sources[index], target.kubernetes_version, display, validate=embedded)

    def unchanged(store: VerifyCache, key: str, index: int) -> bool:
        # the files are still those the key names: no render ran while they were verified
        return _cache_key(store, sources[index], target, display) == key

    outcomes = _map_in_order(run, missed, workers)
    if not embedded:
        findings.extend(_validate_with_kubeconform(outcomes, target, rendered.parent))
    for index, outcome in zip(missed, outcomes, strict=True):
        verdicts[index] = verdict = outcome.verdict()
        key = keys[index]
        if cache is not None and key is not None and outcome.complete and unchanged(cache, key, index):
            cache.store(key, verdict)

    verified = [verdict for verdict in verdicts if verdict is not None]  # every one, by now
    for verdict in verified:
        findings.extend(verdict.findings)
    findings.extend(_check_object_namespaces((p for v in verified for p in v.placements), target))
    findings = _with_cluster_stage(findings, sources, verified, target)
    charts = sum(1 for source in sources if source.kind == "helm")
    return EnvVerification(
        [f.with_env(target.env) for f in findings],
        charts=charts,
        directories=len(sources) - charts,
        from_cache=len(sources) - len(missed),
    )


def _with_cluster_stage(
    findings: list[Finding], sources: Sequence[Source], verified: Sequence[SourceVerdict], target: Target
) -> list[Finding]:
    """The cluster stage's findings added; a custom resource it validated against the CRD the
    environment installs is no longer "without a schema" (PC802)."""
    partial = [
        source.application
        for source, verdict in zip(sources, verified, strict=True)
        if any(f.rule == "PC805" for f in verdict.findings)  # a chart not vendored
    ]
    cluster = verify_cluster(
        sources, [v.objects for v in verified], target.cluster or ClusterFacts(), partial
    )
    kept = [f for f in findings if f.rule != "PC802" or (f.file, f.path) not in cluster.validated]
    return kept + cluster.findings


def _cache_key(cache: VerifyCache | None, source: Source, target: Target, display: Display) -> str | None:
    """The key of the source's entry; None (not cached) when there is no cache or a file cannot be read."""
    if cache is None:
        return None
    described: dict[str, Any] = {
        "application": source.application,
        "kind": source.kind,
        "path": display(source.path),
        "namespace": source.namespace,
        "release": source.release,
        "value_files": [display(file) for file in source.value_files],
        "recurse": source.recurse,
        "kubernetes": target.kubernetes_version,
    }
    try:
        files = tree_files(source.path) if source.kind == "helm" else directory_files(source)
        return cache.key(described, files_digest(source.path, files))
    except (OSError, ValueError):
        return None


def _map_in_order(function: Callable[[T], R], items: Sequence[T], workers: int) -> list[R]:
    if workers <= 1 or len(items) <= 1:
        return [function(item) for item in items]
    pool = ThreadPoolExecutor(max_workers=min(workers, len(items)), thread_name_prefix="platformc-verify")
    try:
        return list(pool.map(function, items))
    finally:
        # on Ctrl-C or an error: what has not started never starts; what runs finishes (one chart)
        pool.shutdown(wait=True, cancel_futures=True)


def _check_destination(source: Source, target: Target) -> Iterable[Finding]:
    if source.namespace and source.namespace not in target.namespaces:
        yield _finding(
            "PC807",
            f"Application {source.application} deploys into namespace {source.namespace!r}, "
            "which the platform does not declare under spec.namespaces",
            source.manifest,
            "spec.destination.namespace",
        )


def _check_object_namespaces(placements: Iterable[Placement], target: Target) -> Iterable[Finding]:
    for placed in placements:
        if placed.namespace not in target.namespaces:
            kind, name = placed.kind, placed.name
            yield _finding(
                "PC807",
                f"{kind} {name} lands in namespace {placed.namespace!r}, which the platform does not declare",
                placed.file,
                f"{kind}/{name}.metadata.namespace",
            )


def _validate_with_kubeconform(outcomes: Sequence[SourceOutcome], target: Target, cwd: Path) -> list[Finding]:
    """Validate every object of `outcomes` in one kubeconform run; each finding goes to its source.

    Returns the findings that belong to no object (kubeconform itself failed). A
    PC803 (could not validate) leaves the source it concerns incomplete.
    """
    from generator.emit.yamldump import dump_yaml

    with tempfile.TemporaryDirectory(prefix="platformc-kubeconform-") as scratch:
        origin: dict[str, tuple[SourceOutcome, str]] = {}
        number = 0
        for outcome in outcomes:
            for obj in outcome.objects:
                path = Path(scratch) / f"{number:05d}.yaml"
                path.write_text(dump_yaml(obj.data), encoding="utf-8")
                origin[str(path)] = (outcome, obj.file)
                number += 1
        if not origin:
            return []
        found = kubeconform.run_kubeconform(target.kubernetes_version, SCHEMA_DIR, sorted(origin), cwd=cwd)
    unplaced: list[Finding] = []
    for finding in found:
        if finding.file not in origin:
            unplaced.append(finding)
            for outcome in outcomes:
                outcome.complete = False
            continue
        outcome, file = origin[finding.file]
        # Findings name the rendered file the object came from, not the scratch copy.
        outcome.findings.append(replace(finding, file=file))
        outcome.complete = outcome.complete and finding.rule != "PC803"
    return unplaced
