"""The rule registry: every rule platformc reports (ID, family, severity, summary, documentation,
the stage that reports it) and the checks that apply the semantic ones.

A *rule* is what a person reads in docs/rules.md and sees in a finding. Each is
defined once, with `define`, in the module that reports it: a semantic rule
beside its check, a load, schema or verify rule (whose checks live in those
stages) in generator.rules.stage_rules. A *check* is a function over the
resolved Platform of one environment that yields `Hit`s for one or more
semantic rules: several rules share one check where a single pass decides
which of them a mistake is (a reference to a missing component is PC101, to a
disabled one PC102, never both), so one root cause gives one finding.
generator.rules.runner runs the checks.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from generator.findings import Mark, Severity
from generator.load.document import YamlPath
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
    "verify",
)
# The stages that report findings; only `rules` runs checks from this registry.
STAGES = ("load", "validate", "schema", "rules", "verify", "render")
SEMANTIC = "rules"


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
    stage: str = SEMANTIC  # which stage reports it: load, validate, schema, rules, verify

    @property
    def semantic(self) -> bool:
        """Reported by a check over the model, and so suppressible on a component where allowed."""
        return self.stage == SEMANTIC

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
    """Register a semantic rule. Warnings can be suppressed; errors only where a rule says so."""
    allowed = severity is Severity.WARNING if suppressible is None else suppressible
    rule = Rule(
        rule_id, family, severity, title, _dedent(why), _dedent(fix), _block(bad), _block(good), allowed
    )
    return _register(rule)


def define_stage_rule(
    rule_id: str,
    family: str,
    severity: Severity,
    title: str,
    *,
    stage: str,
    why: str,
    fix: str = "",
    bad: str = "",
    good: str = "",
) -> Rule:
    """Register a rule another stage reports (load, validate, schema, verify); never suppressible."""
    if stage == SEMANTIC or stage not in STAGES:
        raise ValueError(f"{rule_id}: {stage!r} is not a stage outside the rules")
    return _register(Rule(rule_id, family, severity, title, why, fix, bad, good, False, stage))


def _register(rule: Rule) -> Rule:
    if rule.family not in FAMILIES:
        raise ValueError(f"{rule.id}: unknown family {rule.family!r}")
    if rule.id in REGISTRY:
        raise ValueError(f"{rule.id} is defined twice")
    REGISTRY[rule.id] = rule
    return rule


def semantic_rules() -> dict[str, Rule]:
    """The rules checks report, which a component may name in `ignore:`."""
    return {rule_id: rule for rule_id, rule in REGISTRY.items() if rule.semantic}


def check(*rule_ids: str) -> Callable[[Check], Check]:
    """Register a check that yields hits for exactly these semantic rules (tests hold each to a `define`)."""

    def register(func: Check) -> Check:
        CHECKS.append(_CheckEntry(tuple(rule_ids), func))
        return func

    return register


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
