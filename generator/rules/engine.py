"""The rule engine: rules (ID, family, severity, documentation) and the checks that apply them.

A *rule* is what a person reads in docs/rules.md and sees in a finding. A
*check* is a function over the resolved Platform of one environment that yields
`Hit`s for one or more rules: several rules share one check where a single
pass decides which of them a mistake is (a reference to a missing component is
PC101, to a disabled one PC102, never both), so one root cause gives one finding.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, replace

from generator.findings import Finding, Mark, Severity
from generator.load.document import YamlPath, format_path
from generator.model.types import Component, Platform

FAMILIES = (
    "structure",
    "wiring",
    "engines",
    "images",
    "secrets",
    "policy",
    "availability",
    "rendering",
    "operations",
)
SUPPRESS_UNKNOWN = "PC016"
SUPPRESS_REFUSED = "PC017"


@dataclass(frozen=True)
class Rule:
    id: str
    family: str
    severity: Severity
    title: str
    why: str  # what it catches and the incident it prevents
    fix: str
    bad: str  # YAML that trips the rule
    good: str  # the same YAML, fixed
    suppressible: bool

    @property
    def doc(self) -> str:
        return f"{self.why}\n\nHow to fix: {self.fix}"


@dataclass(frozen=True)
class Hit:
    """One problem as a check sees it; the engine turns it into a Finding.

    `path` locates it in the merged document; `mark` overrides that (a line
    inside a block of text). `component` is whose `ignore:` list applies.
    """

    rule: str
    message: str
    path: YamlPath
    prefer_key: bool = False
    mark: Mark | None = None
    component: Component | None = None


Check = Callable[[Platform], Iterable[Hit]]


@dataclass(frozen=True)
class _CheckEntry:
    rules: tuple[str, ...]
    func: Check


REGISTRY: dict[str, Rule] = {}
CHECKS: list[_CheckEntry] = []


def define(
    rule_id: str,
    family: str,
    severity: Severity,
    title: str,
    *,
    why: str,
    fix: str,
    bad: str,
    good: str,
    suppressible: bool | None = None,
) -> Rule:
    """Register a rule. Warnings can be suppressed; errors only where a rule says so."""
    if family not in FAMILIES:
        raise ValueError(f"{rule_id}: unknown family {family!r}")
    if rule_id in REGISTRY:
        raise ValueError(f"{rule_id} is defined twice")
    allowed = severity is Severity.WARNING if suppressible is None else suppressible
    rule = Rule(
        rule_id, family, severity, title, _dedent(why), _dedent(fix), _block(bad), _block(good), allowed
    )
    REGISTRY[rule_id] = rule
    return rule


def check(*rule_ids: str) -> Callable[[Check], Check]:
    """Register a check that yields hits for exactly these rules."""

    def register(func: Check) -> Check:
        CHECKS.append(_CheckEntry(tuple(rule_ids), func))
        return func

    return register


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
    from generator.rules.docs import known_rule_ids  # docs imports the registry this module fills

    for component in platform.components():
        for entry in component.ignore:
            rule_id = entry.rule
            path = (*entry.path, "rule")
            if rule_id in REGISTRY:
                continue
            if rule_id in known_rule_ids():
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
                f"{closest_rule(rule_id, REGISTRY)}; `platformc rules` lists them",
                path,
            )


# ---------------------------------------------------------------------------- helpers for checks


def did_you_mean(word: str, candidates: Iterable[str], *, quote: bool = True) -> str:
    """`; did you mean "superset-secret"?` or nothing."""
    matches = difflib.get_close_matches(word, sorted(set(candidates)), n=1, cutoff=0.6)
    if not matches:
        return ""
    return f'; did you mean "{matches[0]}"?' if quote else f"; did you mean {matches[0]}?"


def closest_rule(rule_id: str, known: Iterable[str]) -> str:
    """`; did you mean PC602?` for a typed rule ID: swapped or mistyped digits are the usual slip."""
    ranked = sorted((_edits(rule_id.upper(), k), k) for k in known)
    return f"; did you mean {ranked[0][1]}?" if ranked and ranked[0][0] <= 2 else ""


def _edits(a: str, b: str) -> int:
    """Edit distance counting a swap of neighbours as one edit (optimal string alignment)."""
    rows = [list(range(len(b) + 1))] + [[i] + [0] * len(b) for i in range(1, len(a) + 1)]
    for i in range(1, len(a) + 1):
        for j in range(1, len(b) + 1):
            cost = 0 if a[i - 1] == b[j - 1] else 1
            rows[i][j] = min(rows[i - 1][j] + 1, rows[i][j - 1] + 1, rows[i - 1][j - 1] + cost)
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                rows[i][j] = min(rows[i][j], rows[i - 2][j - 2] + 1)
    return rows[len(a)][len(b)]


def _dedent(text: str) -> str:
    return " ".join(text.split())


def _block(text: str) -> str:
    lines = text.splitlines()
    while lines and not lines[0].strip():
        lines.pop(0)
    while lines and not lines[-1].strip():
        lines.pop()
    indent = min((len(line) - len(line.lstrip()) for line in lines if line.strip()), default=0)
    return "\n".join(line[indent:] for line in lines)
