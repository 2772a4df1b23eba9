"""The rule engine: a registry of rules, each a function from Platform to findings."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from generator.findings import Finding, Severity
from generator.model.types import Platform

Check = Callable[[Platform], Iterable[Finding]]


@dataclass(frozen=True)
class Rule:
    id: str
    family: str
    severity: Severity
    title: str
    doc: str
    check: Check | None = None


REGISTRY: dict[str, Rule] = {}


def run_rules(platform: Platform) -> list[Finding]:
    findings: list[Finding] = []
    for rule in sorted(REGISTRY.values(), key=lambda r: r.id):
        if rule.check is not None:
            findings.extend(rule.check(platform))
    return findings
