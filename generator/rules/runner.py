"""Running the checks of the rule registry over one environment's Platform, and suppression.

A hit becomes a Finding at its place in the merged document. A component's
`ignore:` entry suppresses a finding of a suppressible rule (the finding stays,
marked suppressed, with the reason); naming a rule that cannot be suppressed,
one another stage reports, or no rule at all is a finding of its own.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace

from generator.findings import Finding, Severity
from generator.load.document import YamlPath, format_path
from generator.model.types import Component, Platform
from generator.rules.registry import CHECKS, REGISTRY, Hit, closest_rule, define, semantic_rules

SUPPRESS_UNKNOWN = "PC016"
SUPPRESS_REFUSED = "PC017"
ERROR, WARNING = Severity.ERROR, Severity.WARNING

define(
    "PC016",
    "structure",
    WARNING,
    "Ignore entry names no rule",
    why="""A component's `ignore:` entry names a rule ID that does not exist, usually a typo.
    The finding it was meant to accept is still reported, and the stale entry hides that
    nobody knows what it was for.""",
    fix="Write an existing rule ID (`platformc rules` lists them) or remove the entry.",
    bad="""
    ignore:
      - {rule: PC6O2, reason: single replica on purpose}
    """,
    good="""
    ignore:
      - {rule: PC602, reason: single replica on purpose}
    """,
    suppressible=False,
)

define(
    "PC017",
    "structure",
    WARNING,
    "Finding cannot be suppressed",
    why="""`ignore:` accepts warnings a team knowingly lives with. Errors that break the
    cluster (a workload admission refuses, a budget that blocks every drain, a missing
    component) and load, schema and verify findings cannot be ignored: the finding stays an
    error, and this warning says why the entry has no effect.""",
    fix="Fix the problem the error reports and remove the `ignore:` entry.",
    bad="""
    ignore:
      - {rule: PC501, reason: we need root}
    """,
    good="""
    exceptions:
      - {policy: require-run-as-nonroot, reason: the image's entrypoint needs root}
    """,
    suppressible=False,
)


def run_rules(platform: Platform) -> list[Finding]:
    hits: list[Hit] = []
    for entry in CHECKS:
        for hit in entry.func(platform):
            if hit.rule not in entry.rules:
                raise AssertionError(f"{entry.func.__name__} yielded {hit.rule}, declared {entry.rules}")
            hits.append(hit)
    findings: list[Finding] = []
    seen: set[tuple[str, str, str]] = set()
    for hit in hits:
        key = (hit.rule, format_path(hit.path), hit.message)
        if key not in seen:
            seen.add(key)
            findings.extend(_finding(platform, hit))
    findings.extend(_check_ignores(platform))
    return sorted(findings, key=Finding.sort_key)


# ---------------------------------------------------------------------------- findings and suppression


def _finding(platform: Platform, hit: Hit) -> Iterator[Finding]:
    rule = REGISTRY[hit.rule]
    mark = hit.mark or platform.doc.mark(hit.path, prefer_key=hit.prefer_key)
    finding = Finding(
        rule.id, rule.severity, hit.message, mark.file, mark.line, mark.column, format_path(hit.path)
    )
    component = hit.component or _component_at(platform, hit.path)
    ignore = ignore_entry(component, rule.id) if component is not None else None
    if component is None or ignore is None:
        yield finding
        return
    index, reason = ignore
    if rule.suppressible:
        yield replace(finding, suppressed=True, reason=reason)
        return
    yield finding
    where = (*component.path, "ignore", index, "rule")
    yield _make(
        platform,
        SUPPRESS_REFUSED,
        f"{component.name}: {rule.id} ({rule.title.lower()}) cannot be suppressed: it breaks the cluster; "
        f"fix the problem instead of ignoring it",
        where,
    )


def _make(platform: Platform, rule_id: str, message: str, path: YamlPath) -> Finding:
    rule = REGISTRY[rule_id]
    mark = platform.doc.mark(path)
    return Finding(rule.id, rule.severity, message, mark.file, mark.line, mark.column, format_path(path))


def _component_at(platform: Platform, path: YamlPath) -> Component | None:
    if len(path) >= 5 and path[:2] == ("spec", "applications") and path[3] == "components":
        return platform.find(f"{path[2]}/{path[4]}")
    return None


def ignore_entry(component: Component, rule_id: str) -> tuple[int, str] | None:
    for entry in component.ignore:
        if entry.rule == rule_id:
            return entry.index, entry.reason
    return None


def _check_ignores(platform: Platform) -> Iterator[Finding]:
    """An `ignore:` entry naming a rule that does not exist, or one that is not a semantic rule."""
    semantic = semantic_rules()
    for component in platform.components():
        for entry in component.ignore:
            rule_id = entry.rule
            path = (*entry.path, "rule")
            if rule_id in semantic:
                continue
            if rule_id in REGISTRY:
                yield _make(
                    platform,
                    SUPPRESS_REFUSED,
                    f"{component.name}: {rule_id} cannot be suppressed: only semantic rules "
                    f"(PC011 and up, below PC800) can be ignored on a component",
                    path,
                )
                continue
            yield _make(
                platform,
                SUPPRESS_UNKNOWN,
                f"{component.name}: ignore names {rule_id}, which is not a platformc rule"
                f"{closest_rule(rule_id, semantic)}; `platformc rules` lists them",
                path,
            )
