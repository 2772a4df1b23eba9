"""Findings: the one currency every stage pays its diagnostics in."""

from __future__ import annotations

import enum
import re
from collections.abc import Iterable
from dataclasses import dataclass, field, replace


class Severity(enum.StrEnum):
    ERROR = "error"
    WARNING = "warning"

    def __str__(self) -> str:
        return self.value


@dataclass(frozen=True, order=True)
class Mark:
    """A position in a source file; line and column are 1-based."""

    file: str
    line: int
    column: int


@dataclass(frozen=True)
class Finding:
    rule: str
    severity: Severity
    message: str
    file: str
    line: int
    column: int
    path: str
    env: str | None = None
    suppressed: bool = False
    reason: str | None = field(default=None, compare=False)

    @property
    def envs(self) -> list[str]:
        """The environments that report it (`env` holds them comma-joined once folded); [] for none."""
        return [e for e in (self.env or "").split(",") if e]

    @property
    def is_error(self) -> bool:
        return self.severity is Severity.ERROR and not self.suppressed

    def with_env(self, env: str | None) -> Finding:
        return replace(self, env=env)

    def sort_key(self) -> tuple[str, int, int, str, str, str]:
        return (self.file, self.line, self.column, self.rule, self.env or "", self.message)


def make_finding(
    rule: str,
    severity: Severity,
    message: str,
    mark: Mark | None,
    path: str,
    env: str | None = None,
) -> Finding:
    if mark is None:
        mark = Mark("platform.yaml", 1, 1)
    return Finding(rule, severity, message, mark.file, mark.line, mark.column, path, env)


def dedupe(findings: Iterable[Finding]) -> list[Finding]:
    """Sort findings and fold the copies that several environments report alike.

    A mistake in platform.yaml that every environment inherits is reported
    once (env empty) instead of once per environment.
    """
    by_key: dict[tuple[str, str, int, int, str, str], list[Finding]] = {}
    for finding in findings:
        key = (finding.rule, finding.file, finding.line, finding.column, finding.message, finding.path)
        by_key.setdefault(key, []).append(finding)
    folded: list[Finding] = []
    for group in by_key.values():
        envs = sorted({f.env or "" for f in group})
        first = group[0]
        folded.append(first.with_env(",".join(e for e in envs if e) or None))
    return sorted(_fold_anchors(folded), key=Finding.sort_key)


# `<component>: <what is wrong>`: how a finding about one component begins.
_SUBJECT = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._/-]*): (.+)$", re.DOTALL)


def _fold_anchors(findings: list[Finding]) -> list[Finding]:
    """One finding for a mistake that several components repeat through a YAML anchor or merge key.

    They share one position, the anchored text, and say the same thing of different components:
    reported once, naming them all (`scheduler, worker: …`).
    """
    groups: dict[tuple[object, ...], list[tuple[str, Finding]]] = {}
    for finding in findings:
        subject = _SUBJECT.match(finding.message)
        rest = subject.group(2) if subject else finding.message
        alone = () if subject else (finding.message, finding.path)  # no subject: nothing to fold
        key = (finding.rule, finding.severity, finding.file, finding.line, finding.column, finding.env)
        key += (rest, finding.suppressed, *alone)
        groups.setdefault(key, []).append((subject.group(1) if subject else "", finding))
    out: list[Finding] = []
    for members in groups.values():
        names = sorted({name for name, _ in members})
        first = members[0][1]
        if len(names) < 2:
            out.extend(finding for _, finding in members)
            continue
        rest = _SUBJECT.match(first.message).group(2)  # type: ignore[union-attr]
        out.append(replace(first, message=f"{', '.join(names)}: {rest}"))
    return out


def count(findings: Iterable[Finding]) -> tuple[int, int]:
    errors = warnings = 0
    for finding in findings:
        if finding.suppressed:
            continue
        if finding.severity is Severity.ERROR:
            errors += 1
        else:
            warnings += 1
    return errors, warnings
